#!/usr/bin/env bash
# Builds libmcp_oauth for one platform with zig as cgo's C compiler:
#
#   packaging/cross-build.sh <platform> <output-dir>
#
# platform  linux-x86_64    x86_64-linux-gnu.2.17   -> libmcp_oauth.so.0
#           linux-aarch64   aarch64-linux-gnu.2.17  -> libmcp_oauth.so.0
#           windows-x86_64  x86_64-windows-gnu      -> mcp_oauth.dll and its
#                                                      import library libmcp_oauth.dll.a
# The Linux builds link against glibc 2.17 (so they run on any newer glibc:
# manylinux_2_17) and export only the header's functions, versioned
# MCP_OAUTH_0 (the version script build/libmcp_oauth.map, from
# packaging/exports.sh). Needs packaging/tools.sh run first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
platform="$1"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
# Go's build cache does not see the version script's content, only its path
# in the flags: link with a copy named for its content.
map="$root/build/libmcp_oauth-$(sha256sum "$root/build/libmcp_oauth.map" | cut -c1-16).map"
cp "$root/build/libmcp_oauth.map" "$map"
case "$platform" in
linux-x86_64) target=x86_64-linux-gnu.2.17 goos=linux goarch=amd64 ;;
linux-aarch64) target=aarch64-linux-gnu.2.17 goos=linux goarch=arm64 ;;
windows-x86_64) target=x86_64-windows-gnu goos=windows goarch=amd64 ;;
*) echo "cross-build.sh: unknown platform $platform" >&2; exit 2 ;;
esac
if [ "$goos" = linux ]; then
    file=libmcp_oauth.so.0
    # --strip-all: zig cc does not act on the -s that Go passes to it.
    extld="-Wl,-soname,libmcp_oauth.so.0,--version-script,$map,--strip-all"
else
    file=mcp_oauth.dll
    extld="-Wl,--out-implib,$out/libmcp_oauth.dll.a"
fi
cd "$root"
ZIG_GLOBAL_CACHE_DIR="$root/build/tools/zig-cache" ZIG_TARGET="$target" CC="$root/packaging/zigcc" \
    CGO_ENABLED=1 GOOS="$goos" GOARCH="$goarch" \
    "${GO:-go}" build -buildmode=c-shared -trimpath -ldflags="-s -w -extldflags=$extld" -o "$out/$file" ./capi
rm -f "$out"/*.h
echo "cross-build.sh: $platform -> ${out#"$root"/}/$file"
