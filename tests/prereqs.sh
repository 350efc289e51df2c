#!/usr/bin/env bash
# prereqs.sh — checks what `make test` needs before anything runs, and names
# everything that is missing at once (run by make's check-prereqs target).
#
# Needs: Go (at least go.mod's version), a C compiler with AddressSanitizer,
# a C++ compiler, curl (doc snippets), Python ≥ 3.9 with venv and ensurepip
# (Debian: python3-venv), Node ≥ 20 with npm, timeout (coreutils).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GO=${GO:-go}
CC=${CC:-cc}
CXX=${CXX:-c++}
missing=()

# version_ge A B: whether dotted version A ≥ B.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

want_go=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$ROOT/go.mod")
if ! command -v "$GO" >/dev/null; then
    missing+=("Go $want_go or newer (go.mod): no '$GO' command")
else
    have_go=$("$GO" env GOVERSION 2>/dev/null | sed 's/^go//')
    version_ge "${have_go:-0}" "$want_go" || missing+=("Go $want_go or newer (go.mod): '$GO' is go$have_go")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int main(void) { return 0; }\n' > "$tmp/t.c"
if ! command -v "$CC" >/dev/null; then
    missing+=("a C compiler: no '$CC' command")
elif ! "$CC" -fsanitize=address "$tmp/t.c" -o "$tmp/t" 2>/dev/null; then
    missing+=("AddressSanitizer for '$CC' (the C tests are built with -fsanitize=address; Debian: libasan in gcc)")
fi
command -v "$CXX" >/dev/null || missing+=("a C++ compiler (the header is compiled as C++17): no '$CXX' command (Debian: g++)")
command -v make >/dev/null || missing+=("make")
command -v curl >/dev/null || missing+=("curl (the doc snippets use it)")
command -v timeout >/dev/null || missing+=("timeout (coreutils)")

if ! command -v python3 >/dev/null; then
    missing+=("Python 3.9 or newer: no 'python3' command")
elif ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then
    missing+=("Python 3.9 or newer: python3 is $(python3 -c 'import platform; print(platform.python_version())')")
elif ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing+=("Python's venv with ensurepip (the Python tests make build/py-venv; Debian: python3-venv)")
fi

if ! command -v node >/dev/null; then
    missing+=("Node.js 20 or newer: no 'node' command")
elif ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
    missing+=("Node.js 20 or newer: node is $(node --version)")
fi
command -v npm >/dev/null || missing+=("npm (the Node tests and the conformance suite install packages with it)")

if [ ${#missing[@]} -gt 0 ]; then
    echo "make test cannot run; missing:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
fi
