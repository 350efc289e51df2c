#!/usr/bin/env bash
# Checks what a built libmcp_oauth exports against include/mcp_oauth.h:
#
#   packaging/check-abi.sh <library> [--glibc 2.17]
#
# ELF (.so): `nm -D --defined-only` must list exactly the header's functions,
# each with the symbol version MCP_OAUTH_0 (and the version's own name), and
# with --glibc V, `objdump -T` must need no GLIBC symbol version newer than V.
# PE (.dll): the export table must name exactly the header's functions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$1"
glibc="${3:-}"
[ "${2:-}" = "" ] || [ "${2:-}" = "--glibc" ] || { echo "usage: $0 <library> [--glibc V]" >&2; exit 2; }
want="$("$root/packaging/exports.sh" "$root/include/mcp_oauth.h")"
# A prototype without the marker would be neither listed nor exported.
unmarked="$(grep -nE '^(int|void|const char|char|unsigned|uint32_t)[ *]+mcp_[a-z0-9_]*\(' "$root/include/mcp_oauth.h" || true)"
if [ -n "$unmarked" ]; then
    echo "check-abi: mcp_oauth.h declares functions without MCP_OAUTH_API:" >&2
    echo "$unmarked" >&2
    exit 1
fi
fail=0

case "$lib" in
*.dll)
    got="$(objdump -p "$lib" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/s/^[[:space:]]*\[ *[0-9]*\] //p' | LC_ALL=C sort)"
    ;;
*)
    syms="$(nm -D --defined-only "$lib")"
    got="$(awk '$3 != "MCP_OAUTH_0" { print $3 }' <<<"$syms" | sed 's/@@MCP_OAUTH_0$//' | LC_ALL=C sort)"
    unversioned="$(awk '$3 != "MCP_OAUTH_0" && $3 !~ /@@MCP_OAUTH_0$/ { print $3 }' <<<"$syms")"
    if [ -n "$unversioned" ]; then
        echo "check-abi: $lib: exported without the version MCP_OAUTH_0:" $unversioned >&2
        fail=1
    fi
    if [ -n "$glibc" ]; then
        newest="$(objdump -T "$lib" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
        if [ "$(printf '%s\n%s\n' "$newest" "$glibc" | sort -V | tail -1)" != "$glibc" ]; then
            echo "check-abi: $lib needs GLIBC_$newest, newer than $glibc:" >&2
            objdump -T "$lib" | grep "GLIBC_$newest" >&2
            fail=1
        else
            echo "check-abi: $lib: newest glibc symbol version GLIBC_$newest (<= $glibc)"
        fi
    fi
    ;;
esac

extra="$(comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
missing="$(comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
if [ -n "$extra" ]; then
    echo "check-abi: $lib exports symbols that are not in mcp_oauth.h:" $extra >&2
    fail=1
fi
if [ -n "$missing" ]; then
    echo "check-abi: $lib lacks functions of mcp_oauth.h:" $missing >&2
    fail=1
fi
[ "$fail" = 0 ] || exit 1
echo "check-abi: $lib exports exactly the $(wc -l <<<"$want") functions of mcp_oauth.h"
