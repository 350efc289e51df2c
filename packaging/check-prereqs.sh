#!/usr/bin/env bash
# Checks the tools `make test` needs and names every missing one at once:
# Go (at least the go.mod version), a C and a C++ compiler, Python >= 3.9
# with venv and pip, Node >= 20 with npm, curl, make.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
missing=()

version_at_least() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]; }

need_go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$root/go.mod")"
if ! command -v "${GO:-go}" >/dev/null; then
    missing+=("Go >= $need_go (https://go.dev/dl/)")
else
    have_go="$("${GO:-go}" env GOVERSION 2>/dev/null | sed 's/^go//')"
    version_at_least "$have_go" "$need_go" || missing+=("Go >= $need_go (found $have_go)")
fi
command -v "${CC:-cc}" >/dev/null || missing+=("a C compiler (${CC:-cc}; Debian: gcc)")
command -v "${CXX:-c++}" >/dev/null || missing+=("a C++ compiler (${CXX:-c++}; Debian: g++)")
if ! command -v python3 >/dev/null; then
    missing+=("Python >= 3.9")
else
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' || missing+=("Python >= 3.9 (found $(python3 -V 2>&1))")
    python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=("Python's venv and ensurepip modules (Debian: python3-venv)")
fi
if ! command -v node >/dev/null; then
    missing+=("Node.js >= 20")
else
    major="$(node -p 'process.versions.node.split(".")[0]')"
    [ "$major" -ge 20 ] || missing+=("Node.js >= 20 (found $(node --version))")
fi
command -v npm >/dev/null || missing+=("npm")
command -v curl >/dev/null || missing+=("curl")

if [ ${#missing[@]} -gt 0 ]; then
    echo "make test needs:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
fi
