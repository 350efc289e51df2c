#!/usr/bin/env bash
# Runs the MCP TypeScript SDK integration tests (called by `make test-node`):
# installs the pinned SDK from package-lock.json (npm ci) into this folder
# and runs node --test on its *.test.js against build/mcp-test-server. The
# binding itself comes from bindings/node (prepared by its run-tests.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
# other-server.test.js runs the MCP Python SDK's server in build/py-venv.
"$root/bindings/python/run-tests.sh" --install-only
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
exec node --test --test-concurrency=1 --test-timeout=300000 ./*.test.js
