#!/usr/bin/env bash
# Gate-level netlist for the Icarus replays (run_replay.sh, run_nc_replay.sh):
#   gate_netlist.sh <top> <workdir> <rtl files...>
# synthesizes the RTL with Yosys onto the standard-cell library $REPLAY_LIBERTY (SYNTHESIS
# defined, so the simulation-only checks are left out; synth -flatten, dfflibmap, abc -liberty)
# into <workdir>/netlist.v, checks it holds library cells only and prints the chip area. With
# REPLAY_MUTATE set, the netlist's first XOR2X1 cell becomes an XNOR2X1 (the mutant a gate-level
# replay must catch). The caller simulates netlist.v with $REPLAY_CELLS.
set -euo pipefail
top=$1; dir=$2; shift 2
lib=${REPLAY_LIBERTY:?REPLAY_LIBERTY names the standard-cell library}
cells=${REPLAY_CELLS:?REPLAY_CELLS names the Verilog models of the cells in REPLAY_LIBERTY}
for f in "$lib" "$cells"; do [ -r "$f" ] || { echo "gate_netlist: cannot read '$f'" >&2; exit 1; }; done
{
  echo "read_verilog -DSYNTHESIS $*"
  echo "synth -flatten -top $top"
  echo "dfflibmap -liberty $lib"
  echo "abc -liberty $lib"
  echo "opt_clean"
  echo "stat -liberty $lib"
  echo "write_verilog -noattr -noexpr $dir/netlist.v"
} >"$dir/gate.ys"
yosys -q -l "$dir/gate.log" -s "$dir/gate.ys" >/dev/null
grep -q 'Chip area' "$dir/gate.log" || { echo "gate_netlist: synthesis failed, see $dir/gate.log" >&2; exit 1; }
# Library cells only: no generic Yosys cells left.
if grep -q '\$_' "$dir/netlist.v"; then echo "gate_netlist: generic cells in the netlist" >&2; exit 1; fi
grep 'Chip area' "$dir/gate.log" | head -1
if [ -n "${REPLAY_MUTATE:-}" ]; then
  grep -q '^ *XOR2X1 ' "$dir/netlist.v" || { echo "gate_netlist: nothing to mutate" >&2; exit 1; }
  sed -i '0,/^ *XOR2X1 /s//  XNOR2X1 /' "$dir/netlist.v"
  echo "gate_netlist: mutant: the first XOR2X1 cell is now an XNOR2X1"
fi
