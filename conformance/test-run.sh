#!/usr/bin/env bash
# test-run.sh — tests of conformance/run.sh's verdicts: a client that crashes
# after doing its work (exit 3), one that hangs, and one that exits 0 having
# done nothing must each fail the scenario, with the reason named; the real
# client must pass it (so a runner that fails everything fails this test).
# Run by make test (make test-conformance-runner).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SCENARIO=auth/metadata-default

make -C "$ROOT" --no-print-directory lib
cc -std=c11 -Wall -Wextra -Werror -O2 -I"$ROOT/include" "$ROOT/conformance/client.c" \
    -L"$BUILD" -lmcp_oauth -Wl,-rpath,"$BUILD" -o "$WORK/client"

fake() { # name, body: a client script
    printf '#!/bin/sh\n%s\n' "$2" > "$WORK/$1"
    chmod +x "$WORK/$1"
}
fake crash "\"$WORK/client\" \"\$@\"; exit 3"
fake hang 'exec sleep 600'
fake idle 'exit 0'
fake real "exec \"$WORK/client\" \"\$@\""

failures=0
# expect <client> <want rc: 0|fail> <text the output must contain>
expect() {
    local client=$1 want=$2 text=$3 rc=0 out
    out=$(CONFORMANCE_CLIENT="$WORK/$client" CONFORMANCE_SCENARIOS=$SCENARIO \
        CONFORMANCE_TIMEOUT_MS=3000 CONFORMANCE_OUT="$WORK/out-$client" \
        "$ROOT/conformance/run.sh" 2>&1) || rc=$?
    if { [ "$want" = 0 ] && [ "$rc" -ne 0 ]; } || { [ "$want" = fail ] && [ "$rc" -eq 0 ]; } \
        || ! grep -qF -- "$text" <<< "$out"; then
        echo "FAIL: $client client: exit status $rc (want $want), output lacks \"$text\":"
        sed 's/^/    /' <<< "$out"
        failures=$((failures + 1))
    else
        echo "ok: $client client: $(tail -n1 <<< "$out")"
    fi
}
expect crash fail "client exited with code 3"
expect hang fail "client timed out"
expect idle fail "no successful check"
expect real 0 "✓ $SCENARIO"
[ "$failures" -eq 0 ]
