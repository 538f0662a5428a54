// Formal property harness of a generated null cache <Name>_top, proved with Yosys `sat`
// (scripts/formal_nc.sh writes the script; the top's module name is the macro NC_TOP).
//
// A symbolic line address X (`anyconst`: one value for the whole run, every value considered)
// is tracked from the request stream, which is unconstrained (`anyseq`) after one reset cycle.
// f_ok says X may be covered: set by an accepted insert of X or a fill of X with an all-zero
// line; cleared by reset, flush and a non-zero store to X. On the response to a lookup of X
// made while !f_ok, the cache must answer "not covered" (rsp_hit_o low):
//   P1 "after a non-zero store to X, until X is filled again with an all-zero line (or
//      inserted), no lookup of X reports zero", and
//   I6 "coverage grows only by inserted lines" (at reset and after a flush nothing is covered).
// Responses come in request order. A lookup, flush or reserved op streams (req_ready_o stays
// high while it is answered), any other op holds req_ready_o low until its response, so at most
// two requests are outstanding; the harness keeps their flags in a two-entry queue.
// With `define NC_MUTANT the store's non-zero flag is cut (tied low) between the harness and
// the cache: a broken cache that never learns of non-zero stores, which must violate P1.
module nc_props #(
  parameter LaW   = 6,   // line-address width of the cache under test
  parameter LineW = 32   // fill-line width in bits
) (
  input wire clk_i
);
  (* anyconst *) reg [LaW-1:0]   f_la;         // the tracked line address X
  (* anyseq *)   reg             req_valid;    // free request stream
  (* anyseq *)   reg [2:0]       req_op;
  (* anyseq *)   reg [LaW-1:0]   req_la;
  (* anyseq *)   reg             req_touch;
  (* anyseq *)   reg             req_nonzero;
  (* anyseq *)   reg [LineW-1:0] req_line;

  reg rst_n = 1'b0;  // low in the first cycle only
  always @(posedge clk_i) rst_n <= 1'b1;

`ifdef NC_MUTANT
  wire dut_nonzero = 1'b0;
`else
  wire dut_nonzero = req_nonzero;
`endif

  wire req_ready, rsp_valid, rsp_hit;
  `NC_TOP dut (
    .clk_i        (clk_i),
    .rst_ni       (rst_n),
    .req_valid_i  (req_valid),
    .req_ready_o  (req_ready),
    .req_op_i     (req_op),
    .req_la_i     (req_la),
    .req_touch_i  (req_touch),
    .req_nonzero_i(dut_nonzero),
    .req_line_i   (req_line),
    .rsp_valid_o  (rsp_valid),
    .rsp_hit_o    (rsp_hit),
    .rsp_idx_o    (),
    .rsp_zero_o   (),
    .rsp_approx_o (),
    .rsp_merged_o (),
    .rsp_cascade_o(),
    .rsp_evicted_o(),
    .rsp_inval_o  (),
    .rsp_split_o  (),
    .rsp_new_o    ()
  );

  wire accept = rst_n && req_valid && req_ready;  // a request is taken at this edge
  reg  f_ok;       // X may be covered
  wire is_x   = req_la == f_la;
  wire look_x = req_op == 3'd0 && is_x && !f_ok;  // a lookup of X while X may not be covered
  // Outstanding requests, oldest first: whether each is a lookup of X made while !f_ok.
  // Responses come in order; lookups, flushes and reserved ops stream, so up to two requests
  // are outstanding (one answering, one just taken).
  reg  [1:0] f_n;  // number outstanding
  reg        f_q0, f_q1;
  always @(posedge clk_i) begin
    if (!rst_n) begin
      f_ok <= 1'b0;
      f_n  <= 2'd0;
      f_q0 <= 1'b0;
      f_q1 <= 1'b0;
    end else begin
      if (accept) begin
        if (req_op == 3'd4)                                            f_ok <= 1'b0;  // flush
        else if (is_x && req_op == 3'd1)                               f_ok <= 1'b1;  // insert
        else if (is_x && req_op == 3'd2 && req_line == {LineW{1'b0}})  f_ok <= 1'b1;  // zero fill
        else if (is_x && req_op == 3'd3 && req_nonzero)                f_ok <= 1'b0;  // store
      end
      case ({accept, rsp_valid})
        2'b10: begin  // push
          if (f_n == 2'd0) f_q0 <= look_x;
          else             f_q1 <= look_x;
          f_n <= f_n + 2'd1;
        end
        2'b01: begin  // pop
          f_q0 <= f_q1;
          f_n  <= f_n - 2'd1;
        end
        2'b11: begin  // pop and push
          if (f_n == 2'd1) f_q0 <= look_x;
          else begin
            f_q0 <= f_q1;
            f_q1 <= look_x;
          end
        end
        default: begin
        end
      endcase
    end
  end

  // P1/I6 as a named signal (the mutant check proves exactly this one), and as an assertion;
  // every response answers an outstanding request, and at most two are outstanding.
  wire p1_ok = !(rst_n && rsp_valid && f_q0 && rsp_hit);
  always @(*) begin
    assert (p1_ok);
    if (rst_n) begin
      assert (!(rsp_valid && f_n == 2'd0));
      assert (f_n != 2'd3);
    end
  end
endmodule
