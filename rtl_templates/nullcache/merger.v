// ${Name}_merger: the address merger's partner search.
//
// For a key cube (key_val_i, key_care_i) finds the lowest-index valid entry j with
// care_j == key_care_i and exactly one set bit in d_j = (val_j ^ key_val_i) & key_care_i,
// and outputs the merged cube (key_val_i & ~d, key_care_i & ~d), the exact union of the key and
// entry j. A first-order merge uses the new line address as key with key_care_i = all ones;
// a cascade step uses the entry just merged (which never partners itself: its d is 0).
// Combinational, no state; found_o = 0 when no entry qualifies (the merged outputs then equal
// the key). The one-hot test is a per-bit (any, many) chain, O(LaW) gates per entry.
// Invariant: merged_care_o has exactly one bit fewer than key_care_i when found_o.
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
  output wire [IdxW-1:0]        idx_o,
  output wire [LaW-1:0]         merged_val_o,
  output wire [LaW-1:0]         merged_care_o
);

  // Exactly one bit of d is set: a per-bit (any, many) chain, LaW gates.
  function onehot;
    input [LaW-1:0] d;
    integer b;
    reg     any;   // some bit below b is set
    reg     many;  // two or more bits below b are set
    begin
      any  = 1'b0;
      many = 1'b0;
      for (b = 0; b < LaW; b = b + 1) begin
        many = many | (any & d[b]);
        any  = any | d[b];
      end
      onehot = any & !many;
    end
  endfunction

  // Partner lines: entry j has the key's care mask and differs from it in one cared bit.
  reg [Entries-1:0] partner;
  integer j;
  always @* begin
    for (j = 0; j < Entries; j = j + 1) begin
      partner[j] = valid_i[j] && (care_i[j*LaW +: LaW] == key_care_i) &&
                   onehot((val_i[j*LaW +: LaW] ^ key_val_i) & key_care_i);
    end
  end

  ${Name}_prio_enc #(
    .Width (Entries),
    .IdxW  (IdxW)
  ) u_partner_enc (
    .req_i   (partner),
    .valid_o (found_o),
    .idx_o   (idx_o)
  );

  // The differing bit of the selected partner (0 when there is none), an AND-OR selection.
  reg [LaW-1:0] sel_d;
  integer k;
  always @* begin
    sel_d = {LaW{1'b0}};
    for (k = 0; k < Entries; k = k + 1) begin
      sel_d = sel_d | ({LaW{found_o && (idx_o == k[IdxW-1:0])}} &
                       (val_i[k*LaW +: LaW] ^ key_val_i) & key_care_i);
    end
  end

  assign merged_val_o  = key_val_i & ~sel_d;
  assign merged_care_o = key_care_i & ~sel_d;

endmodule
