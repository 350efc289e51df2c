#!/usr/bin/env bash
# test-servers.sh — starts the project's test MCP server (with its test
# authorization server) in the background, for trying the quick starts of
# README.md and docs/ locally:
#
#   eval "$(examples/test-servers.sh)"
#
# It prints shell assignments, so that eval sets
#   MCP_URL                 the Streamable HTTP endpoint, http://127.0.0.1:P/mcp
#   MCP_SSE_URL             the HTTP+SSE endpoint, http://127.0.0.1:P/sse
#   AS_URL                  the authorization server, http://127.0.0.1:Q
#                           (clients test-client:test-secret and public-client)
#   MCP_TEST_SERVER_PID     the server's process id: `kill $MCP_TEST_SERVER_PID`
#                           stops it.
# Arguments are passed to build/mcp-test-server (see its -help). Run `make`
# first. The servers are for tests only: in-memory, on loopback, and their
# authorization server approves every request without asking anyone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
server="$root/build/mcp-test-server"
if [ ! -x "$server" ]; then
    echo "test-servers.sh: $server is missing: run make first" >&2
    exit 1
fi
fifo="$(mktemp -u "${TMPDIR:-/tmp}/mcp-test-server.XXXXXX")"
mkfifo -m 0600 "$fifo"
trap 'rm -f "$fifo"' EXIT
# The server prints one JSON line, {"mcp":...,"sse":...,"as":...}, and
# serves until it is killed; it does not hold this script's stdout, so a
# command substitution around this script returns at once.
"$server" "$@" >"$fifo" 2>/dev/null </dev/null &
pid=$!
if ! read -r line <"$fifo"; then
    echo "test-servers.sh: build/mcp-test-server did not start" >&2
    exit 1
fi
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$line"; }
printf "export MCP_URL='%s' MCP_SSE_URL='%s' AS_URL='%s' MCP_TEST_SERVER_PID=%d\n" \
    "$(field mcp)" "$(field sse)" "$(field as)" "$pid"
echo "test-servers.sh: MCP server $(field mcp) and $(field sse), authorization server $(field as); stop with: kill \$MCP_TEST_SERVER_PID" >&2
