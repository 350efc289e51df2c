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
  row() { awk -v n="$1" '$1 == n' "$raw"; }
  read -r _ s_cold_o s_exp_o <<<"$(row stampede_ours)"; read -r _ s_cold_p s_exp_p <<<"$(row stampede_x_oauth2)"
  echo "| 1,000 concurrent callers, cold cache / right after expiry: token requests | $s_cold_o / $s_exp_o | x/oauth2 ReuseTokenSource: $s_cold_p / $s_exp_p (its mutex serialises every caller) | - | exactly 1 |"
  read -r _ sl_o <<<"$(row short_lifetime_ours)"; read -r _ sl_p <<<"$(row short_lifetime_x_oauth2)"
  echo "| 5 s tokens, 1,000 sequential calls: token requests | $sl_o | x/oauth2 ReuseTokenSource (10 s early expiry): $sl_p | - | 1 per token lifetime |"
  for who in floor ours x_oauth2; do
    read -r _ p50 p99 mx slow calls reqs <<<"$(row refresh_latency_$who)"
    eval "rl_$who=\"p50 \$p50 µs, p99 \$p99 µs, max \$((mx / 1000)) ms, \$slow of \$calls calls ≥ 100 ms, \$reqs token requests\""
  done
  echo "| 8 callers for 10 s, 3 s tokens, token endpoint 200 ms slow: caller latency | $rl_ours | x/oauth2 ReuseTokenSource: $rl_x_oauth2; an empty call in the same loop (scheduler noise): $rl_floor | - | no call waits for the endpoint |"
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
