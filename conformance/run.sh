#!/usr/bin/env bash
# run.sh — run the MCP conformance suite's authorization scenarios against
# conformance/client.c (libmcp_oauth through its C ABI).
#
# Installs, once, into build/tools/ (with npm): node@22 (the suite needs
# Node 22) and @modelcontextprotocol/conformance@0.1.16. Builds the client,
# runs the suites auth, backcompat, draft and extensions with checks written
# to build/conformance/<suite>/, prints ✓/✗ per scenario and a final line
# "N passed, M failed". Exits non-zero when a scenario failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
TOOLS=$BUILD/tools
OUT=$BUILD/conformance
CONFORMANCE_VERSION=0.1.16
NODE_PACKAGE=node@22
SUITES=(auth backcompat draft extensions)
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

# --- client ------------------------------------------------------------------
"$MAKE" -C "$ROOT" --no-print-directory lib
"$CC" -std=c11 -Wall -Wextra -Werror -O2 -I"$ROOT/include" "$ROOT/conformance/client.c" \
    -L"$BUILD" -lmcp_oauth -Wl,-rpath,"$BUILD" -o "$BUILD/conformance-client"

# --- suites ------------------------------------------------------------------
passed=0
failed=0
rm -rf "$OUT"
for suite in "${SUITES[@]}"; do
    mkdir -p "$OUT/$suite"
    # The suite's exit status says whether any scenario failed; the verdict
    # per scenario is read from its checks.json below.
    PATH="$(dirname "$NODE"):$PATH" "$NODE" "$CLI" client \
        --command "$BUILD/conformance-client" --suite "$suite" -o "$OUT/$suite" \
        > "$OUT/$suite.log" 2>&1 || true
    # One line per scenario: "<name> ok" or "<name> <failing check ids>".
    verdicts=$("$NODE" - "$OUT/$suite" <<'EOF'
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const found = [];
(function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'checks.json') found.push(p);
    }
})(dir);
for (const file of found.sort()) {
    // The folder is <scenario with / replaced>-<timestamp>; the scenario name
    // is taken from the folder, the timestamp dropped.
    const scenario = path.relative(dir, path.dirname(file)).replace(/-\d{4}-\d\d-\d\dT[\d-]+Z?$/, '');
    let bad;
    try {
        const checks = JSON.parse(fs.readFileSync(file, 'utf8'));
        bad = checks.filter(c => c.status === 'FAILURE' || c.status === 'WARNING')
                    .map(c => `${c.id}:${c.status}`);
    } catch (e) {
        bad = ['unreadable-checks.json'];
    }
    console.log(`${scenario} ${bad.length ? bad.join(',') : 'ok'}`);
}
EOF
)
    # The suite announces "Running <suite> suite (N scenarios)": a scenario
    # that left no checks.json is a failure too.
    announced=$(sed -n 's/.*suite (\([0-9][0-9]*\) scenarios).*/\1/p' "$OUT/$suite.log" | head -n1)
    reported=$(printf '%s' "$verdicts" | grep -c . || true)
    if [ -z "$announced" ]; then
        echo "✗ suite $suite did not run (see $OUT/$suite.log)"
        failed=$((failed + 1))
    elif [ "$reported" -lt "$announced" ]; then
        echo "✗ suite $suite: $reported results for $announced scenarios (see $OUT/$suite.log)"
        failed=$((failed + announced - reported))
    fi
    [ -n "$verdicts" ] || continue
    while read -r scenario verdict; do
        if [ "$verdict" = ok ]; then
            echo "✓ $scenario"
            passed=$((passed + 1))
        else
            echo "✗ $scenario  ($verdict)"
            failed=$((failed + 1))
        fi
    done <<< "$verdicts"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
