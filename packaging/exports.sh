#!/bin/sh
# Prints the names of the functions include/mcp_oauth.h declares (the lines
# starting with MCP_OAUTH_API), one a line, sorted: the library's ABI.
#   packaging/exports.sh [header]            the names
#   packaging/exports.sh --map [header]      a linker version script exporting
#                                            exactly them as MCP_OAUTH_0
set -eu
map=0
if [ "${1:-}" = "--map" ]; then map=1; shift; fi
header="${1:-$(dirname "$0")/../include/mcp_oauth.h}"
names="$(sed -n 's/^MCP_OAUTH_API [^(]*[ *]\(mcp_[a-z0-9_]*\)(.*/\1/p' "$header" | LC_ALL=C sort)"
[ -n "$names" ] || { echo "exports.sh: no MCP_OAUTH_API functions in $header" >&2; exit 1; }
if [ "$map" = 0 ]; then
    printf '%s\n' "$names"
    exit 0
fi
echo "/* Made by packaging/exports.sh from $(basename "$header"): export only its functions. */"
echo "MCP_OAUTH_0 {"
echo "  global:"
printf '%s\n' "$names" | sed 's/.*/    &;/'
echo "  local:"
echo "    *;"
echo "};"
