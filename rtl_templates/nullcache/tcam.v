// ${Name}_tcam: the null cache's ternary CAM of line addresses.
//
// Entries x (valid, val[LaW], care[LaW]) in flip-flops. Entry i matches key_i when
// valid && ((key_i ^ val) & care) == 0 (care 0 = don't care, X); the match lines match_o are
// combinational from key_i and the current state, and the lowest matching index is encoded
// (hit_o, hit_idx_o). The whole state is also output (valid_o, val_o, care_o, entry i at
// [i*LaW +: LaW]) for the address merger and the replacement logic.
// Writes take effect at the rising clock edge, all in the same cycle:
//   wr_en_i:  entry wr_idx_i := (1, wr_val_i & wr_care_i, wr_care_i)  (stored canonical);
//   clr_en_i: entry clr_idx_i := invalid (ignored when it is also the written entry);
//   flush_i:  every entry invalid (wins over both).
//#if SPLIT
// used_o counts the valid entries (kept incrementally: +1 for a write into an invalid entry,
// -1 for a clear of a valid one, 0 after flush/reset).
//#endif
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
  input  wire [LaW-1:0]         key_i,      // search key: a line address
  output wire [Entries-1:0]     match_o,    // per-entry match line
  output wire                   hit_o,      // some entry matches key_i
  output wire [IdxW-1:0]        hit_idx_o,  // lowest matching entry
  input  wire                   wr_en_i,    // write an entry
  input  wire [IdxW-1:0]        wr_idx_i,
  input  wire [LaW-1:0]         wr_val_i,
  input  wire [LaW-1:0]         wr_care_i,
  input  wire                   clr_en_i,   // invalidate an entry
  input  wire [IdxW-1:0]        clr_idx_i,
  input  wire                   flush_i,    // invalidate all entries
//#if SPLIT
  output wire [IdxW:0]          used_o,     // number of valid entries
//#endif
  output wire [Entries-1:0]     valid_o,
  output wire [Entries*LaW-1:0] val_o,
  output wire [Entries*LaW-1:0] care_o
);

  // The metacomments let a Verilated testbench read the table; other tools ignore them.
  reg [Entries-1:0]     valid_q;  // entry holds a cube
  reg [Entries*LaW-1:0] val_q;    // fixed bits, 0 where care is 0
  reg [Entries*LaW-1:0] care_q;   // 1 = compared bit

  assign valid_o = valid_q;
  assign val_o   = val_q;
  assign care_o  = care_q;

  // Match lines: one comparator per entry.
  reg [Entries-1:0] match;
  integer i;
  always @* begin
    for (i = 0; i < Entries; i = i + 1) begin
      match[i] = valid_q[i] &&
                 (((key_i ^ val_q[i*LaW +: LaW]) & care_q[i*LaW +: LaW]) == {LaW{1'b0}});
    end
  end
  assign match_o = match;

  // Next valid bits: the clear, then the write (a write wins over a clear of the same entry).
  // Loops over constant indices: a decoder per entry, no variable-index writes.
  reg [Entries-1:0] valid_d;
  always @* begin
    valid_d = valid_q;
    for (i = 0; i < Entries; i = i + 1) begin
      if (clr_en_i && (clr_idx_i == i[IdxW-1:0])) valid_d[i] = 1'b0;
      if (wr_en_i && (wr_idx_i == i[IdxW-1:0])) valid_d[i] = 1'b1;
    end
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= {Entries{1'b0}};
    end else if (flush_i) begin
      valid_q <= {Entries{1'b0}};
    end else begin
      valid_q <= valid_d;
    end
  end

  integer w;
  always @(posedge clk_i) begin
    for (w = 0; w < Entries; w = w + 1) begin
      if (wr_en_i && (wr_idx_i == w[IdxW-1:0])) begin
        val_q[w*LaW +: LaW]  <= wr_val_i & wr_care_i;
        care_q[w*LaW +: LaW] <= wr_care_i;
      end
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
//#if SPLIT

  // Valid-entry counter for the split policy's "enough free entries" check.
  reg  [IdxW:0] used_q;                                      // valid entries
  wire          wr_new  = wr_en_i && !valid_q[wr_idx_i];     // write makes an entry valid
  wire          clr_old = clr_en_i && valid_q[clr_idx_i] &&
                          !(wr_en_i && (wr_idx_i == clr_idx_i));  // clear removes one
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      used_q <= {(IdxW+1){1'b0}};
    end else if (flush_i) begin
      used_q <= {(IdxW+1){1'b0}};
    end else if (wr_new && !clr_old) begin
      used_q <= used_q + 1'b1;
    end else if (clr_old && !wr_new) begin
      used_q <= used_q - 1'b1;
    end
  end
  assign used_o = used_q;
//#endif

endmodule
