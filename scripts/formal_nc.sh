#!/usr/bin/env bash
# Formal check of a generated null cache with Yosys's SAT engine (tests/nullcache_formal.cmake).
#   formal_nc.sh FUSEGEN DIR DEPTH bmc|induct|mutant [fusegen nullcache options]
# Generates the null cache into DIR/rtl, reads it with the property harness tb/formal/nc_props.v
# (read_verilog -formal), and runs
#   bmc     sat -seq DEPTH -prove-asserts: every request stream of DEPTH cycles after one reset
#           cycle keeps P1/I6 and the RTL's own assertions; must prove (exit 0).
#   induct  sat -tempinduct -prove-asserts -maxsteps DEPTH: reports whether induction closes
#           (exit 0 either way: the result is printed, "induction: closed at N" or "not closed").
#   mutant  BMC of P1 alone (the harness signal p1_ok) with the store's non-zero flag cut
#           (NC_MUTANT); must find a counterexample (exit 0 when it does; it is printed).
# The configuration must have approx off (a fill is zero exactly when the line is all zero).
set -euo pipefail

fusegen=$1 dir=$2 depth=$3 mode=$4
shift 4
here=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "formal_nc: FAIL: $*" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
"$fusegen" nullcache "$@" --name fnc --out "$dir/rtl" >/dev/null || fail "fusegen nullcache $* failed"
# Geometry from the manifest: line-address width and fill-line width.
read -r law linew < <(python3 -c '
import json,sys
m=json.load(open(sys.argv[1]))
p={q["name"]:q for q in m["ports"]}
print(p["req_la_i"]["width"], p["req_line_i"]["width"])' "$dir/rtl/fnc.json")

defines="-DNC_TOP=fnc_top"
[ "$mode" = mutant ] && defines="$defines -DNC_MUTANT"
{
  for f in $(grep -v '^//' "$dir/rtl/fnc.f" | grep -v '^#' | grep '\.v$'); do
    echo "read_verilog -formal $defines $dir/rtl/$(basename "$f")"
  done
  echo "read_verilog -formal $defines $here/tb/formal/nc_props.v"
  echo "chparam -set LaW $law -set LineW $linew nc_props"
  echo "prep -top nc_props"
  echo "async2sync"
  echo "flatten"
  echo "opt_clean"
  if [ "$mode" = induct ]; then
    echo "sat -tempinduct -prove-asserts -maxsteps $depth -timeout 600 nc_props"
  elif [ "$mode" = mutant ]; then
    echo "sat -seq $depth -prove p1_ok 1 -show f_la,req_valid,req_op,req_la,req_nonzero,rsp_valid,rsp_hit -timeout 600 nc_props"
  else
    echo "sat -seq $depth -prove-asserts -timeout 600 nc_props"
  fi
} >"$dir/formal.ys"

log="$dir/formal.log"
yosys -q -l "$log" -s "$dir/formal.ys" >/dev/null 2>&1 || true
case $mode in
  bmc)
    grep -q "SUCCESS" "$log" || { tail -40 "$log" >&2; fail "BMC did not prove the properties to depth $depth ($*)"; }
    echo "formal_nc: bmc: proved to depth $depth ($*)"
    ;;
  mutant)
    grep -q "model found: FAIL" "$log" || { tail -40 "$log" >&2; fail "the mutant was not caught ($*)"; }
    echo "formal_nc: mutant: counterexample to P1 (p1_ok) found ($*)"
    sed -n '/model found: FAIL/,/^End of script/p' "$log" | grep -E '^ +[0-9]+ +\\(req_|rsp_)' || true
    ;;
  induct)
    if grep -q "SUCCESS" "$log"; then
      echo "formal_nc: induction: closed within $depth steps ($*)"
    elif grep -q "model found: FAIL\|Reached maximum number of time steps" "$log"; then
      echo "formal_nc: induction: not closed within $depth steps ($*)"
    else
      tail -40 "$log" >&2
      fail "induction run did not finish"
    fi
    ;;
  *) fail "unknown mode '$mode'" ;;
esac
