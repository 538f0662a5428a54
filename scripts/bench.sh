#!/usr/bin/env bash
# Runs every benchmark executable built from bench/*.cpp and prints their tables.
set -euo pipefail
build=${1:-build}
shopt -s nullglob
for src in bench/*.cpp; do
  name=$(basename "$src" .cpp)
  exe="$build/bench/$name"
  [ -x "$exe" ] || { echo "missing benchmark $exe" >&2; exit 1; }
  echo "=== $name"
  "$exe"
  echo
done
# Implementation flows (ASIC area/Fmax/power, iCE40, Xilinx counts): slow, see docs/flows.md.
echo "=== bench_flows (scripts/bench_flows.sh; FUSEGEN_BENCH_FLOWS=quick for a subset)"
bash scripts/bench_flows.sh "$build"
