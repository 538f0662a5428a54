#!/usr/bin/env bash
# Checks of the generated ST-OS array RTL, used by tests/array_rtl.cmake (CTest labels "rtl;array").
#   check_rtl.sh lint    FUSEGEN DIR [fusegen array options]  generate; verilator -Wall; iverilog
#   check_rtl.sh synth   FUSEGEN DIR [options]                generate; yosys <name>.ys (no latch)
#   check_rtl.sh determ  FUSEGEN DIR [options]                generate twice; identical bytes
#   check_rtl.sh smoke   FUSEGEN DIR stos|nostos              2x3 known-answer run in Icarus
#   check_rtl.sh anydir  FUSEGEN DIR array|nullcache PARAM [options]
#                        generate, then from another directory run the README's Verilator,
#                        Icarus and Yosys commands, and check that an override of the size
#                        parameter PARAM (-GPARAM=...) is rejected by Verilator
#   check_rtl.sh violate FUSEGEN DIR array|nullcache          provoke one protocol violation in
#                        Icarus: the RTL's ERROR report on stderr, the simulation stops there
# lint, synth and determ generate `fusegen array` RTL, or the block named by $FUSEGEN_BLOCK
# (e.g. accel). Every mode exits non-zero with a message on the first failure.
set -euo pipefail

mode=$1 fusegen=$2 dir=$3
shift 3
fail() { echo "check_rtl: FAIL: $*" >&2; exit 1; }

generate() {  # generate DIR [options]; prints the configuration name
  generate_block "${FUSEGEN_BLOCK:-array}" "$@"
}

generate_block() {  # generate_block array|nullcache DIR [options]; prints the name
  local block=$1 out=$2
  shift 2
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  "$fusegen" "$block" "$@" --out "$out" >/dev/null || fail "fusegen $block $* exited with $?"
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
    #  rows at H + I + R + C + M + s = 7 + I + M + s: with M = 1 MAC stage and no input stage
    #  (I = 0) cycle 8 row 1, cycle 9 row 0; each further MAC stage (--mac-stages M) and the
    #  input stage (--bcast-group G > 0: I = 1) one cycle later.
    #  ST-OS tile, K = 3: row 0 x = 1 2 3 4 5, f = 1 2 3; row 1 x = -1 0 2 -3 7, f = 2 -1 1,
    #  x at cycles 4..8, taps at 6..8 (H = 8): y0 = 14 20 26, y1 = 0 -5 14, column j holds
    #  y[2 - j]; rows at H + I + R + 1 + M + s = 11 + I + M + s: with M = 1, I = 0 cycle 12
    #  row 1 = 14 -5 0, cycle 13 row 0 = 26 20 14. (nostos: the GEMM fold only.)
    #  Arguments: variant (stos|nostos), MAC stages M (default 1), reset style (default async),
    #  broadcast group G (default 0; G = 1 or 2 gives 3 or 2 broadcast register copies per row).
    variant=$1; m=${2:-1}; reset=${3:-async}; g=${4:-0}
    im=$(( m + (g > 0 ? 1 : 0) ))  # I + M: every output cycle below is offset by it
    opts=(--rows 2 --cols 3 --name smk --mac-stages "$m" --reset "$reset" --bcast-group "$g")
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
      echo "cycle $((7 + im)) row 1: 10 11 17"
      echo "cycle $((8 + im)) row 0: 4 5 5"
      if [ "$expected_lines" -eq 4 ]; then
        echo "cycle $((11 + im)) row 1: 14 -5 0"
        echo "cycle $((12 + im)) row 0: 26 20 14"
      fi
    } >expected.txt
    diff expected.txt got.txt >&2 || fail "smoke: outputs differ from the hand-computed ones"
    echo "check_rtl: smoke OK ($variant)"
    ;;
  anydir)
    block=$1 param=$2
    shift 2
    name=$(generate_block "$block" "$dir/rtl" "$@")
    top="${name}_top"
    mkdir -p "$dir/elsewhere"
    cd "$dir/elsewhere"  # not the output directory: every path below goes through DIR
    d=../rtl
    grep -qF -- "-F DIR/$name.f" "$d/README.md" || fail "README does not show verilator -F DIR/$name.f"
    grep -qF -- "-y DIR DIR/$top.v" "$d/README.md" || fail "README does not show iverilog -y DIR"
    grep -qF -- "(cd DIR && yosys -q -s $name.ys)" "$d/README.md" || fail "README: no yosys command"
    verilator --lint-only -Wall --default-language 1364-2005 --top-module "$top" -F "$d/$name.f" \
      || fail "verilator -F $d/$name.f failed from another directory"
    iverilog -g2005 -Wall -s "$top" -o "$name.vvp" -y "$d" "$d/$top.v" 2>iverilog.log \
      || { cat iverilog.log >&2; fail "iverilog -y $d failed from another directory"; }
    if grep -q . iverilog.log; then cat iverilog.log >&2; fail "iverilog -Wall warned"; fi
    (cd "$d" && yosys -q -s "$name.ys" >/dev/null) || fail "(cd $d && yosys -s $name.ys) failed"
    [ -s "$d/${name}_area.txt" ] || fail "yosys wrote no $d/${name}_area.txt"
    # A size override must not lint clean (the sizes are localparams).
    if verilator --lint-only -Wall --default-language 1364-2005 --top-module "$top" \
         -F "$d/$name.f" "-G$param=16" >override.log 2>&1; then
      fail "verilator accepted -G$param=16"
    fi
    grep -q "Parameters from the command line were not found in the design: $param" override.log \
      || { cat override.log >&2; fail "-G$param=16 was not rejected as an unknown parameter"; }
    echo "check_rtl: $block commands work from another directory; -G$param=16 rejected"
    ;;
  violate)
    block=$1
    if [ "$block" = array ]; then
      # 2 x 3 GEMM folds handed off at cycles 0 and 1 (rule 2 wants R = 2 cycles apart): PE
      # (1, 0) writes the second hand-off at edge 0 + 1 + 1 + 0 + 1 = 3, when column 0 drains
      # its first step (H + R + 1 + j = 3): the hand-off lands on a drain shift.
      generate_block array "$dir" --rows 2 --cols 3 --name vio >/dev/null
      dut="vio_top dut(.clk_i(clk), .rst_ni(rst_n), .in_en_i(en), .in_last_i(en), .in_keep_i(1'b0),
        .in_mode_i(1'b0), .a_i(16'd0), .b_i(24'd0), .w_i(16'd0), .out_valid_o(), .out_row_o(),
        .out_data_o());"
      stim="en = (cyc < 2);"
      expect="dut.u_array.g_row\[1\].g_col\[0\].u_pe: ERROR: protocol violation: hand-off during a drain shift"
    else
      # Two TCAM entries that both hold line address 5 (state deposited behind the RTL's back:
      # no request sequence can break invariant I3), then a lookup of 5.
      generate_block nullcache "$dir" --entries 8 --addr-width 12 --name vio >/dev/null
      dut="vio_top dut(.clk_i(clk), .rst_ni(rst_n), .req_valid_i(en), .req_ready_o(),
        .req_op_i(3'd0), .req_la_i(7'd5), .req_touch_i(1'b0), .req_nonzero_i(1'b0),
        .req_line_i(256'd0), .rsp_valid_o(), .rsp_hit_o(), .rsp_idx_o(), .rsp_zero_o(),
        .rsp_approx_o(), .rsp_merged_o(), .rsp_cascade_o(), .rsp_evicted_o(), .rsp_inval_o(),
        .rsp_split_o(), .rsp_new_o());"
      stim="if (cyc == 0) begin dut.u_tcam.valid_q = 8'b11; dut.u_tcam.val_q = {42'd0, 7'd5, 7'd5};
          dut.u_tcam.care_q = {42'd0, 14'h3fff}; end
        en = (cyc == 1);"
      expect="dut: ERROR: protocol violation: several entries match line address 05 (I3)"
    fi
    cd "$dir"
    cat >tb_violate.v <<TB
module tb_violate;
  reg clk = 1'b0, rst_n = 1'b0, en = 1'b0;
  integer cyc;
  $dut
  always #5 clk = ~clk;
  initial begin
    #12 rst_n = 1'b1;
    for (cyc = 0; cyc < 12; cyc = cyc + 1) begin
      @(negedge clk);
      $stim
    end
    \$display("NOT STOPPED");
    \$finish;
  end
endmodule
TB
    iverilog -g2005 -s tb_violate -o tb_violate.vvp -y . tb_violate.v \
      || fail "iverilog could not compile the violation bench"
    vvp -n tb_violate.vvp >stdout.log 2>stderr.log || true
    grep -q "NOT STOPPED" stdout.log && fail "the $block violation did not stop the simulation"
    grep -q "^tb_violate\.$expect" stderr.log \
      || { cat stdout.log stderr.log >&2; fail "no '$expect' report on stderr"; }
    echo "check_rtl: $block violation reported and fatal: $(head -1 stderr.log)"
    ;;
  *)
    fail "unknown mode '$mode' (lint, synth, determ, smoke, anydir, violate)"
    ;;
esac
