#!/usr/bin/env bash
# Runs the Python binding's test suite: creates (once) a virtualenv at
# <repo>/build/py-venv, installs bindings/python into it in editable mode with
# the [test], [bench] and [sdk] extras, and runs pytest against the real test
# authorization server.
#
#   bindings/python/run-tests.sh [pytest args...]
#   bindings/python/run-tests.sh --install-only   # just prepare build/py-venv
#
# Environment: PYTHON (interpreter for the venv, default python3),
# MCP_OAUTH_LIBRARY (a libmcp_oauth.so to test instead of build/'s),
# MCP_OAUTH_TEST_SERVER (an oauth-test-server binary instead of build/'s).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/build/py-venv"
stamp="$venv/.mcp-oauth-installed"
extras="test,bench,sdk"

install_only=0
if [ "${1:-}" = "--install-only" ]; then
    install_only=1
    shift
fi

# The library and the test server (no-ops when they are up to date).
targets=()
[ -n "${MCP_OAUTH_LIBRARY:-}" ] || targets+=(lib)
[ -n "${MCP_OAUTH_TEST_SERVER:-}" ] || targets+=(testserver)
if [ ${#targets[@]} -gt 0 ]; then
    make -C "$repo" --no-print-directory "${targets[@]}"
fi

if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$extras" ] \
    || [ "$here/pyproject.toml" -nt "$stamp" ] || [ "$here/setup.py" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$here[$extras]"
    echo "$extras" >"$stamp"
fi

if [ "$install_only" = 1 ]; then
    exit 0
fi
cd "$here"
exec "$venv/bin/python" -m pytest tests "$@"
