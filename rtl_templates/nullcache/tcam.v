// ${Name}_tcam: the null cache's ternary CAM of line addresses.
//
// Entries x (valid, val[LaW], care[LaW]) in flip-flops. Entry i matches key_i when
// valid && ((key_i ^ val) & care) == 0 (care 0 = don't care, X); the match lines match_o are
// combinational from key_i and the current state (one comparator per entry, a balanced AND per
// line), and the lowest matching index is encoded by a tree priority encoder (hit_o,
// hit_idx_o). The whole state is also output (valid_o, val_o, care_o, entry i at
// [i*LaW +: LaW]) for the address merger and the replacement logic.
// Writes take effect at the rising clock edge, all in the same cycle:
//   wr_en_i:     entry wr_idx_i := (1, wr_val_i & wr_care_i, wr_care_i)  (stored canonical);
//   clr_en_i:    entry clr_idx_i := invalid;
//   clr_match_i: every entry whose match line is set := invalid;
//   flush_i:     every entry invalid (wins over the others).
// A write wins over a clear of the same entry. Every write select is decoded per entry from an
// index (no variable-index writes), so no logic chain grows with Entries.
// Latency: match 0 cycles (combinational), writes 1 cycle. Reset clears every valid bit; val and
// care are not reset (they are don't-care while invalid).
// Invariant: a valid entry has val & ~care == 0.
// Parameters: Entries (1..1024), LaW (line-address width 1..62), IdxW (max(1, clog2(Entries))).
module ${Name}_tcam #(
  parameter Entries = 8,
  parameter LaW     = 27,
  parameter IdxW    = 3
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire [LaW-1:0]         key_i,        // search key: a line address
  output wire [Entries-1:0]     match_o,      // per-entry match line
  output wire                   hit_o,        // some entry matches key_i
  output wire [IdxW-1:0]        hit_idx_o,    // lowest matching entry
  input  wire                   wr_en_i,      // write an entry
  input  wire [IdxW-1:0]        wr_idx_i,
  input  wire [LaW-1:0]         wr_val_i,
  input  wire [LaW-1:0]         wr_care_i,
  input  wire                   clr_en_i,     // invalidate an entry
  input  wire [IdxW-1:0]        clr_idx_i,
  input  wire                   clr_match_i,  // invalidate every matching entry
  input  wire                   flush_i,      // invalidate all entries
  output wire [Entries-1:0]     valid_o,
  output wire [Entries*LaW-1:0] val_o,
  output wire [Entries*LaW-1:0] care_o
);

  reg [Entries-1:0]     valid_q;  // entry holds a cube
  reg [Entries*LaW-1:0] val_q;    // fixed bits, 0 where care is 0
  reg [Entries*LaW-1:0] care_q;   // 1 = compared bit

  assign valid_o = valid_q;
  assign val_o   = val_q;
  assign care_o  = care_q;

  // Per entry (a generate loop: one small block each, which keeps the frontend fast at 1024):
  // the match line, and the next valid bit (the clears, then the write: a write wins over a
  // clear of the same entry), and the val/care write decoded from wr_idx_i.
  wire [Entries-1:0] valid_d;
  genvar i;
  generate
    for (i = 0; i < Entries; i = i + 1) begin : g_entry
      localparam [IdxW-1:0] Idx = i;
      wire wr_here = wr_en_i && (wr_idx_i == Idx);
      assign match_o[i] = valid_q[i] &&
                          (((key_i ^ val_q[i*LaW +: LaW]) & care_q[i*LaW +: LaW]) == {LaW{1'b0}});
      assign valid_d[i] = wr_here || (valid_q[i] && !(clr_en_i && (clr_idx_i == Idx)) &&
                                      !(clr_match_i && match_o[i]));
      always @(posedge clk_i) begin
        if (wr_here) begin
          val_q[i*LaW +: LaW]  <= wr_val_i & wr_care_i;
          care_q[i*LaW +: LaW] <= wr_care_i;
        end
      end
    end
  endgenerate

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= {Entries{1'b0}};
    end else if (flush_i) begin
      valid_q <= {Entries{1'b0}};
    end else begin
      valid_q <= valid_d;
    end
  end

  ${Name}_prio_enc #(
    .Width (Entries),
    .IdxW  (IdxW)
  ) u_hit_enc (
    .req_i   (match_o),
    .valid_o (hit_o),
    .idx_o   (hit_idx_o)
  );

endmodule
