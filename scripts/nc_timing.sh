#!/usr/bin/env bash
# Timing and area of a generated null cache on the OSU 0.18 um standard cells qflow ships:
# Yosys (synth -flatten, dfflibmap, abc -D onto the library) and OpenSTA (one clock on clk_i,
# inputs and outputs constrained to the clock with zero external delay).
#   nc_timing.sh FUSEGEN DIR PERIOD_NS [fusegen nullcache options]
# Writes DIR/rtl (the generated RTL), DIR/netlist.v, DIR/synth.log, DIR/sta.log and prints
# the chip area (um^2), the worst slack at PERIOD_NS and the resulting minimum period / Fmax.
# NC_LIB overrides the Liberty file (default: qflow's osu018_stdcells.lib).
set -euo pipefail
fusegen=$1 dir=$2 period=$3
shift 3
lib=${NC_LIB:-/usr/share/qflow/tech/osu018/osu018_stdcells.lib}
[ -r "$lib" ] || { echo "nc_timing: cannot read '$lib'" >&2; exit 1; }
rm -rf "$dir" && mkdir -p "$dir"
"$fusegen" nullcache "$@" --name nc --out "$dir/rtl" >/dev/null
files=$(grep -v '^//' "$dir/rtl/nc.f" | grep '\.v$' | sed "s|^|$dir/rtl/|" | tr '\n' ' ')
ps=$(awk -v p="$period" 'BEGIN { printf "%d", p * 1000 }')
printf 'set_driving_cell INVX1\nset_load 0.02\n' >"$dir/abc.constr"
cat >"$dir/synth.ys" <<YS
read_verilog -DSYNTHESIS $files
synth -flatten -top nc_top
dfflibmap -liberty $lib
abc -D $ps -liberty $lib -constr $dir/abc.constr
opt_clean -purge
stat -liberty $lib
write_verilog -noattr -noexpr $dir/netlist.v
YS
yosys -q -l "$dir/synth.log" -s "$dir/synth.ys" >/dev/null
cat >"$dir/sta.tcl" <<TCL
read_liberty $lib
read_verilog $dir/netlist.v
link_design nc_top
create_clock -name clk -period $period [get_ports clk_i]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk_i]]
set_output_delay 0 -clock clk [all_outputs]
report_checks -path_delay max -digits 3
report_worst_slack -digits 3
exit
TCL
sta "$dir/sta.tcl" >"$dir/sta.log" 2>&1
area=$(grep 'Chip area' "$dir/synth.log" | tail -1 | awk '{print $NF}')
wns=$(grep -E '^worst slack' "$dir/sta.log" | awk '{print $3}')
awk -v a="$area" -v w="$wns" -v p="$period" 'BEGIN {
  t = p - w; printf "area %s um^2, worst slack %.3f ns at %s ns: min period %.3f ns, Fmax %.1f MHz\n", a, w, p, t, 1000 / t }'
