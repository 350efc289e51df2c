#!/usr/bin/env bash
# Runs the Node.js binding's tests (called by `make test`):
#   1. builds the library and the test server (make lib testserver), unless
#      MCP_OAUTH_SKIP_BUILD is set (then MCP_OAUTH_LIBRARY / the existing
#      build and MCP_OAUTH_TEST_SERVER are used);
#   2. installs the dependencies from package-lock.json (npm ci); the tests
#      load build/'s library (lib/locate.js finds it in a checkout);
#   3. runs `node --test` on test/, one file at a time, with a timeout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"

if [ -z "${MCP_OAUTH_SKIP_BUILD:-}" ] && [ -f "$ROOT/Makefile" ] && command -v make >/dev/null; then
  make -C "$ROOT" lib testserver
fi

npm ci --no-audit --no-fund --loglevel=error

exec node --test --test-concurrency=1 --test-timeout=300000 \
  test/*.test.js test/*.test.mjs
