#!/usr/bin/env bash
# Profiles the server under the mcp bench: one round of 15 s per path after 15 s of warm-up each, `perf record` for 10 s
# inside the REST round and again inside the MCP round, then server CPU per request by owner (bench/perf-owners.py).
# Usage: bash bench/profile-mcp.sh OUTDIR     (Release builds of the server and the bench first; perf installed)
set -euo pipefail
out=${1:?output directory}
mkdir -p "$out"
cd "$(dirname "$0")/.."
export BENCH_SERVER_DOTNET_PerfMapEnabled=1 BENCH_SERVER_DOTNET_EnableWriteXorExecute=0   # JIT-compiled frames resolve
dotnet bench/Portcullis.Bench/bin/Release/net10.0/Portcullis.Bench.dll mcp --clients 8 --seconds 15 --rounds 1 --warmup 15 >"$out/bench.txt" 2>&1 &
bench=$!
until grep -q "^mcp: " "$out/bench.txt" 2>/dev/null; do sleep 0.2; done
server=$(pgrep -P $bench -f portcullis.dll | head -1)
sleep 32   # both warm-ups, then 2 s into the REST round
perf record -F 499 -g -p "$server" -o "$out/rest.data" -- sleep 10 2>/dev/null
until grep -q "round 1 rest" "$out/bench.txt"; do sleep 0.2; done
sleep 2
perf record -F 499 -g -p "$server" -o "$out/mcp.data" -- sleep 10 2>/dev/null
wait $bench
cat "$out/bench.txt"
for path in rest mcp; do
  rate=$(grep "round 1 $path" "$out/bench.txt" | grep -o '[0-9]* requests/s' | awk '{print $1}')
  echo "== $path ($rate requests/s over the 10 recorded seconds)"
  perf script -i "$out/$path.data" 2>/dev/null | python3 bench/perf-owners.py "$((rate * 10))"
done
