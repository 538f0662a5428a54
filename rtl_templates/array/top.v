// ${Name}_top: ${Rows} x ${Cols} output-stationary systolic array${TopKind}.
/*
 * What it computes
 *   GEMM folds (Out[i][j] = sum_k A[i][k] * B[k][j], one slice k per cycle on a_i / b_i)
//#if STOS
 *   and ST-OS folds (row i computes a 1-D correlation of its a_i stream with the taps
 *   broadcast on w_i; column j holds output position m0 + Cols - 1 - j)
//#endif
 *   in signed DataW-bit operands with AccW-bit wrapping accumulators, and streams each
 *   finished fold out one array row per cycle, row Rows-1 first.
 *   Cycle-level contract: README.md of this build (ports, driver rules, timing). Structure:
 *   input skews (${Name}_skew) -> PE grid (${Name}_array) -> de-skew and output
 *   (${Name}_collect).
 * Latency (hand-off slice of a fold presented at cycle H)
 *   GEMM:  rows on the port at cycles H + I + Rows + Cols + M + s = H + ${GemmFirstOut} + s,
 *          s = 0 .. Rows-1, row Rows-1-s (I = ${InStage} input stage, M = ${MacStages} MAC stages).
//#if STOS
 *   ST-OS: rows on the port at cycles H + I + Rows + 1 + M + s = H + ${StosFirstOut} + s,
 *          s = 0 .. Rows-1, row Rows-1-s.
//#endif
 * Invariants
 *   rst_ni (${ResetKind}, active low) clears all control state and marks every
 *   accumulator empty; data registers (operands, products, accumulators, handed-off results,
 *   de-skew, out_data_o) are not reset.
 *   Results are correct when the driver follows the rules of the protocol; a hand-off that
 *   lands on a column drain stops the simulation (see ${Name}_pe).
 * Parameters
 *   None to override: Rows = ${Rows}, Cols = ${Cols}, DataW = ${DataW}, AccW = ${AccW},
 *   MacStages = ${MacStages}, BcastGroup = ${BcastGroup} and
 *   RowW = max(1, clog2(Rows)) = ${RowW} (the width of out_row_o) are localparams and the
 *   port widths are numbers, so an override (-GRows=...) cannot disagree with the ports.
 *   Regenerate for another size.
 */
module ${Name}_top (
  input  wire                 clk_i,
  input  wire                 rst_ni,
//#if STOS
  input  wire                 in_en_i,     // this cycle carries a slice (GEMM) or a tap (ST-OS)
  input  wire                 in_last_i,   // with in_en_i: last slice/tap of a fold
//#else
  input  wire                 in_en_i,     // this cycle carries a GEMM slice
  input  wire                 in_last_i,   // with in_en_i: last slice of a fold
//#endif
  input  wire                 in_keep_i,   // with in_last_i: keep the accumulators (no hand-off)
//#if STOS
  input  wire                 in_mode_i,   // 0 = OS GEMM, 1 = ST-OS
//#endif
  input  wire [${Rows}*${DataW}-1:0] a_i,  // left edge, row r at [r*DataW +: DataW]
  input  wire [${Cols}*${DataW}-1:0] b_i,  // top edge, column c at [c*DataW +: DataW]
//#if STOS
  input  wire [${Rows}*${DataW}-1:0] w_i,  // broadcast taps, row r at [r*DataW +: DataW]
//#endif
  output wire                 out_valid_o, // out_data_o holds one row of a finished fold
  output wire [${RowW}-1:0]      out_row_o,   // which array row
  output wire [${Cols}*${AccW}-1:0] out_data_o  // column c at [c*AccW +: AccW], signed
);

  // The size of this build (not overridable: see the header).
  localparam integer Rows  = ${Rows};
  localparam integer Cols  = ${Cols};
  localparam integer DataW = ${DataW};
  localparam integer AccW  = ${AccW};
  localparam integer RowW  = ${RowW};
  localparam integer MacStages = ${MacStages};
  localparam integer BcastGroup = ${BcastGroup};

  // Decoded control: a hand-off is the last slice/tap of a fold that does not keep.
  wire hoff = in_en_i & in_last_i & ~in_keep_i;
//#if STOS
  wire [3:0] ctrl = {in_en_i & ~in_mode_i, hoff & ~in_mode_i, in_en_i & in_mode_i,
                     hoff & in_mode_i};
  localparam integer CtrlW = 4;
//#else
  wire [1:0] ctrl = {in_en_i, hoff};
  localparam integer CtrlW = 2;
//#endif

//#if STOS
  // Left edge: row r of a_i (and w_i, and the control) delayed by r cycles.
//#else
  // Left edge: row r of a_i (and the control) delayed by r cycles.
//#endif
  wire [Rows*DataW-1:0] a_skew;
  wire [Rows*CtrlW-1:0] ctrl_skew;
  ${Name}_skew #(
    .Lanes  (Rows),
    .Width  (DataW),
    .Reverse(0),
    .Shared (0),
    .Reset  (0)
  ) u_skew_a (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (a_i),
    .out_o (a_skew)
  );
  ${Name}_skew #(
    .Lanes  (Rows),
    .Width  (CtrlW),
    .Reverse(0),
    .Shared (1),
    .Reset  (1)
  ) u_skew_ctrl (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (ctrl),
    .out_o (ctrl_skew)
  );
//#if STOS
  wire [Rows*DataW-1:0] w_skew;
  ${Name}_skew #(
    .Lanes  (Rows),
    .Width  (DataW),
    .Reverse(0),
    .Shared (0),
    .Reset  (0)
  ) u_skew_w (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (w_i),
    .out_o (w_skew)
  );
//#endif

  // Top edge: column c of b_i delayed by c cycles.
  wire [Cols*DataW-1:0] b_skew;
  ${Name}_skew #(
    .Lanes  (Cols),
    .Width  (DataW),
    .Reverse(0),
    .Shared (0),
    .Reset  (0)
  ) u_skew_b (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (b_i),
    .out_o (b_skew)
  );

  // Per-row control bits out of the skew.
  wire [Rows-1:0] en_row;
  wire [Rows-1:0] hoff_row;
//#if STOS
  wire [Rows-1:0] bc_en_row;
  wire [Rows-1:0] bc_hoff_row;
//#endif
  genvar r;
  generate
    for (r = 0; r < Rows; r = r + 1) begin : g_ctrl
//#if STOS
      assign en_row[r]      = ctrl_skew[r*CtrlW + 3];
      assign hoff_row[r]    = ctrl_skew[r*CtrlW + 2];
      assign bc_en_row[r]   = ctrl_skew[r*CtrlW + 1];
      assign bc_hoff_row[r] = ctrl_skew[r*CtrlW + 0];
//#else
      assign en_row[r]   = ctrl_skew[r*CtrlW + 1];
      assign hoff_row[r] = ctrl_skew[r*CtrlW + 0];
//#endif
    end
  endgenerate

  wire [Cols*AccW-1:0] col;
  wire                 last_hoff;
//#if STOS
  wire                 stos_hoff;
//#endif
  ${Name}_array #(
    .Rows (Rows),
    .Cols (Cols),
    .DataW(DataW),
    .AccW (AccW),
    .MacStages(MacStages),
    .BcastGroup(BcastGroup)
  ) u_array (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .a_i        (a_skew),
    .en_i       (en_row),
    .hoff_i     (hoff_row),
    .b_i        (b_skew),
//#if STOS
    .w_i        (w_skew),
    .bc_en_i    (bc_en_row),
    .bc_hoff_i  (bc_hoff_row),
    .stos_hoff_o(stos_hoff),
//#endif
    .col_o      (col),
    .last_hoff_o(last_hoff)
  );

  ${Name}_collect #(
    .Rows(Rows),
    .Cols(Cols),
    .AccW(AccW),
    .RowW(RowW)
  ) u_collect (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .col_i       (col),
//#if STOS
    .start_stos_i(stos_hoff),
//#endif
    .start_i     (last_hoff),
    .out_valid_o (out_valid_o),
    .out_row_o   (out_row_o),
    .out_data_o  (out_data_o)
  );

endmodule
