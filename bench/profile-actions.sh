#!/usr/bin/env bash
# Profiles the server under the actions bench: 10 s of `perf record` inside the measured seconds, then server CPU per
# request by owner (bench/perf-owners.py). Extra arguments go to the bench, e.g. --store postgres.
# Usage: bash bench/profile-actions.sh OUTDIR [--store postgres]   (Release builds of the server and the bench; perf installed)
set -euo pipefail
out=${1:?output directory}
shift
mkdir -p "$out"
cd "$(dirname "$0")/.."
export BENCH_SERVER_DOTNET_PerfMapEnabled=1 BENCH_SERVER_DOTNET_EnableWriteXorExecute=0   # JIT-compiled frames resolve
dotnet bench/Portcullis.Bench/bin/Release/net10.0/Portcullis.Bench.dll actions --clients 8 --seconds 20 --warmup 15 "$@" >"$out/bench.txt" 2>&1 &
bench=$!
until grep -q "^actions: " "$out/bench.txt" 2>/dev/null; do sleep 0.2; done
server=$(pgrep -P $bench -f portcullis.dll | head -1)   # this bench's own server, never another one on the machine
sleep 20   # the warm-up, then 5 s into the measured seconds
perf record -F 499 -g -p "$server" -o "$out/actions.data" -- sleep 10 2>/dev/null
wait $bench
cat "$out/bench.txt"
rate=$(grep "^server: " "$out/bench.txt" | grep -o '[0-9]* requests/s' | awk '{print $1}')
echo "== actions ($rate requests/s over the 10 recorded seconds, taking the run's rate)"
perf script -i "$out/actions.data" 2>/dev/null | python3 bench/perf-owners.py "$((rate * 10))"
