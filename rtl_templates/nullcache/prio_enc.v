// ${Name}_prio_enc: lowest-index priority encoder over Width request lines.
//
// Computes valid_o = |req_i and idx_o = the lowest i with req_i[i] set (0 when none is set).
// Combinational, no state. Built as a balanced binary tree in heap order (node 1 is the root,
// node k has children 2k and 2k+1, leaf P + i is request i, P = 2^IdxW >= Width), so the depth
// is IdxW 2:1 multiplexers for any Width up to 1024; leaves beyond Width are tied off.
// Invariant: when valid_o is 1, req_i[idx_o] is 1 and req_i[j] is 0 for every j < idx_o.
// Parameters: Width (1..1024 request lines), IdxW (index width, max(1, clog2(Width))).
// Degenerate Width = 1: idx_o is constant 0.
module ${Name}_prio_enc #(
  parameter Width = 8,
  parameter IdxW  = 3
) (
  input  wire [Width-1:0] req_i,
  output wire             valid_o,
  output wire [IdxW-1:0]  idx_o
);

  generate
    if (Width == 1) begin : g_single
      assign valid_o = req_i[0];
      assign idx_o   = {IdxW{1'b0}};
    end else begin : g_tree
      localparam P = 1 << IdxW;  // leaves of the tree

      // Node k (1 .. 2P-1) is stored at position k-1: node_v = some request in its subtree,
      // node_ix = the lowest requesting index in its subtree. Leaves first, then the inner
      // nodes from the bottom up (one block, so no signal feeds back into itself).
      reg [2*P-2:0]          node_v;
      reg [(2*P-1)*IdxW-1:0] node_ix;
      integer k;
      always @* begin
        // Every bit is assigned below (no latch): leaves, then inner nodes.
        for (k = 0; k < P; k = k + 1) begin
          node_v[P+k-1] = (k < Width) ? req_i[k % Width] : 1'b0;
          node_ix[(P+k-1)*IdxW +: IdxW] = k[IdxW-1:0];
        end
        for (k = P - 1; k >= 1; k = k - 1) begin
          node_v[k-1] = node_v[2*k-1] | node_v[2*k];
          node_ix[(k-1)*IdxW +: IdxW] = node_v[2*k-1] ? node_ix[(2*k-1)*IdxW +: IdxW]
                                                       : node_ix[(2*k)*IdxW +: IdxW];
        end
      end

      assign valid_o = node_v[0];
      assign idx_o   = node_ix[0 +: IdxW];
    end
  endgenerate

endmodule
