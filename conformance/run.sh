#!/usr/bin/env bash
# run.sh — run the MCP conformance suite's client scenarios against
# conformance/client.c (libmcp_oauth through its C ABI).
#
# Usage: run.sh [--install-only] [--suite next|0.1]
#   next (default)  @modelcontextprotocol/conformance@0.2.0-alpha.12: every
#                   client scenario it lists (list --client)
#   0.1             @modelcontextprotocol/conformance@0.1.16: its auth/ client
#                   scenarios (the suite of MCP 2025-11-25)
#
# Installs, once, into build/tools/ (with npm): node@22 (the suite needs
# Node 22) and both versions of the suite (the newest under the npm alias
# conformance-next). Builds the client and runs the scenarios, each on its
# own (a few at a time), with results written to build/conformance[-0.1]/
# <scenario>/; prints ✓/✗ per scenario and a final line "N passed, M failed".
# Exits non-zero when a scenario failed.
#
# A scenario passes only when the suite's own single-scenario verdict passes
# (it fails a client that timed out or exited non-zero, unless the scenario
# expects the client to give up, and any FAILURE or WARNING check) and its
# checks.json holds at least one SUCCESS (conformance/checks.js). The suite's
# --suite mode is not used: its verdict ignores the client's exit status and
# time-outs.
#
# run.sh --install-only installs the tools and stops.
#
# Environment, for the runner's own test (conformance/test-run.sh):
#   CONFORMANCE_CLIENT     the client command instead of the built client
#   CONFORMANCE_SCENARIOS  space-separated scenarios instead of the suite's list
#   CONFORMANCE_TIMEOUT_MS the suite's time-out for the client (default 30000)
#   CONFORMANCE_OUT        the results folder instead of build/conformance
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
TOOLS=$BUILD/tools
TIMEOUT_MS=${CONFORMANCE_TIMEOUT_MS:-30000}
JOBS=${CONFORMANCE_JOBS:-6} # scenarios run at once: most of their time is spent waiting
NEXT_VERSION=0.2.0-alpha.12
OLD_VERSION=0.1.16
NODE_PACKAGE=node@22
CC=${CC:-cc}
MAKE=${MAKE:-make}

INSTALL_ONLY=
SUITE=next
while [ $# -gt 0 ]; do
    case $1 in
    --install-only) INSTALL_ONLY=1 ;;
    --suite) SUITE=${2:-}; shift ;;
    *) echo "usage: run.sh [--install-only] [--suite next|0.1]" >&2; exit 2 ;;
    esac
    shift
done
case $SUITE in
next) PACKAGE_DIR=conformance-next; OUT=${CONFORMANCE_OUT:-$BUILD/conformance}
    SCENARIO_PATTERN='[^ ]*' ;;
0.1) PACKAGE_DIR=@modelcontextprotocol/conformance; OUT=${CONFORMANCE_OUT:-$BUILD/conformance-0.1}
    SCENARIO_PATTERN='auth\/[^ ]*' ;;
*) echo "run.sh: unknown suite $SUITE (next or 0.1)" >&2; exit 2 ;;
esac

NODE=$TOOLS/node_modules/node/bin/node
CLI=$TOOLS/node_modules/$PACKAGE_DIR/dist/index.js

# --- tools -------------------------------------------------------------------
installed_version() { # package folder under node_modules -> its version, or nothing
    local f=$TOOLS/node_modules/$1/package.json
    [ -f "$f" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$f" | head -n1
}
if [ "$(installed_version @modelcontextprotocol/conformance)" != "$OLD_VERSION" ] \
    || [ "$(installed_version conformance-next)" != "$NEXT_VERSION" ] \
    || ! "$NODE" -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
    echo "installing $NODE_PACKAGE and @modelcontextprotocol/conformance@$OLD_VERSION,$NEXT_VERSION into $TOOLS"
    mkdir -p "$TOOLS"
    [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
        "$NODE_PACKAGE" "@modelcontextprotocol/conformance@$OLD_VERSION" \
        "conformance-next@npm:@modelcontextprotocol/conformance@$NEXT_VERSION"
fi
"$NODE" -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' \
    || { echo "run.sh: $NODE is not Node 22" >&2; exit 1; }
[ -z "$INSTALL_ONLY" ] || exit 0

# --- client ------------------------------------------------------------------
if [ -n "${CONFORMANCE_CLIENT:-}" ]; then
    CLIENT=$CONFORMANCE_CLIENT
else
    "$MAKE" -C "$ROOT" --no-print-directory lib
    "$CC" -std=c11 -Wall -Wextra -Werror -O2 -I"$ROOT/include" "$ROOT/conformance/client.c" \
        -L"$BUILD" -lmcp_oauth -Wl,-rpath,"$BUILD" -o "$BUILD/conformance-client-$SUITE"
    CLIENT=$BUILD/conformance-client-$SUITE # one per suite: make test runs both at once
fi

# --- scenarios -----------------------------------------------------------------
if [ -n "${CONFORMANCE_SCENARIOS:-}" ]; then
    read -r -a SCENARIOS <<< "$CONFORMANCE_SCENARIOS"
else
    # "  - auth/metadata-default [2025-11-25]" -> auth/metadata-default
    mapfile -t SCENARIOS < <("$NODE" "$CLI" list --client | sed -n "s/^ *- \\($SCENARIO_PATTERN\\).*/\\1/p")
fi
[ ${#SCENARIOS[@]} -gt 0 ] || { echo "run.sh: the suite lists no client scenario" >&2; exit 1; }

dir_of() { echo "$OUT/${1//\//_}"; }

# run_one <scenario>: runs it and writes "ok", or why it failed, to its
# folder's verdict file.
run_one() {
    local scenario=$1 dir status=0 code reasons=()
    dir=$(dir_of "$1")
    mkdir -p "$dir"
    # The suite kills a client that outlives TIMEOUT_MS. It starts the
    # command with a shell and kills that shell, so "exec" makes the client
    # the process it kills (else the client lives on, holding the suite's
    # pipes open, and the suite waits for it). The outer timeout only keeps
    # the runner from hanging should the suite itself hang.
    PATH="$(dirname "$NODE"):$PATH" timeout -k 5 $((TIMEOUT_MS / 1000 + 60)) \
        "$NODE" "$CLI" client --command "exec $CLIENT" --scenario "$scenario" \
        --timeout "$TIMEOUT_MS" -o "$dir" > "$dir/log" 2>&1 || status=$?
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        reasons+=("the suite itself hung")
    elif [ "$status" -ne 0 ]; then
        reasons+=("suite verdict: exit status $status")
        if grep -q '^Client timed out' "$dir/log"; then
            reasons+=("client timed out")
        fi
        code=$(sed -n 's/^Client exited with code \(-\{0,1\}[0-9]*\).*/\1/p' "$dir/log" | head -n1)
        if [ -n "$code" ]; then
            reasons+=("client exited with code $code")
        fi
    fi
    mapfile -t -O ${#reasons[@]} reasons < <("$NODE" "$ROOT/conformance/checks.js" "$dir")
    if [ ${#reasons[@]} -eq 0 ]; then
        echo ok > "$dir/verdict"
    else
        (IFS=,; echo "${reasons[*]}" | sed 's/,/, /g') > "$dir/verdict"
    fi
}

# --- run -------------------------------------------------------------------------
rm -rf "$OUT"
mkdir -p "$OUT"
running=0
for scenario in "${SCENARIOS[@]}"; do
    run_one "$scenario" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

passed=0
failed=0
for scenario in "${SCENARIOS[@]}"; do
    dir=$(dir_of "$scenario")
    verdict=$(cat "$dir/verdict" 2>/dev/null || echo "no verdict")
    if [ "$verdict" = ok ]; then
        echo "✓ $scenario"
        passed=$((passed + 1))
    else
        echo "✗ $scenario  ($verdict; see $dir/log)"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
