// nc_smoke_tb: hand-worked directed test of a generated null cache, for simulators without the
// C++ testbench (Icarus). Simulation only (uses `initial`). Expects a build with
// --entries 8 --addr-width 12 (LaW 7), policy invalidate, exact ZDA, module prefix nc.
// Sequence (expected values worked by hand from docs/cache.md):
//   insert 4 -> entry 0; insert 5 -> merge into 0 (010X); insert 6 -> entry 1;
//   insert 7 -> merge into 1 (011X), cascade absorbs 0 -> entry 1 = 01XX (latency 6);
//   lookup 5 -> hit entry 1; lookups 6 and 9 back to back (hit 1, miss); store 5 non-zero -> invalidated; lookup 5 -> miss;
//   fill 9 non-zero -> not zero; fill 9 zero -> inserted into entry 0; flush; lookup 9 -> miss.
// Latencies: the table of docs/nullcache_rtl.md (NcTiming in golden/nullcache.h).
// Prints "PASS nc_smoke" or "FAIL ..." lines.
module nc_smoke_tb;
  reg          clk = 1'b0;
  reg          rst_n = 1'b0;
  reg          req_valid = 1'b0;
  wire         req_ready;
  reg  [2:0]   req_op = 3'd0;
  reg  [6:0]   req_la = 7'd0;
  reg          req_touch = 1'b0;
  reg          req_nonzero = 1'b0;
  reg  [255:0] req_line = 256'd0;
  wire         rsp_valid, rsp_hit, rsp_zero, rsp_approx, rsp_merged, rsp_evicted;
  wire         rsp_inval, rsp_split;
  wire [2:0]   rsp_idx;
  wire [2:0]   rsp_cascade, rsp_new;
  integer      errors = 0;
  integer      latency;

  nc_top u_dut (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .req_valid_i   (req_valid),
    .req_ready_o   (req_ready),
    .req_op_i      (req_op),
    .req_la_i      (req_la),
    .req_touch_i   (req_touch),
    .req_nonzero_i (req_nonzero),
    .req_line_i    (req_line),
    .rsp_valid_o   (rsp_valid),
    .rsp_hit_o     (rsp_hit),
    .rsp_idx_o     (rsp_idx),
    .rsp_zero_o    (rsp_zero),
    .rsp_approx_o  (rsp_approx),
    .rsp_merged_o  (rsp_merged),
    .rsp_cascade_o (rsp_cascade),
    .rsp_evicted_o (rsp_evicted),
    .rsp_inval_o   (rsp_inval),
    .rsp_split_o   (rsp_split),
    .rsp_new_o     (rsp_new)
  );

  always #5 clk = ~clk;

  // One transaction: present it before a rising edge, wait for the response, count cycles.
  task txn;
    input [2:0]   op;
    input [6:0]   la;
    input         nonzero;
    input [255:0] line;
    begin
      @(negedge clk);
      req_valid = 1'b1;
      req_op = op;
      req_la = la;
      req_touch = 1'b1;
      req_nonzero = nonzero;
      req_line = line;
      @(posedge clk);
      #1 req_valid = 1'b0;
      latency = 1;
      while (!rsp_valid) begin
        @(posedge clk);
        #1 latency = latency + 1;
      end
    end
  endtask

  task expect_rsp;
    input [8*24-1:0] what;
    input integer    lat;
    input            hit;
    input [2:0]      idx;
    input            merged;
    input [2:0]      cascade;
    input            inval;
    input            zero;
    begin
      if (latency !== lat || rsp_hit !== hit || (idx !== 3'bxxx && rsp_idx !== idx) ||
          rsp_merged !== merged || rsp_cascade !== cascade || rsp_inval !== inval ||
          rsp_zero !== zero) begin
        $display("FAIL %0s: latency %0d hit %b idx %0d merged %b cascade %0d inval %b zero %b",
                 what, latency, rsp_hit, rsp_idx, rsp_merged, rsp_cascade, rsp_inval, rsp_zero);
        errors = errors + 1;
      end
    end
  endtask

  // Two lookups back to back (lookups stream): the second is taken while the first is in
  // Exec (req_ready_o high), and the responses come in consecutive cycles, 2 cycles after each.
  task stream_lookups;
    input [6:0] la_a;
    input [6:0] la_b;
    input       hit_a;
    input [2:0] idx_a;
    input       hit_b;
    begin
      @(negedge clk);
      req_valid = 1'b1;
      req_op = 3'd0;
      req_la = la_a;
      req_touch = 1'b0;
      @(negedge clk);  // cycle 1: lookup a in Exec
      req_la = la_b;
      if (req_ready !== 1'b1 || rsp_valid !== 1'b0) begin
        $display("FAIL stream: ready %b rsp_valid %b in cycle 1", req_ready, rsp_valid);
        errors = errors + 1;
      end
      @(negedge clk);  // cycle 2: response a, lookup b in Exec
      req_valid = 1'b0;
      if (rsp_valid !== 1'b1 || rsp_hit !== hit_a || (hit_a && rsp_idx !== idx_a)) begin
        $display("FAIL stream: response a valid %b hit %b idx %0d", rsp_valid, rsp_hit, rsp_idx);
        errors = errors + 1;
      end
      @(negedge clk);  // cycle 3: response b
      if (rsp_valid !== 1'b1 || rsp_hit !== hit_b) begin
        $display("FAIL stream: response b valid %b hit %b", rsp_valid, rsp_hit);
        errors = errors + 1;
      end
      @(negedge clk);
      if (rsp_valid !== 1'b0) begin
        $display("FAIL stream: a third response");
        errors = errors + 1;
      end
    end
  endtask

  initial begin
    repeat (2) @(posedge clk);
    #1 rst_n = 1'b1;
    txn(3'd1, 7'd4, 1'b0, 256'd0);
    expect_rsp("insert 4", 3, 1'b0, 3'd0, 1'b0, 3'd0, 1'b0, 1'b0);
    txn(3'd1, 7'd5, 1'b0, 256'd0);
    expect_rsp("insert 5 (merge)", 4, 1'b0, 3'd0, 1'b1, 3'd0, 1'b0, 1'b0);
    txn(3'd1, 7'd6, 1'b0, 256'd0);
    expect_rsp("insert 6", 3, 1'b0, 3'd1, 1'b0, 3'd0, 1'b0, 1'b0);
    txn(3'd1, 7'd7, 1'b0, 256'd0);
    expect_rsp("insert 7 (cascade)", 6, 1'b0, 3'd1, 1'b1, 3'd1, 1'b0, 1'b0);
    if (u_dut.u_tcam.valid_q !== 8'b0000_0010 || u_dut.u_tcam.care_q[13:7] !== 7'b1111100 ||
        u_dut.u_tcam.val_q[13:7] !== 7'd4) begin
      $display("FAIL table after the cascade: valid %b", u_dut.u_tcam.valid_q);
      errors = errors + 1;
    end
    txn(3'd0, 7'd5, 1'b0, 256'd0);
    expect_rsp("lookup 5", 2, 1'b1, 3'd1, 1'b0, 3'd0, 1'b0, 1'b0);
    stream_lookups(7'd6, 7'd9, 1'b1, 3'd1, 1'b0);
    txn(3'd3, 7'd5, 1'b1, 256'd0);
    expect_rsp("store 5 non-zero", 2, 1'b1, 3'd1, 1'b0, 3'd0, 1'b1, 1'b0);
    txn(3'd0, 7'd5, 1'b0, 256'd0);
    expect_rsp("lookup 5 after store", 2, 1'b0, 3'bxxx, 1'b0, 3'd0, 1'b0, 1'b0);
    txn(3'd2, 7'd9, 1'b0, {255'd0, 1'b1});
    expect_rsp("fill 9 non-zero", 2, 1'b0, 3'bxxx, 1'b0, 3'd0, 1'b0, 1'b0);
    txn(3'd2, 7'd9, 1'b0, 256'd0);
    expect_rsp("fill 9 zero", 3, 1'b0, 3'd0, 1'b0, 3'd0, 1'b0, 1'b1);
    txn(3'd4, 7'd0, 1'b0, 256'd0);
    expect_rsp("flush", 2, 1'b0, 3'bxxx, 1'b0, 3'd0, 1'b0, 1'b0);
    txn(3'd0, 7'd9, 1'b0, 256'd0);
    expect_rsp("lookup 9 after flush", 2, 1'b0, 3'bxxx, 1'b0, 3'd0, 1'b0, 1'b0);
    if (errors == 0) $display("PASS nc_smoke");
    $finish;
  end

  initial begin
    #100000 $display("FAIL timeout");
    $finish;
  end
endmodule
