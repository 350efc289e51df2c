#!/usr/bin/env bash
# run-demo.sh — starts the project's test authorization server on a free
# loopback port and drives it from C, Python and Node. Called by `make demo`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The server exits when this script's end of the pipe closes (-watch-stdin).
coproc AS { exec build/oauth-test-server -watch-stdin; }
read -r url <&"${AS[0]}"
trap 'exec {AS[1]}>&-; wait "$AS_PID" 2>/dev/null || true' EXIT
echo "== test authorization server at $url"

echo "== C (examples/demo.c)"
build/demo "$url"

echo "== Python (examples/demo.py)"
bindings/python/run-tests.sh --install-only >/dev/null
build/py-venv/bin/python examples/demo.py "$url"

echo "== Node (examples/demo.js)"
(cd bindings/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node examples/demo.js "$url"
