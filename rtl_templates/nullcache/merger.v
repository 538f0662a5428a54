// ${Name}_merger: the address merger's partner search.
//
// For a key cube (key_val_i, key_care_i) finds the lowest-index valid entry j with
// care_j == key_care_i and exactly one set bit in d_j = (val_j ^ key_val_i) & key_care_i
// (found_o, idx_o). Merging entry j into the key gives (key_val_i & ~d_j, key_care_i & ~d_j),
// the exact union of the two cubes; the top reads d_j in the next cycle. A first-order merge
// uses the new line address as key with key_care_i = all ones; a cascade step uses the entry
// just merged (which never partners itself: its d is 0).
// Combinational, no state; found_o = 0 when no entry qualifies. Per entry: a balanced mask
// compare and a one-hot test of d built as a tree of (any, several) pairs, so the depth grows
// with log2(LaW), and a tree priority encoder over the partner lines (depth IdxW).
// Parameters: Entries (1..1024), LaW (1..62), IdxW (max(1, clog2(Entries))).
module ${Name}_merger #(
  parameter Entries = 8,
  parameter LaW     = 27,
  parameter IdxW    = 3
) (
  input  wire [LaW-1:0]         key_val_i,
  input  wire [LaW-1:0]         key_care_i,
  input  wire [Entries-1:0]     valid_i,
  input  wire [Entries*LaW-1:0] val_i,
  input  wire [Entries*LaW-1:0] care_i,
  output wire                   found_o,
  output wire [IdxW-1:0]        idx_o
);

  // Exactly one bit of d is set: pairs (any, several) combined in a balanced tree over 64
  // leaves (LaW <= 62), level by level in place: node i of a level is built from nodes 2i and
  // 2i+1 of the level below, which no later node of the level reads.
  function onehot;
    input [LaW-1:0] d;
    reg   [63:0]    any;  // some bit of the node's range is set
    reg   [63:0]    sev;  // two or more bits of the node's range are set
    integer n, lvl;
    begin
      any = 64'd0;
      sev = 64'd0;
      any[LaW-1:0] = d;
      for (lvl = 32; lvl >= 1; lvl = lvl / 2) begin
        for (n = 0; n < lvl; n = n + 1) begin
          sev[n] = sev[2*n] | sev[2*n+1] | (any[2*n] & any[2*n+1]);
          any[n] = any[2*n] | any[2*n+1];
        end
      end
      onehot = any[0] & !sev[0];
    end
  endfunction

  // Partner lines: entry j has the key's care mask and differs from it in one cared bit.
  // (One continuous assignment per entry: a generate loop keeps the frontend fast at 1024.)
  wire [Entries-1:0] partner;
  genvar j;
  generate
    for (j = 0; j < Entries; j = j + 1) begin : g_entry
      assign partner[j] = valid_i[j] && (care_i[j*LaW +: LaW] == key_care_i) &&
                          onehot((val_i[j*LaW +: LaW] ^ key_val_i) & key_care_i);
    end
  endgenerate

  ${Name}_prio_enc #(
    .Width (Entries),
    .IdxW  (IdxW)
  ) u_partner_enc (
    .req_i   (partner),
    .valid_o (found_o),
    .idx_o   (idx_o)
  );

endmodule
