#!/usr/bin/env bash
# Icarus replay of one small configuration: dump vectors with the scheduler + golden model,
# generate the RTL, compile it with the replay testbench in Icarus and check it prints PASS.
#   run_replay.sh <fusegen> <array_regress> <workdir> <rows> <cols> <ops> <seeds> [dw-mapping
#                 [array options: --no-stos, --data-width W, --acc-width W ...]]
# With REPLAY_LIBERTY=<file.lib> (and REPLAY_CELLS=<cells.v>) the RTL is first synthesized by
# Yosys onto that standard-cell library (synth -flatten, dfflibmap, abc -liberty) and the
# gate-level netlist, simulated with the cells' Verilog models, replays the same vectors: proof
# that synthesis did not change behaviour. REPLAY_MUTATE=1 (gate level only) swaps the netlist's
# first XOR2X1 cell for an XNOR2X1: the replay must then report MISMATCH and FAIL.
set -euo pipefail
fusegen=$1; regress=$2; dir=$3; rows=$4; cols=$5; ops=$6; seeds=$7; map=${8:-stos}
shift $(( $# < 8 ? $# : 8 ))  # the rest: options of both the vector dump and the generator
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir" && mkdir -p "$dir"
"$regress" --rows "$rows" --cols "$cols" --ops "$ops" --seeds "$seeds" --dw-mapping "$map" \
  --dump-icarus "$dir" "$@"
"$fusegen" array --rows "$rows" --cols "$cols" "$@" --out "$dir/rtl"
files=$(sed -e '/^\/\//d' -e "s|^|$dir/rtl/|" "$dir/rtl/fusegen.f")
defines=""
for o in "$@"; do [ "$o" = "--no-stos" ] && defines="-DNO_STOS"; done  # plain OS: no mode/w ports
if [ -n "${REPLAY_LIBERTY:-}" ]; then
  bash "$here/gate_netlist.sh" fusegen_top "$dir" $files
  cells=$REPLAY_CELLS
  files="$dir/netlist.v $cells"
  warn=""
else
  warn="-Wall"
fi
iverilog -g2005 $warn $defines -I "$dir" -o "$dir/replay.vvp" "$here/array_replay_tb.v" $files
cd "$dir"
t0=$(date +%s.%N)
vvp -n replay.vvp | tee replay.log
t1=$(date +%s.%N)
echo "vvp seconds $(echo "$t1 - $t0" | bc -l 2>/dev/null || echo 0)" | tee -a replay.log
grep -q '^PASS' replay.log
