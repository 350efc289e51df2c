#!/usr/bin/env bash
# run-demo.sh — starts the project's test authorization server and test MCP
# server on free loopback ports and drives them from C, Python, Node and the
# mcp-oauth command-line tool.
# Called by `make demo`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The server exits when this script's end of the pipe closes (-watch-stdin).
coproc AS { exec build/oauth-test-server -watch-stdin; }
read -r url <&"${AS[0]}"
coproc MCP { exec build/mcp-test-server -watch-stdin; }
read -r mcp_line <&"${MCP[0]}"
mcp_url=$(sed -E 's/.*"mcp":"([^"]+)".*/\1/' <<<"$mcp_line")
sse_url=$(sed -E 's/.*"sse":"([^"]+)".*/\1/' <<<"$mcp_line")
mcp_as_url=$(sed -E 's/.*"as":"([^"]+)".*/\1/' <<<"$mcp_line")
trap 'exec {AS[1]}>&- {MCP[1]}>&-; wait 2>/dev/null || true' EXIT
echo "== test authorization server at $url"
echo "== test MCP server at $mcp_url (Streamable HTTP) and $sse_url (SSE)"

echo "== C (examples/demo.c)"
build/demo "$url" "$mcp_url" "$sse_url"

echo "== Python (examples/demo.py)"
bindings/python/run-tests.sh --install-only >/dev/null
build/py-venv/bin/python examples/demo.py "$url" "$mcp_url" "$sse_url"

echo "== Node (examples/demo.js)"
(cd bindings/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node examples/demo.js "$url" "$mcp_url" "$sse_url"

echo "== CLI (build/mcp-oauth): log in with the device grant (RFC 8628), call a tool, show the stored credentials"
work=$(mktemp -d)
store="$work/store"
export XDG_CONFIG_HOME="$work/config" # the first login remembers its server as the default: not in your own config
build/mcp-oauth login --device --store "$store" "$mcp_url" 2> >(tee "$work/login.log" >&2) &
login=$!
python3 examples/approve-device.py "$work/login.log" "$mcp_as_url/device"
wait "$login"
build/mcp-oauth call --store "$store" "$mcp_url" echo '{"text":"hello from the CLI"}'
build/mcp-oauth status --store "$store"
rm -rf "$work"
