// ${Name}_repl: null-cache replacement, free entry first, else tree pseudo-LRU.
//
// alloc_idx_o is the lowest invalid entry when one exists (alloc_evict_o = 0), otherwise the
// tree pseudo-LRU victim (alloc_evict_o = 1). free_found_o/free_idx_o give the lowest invalid
// entry alone (used by the split policy). Combinational outputs from the current state.
// Tree: P = 2^IdxW >= Entries leaves, P-1 node bits in heap order (node 1 is the root, node k
// has children 2k and 2k+1, leaf P+i is entry i); bit 0 = the victim is in the left (lower)
// subtree. The victim walk starts at the root and follows the bits, but a child subtree with
// no eligible leaf is skipped (the other child is taken). Eligible: every entry < Entries;
//#if SINGLETON
// singleton-first build: only entries with care == all ones (single lines) when at least one
// valid such entry exists, else every entry.
//#else
// (this build has no singleton-first preference).
//#endif
// touch_i at a rising edge sets every bit on the path of entry touch_idx_i (with touch_hot_i:
// the entry whose bit is set in the one-hot touch_line_i, e.g. the TCAM match lines, so the
// path comes from OR reductions of the lines instead of an encoded index) to point away from
// it (1 where the entry is in the left subtree, 0 where it is in the right). Reset and flush_i
// clear every bit; flush_i wins over touch_i. Invalidating an entry does not change the tree.
// Latency: outputs 0 cycles, touch/flush 1 cycle.
// Parameters: Entries (1..1024), LaW (singleton-first builds only, 1..62),
// IdxW (max(1, clog2(Entries))).
// Degenerate Entries = 1: no tree bits, the victim is entry 0.
module ${Name}_repl #(
  parameter Entries = 8,
//#if SINGLETON
  parameter LaW     = 27,
//#endif
  parameter IdxW    = 3
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire [Entries-1:0]     valid_i,      // TCAM valid bits
//#if SINGLETON
  input  wire [Entries*LaW-1:0] care_i,       // TCAM care masks
//#endif
  input  wire                   touch_i,      // touch entry touch_idx_i (or touch_line_i)
  input  wire [IdxW-1:0]        touch_idx_i,
  input  wire                   touch_hot_i,  // the touched entry is given one-hot ...
  input  wire [Entries-1:0]     touch_line_i, // ... here (at most one bit set)
  input  wire                   flush_i,      // clear the tree
  output wire                   free_found_o, // some entry is invalid
  output wire [IdxW-1:0]        free_idx_o,   // lowest invalid entry
  output wire [IdxW-1:0]        alloc_idx_o,  // entry a new line address takes
  output wire                   alloc_evict_o // alloc_idx_o holds a valid entry
);

  ${Name}_prio_enc #(
    .Width (Entries),
    .IdxW  (IdxW)
  ) u_free_enc (
    .req_i   (~valid_i),
    .valid_o (free_found_o),
    .idx_o   (free_idx_o)
  );

  wire [IdxW-1:0] victim;  // tree pseudo-LRU victim

  assign alloc_idx_o   = free_found_o ? free_idx_o : victim;
  assign alloc_evict_o = !free_found_o;

  generate
    if (Entries == 1) begin : g_one
      assign victim = {IdxW{1'b0}};
      wire unused_touch = touch_i ^ flush_i ^ (^touch_idx_i) ^ clk_i ^ rst_ni ^ touch_hot_i ^
                          (^touch_line_i);  // no tree
//#if SINGLETON
      wire unused_care = ^care_i;
//#endif
    end else begin : g_tree
      localparam P = 1 << IdxW;  // leaves

      reg  [P-2:0] tree_q;  // node k at bit k-1
      wire [P-2:0] tree_d;

      // One-hot touch: node k's subtree holds the touched entry (a balanced OR tree of the
      // one-hot line, leaves as in `has` below), so the path is known without encoding it.
      reg [2*P-2:0] hot_has;
      integer h;
      always @* begin
        hot_has = {(2*P-1){1'b0}};
        for (h = 0; h < Entries; h = h + 1) begin
          hot_has[P+h-1] = touch_line_i[h];
        end
        for (h = P - 1; h >= 1; h = h - 1) begin
          hot_has[h-1] = hot_has[2*h-1] | hot_has[2*h];
        end
      end
      wire unused_hot = hot_has[0];

      // Touch: node k at depth d (k in [2^d, 2^(d+1))) lies on the path of entry i when the
      // top d bits of i equal k - 2^d; it then points away from the child holding i.
      genvar d, k;
      for (d = 0; d < IdxW; d = d + 1) begin : g_depth
        for (k = (1 << d); k < (2 << d); k = k + 1) begin : g_node
          wire on_path;  // the touched entry is below this node
          if (d == 0) begin : g_root
            assign on_path = 1'b1;
          end else begin : g_inner
            localparam integer PosI = k - (1 << d);      // node's position within its depth
            localparam [d-1:0] Pos = PosI[d-1:0];
            assign on_path = touch_idx_i[IdxW-1 -: d] == Pos;
          end
          // Pointing away from the touched entry: right (1) when it is in the left subtree.
          wire on_path_any = touch_hot_i ? hot_has[k-1] : on_path;
          wire away        = touch_hot_i ? hot_has[2*k-1] : !touch_idx_i[IdxW-1-d];
          assign tree_d[k-1] = (touch_i && on_path_any) ? away : tree_q[k-1];
        end
      end

      always @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          tree_q <= {(P-1){1'b0}};
        end else if (flush_i) begin
          tree_q <= {(P-1){1'b0}};
        end else begin
          tree_q <= tree_d;
        end
      end

      // Eligible leaves and, per node, whether its subtree holds one (heap order, node k at
      // position k-1, leaf P+i at position P+i-1).
//#if SINGLETON
      reg [Entries-1:0] single;  // valid entry with care == all ones
      integer s;
      always @* begin
        for (s = 0; s < Entries; s = s + 1) begin
          single[s] = valid_i[s] && (&care_i[s*LaW +: LaW]);
        end
      end
      wire any_single = |single;
//#endif
      // Victim walk from the root: node k goes to child 2k + tree bit unless that subtree has
      // no eligible leaf (go = 1: right child). on_walk marks the nodes the walk visits; the
      // victim's bit at depth d is the direction taken at the visited node of depth d.
      reg [2*P-2:0]  has;      // node k's subtree holds an eligible leaf
      reg [P-2:0]    go;       // direction taken at node k
      reg [2*P-2:0]  on_walk;  // node k is visited
      integer n;
      always @* begin
        has = {(2*P-1){1'b0}};
        for (n = 0; n < Entries; n = n + 1) begin
//#if SINGLETON
          has[P+n-1] = !any_single || single[n];
//#else
          has[P+n-1] = 1'b1;
//#endif
        end
        for (n = P - 1; n >= 1; n = n - 1) begin
          has[n-1] = has[2*n-1] | has[2*n];
        end
        on_walk    = {(2*P-1){1'b0}};
        on_walk[0] = 1'b1;
        for (n = 1; n < P; n = n + 1) begin
          go[n-1]        = tree_q[n-1] ? has[2*n] : !has[2*n-1];
          on_walk[2*n-1] = on_walk[n-1] && !go[n-1];
          on_walk[2*n]   = on_walk[n-1] && go[n-1];
        end
      end
      // The victim's bit at depth dd: the direction taken at the visited node of that depth,
      // a balanced OR over the nodes of the depth (nodes 2^dd .. 2^(dd+1)-1).
      wire [P-2:0]    walk_right = on_walk[P-2:0] & go;  // visited and going right
      wire [IdxW-1:0] vic;                               // the victim
      genvar dd;
      for (dd = 0; dd < IdxW; dd = dd + 1) begin : g_vic
        assign vic[IdxW-1-dd] = |walk_right[(2 << dd) - 2 : (1 << dd) - 1];
      end
      // The walk's leaf flags are implied by vic, and the root always has an eligible leaf.
      wire unused_walk = ^{on_walk[2*P-2:P-1], has[0]};
      assign victim = vic;
    end
  endgenerate

endmodule
