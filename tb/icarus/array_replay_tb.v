// Icarus replay testbench of a generated ST-OS array (testbench-only Verilog-2005).
// Reads per-cycle stimulus and expected output words written by
// `array_regress --dump-icarus DIR` (scheduler + golden model) with $readmemh, drives the
// array's ports cycle by cycle and compares out_valid_o / out_row_o / out_data_o (under the
// per-column mask of results that matter) in every cycle. Prints PASS or the first mismatch.
// Compile: iverilog -g2005 -I DIR -o sim array_replay_tb.v <rtl files>; run from DIR.
`timescale 1ns / 1ps
module array_replay_tb;
  `include "tb_params.vh"
  localparam integer StimW = TbRows * TbDataW * 2 + TbCols * TbDataW + 4;
  localparam integer ExpW  = TbCols * TbAccW + TbCols + TbRowW + 1;

  reg clk_i = 1'b0;
  reg rst_ni = 1'b0;
  reg [StimW-1:0] stim [0:TbCycles-1];
  reg [ExpW-1:0]  expv [0:TbCycles-1];
  reg [StimW-1:0] s;
  reg [ExpW-1:0]  e;

  wire [TbRows*TbDataW-1:0] a_i = s[TbRows*TbDataW-1:0];
  wire [TbCols*TbDataW-1:0] b_i = s[TbRows*TbDataW +: TbCols*TbDataW];
  wire [TbRows*TbDataW-1:0] w_i = s[TbRows*TbDataW + TbCols*TbDataW +: TbRows*TbDataW];
  wire in_en_i   = s[StimW-4];
  wire in_last_i = s[StimW-3];
  wire in_keep_i = s[StimW-2];
  wire in_mode_i = s[StimW-1];

  wire                     out_valid_o;
  wire [TbRowW-1:0]        out_row_o;
  wire [TbCols*TbAccW-1:0] out_data_o;

  fusegen_top u_dut (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .in_en_i    (in_en_i),
    .in_last_i  (in_last_i),
    .in_keep_i  (in_keep_i),
`ifndef NO_STOS
    .in_mode_i  (in_mode_i),
    .w_i        (w_i),
`endif
    .a_i        (a_i),
    .b_i        (b_i),
    .out_valid_o(out_valid_o),
    .out_row_o  (out_row_o),
    .out_data_o (out_data_o)
  );

  always #5 clk_i = ~clk_i;

  integer u;
  integer c;
  integer errors;
  reg exp_valid;
  reg [TbRowW-1:0] exp_row;
  reg [TbCols-1:0] mask;
  initial begin
    $readmemh("stim.hex", stim);
    $readmemh("exp.hex", expv);
    errors = 0;
    s = {StimW{1'b0}};
    repeat (3) @(negedge clk_i);
    rst_ni = 1'b1;
    for (u = 0; u < TbCycles; u = u + 1) begin
      // Mid-cycle (clock low): present cycle u's inputs, check cycle u's registered outputs.
      s = stim[u];
      e = expv[u];
      #1;
      exp_valid = e[ExpW-1];
      exp_row = e[TbCols*TbAccW + TbCols +: TbRowW];
      mask = e[TbCols*TbAccW +: TbCols];
      if (out_valid_o !== exp_valid) begin
        if (errors == 0)
          $display("MISMATCH cycle %0d: out_valid_o = %b, expected %b", u, out_valid_o, exp_valid);
        errors = errors + 1;
      end else if (exp_valid) begin
        if (out_row_o !== exp_row) begin
          if (errors == 0)
            $display("MISMATCH cycle %0d: out_row_o = %0d, expected %0d", u, out_row_o, exp_row);
          errors = errors + 1;
        end
        for (c = 0; c < TbCols; c = c + 1)
          if (mask[c] && out_data_o[c*TbAccW +: TbAccW] !== e[c*TbAccW +: TbAccW]) begin
            if (errors == 0)
              $display("MISMATCH cycle %0d row %0d col %0d: got %0d, expected %0d", u, exp_row, c,
                       $signed(out_data_o[c*TbAccW +: TbAccW]), $signed(e[c*TbAccW +: TbAccW]));
            errors = errors + 1;
          end
      end
      @(negedge clk_i);
    end
    if (errors == 0) $display("PASS: %0d cycles replayed", TbCycles);
    else $display("FAIL: %0d mismatching checks", errors);
    $finish;
  end
endmodule
