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
 *   A MAC is due on the edge after the operands were registered when the GEMM control en_q
 *   (which travels with the left operand) is set
//#if STOS
 *   or the row's registered ST-OS control bc_en_i is set
//#endif
 *   ; with it a hand-off when hoff_q
//#if STOS
 *   or bc_hoff_i
//#endif
 *   is set. The MAC runs through MacStages pipeline stages (the control travels with it):
 *     MacStages = 1: acc_d = acc + left_q * top_q in one cycle; a hand-off writes out_q <= acc_d.
 *     MacStages = 2: prod_q <= left_q * top_q; next edge acc_d = acc + prod_q; a hand-off
 *                    writes out_q <= acc_d.
 *     MacStages = 3: as 2, and a hand-off writes out_q <= acc_q one edge later, so neither
 *                    out_q nor the drain sits behind the adder.
 *   Signed operands, the product sign-extended to AccW, the sum wrapping in AccW bits. "acc" is
 *   0 for the first MAC after a hand-off or reset (the clear flag clr_q) and acc_q otherwise, so
 *   the accumulator itself needs neither a reset nor a clear (DSP blocks absorb it).
 *   Drain: out_q takes out_i (the out_q of the PE above) on edges where drain_shift_q is set.
 *   drain_shift_q is one bit of the column's drain thermometer: loaded with HasAbove when the
 *   column's bottom PE writes its out_q (drain_start_i), then shifted down (drain_shift_i from
 *   above), so in drain step s the PE of array row i shifts exactly when s < i.
 * Latency
 *   One cycle from left_i / top_i / en_i / hoff_i to the operand registers; the hand-off writes
 *   out_q MacStages edges after that (hand_o is set in the cycle before that edge; with
 *   MacStages = 3, hand_next_o one cycle earlier, so the array can copy hand_q).
 * Invariants
 *   rst_ni (${ResetKind}) clears the control: en_q, hoff_q, the MAC pipeline's control bits,
 *   clr_q (set) and drain_shift_q. Operand, product, accumulator and out_q registers are data
 *   registers and are not reset. A hand-off never coincides with a drain shift when the driver
 *   keeps hand-offs far enough apart (the README's driver rules); one that does stops the
 *   simulation.
 * Parameters
 *   DataW (2..16), AccW (>= 2 * DataW, <= 64), MacStages (1..3), HasAbove (0 in array row 0,
 *   else 1).
 */
module ${Name}_pe #(
  parameter integer DataW     = ${DataW},
  parameter integer AccW      = ${AccW},
  parameter integer MacStages = ${MacStages},
  parameter integer HasAbove  = 1
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
  output wire             hand_o,         // out_q is written with a hand-off at this edge
  output wire             hand_next_o,    // MacStages = 3: hand_o of the next cycle (else 0)
  input  wire             drain_start_i,
  input  wire             drain_shift_i,
  output wire             drain_shift_o,
  input  wire [AccW-1:0]  out_i,
  output wire [AccW-1:0]  out_o
);

  localparam integer ProdW = 2 * DataW;

  reg  [DataW-1:0] left_q;         // left operand (data, not reset)
  reg  [DataW-1:0] top_q;          // top operand (data, not reset)
  reg              en_q;           // GEMM MAC with these operands
  reg              hoff_q;         // GEMM hand-off with these operands
  reg  [AccW-1:0]  acc_q;          // accumulator (AccReg; data, not reset)
  reg              clr_q;          // the next MAC starts a fold: it adds to 0, not to acc_q
  reg  [AccW-1:0]  out_q;          // handed-off result, drained down the column (data)
  reg              drain_shift_q;  // out_q takes out_i at the edge ending this cycle

//#if STOS
  wire mac_en  = en_q | bc_en_i;    // a MAC with the operands in left_q / top_q
  wire handoff = hoff_q | bc_hoff_i;
  wire [DataW-1:0] top_d = bc_sel_i ? bc_data_i : top_i;
//#else
  wire mac_en  = en_q;              // a MAC with the operands in left_q / top_q
  wire handoff = hoff_q;
  wire [DataW-1:0] top_d = top_i;
//#endif
  wire drain_load = (HasAbove != 0);

  always @(posedge clk_i) begin
    left_q <= left_i;
    top_q  <= top_d;
  end

  // Signed DataW x DataW product of the operand registers.
  wire signed [DataW-1:0] left_s = left_q;
  wire signed [DataW-1:0] top_s  = top_q;
  wire signed [ProdW-1:0] prod   = left_s * top_s;

  // Accumulate stage: its product and control (the operand stage's with MacStages = 1, one
  // pipeline register later otherwise).
  wire [ProdW-1:0] acc_prod;  // product added at the accumulate edge
  wire             acc_mac;   // a MAC at the accumulate edge
  wire             acc_hoff;  // ... which is a hand-off
  generate
    if (MacStages == 1) begin : g_mac_comb
      assign acc_prod = prod;
      assign acc_mac  = mac_en;
      assign acc_hoff = handoff;
    end else begin : g_mac_pipe
      reg [ProdW-1:0] prod_q;  // product register (data, not reset)
      reg             mac_q;   // MAC due at the accumulate edge
      reg             hoff2_q; // ... with hand-off
      always @(posedge clk_i) prod_q <= prod;
      always @(posedge clk_i${RstEvent}) begin
        if (!rst_ni) begin
          mac_q   <= 1'b0;
          hoff2_q <= 1'b0;
        end else begin
          mac_q   <= mac_en;
          hoff2_q <= mac_en & handoff;
        end
      end
      assign acc_prod = prod_q;
      assign acc_mac  = mac_q;
      assign acc_hoff = hoff2_q;
    end
  endgenerate

  wire [AccW-1:0] prod_ext;  // the product sign-extended to AccW
  generate
    if (AccW > ProdW) begin : g_sext
      assign prod_ext = {{(AccW-ProdW){acc_prod[ProdW-1]}}, acc_prod};
    end else begin : g_nosext
      assign prod_ext = acc_prod;
    end
  endgenerate
  wire [AccW-1:0] acc_d = (clr_q ? {AccW{1'b0}} : acc_q) + prod_ext;

  always @(posedge clk_i) begin
    if (acc_mac) acc_q <= acc_d;
  end

  // Hand-off: out_q takes the finished sum (the adder's output with MacStages <= 2, the
  // accumulator register one edge later with MacStages = 3); hand_w marks that edge.
  wire            hand_w;
  wire            hand_next;  // the value hand_q takes at this edge (MacStages = 3)
  wire [AccW-1:0] hand_sum;
  generate
    if (MacStages == 3) begin : g_hand_reg
      reg hand_q;  // the accumulator holds a finished sum: out_q takes it at this edge
      always @(posedge clk_i${RstEvent}) begin
        if (!rst_ni) hand_q <= 1'b0;
        else         hand_q <= hand_next;
      end
      assign hand_next = acc_mac & acc_hoff;
      assign hand_w    = hand_q;
      assign hand_sum  = acc_q;
    end else begin : g_hand_add
      assign hand_next = 1'b0;
      assign hand_w    = acc_mac & acc_hoff;
      assign hand_sum  = acc_d;
    end
  endgenerate

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      en_q          <= 1'b0;
      hoff_q        <= 1'b0;
      clr_q         <= 1'b1;
      drain_shift_q <= 1'b0;
    end else begin
      en_q   <= en_i;
      hoff_q <= hoff_i;
      if (acc_mac) clr_q <= acc_hoff;
      drain_shift_q <= drain_start_i ? drain_load : drain_shift_i;
    end
  end

  always @(posedge clk_i) begin
    if (hand_w) out_q <= hand_sum;
    else if (drain_shift_q) out_q <= out_i;
  end

  // Protocol check (driver rule 2: a hand-off landing on a drain shift loses a result), in the
  // style of both generated blocks: an assertion under FORMAL, $fdisplay to stderr + $stop in
  // simulation, nothing when SYNTHESIS is defined.
  wire handoff_in_drain = rst_ni && hand_w && drain_shift_q;  // out of reset only
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
  assign hand_o        = hand_w;
  assign hand_next_o   = hand_next;
  assign drain_shift_o = drain_shift_q;
  assign out_o         = out_q;

endmodule
