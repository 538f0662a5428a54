//#if STOS
// ${Name}_pe: one processing element of the ST-OS output-stationary systolic array.
//#else
// ${Name}_pe: one processing element of the output-stationary systolic array.
//#endif
/*
 * What it computes
 *   Registers its operands every cycle: left_q <= left_i (forwarded right on left_o), and
 *   top_q <= the vertical input top_i (forwarded down on top_o)
//#if STOS
 *   or, when the row's broadcast select bc_sel_i (DataEn) is set, the row's broadcast tap
 *   bc_data_i (2:1 mux in front of top_q).
//#else
 *   (plain OS build: no broadcast line, no mux).
//#endif
 *   On a MAC edge (GEMM control en_q, which travels with the left operand, is set
//#if STOS
 *   or the row's registered ST-OS control bc_en_i is set)
//#endif
 *   acc_d = acc_q + left_q * top_q, wrapping in AccW bits (signed operands). On a hand-off
 *   (hoff) out_q <= acc_d and acc_q <= 0, otherwise acc_q <= acc_d.
 *   Drain: out_q takes out_i (the out_q of the PE above) on edges where drain_shift_q is set.
 *   drain_shift_q is one bit of the column's drain thermometer: loaded with HasAbove when the
 *   column's bottom PE hands off (drain_start_i), then shifted down (drain_shift_i from above),
 *   so in drain step s the PE of array row i shifts exactly when s < i.
 * Latency
 *   One cycle from left_i / top_i / en_i / hoff_i to the MAC that uses them.
 * Invariants
 *   rst_ni clears the control (en_q, hoff_q, drain_shift_q) and the accumulator acc_q; operand
 *   registers and out_q are data registers and are not reset. A hand-off never coincides with
 *   a drain shift when the driver keeps hand-offs far enough apart (the README's driver
 *   rules); one that does stops the simulation.
 * Parameters
 *   DataW (2..16), AccW (>= 2 * DataW, <= 64), HasAbove (0 in array row 0, else 1).
 */
module ${Name}_pe #(
  parameter integer DataW    = ${DataW},
  parameter integer AccW     = ${AccW},
  parameter integer HasAbove = 1
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  // Left operand and the GEMM control travelling with it, forwarded right.
  input  wire [DataW-1:0] left_i,
  input  wire             en_i,
  input  wire             hoff_i,
  output wire [DataW-1:0] left_o,
  output wire             en_o,
  output wire             hoff_o,
  // Vertical operand, forwarded down.
  input  wire [DataW-1:0] top_i,
  output wire [DataW-1:0] top_o,
//#if STOS
  // Row broadcast line (ST-OS).
  input  wire             bc_sel_i,
  input  wire [DataW-1:0] bc_data_i,
  input  wire             bc_en_i,
  input  wire             bc_hoff_i,
//#endif
  // Column drain.
  input  wire             drain_start_i,
  input  wire             drain_shift_i,
  output wire             drain_shift_o,
  input  wire [AccW-1:0]  out_i,
  output wire [AccW-1:0]  out_o
);

  localparam integer ProdW = 2 * DataW;

  reg  [DataW-1:0] left_q;         // left operand (data, not reset)
  reg  [DataW-1:0] top_q;          // top operand (data, not reset)
  reg              en_q;           // GEMM MAC at the edge ending this cycle
  reg              hoff_q;         // GEMM hand-off at the edge ending this cycle
  reg  [AccW-1:0]  acc_q;          // accumulator (AccReg)
  reg  [AccW-1:0]  out_q;          // handed-off result, drained down the column (data)
  reg              drain_shift_q;  // out_q takes out_i at the edge ending this cycle

  // MAC datapath: signed DataW x DataW product, sign-extended to AccW, wrapping add.
  wire signed [DataW-1:0] left_s = left_q;
  wire signed [DataW-1:0] top_s = top_q;
  wire signed [ProdW-1:0] prod = left_s * top_s;
  wire        [AccW-1:0]  prod_ext;
  generate
    if (AccW > ProdW) begin : g_sext
      assign prod_ext = {{(AccW-ProdW){prod[ProdW-1]}}, prod};
    end else begin : g_nosext
      assign prod_ext = prod;
    end
  endgenerate
  wire [AccW-1:0] acc_d = acc_q + prod_ext;

//#if STOS
  wire mac_en  = en_q | bc_en_i;
  wire handoff = hoff_q | bc_hoff_i;
  wire [DataW-1:0] top_d = bc_sel_i ? bc_data_i : top_i;
//#else
  wire mac_en  = en_q;
  wire handoff = hoff_q;
  wire [DataW-1:0] top_d = top_i;
//#endif
  wire drain_load = (HasAbove != 0);

  always @(posedge clk_i) begin
    left_q <= left_i;
    top_q  <= top_d;
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      en_q          <= 1'b0;
      hoff_q        <= 1'b0;
      acc_q         <= {AccW{1'b0}};
      drain_shift_q <= 1'b0;
    end else begin
      en_q   <= en_i;
      hoff_q <= hoff_i;
      if (mac_en) acc_q <= handoff ? {AccW{1'b0}} : acc_d;
      drain_shift_q <= drain_start_i ? drain_load : drain_shift_i;
    end
  end

  always @(posedge clk_i) begin
    if (mac_en && handoff) out_q <= acc_d;
    else if (drain_shift_q) out_q <= out_i;
  end

  // Protocol check (driver rule 2: a hand-off landing on a drain shift loses a result), in the
  // style of both generated blocks: an assertion under FORMAL, $fdisplay to stderr + $stop in
  // simulation, nothing when SYNTHESIS is defined.
  wire handoff_in_drain = rst_ni && mac_en && handoff && drain_shift_q;  // out of reset only
`ifdef FORMAL
  always @(posedge clk_i) begin
    assert (!handoff_in_drain);
  end
`elsif SYNTHESIS
  // Synthesis: no check.
`else
  always @(posedge clk_i) begin
    if (handoff_in_drain) begin
      $fdisplay(32'h8000_0002, "%m: ERROR: protocol violation: %s at %0t %s",
                "hand-off during a drain shift", $time, "(hand-offs too close)");
      $stop;
    end
  end
`endif

  assign left_o        = left_q;
  assign en_o          = en_q;
  assign hoff_o        = hoff_q;
  assign top_o         = top_q;
  assign drain_shift_o = drain_shift_q;
  assign out_o         = out_q;

endmodule
