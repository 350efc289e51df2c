#!/usr/bin/env bash
# run.sh — `make bench`: runs every benchmark against one test authorization
# server and prints a table (figure, ours, baseline, ratio, goal) of medians
# measured in this run; also writes it to bench/results/summary.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p bench/results
out=bench/results/summary.md

coproc AS { exec build/oauth-test-server -watch-stdin; }
read -r url <&"${AS[0]}"
trap 'exec {AS[1]}>&-; wait "$AS_PID" 2>/dev/null || true' EXIT

raw=$(mktemp)
build/bench_get_token "$url" >>"$raw"
go run ./bench/gobench "$url" >>"$raw"

median() { awk -v n="$1" '$1 == n { print $2 }' "$raw"; }
c_abi=$(median c_abi_get_token_cached)
go_core=$(median go_core_token_cached)
x_oauth2=$(median go_x_oauth2_reuse_token_source_cached)

{
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%F)"
  echo
  echo "| figure | ours (median) | baseline (median) | ratio | goal |"
  echo "|---|---|---|---|---|"
  awk -v c="$c_abi" -v x="$x_oauth2" 'BEGIN { printf "| cached get_token, C ABI (incl. string free) | %.0f ns | x/oauth2 ReuseTokenSource.Token(), Go: %.0f ns | %.2f | <= 1000 ns |\n", c, x, c / x }'
  awk -v g="$go_core" -v x="$x_oauth2" 'BEGIN { printf "| cached Token(), Go core | %.0f ns | x/oauth2 ReuseTokenSource.Token(), Go: %.0f ns | %.2f | - |\n", g, x, g / x }'
} | tee "$out"

for script in bindings/python/bench/bench_get_token.py; do
  if [ -f "$script" ]; then
    echo; bindings/python/run-tests.sh --install-only >/dev/null 2>&1 || true
    build/py-venv/bin/python "$script" | tee -a "$out"
  fi
done
if [ -f bindings/node/bench/get-token.js ]; then
  echo; (cd bindings/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  node bindings/node/bench/get-token.js | tee -a "$out"
fi
rm -f "$raw"
