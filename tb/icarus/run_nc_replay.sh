#!/usr/bin/env bash
# Icarus replay of one null-cache configuration: dump the golden vectors (nc_regress
# --dump-icarus: golden model + documented latencies), generate the RTL, compile it with
# tb/icarus/nc_replay_tb.v in Icarus and check it prints PASS.
#   run_nc_replay.sh <fusegen> <nc_regress> <workdir> <seed> <txns> [fusegen nullcache options]
# With REPLAY_LIBERTY=<file.lib> (and REPLAY_CELLS=<cells.v>) the RTL is first synthesized by
# Yosys onto that standard-cell library (synth -flatten, dfflibmap, abc -liberty; SYNTHESIS
# defined, so the simulation-only checks are left out) and the gate-level netlist, simulated
# with the cells' Verilog models, replays the same vectors: proof that synthesis did not change
# behaviour. REPLAY_MUTATE=1 (gate level only) swaps the netlist's first XOR2X1 cell for an
# XNOR2X1: the replay must then report MISMATCH and FAIL.
set -euo pipefail
fusegen=$1; regress=$2; dir=$3; seed=$4; txns=$5
shift 5  # the rest: configuration options of both the vector dump and the generator
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir" && mkdir -p "$dir"
"$regress" "$@" --dump-icarus "$dir" --seed "$seed" --txns "$txns"
"$fusegen" nullcache "$@" --name nc --out "$dir/rtl" >/dev/null
files=$(grep -v '^//' "$dir/rtl/nc.f" | grep '\.v$' | sed "s|^|$dir/rtl/|" | tr '\n' ' ')
if [ -n "${REPLAY_LIBERTY:-}" ]; then
  bash "$here/gate_netlist.sh" nc_top "$dir" $files
  cells=$REPLAY_CELLS
  files="$dir/netlist.v $cells"
  warn=""
else
  warn="-Wall"
fi
iverilog -g2005 $warn -I "$dir" -o "$dir/replay.vvp" "$here/nc_replay_tb.v" $files
cd "$dir"
vvp -n replay.vvp | tee replay.log
grep -q '^PASS' replay.log
