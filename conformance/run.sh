#!/usr/bin/env bash
# run.sh — run the MCP conformance suite's authorization scenarios against
# conformance/client.c (libmcp_oauth through its C ABI).
#
# Installs, once, into build/tools/ (with npm): node@22 (the suite needs
# Node 22) and @modelcontextprotocol/conformance@0.1.16. Builds the client and
# runs every auth/ client scenario the suite lists, each on its own (a few at
# a time), with results written to build/conformance/<scenario>/; prints ✓/✗
# per scenario and a final line "N passed, M failed". Exits non-zero when a
# scenario failed.
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
#   CONFORMANCE_SCENARIOS  space-separated scenarios instead of every auth/ one
#   CONFORMANCE_TIMEOUT_MS the suite's time-out for the client (default 30000)
#   CONFORMANCE_OUT        the results folder instead of build/conformance
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
TOOLS=$BUILD/tools
OUT=${CONFORMANCE_OUT:-$BUILD/conformance}
TIMEOUT_MS=${CONFORMANCE_TIMEOUT_MS:-30000}
JOBS=4 # scenarios run at once: most of their time is spent waiting
CONFORMANCE_VERSION=0.1.16
NODE_PACKAGE=node@22
CC=${CC:-cc}
MAKE=${MAKE:-make}

NODE=$TOOLS/node_modules/node/bin/node
CLI=$TOOLS/node_modules/@modelcontextprotocol/conformance/dist/index.js

# --- tools -------------------------------------------------------------------
installed_version() { # package.json path -> its version, or nothing
    [ -f "$1" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$1" | head -n1
}
if [ "$(installed_version "$TOOLS/node_modules/@modelcontextprotocol/conformance/package.json")" != "$CONFORMANCE_VERSION" ] \
    || ! "$NODE" -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
    echo "installing $NODE_PACKAGE and @modelcontextprotocol/conformance@$CONFORMANCE_VERSION into $TOOLS"
    mkdir -p "$TOOLS"
    [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
        "$NODE_PACKAGE" "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION"
fi
"$NODE" -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' \
    || { echo "run.sh: $NODE is not Node 22" >&2; exit 1; }
[ "${1:-}" != --install-only ] || exit 0

# --- client ------------------------------------------------------------------
if [ -n "${CONFORMANCE_CLIENT:-}" ]; then
    CLIENT=$CONFORMANCE_CLIENT
else
    "$MAKE" -C "$ROOT" --no-print-directory lib
    "$CC" -std=c11 -Wall -Wextra -Werror -O2 -I"$ROOT/include" "$ROOT/conformance/client.c" \
        -L"$BUILD" -lmcp_oauth -Wl,-rpath,"$BUILD" -o "$BUILD/conformance-client"
    CLIENT=$BUILD/conformance-client
fi

# --- scenarios -----------------------------------------------------------------
if [ -n "${CONFORMANCE_SCENARIOS:-}" ]; then
    read -r -a SCENARIOS <<< "$CONFORMANCE_SCENARIOS"
else
    # "  - auth/metadata-default [2025-11-25]" -> auth/metadata-default
    mapfile -t SCENARIOS < <("$NODE" "$CLI" list --client | sed -n 's/^ *- \(auth\/[^ ]*\).*/\1/p')
fi
[ ${#SCENARIOS[@]} -gt 0 ] || { echo "run.sh: the suite lists no auth/ scenario" >&2; exit 1; }

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
