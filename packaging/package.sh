#!/usr/bin/env bash
# make dist: turns the cross-built libraries of build/dist/lib (one per line
# of packaging/platforms.txt) into the artifacts a user installs:
#
#   build/dist/c/libmcp_oauth-<version>-<platform>.tar.gz
#       lib (or bin + lib on Windows), include/mcp_oauth.h, a relocatable
#       lib/pkgconfig/mcp_oauth.pc, LICENSE, CHANGELOG.md
#   build/dist/python/mcp_oauth_client-<version>-py3-none-<tag>.whl, and the
#       sdist mcp_oauth_client-<version>.tar.gz (with the Go source)
#   build/dist/npm/mcp-oauth-client-<version>.tgz, and one package per
#       platform, mcp-oauth-client-<os>-<cpu>-<version>.tgz
#       (@mcp-oauth-client/<os>-<cpu>), the main package's optionalDependencies
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="$(tr -d '[:space:]' <VERSION)"
dist="$root/build/dist"
py="$root/build/tools/venv/bin/python"
stage="$(mktemp -d "${TMPDIR:-/tmp}/mcp-oauth-dist.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
rm -rf "$dist/c" "$dist/python" "$dist/npm"
mkdir -p "$dist/c" "$dist/python" "$dist/npm"
platforms() { grep -v '^#' packaging/platforms.txt; }
# Reproducible archives: fixed owner, order and time (the commit's).
mtime="@$(git log -1 --format=%ct 2>/dev/null || echo 0)"
tarball() { tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" -czf "$@"; }

# --- C ----------------------------------------------------------------------
while read -r plat _tag _os _cpu file libdir; do
    name="libmcp_oauth-$version-$plat"
    d="$stage/c/$name"
    mkdir -p "$d/include" "$d/lib/pkgconfig" "$d/$libdir"
    cp "$dist/lib/$plat/$file" "$d/$libdir/$file"
    if [ "$file" = libmcp_oauth.so.0 ]; then
        ln -s libmcp_oauth.so.0 "$d/lib/libmcp_oauth.so"
    else
        cp "$dist/lib/$plat/libmcp_oauth.dll.a" "$d/lib/"
    fi
    cp include/mcp_oauth.h include/mcp_oauth.hpp "$d/include/"
    cp LICENSE CHANGELOG.md "$d/"
    # ${pcfiledir}: pkg-config's own variable, so the tree works wherever it is unpacked.
    sed -e 's|@PREFIX@|${pcfiledir}/../..|' -e 's|@LIBDIR@|${prefix}/lib|' -e 's|@INCLUDEDIR@|${prefix}/include|' \
        -e "s|@VERSION@|$version|" mcp_oauth.pc.in >"$d/lib/pkgconfig/mcp_oauth.pc"
    tarball "$dist/c/$name.tar.gz" -C "$stage/c" "$name"
done < <(platforms)

# --- Python -----------------------------------------------------------------
# Each wheel is built from a clean copy of the binding, so no library of
# another platform is left in a build directory.
while read -r plat tag _os _cpu file _libdir; do
    src="$stage/python-$plat"
    mkdir -p "$src"
    cp -r bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md bindings/python/src "$src/"
    cp LICENSE "$src/LICENSE"
    find "$src" -name '__pycache__' -prune -exec rm -rf {} + -o -name '*.egg-info' -prune -exec rm -rf {} +
    MCP_OAUTH_LIBRARY="$dist/lib/$plat/$file" MCP_OAUTH_WHEEL_PLATFORM="$tag" \
        "$py" -m build --wheel --no-isolation --outdir "$dist/python" "$src" >"$stage/python-$plat.log" 2>&1 ||
        { cat "$stage/python-$plat.log" >&2; exit 1; }
done < <(platforms)
"$py" -m build --sdist --no-isolation --outdir "$dist/python" bindings/python >"$stage/sdist.log" 2>&1 ||
    { cat "$stage/sdist.log" >&2; exit 1; }

# --- Node -------------------------------------------------------------------
main="$stage/npm/mcp-oauth-client"
mkdir -p "$main"
cp -r bindings/node/lib bindings/node/index.d.ts bindings/node/README.md bindings/node/package.json "$main/"
cp LICENSE "$main/"
optional=()
while read -r plat _tag os cpu file _libdir; do
    pkg="$stage/npm/$os-$cpu"
    mkdir -p "$pkg"
    shipped=libmcp_oauth.so
    [ "$os" = win32 ] && shipped=mcp_oauth.dll
    cp "$dist/lib/$plat/$file" "$pkg/$shipped"
    cp LICENSE "$pkg/"
    node packaging/npm-package.js platform "$pkg" "$version" "$os" "$cpu" "$shipped"
    optional+=("@mcp-oauth-client/$os-$cpu")
    (cd "$pkg" && npm pack --silent --pack-destination "$dist/npm" >/dev/null)
done < <(platforms)
node packaging/npm-package.js main "$main" "$version" "${optional[@]}"
(cd "$main" && npm pack --silent --pack-destination "$dist/npm" >/dev/null)

echo "make dist: build/dist"
(cd "$dist" && find c python npm -type f -printf '%s\t%p\n' | sort -k2 | awk -F'\t' '{ printf "  %-60s %6.1f MB\n", $2, $1 / 1048576 }')
