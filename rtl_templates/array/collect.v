// ${Name}_collect: de-skews the drained columns and presents one result row per cycle.
/*
 * What it computes
 *   col_i is the bottom out_q of every column. In GEMM mode column j drains Cols - 1 - j
 *   cycles before the last column, so it passes Cols - 1 - j de-skew registers (${Name}_skew,
 *   Reverse = 1). One output register then aligns all columns of a row.
//#if STOS
 *   In ST-OS mode every column drains at once and the de-skew is bypassed: a per-column 2:1
 *   mux in front of the output register, selected by the mode of the fold being collected.
//#endif
 *   start_i: the bottom PE of the last column hands off at this edge, so the drained rows
 *   reach the output register in the next Rows cycles (row Rows-1 first) and the port one
 *   cycle later: out_valid_o is high for Rows cycles starting two cycles after start_i, with
 *   out_row_o = Rows-1, Rows-2, .. 0.
 * Latency
 *   Column j of a GEMM fold: Cols - 1 - j + 1 cycles from the bottom of the column to the port.
//#if STOS
 *   ST-OS: 1 cycle.
//#endif
 * Invariants
 *   rst_ni clears the sequencer and out_valid_o / out_row_o; the data registers are not reset
 *   (out_data_o is meaningful only while out_valid_o is high). A new start_i in the last
 *   cycle of a sequence restarts it (back-to-back folds).
 * Parameters
 *   Rows, Cols (1..256), AccW, RowW = max(1, clog2(Rows)).
 */
module ${Name}_collect #(
  parameter integer Rows = ${Rows},
  parameter integer Cols = ${Cols},
  parameter integer AccW = ${AccW},
  parameter integer RowW = ${RowW}
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire [Cols*AccW-1:0] col_i,        // bottom out_q of each column
  input  wire                 start_i,      // last column's bottom PE hands off at this edge
//#if STOS
  input  wire                 start_stos_i, // ... and it is an ST-OS hand-off
//#endif
  output wire                 out_valid_o,
  output wire [RowW-1:0]      out_row_o,
  output wire [Cols*AccW-1:0] out_data_o
);

  localparam integer        LastRowInt = Rows - 1;
  localparam [RowW-1:0]     LastRow    = LastRowInt[RowW-1:0];

  // De-skew: column j delayed by Cols - 1 - j cycles.
  wire [Cols*AccW-1:0] deskewed;
  ${Name}_skew #(
    .Lanes  (Cols),
    .Width  (AccW),
    .Reverse(1),
    .Shared (0),
    .Reset  (0)
  ) u_deskew (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (col_i),
    .out_o (deskewed)
  );

  // Sequencer: which row reaches the output register this cycle.
  reg            active_q;  // a drained row reaches the output register this cycle
  reg [RowW-1:0] row_q;     // its array row
//#if STOS
  reg            stos_q;    // the rows being collected come from an ST-OS fold
//#endif

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
      row_q    <= {RowW{1'b0}};
//#if STOS
      stos_q   <= 1'b0;
//#endif
    end else if (start_i) begin
      active_q <= 1'b1;
      row_q    <= LastRow;
//#if STOS
      stos_q   <= start_stos_i;
//#endif
    end else if (active_q) begin
      if (row_q == {RowW{1'b0}}) active_q <= 1'b0;
      else                       row_q    <= row_q - 1'b1;
    end
  end

  // Output registers.
  reg                 valid_q;  // out_valid_o
  reg [RowW-1:0]      orow_q;   // out_row_o
  reg [Cols*AccW-1:0] data_q;   // out_data_o (data, not reset)

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
      orow_q  <= {RowW{1'b0}};
    end else begin
      valid_q <= active_q;
      orow_q  <= active_q ? row_q : {RowW{1'b0}};
    end
  end

//#if STOS
  always @(posedge clk_i) data_q <= stos_q ? col_i : deskewed;
//#else
  always @(posedge clk_i) data_q <= deskewed;
//#endif

  assign out_valid_o = valid_q;
  assign out_row_o   = orow_q;
  assign out_data_o  = data_q;

endmodule
