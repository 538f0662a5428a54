// Icarus replay testbench of a generated null cache nc_top (testbench-only Verilog-2005), for
// the RTL or a gate-level netlist of it. Reads one stimulus word and one expected-response word
// per transaction, written by `nc_regress --dump-icarus DIR` (golden model + documented
// latencies, tb/nc_vector_dump.h), with $readmemh. Unlike the Verilated driver (one request at
// a time) it streams: after a lookup, flush or reserved op it presents the next request in the
// cycle the former is in Exec, as the protocol allows; after any other op in the cycle its
// response is visible. It checks that req_ready_o is high when a request is presented,
// measures each latency and compares it and every response field with the expected word
// (rsp_idx_o only where the golden model names the entry). Prints PASS or the first mismatch
// ("MISMATCH txn N ...") and a FAIL count.
// Compile: iverilog -g2005 -I DIR -o sim nc_replay_tb.v <rtl or netlist + cell models>; run
// from DIR.
`timescale 1ns / 1ps
module nc_replay_tb;
  `include "tb_params.vh"
  localparam integer StimW = 3 + TbLaW + 2 + TbLineW;
  localparam integer ExpW  = 16 + 1 + 1 + TbIdxW + 3 + TbCntW + 3 + TbCntW;
  localparam integer MaxLatency = 1000;  // no transaction takes this long

  reg clk_i = 1'b0;
  reg rst_ni = 1'b0;
  reg req_valid_i = 1'b0;
  reg [StimW-1:0] stim [0:TbTxns-1];
  reg [ExpW-1:0]  expv [0:TbTxns-1];
  reg [StimW-1:0] s;
  reg [ExpW-1:0]  e;

  // Stimulus word, LSB first: op, la, touch, nonzero, line.
  wire [2:0]         req_op_i      = s[2:0];
  wire [TbLaW-1:0]   req_la_i      = s[3 +: TbLaW];
  wire               req_touch_i   = s[3 + TbLaW];
  wire               req_nonzero_i = s[4 + TbLaW];
  wire [TbLineW-1:0] req_line_i    = s[5 + TbLaW +: TbLineW];

  wire              req_ready_o, rsp_valid_o, rsp_hit_o, rsp_zero_o, rsp_approx_o;
  wire              rsp_merged_o, rsp_evicted_o, rsp_inval_o, rsp_split_o;
  wire [TbIdxW-1:0] rsp_idx_o;
  wire [TbCntW-1:0] rsp_cascade_o, rsp_new_o;

  nc_top u_dut (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .req_valid_i   (req_valid_i),
    .req_ready_o   (req_ready_o),
    .req_op_i      (req_op_i),
    .req_la_i      (req_la_i),
    .req_touch_i   (req_touch_i),
    .req_nonzero_i (req_nonzero_i),
    .req_line_i    (req_line_i),
    .rsp_valid_o   (rsp_valid_o),
    .rsp_hit_o     (rsp_hit_o),
    .rsp_idx_o     (rsp_idx_o),
    .rsp_zero_o    (rsp_zero_o),
    .rsp_approx_o  (rsp_approx_o),
    .rsp_merged_o  (rsp_merged_o),
    .rsp_cascade_o (rsp_cascade_o),
    .rsp_evicted_o (rsp_evicted_o),
    .rsp_inval_o   (rsp_inval_o),
    .rsp_split_o   (rsp_split_o),
    .rsp_new_o     (rsp_new_o)
  );

  always #5 clk_i = ~clk_i;

  // Expected word, LSB first: latency, idx_care, hit, idx, zero, approx, merged, cascade,
  // evicted, inval, split, new.
  wire [15:0]       x_lat     = e[15:0];
  wire              x_idxcare = e[16];
  wire              x_hit     = e[17];
  wire [TbIdxW-1:0] x_idx     = e[18 +: TbIdxW];
  wire              x_zero    = e[18 + TbIdxW];
  wire              x_approx  = e[19 + TbIdxW];
  wire              x_merged  = e[20 + TbIdxW];
  wire [TbCntW-1:0] x_cascade = e[21 + TbIdxW +: TbCntW];
  wire              x_evicted = e[21 + TbIdxW + TbCntW];
  wire              x_inval   = e[22 + TbIdxW + TbCntW];
  wire              x_split   = e[23 + TbIdxW + TbCntW];
  wire [TbCntW-1:0] x_new     = e[24 + TbIdxW + TbCntW +: TbCntW];

  integer u;
  integer latency;
  integer errors;
  integer cycles;
  integer pend_u;      // the streamed transaction whose response is due (-1: none)
  reg     bad;
  reg     pend_was;    // a streamed predecessor answered in this cycle
  reg [StimW-1:0] sc;  // stimulus of the transaction being checked (for the report)

  // Lookups (0), flushes (4) and the reserved ops (5..7) stream: the next request is presented
  // in the cycle such a transaction is in Exec, so it is taken while the response is formed.
  function streamable(input [2:0] op);
    streamable = (op == 3'd0) || (op >= 3'd4);
  endfunction

  // Compares the response visible now with transaction idx's expected word; ready_too: the
  // request channel must be ready as well (not when a streamed successor already holds it).
  task check(input integer idx, input integer lat, input ready_too);
    begin
      e  = expv[idx];
      sc = stim[idx];
      #0;
      bad = lat != x_lat || rsp_valid_o !== 1'b1 || rsp_hit_o !== x_hit ||
            (x_idxcare && rsp_idx_o !== x_idx) ||
            rsp_zero_o !== x_zero || rsp_approx_o !== x_approx || rsp_merged_o !== x_merged ||
            rsp_cascade_o !== x_cascade || rsp_evicted_o !== x_evicted ||
            rsp_inval_o !== x_inval || rsp_split_o !== x_split || rsp_new_o !== x_new ||
            (ready_too && req_ready_o !== 1'b1);
      if (bad) begin
        if (errors == 0) begin
          $display("MISMATCH txn %0d op %0d la %h: got latency %0d valid %b hit %b idx %0d zero %b approx %b merged %b cascade %0d evicted %b inval %b split %b new %0d ready %b",
                   idx, sc[2:0], sc[3 +: TbLaW], lat, rsp_valid_o, rsp_hit_o, rsp_idx_o,
                   rsp_zero_o, rsp_approx_o, rsp_merged_o, rsp_cascade_o, rsp_evicted_o,
                   rsp_inval_o, rsp_split_o, rsp_new_o, req_ready_o);
          $display("         expected latency %0d valid 1 hit %b idx %0d%0s zero %b approx %b merged %b cascade %0d evicted %b inval %b split %b new %0d%0s",
                   x_lat, x_hit, x_idx, x_idxcare ? "" : " (not compared)", x_zero, x_approx,
                   x_merged, x_cascade, x_evicted, x_inval, x_split, x_new,
                   ready_too ? " ready 1" : "");
        end
        errors = errors + 1;
      end
    end
  endtask

  initial begin
    $readmemh("stim.hex", stim);
    $readmemh("exp.hex", expv);
    errors = 0;
    cycles = 0;
    pend_u = -1;
    s = {StimW{1'b0}};
    e = {ExpW{1'b0}};
    sc = {StimW{1'b0}};
    repeat (3) @(negedge clk_i);
    rst_ni = 1'b1;
    @(negedge clk_i);
    for (u = 0; u < TbTxns; u = u + 1) begin
      // Clock low (just after the falling edge): present transaction u, in the cycle in which
      // the previous response is visible or the previous (streamable) one is in Exec; it is
      // taken at the next rising edge.
      s = stim[u];
      req_valid_i = 1'b1;
      #1;
      if (req_ready_o !== 1'b1) begin
        if (errors == 0)
          $display("MISMATCH txn %0d op %0d la %h: req_ready_o = %b when presented", u, req_op_i,
                   req_la_i, req_ready_o);
        errors = errors + 1;
      end
      @(negedge clk_i);
      req_valid_i = 1'b0;
      latency = 1;
      #1;
      pend_was = pend_u >= 0;
      if (pend_u >= 0) begin
        check(pend_u, 2, 1'b0);  // the streamed predecessor answers now
        cycles = cycles + 1;
        pend_u = -1;
      end
      if (streamable(stim[u][2:0]) && u + 1 < TbTxns) begin
        pend_u = u;  // the next transaction is presented in this (Exec) cycle
      end else begin
        if (pend_was) begin
          // The response visible now was the streamed predecessor's: wait for this one's.
          @(negedge clk_i);
          latency = 2;
          #1;
        end
        while (rsp_valid_o !== 1'b1 && latency < MaxLatency) begin
          @(negedge clk_i);
          latency = latency + 1;
          #1;
        end
        if (latency >= MaxLatency) begin
          $display("FAIL: no response to txn %0d", u);
          $finish;
        end
        cycles = cycles + latency;
        check(u, latency, 1'b1);
      end
    end
    if (errors == 0) $display("PASS: %0d transactions replayed in %0d cycles", TbTxns, cycles);
    else $display("FAIL: %0d mismatching transactions", errors);
    $finish;
  end
endmodule
