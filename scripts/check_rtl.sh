#!/usr/bin/env bash
# Checks of the generated ST-OS array RTL, used by tests/array_rtl.cmake (CTest labels "rtl;array").
#   check_rtl.sh lint    FUSEGEN DIR [fusegen array options]  generate; verilator -Wall; iverilog
#   check_rtl.sh synth   FUSEGEN DIR [options]                generate; yosys <name>.ys (no latch)
#   check_rtl.sh determ  FUSEGEN DIR [options]                generate twice; identical bytes
#   check_rtl.sh smoke   FUSEGEN DIR stos|nostos              2x3 known-answer run in Icarus
# Every mode exits non-zero with a message on the first failure.
set -euo pipefail

mode=$1 fusegen=$2 dir=$3
shift 3
fail() { echo "check_rtl: FAIL: $*" >&2; exit 1; }

generate() {  # generate DIR [options]; prints the configuration name
  local out=$1
  shift
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  "$fusegen" array "$@" --out "$out" || fail "fusegen array $* exited with $?"
  local f
  f=$(cd "$out" && ls ./*.f) || fail "no file list in $out"
  basename "$f" .f
}

case $mode in
  lint)
    name=$(generate "$dir" "$@")
    cd "$dir"
    verilator --lint-only -Wall --default-language 1364-2005 --top-module "${name}_top" \
      -F "$name.f" || fail "verilator --lint-only -Wall reported problems"
    # Icarus: Verilog-2005 only; -c reads the file list (comment lines are ignored).
    iverilog -g2005 -Wall -s "${name}_top" -o "$name.vvp" -c "$name.f" 2>iverilog.log \
      || { cat iverilog.log >&2; fail "iverilog -g2005 rejected the RTL"; }
    if grep -v "^$" iverilog.log | grep -q .; then
      cat iverilog.log >&2
      fail "iverilog -g2005 -Wall warned"
    fi
    echo "check_rtl: lint OK ($name: $*)"
    ;;
  synth)
    name=$(generate "$dir" "$@")
    cd "$dir"
    yosys -q -l yosys.log -s "$name.ys" >/dev/null 2>&1 \
      || { tail -20 yosys.log >&2; fail "yosys -s $name.ys failed (latch or synthesis error)"; }
    grep -q "Estimated number of transistors" "${name}_cmos.txt" \
      || fail "no stat -tech cmos estimate"
    grep -q "Number of cells" "${name}_area.txt" || fail "no area report ${name}_area.txt"
    [ -s "${name}_netlist.v" ] || fail "no netlist ${name}_netlist.v"
    # Yosys logs "No latch inferred for signal ..." for every combinational process output
    # (net arrays are lowered through processes); a real latch is "Latch inferred for ...".
    if grep -q "^Latch inferred for" yosys.log; then fail "yosys inferred a latch"; fi
    echo "check_rtl: synth OK ($name: $*)"
    ;;
  determ)
    generate "$dir/a" "$@" >/dev/null
    generate "$dir/b" "$@" >/dev/null
    diff -r "$dir/a" "$dir/b" >&2 || fail "two runs of fusegen array $* differ"
    echo "check_rtl: deterministic ($*)"
    ;;
  smoke)
    # 2 x 3 array, DataW 8, AccW 32. Hand-computed expectations (docs/array_protocol.md):
    #  GEMM fold, slices k = 0..2 at cycles 0..2 (H = 2): A = [1 2 3; 4 5 6],
    #  B = [1 0 2; 0 1 3; 1 1 -1]; Out = A B = [4 5 5; 10 11 17];
    #  rows at H + R + C + 1 + s = 8 + s: cycle 8 row 1, cycle 9 row 0.
    #  ST-OS tile, K = 3: row 0 x = 1 2 3 4 5, f = 1 2 3; row 1 x = -1 0 2 -3 7, f = 2 -1 1,
    #  x at cycles 4..8, taps at 6..8 (H = 8): y0 = 14 20 26, y1 = 0 -5 14, column j holds
    #  y[2 - j]; rows at H + R + 2 + s = 12 + s: cycle 12 row 1 = 14 -5 0, cycle 13 row 0 =
    #  26 20 14. (nostos: the GEMM fold only.)
    variant=$1
    opts=(--rows 2 --cols 3 --name smk)
    [ "$variant" = nostos ] && opts+=(--no-stos)
    generate "$dir" "${opts[@]}" >/dev/null
    cd "$dir"
    if [ "$variant" = nostos ]; then
      mode_port="" ; w_port="" ; expected_lines=2 ; nostos_flag=1
    else
      mode_port=".in_mode_i(mode)," ; w_port=".w_i(w)," ; expected_lines=4 ; nostos_flag=0
    fi
    cat >tb_smoke.v <<TB
\`timescale 1ns/1ps
module tb_smoke;
  reg clk = 1'b0, rst_n = 1'b0, en = 1'b0, last = 1'b0, keep = 1'b0, mode = 1'b0;
  reg [15:0] a = 16'd0, w = 16'd0;
  reg [23:0] b = 24'd0;
  wire v;
  wire [0:0] row;
  wire [95:0] d;
  smk_top dut(.clk_i(clk), .rst_ni(rst_n), .in_en_i(en), .in_last_i(last), .in_keep_i(keep),
    $mode_port .a_i(a), .b_i(b), $w_port .out_valid_o(v), .out_row_o(row), .out_data_o(d));
  integer cyc;
  task drive(input integer c);
    begin
      en = 0; last = 0; keep = 0; mode = 0; a = 0; b = 0; w = 0;
      case (c)
        0: begin en = 1; a = {8'sd4, 8'sd1}; b = {8'sd2, 8'sd0, 8'sd1}; end
        1: begin en = 1; a = {8'sd5, 8'sd2}; b = {8'sd3, 8'sd1, 8'sd0}; end
        2: begin en = 1; last = 1; a = {8'sd6, 8'sd3}; b = {-8'sd1, 8'sd1, 8'sd1}; end
        4: a = {-8'sd1, 8'sd1};
        5: a = {8'sd0, 8'sd2};
        6: begin a = {8'sd2, 8'sd3}; en = 1; mode = 1; w = {8'sd2, 8'sd1}; end
        7: begin a = {-8'sd3, 8'sd4}; en = 1; mode = 1; w = {-8'sd1, 8'sd2}; end
        8: begin a = {8'sd7, 8'sd5}; en = 1; mode = 1; last = 1; w = {8'sd1, 8'sd3}; end
        default: ;
      endcase
      if ($nostos_flag && mode) begin en = 0; last = 0; end
    end
  endtask
  always #5 clk = ~clk;
  initial begin
    #12 rst_n = 1'b1;
    for (cyc = 0; cyc < 24; cyc = cyc + 1) begin
      @(negedge clk);
      drive(cyc);
      #1;
      if (v) \$display("cycle %0d row %0d: %0d %0d %0d", cyc, row, \$signed(d[31:0]),
                       \$signed(d[63:32]), \$signed(d[95:64]));
    end
    \$finish;
  end
endmodule
TB
    iverilog -g2005 -s tb_smoke -o tb_smoke.vvp tb_smoke.v $(grep '\.v$' smk.f) \
      || fail "iverilog could not compile the smoke bench"
    vvp -n tb_smoke.vvp | grep '^cycle' >got.txt || true
    {
      echo "cycle 8 row 1: 10 11 17"
      echo "cycle 9 row 0: 4 5 5"
      if [ "$expected_lines" -eq 4 ]; then
        echo "cycle 12 row 1: 14 -5 0"
        echo "cycle 13 row 0: 26 20 14"
      fi
    } >expected.txt
    diff expected.txt got.txt >&2 || fail "smoke: outputs differ from the hand-computed ones"
    echo "check_rtl: smoke OK ($variant)"
    ;;
  *)
    fail "unknown mode '$mode' (lint, synth, determ, smoke)"
    ;;
esac
