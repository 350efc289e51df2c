#!/usr/bin/env bash
# Runs tests/test_sdk_langchain.py in its own virtualenv,
# <repo>/build/py-venv-langchain: langchain-mcp-adapters 0.3.2 requires the
# MCP Python SDK 1.x (on httpx), which cannot share build/py-venv with mcp
# 2.x (on httpx2). Installs bindings/python in editable mode with the
# [langchain] extra (once), then runs pytest against build/mcp-test-server.
#
#   bindings/python/run-langchain-tests.sh [pytest args...]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/build/py-venv-langchain"
stamp="$venv/.mcp-oauth-installed"

make -C "$repo" --no-print-directory lib testserver
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$here/pyproject.toml" -nt "$stamp" ] || [ "$here/setup.py" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$here[langchain]"
    touch "$stamp"
fi
cd "$here"
exec "$venv/bin/python" -m pytest tests/test_sdk_langchain.py "$@"
