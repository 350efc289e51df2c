#!/usr/bin/env bash
# Runs the Node.js binding's tests (called by `make test`):
#   1. builds the library and the test server (make lib testserver), unless
#      MCP_OAUTH_SKIP_BUILD is set (then MCP_OAUTH_LIBRARY / the existing
#      build and MCP_OAUTH_TEST_SERVER are used);
#   2. installs the dependencies from package-lock.json (npm ci, skipped
#      when node_modules already matches it); the tests load build/'s
#      library (lib/locate.js finds it in a checkout);
#   3. runs `node --test` on test/, one file at a time, with a timeout.
#
#   bindings/node/run-tests.sh                  all three
#   bindings/node/run-tests.sh --install-only   1 and 2 (the doc snippets use
#                                               the installed dependencies)
set -euo pipefail

install_only=0
if [ "${1:-}" = "--install-only" ]; then
  install_only=1
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"

if [ -z "${MCP_OAUTH_SKIP_BUILD:-}" ] && [ -f "$ROOT/Makefile" ] && command -v make >/dev/null; then
  make -C "$ROOT" lib testserver
fi

# npm ci only when node_modules does not match package-lock.json and this
# Node (it deletes and reinstalls node_modules every time otherwise).
stamp="node_modules/.mcp-oauth-ci-stamp"
want="$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1) $(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
[ "$install_only" = 0 ] || exit 0

exec node --test --test-concurrency=1 --test-timeout=300000 \
  test/*.test.js test/*.test.mjs
