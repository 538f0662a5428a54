//#if STOS
// ${Name}_array: the Rows x Cols grid of ${Name}_pe with row broadcast lines and column drain.
//#else
// ${Name}_array: the Rows x Cols grid of ${Name}_pe with its column drain.
//#endif
/*
 * What it computes
 *   PE (i, j) takes its left operand and GEMM control from PE (i, j-1) (array row i's skewed
 *   stream a_i / en_i / hoff_i for j = 0) and its vertical operand from PE (i-1, j) (skewed
 *   column stream b_i for i = 0), so a GEMM slice meets PE (i, j) one cycle after it left the
 *   skew of row i and column j.
 *   Input stage (BcastGroup > 0): every input is registered once before it enters the grid
 *   (one cycle more from the inputs to every PE); BcastGroup = 0 feeds the grid directly.
//#if STOS
 *   Row broadcast (ST-OS): the skewed row control bc_en_i is the 2:1 mux select (DataEn) of
 *   every PE of the row, so all of them load the skewed tap w_i into top_q on the same edge;
 *   the row control is registered (bc_en_q, bc_hoff_q) and broadcast with it, so the whole
 *   row performs its MAC on the following edge. With BcastGroup > 0 the tap, the select and
 *   the control are registered once per BcastGroup columns (register copies with the same
 *   timing), so no broadcast register drives more than BcastGroup PEs.
//#endif
 *   Column drain: when the bottom PE (Rows-1, j) hands off, column j's drain thermometer is
 *   loaded; in drain step s (s = 0 .. Rows-1) PE (i, j) takes the out_q of the PE above iff
 *   s < i, so the bottom out_q presents row Rows-1-s. col_o is the bottom row's out_q.
 * Latency
 *   GEMM: operands of PE (i, j) registered 1 + I cycles after the skewed row-i / column-j
 *   inputs (I = 1 with BcastGroup > 0, else 0); its hand-off writes out_q MacStages edges
 *   later.
//#if STOS
 *   ST-OS: operands registered 1 + I cycles after the skewed row-i tap, hand-off as GEMM.
//#endif
 *   Drain of column j starts the cycle after its bottom PE wrote out_q and takes Rows cycles.
 * Invariants
 *   Control is reset by rst_ni; operand, accumulator and out_q registers are not.
 *   last_hoff_o: PE (Rows-1, Cols-1) writes out_q with a hand-off at this edge (the drain of
 *   the last column starts next cycle).
//#if STOS
 *   stos_hoff_o: the bottom row writes out_q with an ST-OS hand-off at this edge (then so
 *   does every column, and last_hoff_o is set too).
//#endif
 * Parameters
 *   Rows, Cols (1..256), DataW, AccW, MacStages as in ${Name}_pe; BcastGroup (0..256).
 */
module ${Name}_array #(
  parameter integer Rows  = ${Rows},
  parameter integer Cols  = ${Cols},
  parameter integer DataW = ${DataW},
  parameter integer AccW  = ${AccW},
  parameter integer MacStages = ${MacStages},
  parameter integer BcastGroup = ${BcastGroup}
) (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire [Rows*DataW-1:0] a_i,          // skewed left operands, row r at [r*DataW +: DataW]
  input  wire [Rows-1:0]       en_i,         // skewed GEMM MAC enable of each row
  input  wire [Rows-1:0]       hoff_i,       // skewed GEMM hand-off of each row
  input  wire [Cols*DataW-1:0] b_i,          // skewed top operands, column c at [c*DataW +: DataW]
//#if STOS
  input  wire [Rows*DataW-1:0] w_i,          // skewed broadcast taps, row r at [r*DataW +: DataW]
  input  wire [Rows-1:0]       bc_en_i,      // skewed ST-OS MAC enable of each row (DataEn)
  input  wire [Rows-1:0]       bc_hoff_i,    // skewed ST-OS hand-off of each row
  output wire                  stos_hoff_o,  // the bottom row hands off an ST-OS fold now
//#endif
  output wire [Cols*AccW-1:0]  col_o,        // out_q of the bottom PE of each column
  output wire                  last_hoff_o   // PE (Rows-1, Cols-1) hands off at this edge
);

  // PE outputs, PE (r, c) at index r * Cols + c. One array element per PE (not one flat
  // Rows*Cols-wide vector): simulators then update each PE's nets on their own, so the cost
  // of evaluating the grid grows linearly with the number of PEs.
  wire [DataW-1:0] left_q  [0:Rows*Cols-1];  // left operand forwarded right
  wire             en_q    [0:Rows*Cols-1];  // GEMM MAC enable forwarded right
  wire             hoff_q  [0:Rows*Cols-1];  // GEMM hand-off forwarded right
  wire [DataW-1:0] top_q   [0:Rows*Cols-1];  // top operand forwarded down
  wire             shift_q [0:Rows*Cols-1];  // drain thermometer forwarded down
  wire [AccW-1:0]  out_q   [0:Rows*Cols-1];  // out_q forwarded down
  wire             hand_q  [0:Rows*Cols-1];  // the PE writes out_q with a hand-off at this edge
  wire             hand_nq [0:Rows*Cols-1];  // ... at the next edge (MacStages = 3)
  // Column drain start: the bottom PE hands off at this edge. With MacStages = 3 and
  // BcastGroup > 0 the bottom PE's hand_q is copied once per BcastGroup rows (the copies take
  // its input hand_next_o and its reset, so they equal it), so no register drives more than
  // BcastGroup drain thermometer bits; copy k of column c at c * DrainCopies + k, row r listens
  // to copy r / BcastGroup. Otherwise one line per column, hand_o of the bottom PE.
  localparam integer DrainCopies =
      (MacStages == 3 && BcastGroup > 0) ? (Rows + BcastGroup - 1) / BcastGroup : 1;
  wire [Cols*DrainCopies-1:0] drain_start;

  // Input stage (BcastGroup > 0): every input registered once, so the grid's edge PEs are fed
  // by registers of this module; without it (BcastGroup = 0) the inputs go straight to them.
  wire [Rows*DataW-1:0] a_s;
  wire [Rows-1:0]       en_s;
  wire [Rows-1:0]       hoff_s;
  wire [Cols*DataW-1:0] b_s;
  generate
    if (BcastGroup > 0) begin : g_in_reg
      reg [Rows*DataW-1:0] in_a_q;     // data, not reset
      reg [Cols*DataW-1:0] in_b_q;     // data, not reset
      reg [Rows-1:0]       in_en_q;    // control
      reg [Rows-1:0]       in_hoff_q;  // control
      always @(posedge clk_i) begin
        in_a_q <= a_i;
        in_b_q <= b_i;
      end
      always @(posedge clk_i${RstEvent}) begin
        if (!rst_ni) begin
          in_en_q   <= {Rows{1'b0}};
          in_hoff_q <= {Rows{1'b0}};
        end else begin
          in_en_q   <= en_i;
          in_hoff_q <= hoff_i;
        end
      end
      assign a_s    = in_a_q;
      assign b_s    = in_b_q;
      assign en_s   = in_en_q;
      assign hoff_s = in_hoff_q;
    end else begin : g_in_wire
      assign a_s    = a_i;
      assign b_s    = b_i;
      assign en_s   = en_i;
      assign hoff_s = hoff_i;
    end
  endgenerate

//#if STOS
  localparam integer Copies = (BcastGroup > 0) ? (Cols + BcastGroup - 1) / BcastGroup : 1;
  // Row broadcast lines, copy k of row r at index r * Copies + k; PE (r, c) listens to copy
  // c / BcastGroup. BcastGroup > 0: tap, select and control registered once per copy (the
  // input stage of the broadcast), and the control once more (the MAC follows the operand
  // edge), so no broadcast register drives more than BcastGroup PEs. BcastGroup = 0: one copy;
  // the tap and select come straight from the inputs, the control is registered once per row.
  // The copies' always blocks carry (* keep *): their registers have the same inputs, and
  // Yosys would merge them back into one otherwise.
  wire [DataW-1:0] bc_data [0:Rows*Copies-1];  // tap loaded into top_q
  wire             bc_sel  [0:Rows*Copies-1];  // top_q takes the tap (DataEn)
  wire             bc_en_q [0:Rows*Copies-1];  // ST-OS MAC at the edge ending this cycle
  wire             bc_hoff_q [0:Rows*Copies-1];  // ... with hand-off
  genvar rb, cb;
  generate
    for (rb = 0; rb < Rows; rb = rb + 1) begin : g_bcast
      for (cb = 0; cb < Copies; cb = cb + 1) begin : g_copy
        localparam integer Bi = rb * Copies + cb;
        reg row_en_q;    // ST-OS MAC of row rb at the edge ending this cycle
        reg row_hoff_q;  // ... with hand-off
        wire sel_d;
        wire hoff_d;
        if (BcastGroup > 0) begin : g_reg
          reg [DataW-1:0] data_q;  // tap (data, not reset)
          reg             sel_q;   // select
          reg             hpre_q;  // hand-off, one edge ahead of row_hoff_q
          (* keep *) always @(posedge clk_i) data_q <= w_i[rb*DataW +: DataW];
          (* keep *) always @(posedge clk_i${RstEvent}) begin
            if (!rst_ni) begin
              sel_q  <= 1'b0;
              hpre_q <= 1'b0;
            end else begin
              sel_q  <= bc_en_i[rb];
              hpre_q <= bc_hoff_i[rb];
            end
          end
          assign bc_data[Bi] = data_q;
          assign sel_d       = sel_q;
          assign hoff_d      = hpre_q;
        end else begin : g_wire
          assign bc_data[Bi] = w_i[rb*DataW +: DataW];
          assign sel_d       = bc_en_i[rb];
          assign hoff_d      = bc_hoff_i[rb];
        end
        (* keep *) always @(posedge clk_i${RstEvent}) begin
          if (!rst_ni) begin
            row_en_q   <= 1'b0;
            row_hoff_q <= 1'b0;
          end else begin
            row_en_q   <= sel_d;
            row_hoff_q <= hoff_d;
          end
        end
        assign bc_sel[Bi]    = sel_d;
        assign bc_en_q[Bi]   = row_en_q;
        assign bc_hoff_q[Bi] = row_hoff_q;
      end
    end
  endgenerate
  // The bottom row's ST-OS hand-off, delayed through the MAC pipeline to the edge at which its
  // PEs write out_q (and the columns' drains start).
  wire bottom_hoff = bc_hoff_q[(Rows-1)*Copies];
  generate
    if (MacStages == 1) begin : g_stos_hoff
      assign stos_hoff_o = bottom_hoff;
    end else begin : g_stos_hoff_pipe
      reg  [MacStages-2:0] stos_hoff_q;  // stage k: the bottom row's hand-off k + 1 edges ago
      wire [MacStages-1:0] chain = {stos_hoff_q, bottom_hoff};
      always @(posedge clk_i${RstEvent}) begin
        if (!rst_ni) stos_hoff_q <= {(MacStages-1){1'b0}};
        else         stos_hoff_q <= chain[MacStages-2:0];
      end
      assign stos_hoff_o = chain[MacStages-1];
    end
  endgenerate
//#endif

  genvar r, c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_drain
      if (DrainCopies > 1) begin : g_start_copies
        genvar k;
        for (k = 0; k < DrainCopies; k = k + 1) begin : g_copy
          reg start_q;  // the bottom PE's hand_q, copy k (same input and reset)
          (* keep *) always @(posedge clk_i${RstEvent}) begin
            if (!rst_ni) start_q <= 1'b0;
            else         start_q <= hand_nq[(Rows-1)*Cols + c];
          end
          assign drain_start[c*DrainCopies + k] = start_q;
        end
      end else begin : g_start
        assign drain_start[c] = hand_q[(Rows-1)*Cols + c];
      end
      assign col_o[c*AccW +: AccW] = out_q[(Rows-1)*Cols + c];
    end

    for (r = 0; r < Rows; r = r + 1) begin : g_row
      for (c = 0; c < Cols; c = c + 1) begin : g_col
        localparam integer Idx = r * Cols + c;
        localparam integer Di  = c * DrainCopies + ((DrainCopies > 1) ? r / BcastGroup : 0);
//#if STOS
        localparam integer Bi = r * Copies + ((BcastGroup > 0) ? c / BcastGroup : 0);
//#endif
        wire [DataW-1:0] left_in;
        wire             en_in;
        wire             hoff_in;
        wire [DataW-1:0] top_in;
        wire             shift_in;
        wire [AccW-1:0]  out_in;

        if (c == 0) begin : g_left_edge
          assign left_in = a_s[r*DataW +: DataW];
          assign en_in   = en_s[r];
          assign hoff_in = hoff_s[r];
        end else begin : g_left_pe
          assign left_in = left_q[Idx-1];
          assign en_in   = en_q[Idx-1];
          assign hoff_in = hoff_q[Idx-1];
        end

        if (r == 0) begin : g_top_edge
          assign top_in   = b_s[c*DataW +: DataW];
          assign shift_in = 1'b0;
          assign out_in   = {AccW{1'b0}};
        end else begin : g_top_pe
          assign top_in   = top_q[Idx-Cols];
          assign shift_in = shift_q[Idx-Cols];
          assign out_in   = out_q[Idx-Cols];
        end

        // Outputs that leave the grid unused: right edge (operand, control), bottom edge
        // (operand, drain thermometer).
        if (c == Cols - 1) begin : g_right_sink
          wire unused_right;
          assign unused_right = ^left_q[Idx] ^ en_q[Idx];
        end
        if (c == Cols - 1) begin : g_hoff_sink
          wire unused_hoff;
          assign unused_hoff = hoff_q[Idx];
        end
        // Hand-off flags not used for this PE (the drain start and last_hoff_o use the bottom
        // row's, the copies their hand_next_o): one sink for all.
        wire unused_hand;
        assign unused_hand = hand_q[Idx] ^ hand_nq[Idx];
        if (r == Rows - 1) begin : g_bottom_sink
          wire unused_bottom;
          assign unused_bottom = ^top_q[Idx] ^ shift_q[Idx];
        end

        ${Name}_pe #(
          .DataW    (DataW),
          .AccW     (AccW),
          .MacStages(MacStages),
          .HasAbove ((r == 0) ? 0 : 1)
        ) u_pe (
          .clk_i        (clk_i),
          .rst_ni       (rst_ni),
          .left_i       (left_in),
          .en_i         (en_in),
          .hoff_i       (hoff_in),
          .left_o       (left_q[Idx]),
          .en_o         (en_q[Idx]),
          .hoff_o       (hoff_q[Idx]),
          .top_i        (top_in),
          .top_o        (top_q[Idx]),
//#if STOS
          .bc_sel_i     (bc_sel[Bi]),
          .bc_data_i    (bc_data[Bi]),
          .bc_en_i      (bc_en_q[Bi]),
          .bc_hoff_i    (bc_hoff_q[Bi]),
//#endif
          .hand_o       (hand_q[Idx]),
          .hand_next_o  (hand_nq[Idx]),
          .drain_start_i(drain_start[Di]),
          .drain_shift_i(shift_in),
          .drain_shift_o(shift_q[Idx]),
          .out_i        (out_in),
          .out_o        (out_q[Idx])
        );
      end
    end
  endgenerate

  assign last_hoff_o = hand_q[Rows*Cols-1];  // PE (Rows-1, Cols-1)

endmodule
