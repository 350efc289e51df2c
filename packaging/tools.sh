#!/usr/bin/env bash
# Installs what `make dist` and `make dist-test` need and the machine may lack.
#
#   packaging/tools.sh            a virtualenv build/tools/venv with pinned PyPI
#                                 packages: ziglang (zig, the C compiler and
#                                 linker of the cgo cross builds), auditwheel,
#                                 setuptools and build (the Python packages);
#                                 links build/tools/zig to its zig.
#   packaging/tools.sh --system   Debian packages for running the artifacts:
#                                 qemu-user, libc6-arm64-cross and
#                                 libstdc++6-arm64-cross (the aarch64 builds and
#                                 Node under qemu-aarch64), wine64 (the Windows
#                                 builds), pkg-config. Installed with apt-get when
#                                 missing and running as root; otherwise names
#                                 what is missing and fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/build/tools"

# The pins. Raising one is a change to review: the zig version decides the
# glibc 2.17 and MinGW headers and libraries the cross builds link against.
PY_PINS=(ziglang==0.17.1 auditwheel==6.8.2 setuptools==84.2.1 build==1.6.1)
DEBIAN_PACKAGES=(qemu-user libc6-arm64-cross libstdc++6-arm64-cross wine64 pkg-config)

system() {
    local missing=()
    command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
    [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing+=(libc6-arm64-cross)
    [ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || missing+=(libstdc++6-arm64-cross)
    [ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null || missing+=(wine64)
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "tools.sh: installing ${missing[*]} (apt-get)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "tools.sh: missing Debian packages: ${missing[*]} (as root: apt-get install ${DEBIAN_PACKAGES[*]})" >&2
        exit 1
    fi
}

python_tools() {
    local stamp="$tools/venv/.pins" want
    want="${PY_PINS[*]}"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$tools/zig" ]; then
        return 0
    fi
    mkdir -p "$tools"
    [ -x "$tools/venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$tools/venv"
    "$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_PINS[@]}"
    local zig
    zig="$("$tools/venv/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
    ln -sfn "$zig" "$tools/zig"
    "$tools/zig" version >/dev/null
    echo "$want" >"$stamp"
}

case "${1:-}" in
--system) system ;;
"") python_tools ;;
*) echo "usage: $0 [--system]" >&2; exit 2 ;;
esac
