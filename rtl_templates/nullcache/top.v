// ${Name}_top: SparseCache null cache (TCAM of zero-line addresses, ZDA, address merger,
// replacement), driven by an L1 controller over one request/response channel.
//
// Requests are taken when req_valid_i && req_ready_o at a rising edge; each one produces
// exactly one response, in order, as a one-cycle pulse of rsp_valid_o (rsp_* fields are only
// meaningful with it). Operations (req_op_i):
//   0 LOOKUP  req_la_i covered?  rsp_hit_o/rsp_idx_o (lowest matching entry); with
//             req_touch_i a hit touches the pseudo-LRU tree.               1 cycle, pipelined
//   1 INSERT  add line address req_la_i: already covered (rsp_hit_o) -> nothing;
//             else merge into the lowest same-mask distance-one singleton (rsp_merged_o) and
//             cascade (rsp_cascade_o steps, one per cycle); else allocate the lowest free
//             entry or the replacement victim (rsp_evicted_o). rsp_idx_o = covering entry.
//                                                  1 cycle, or 2 + cascade steps after a merge
//   2 FILL    ZDA on req_line_i (rsp_zero_o, rsp_approx_o); a zero line is then INSERTed
//             (same fields and timing as INSERT), a non-zero line changes nothing (1 cycle).
//   3 STORE   store into req_la_i with data non-zero (req_nonzero_i) or zero: rsp_hit_o =
//             covered, rsp_idx_o = covering entry. Zero store: touch. Non-zero store:
//#if SPLIT
//             split into k cubes (rsp_split_o, rsp_new_o = k-1 new entries, written
//             one per cycle: k cycles) when the entry has k >= 1 X bits and k-1 entries are
//             free, else invalidate (rsp_inval_o).
//#else
//             invalidate the covering entry (rsp_inval_o, policy invalidate).    1 cycle
//#endif
//   4 FLUSH   every entry invalid, tree cleared (the reset state).                1 cycle
//   5..7      reserved: no effect, an all-zero response.                          1 cycle
// "n cycles" = the response is valid n cycles after the accepting edge's cycle; req_ready_o is
// low while a multi-cycle operation runs (it rises in the cycle its response is valid).
// Tie-breaks: the lowest index wins (matching entry, merge partner, free entry); fusegen's
// golden null-cache model makes the same choices and is checked against this RTL entry by entry.
// Invariants: entries pairwise disjoint and canonical (I3); at most one match line is set.
// Parameters: none to override. The sizes are localparams and the port widths numbers, so an
// override (-GEntries=...) cannot disagree with the ports; regenerate for another size.
// Entries (1..1024), LaW (line-address width, 1..62), IdxW (max(1,clog2(Entries))), LineW
// (fill-line bits), ElemW/ZdaMode/ZdaThresh/ZdaExpThresh (see ${Name}_zda), CntW
// (max(1, clog2(LaW+1)), width of the merge/split counts).
// Simulation checks: a protocol violation (two matching entries, I3) prints
// "<instance>: ERROR: ..." on stderr and calls $stop; under FORMAL it is an assertion; absent when
// SYNTHESIS is defined.
module ${Name}_top (
  input  wire             clk_i,
  input  wire             rst_ni,         // asynchronous, active low
  input  wire             req_valid_i,
  output wire             req_ready_o,
  input  wire [2:0]       req_op_i,       // 0 lookup, 1 insert, 2 fill, 3 store, 4 flush
  input  wire [${LaW}-1:0]   req_la_i,       // line address (byte address >> log2(line bytes))
  input  wire             req_touch_i,    // lookup: a hit touches the replacement tree
  input  wire             req_nonzero_i,  // store: the written data is not all zero
  input  wire [${LineW}-1:0] req_line_i,     // fill: the line read from memory, byte b at [8b+:8]
  output wire             rsp_valid_o,
  output wire             rsp_hit_o,      // covered before the operation
  output wire [${IdxW}-1:0]  rsp_idx_o,      // matching / covering entry
  output wire             rsp_zero_o,     // fill: the ZDA counted the line as zero
  output wire             rsp_approx_o,   // fill: zero only by approximation
  output wire             rsp_merged_o,   // insert: first-order merge
  output wire [${CntW}-1:0]  rsp_cascade_o,  // insert: higher-order merge steps (entries freed)
  output wire             rsp_evicted_o,  // insert: a valid entry was replaced
  output wire             rsp_inval_o,    // store: the covering entry was invalidated
  output wire             rsp_split_o,    // store: the covering entry was split
  output wire [${CntW}-1:0]  rsp_new_o       // store: entries allocated by the split
);

  // The size of this build (not overridable: see the header).
  localparam Entries      = ${Entries};
  localparam LaW          = ${LaW};
  localparam IdxW         = ${IdxW};
  localparam LineW        = ${LineW};
  localparam ElemW        = ${ElemW};
  localparam ZdaMode      = ${ZdaMode};
  localparam ZdaThresh    = ${ZdaThresh};
  localparam ZdaExpThresh = ${ZdaExpThresh};
  localparam CntW         = ${CntW};

  localparam [2:0] OpLookup = 3'd0;
  localparam [2:0] OpInsert = 3'd1;
  localparam [2:0] OpFill   = 3'd2;
  localparam [2:0] OpStore  = 3'd3;
  localparam [2:0] OpFlush  = 3'd4;

  localparam [1:0] StIdle    = 2'd0;  // accepting requests
  localparam [1:0] StCascade = 2'd1;  // higher-order merges of entry cur_idx_q
//#if SPLIT
  localparam [1:0] StSplit   = 2'd2;  // writing split cubes 2..k
//#endif

  localparam [LaW-1:0] Full = {LaW{1'b1}};  // all bits compared

  // ---------------------------------------------------------------- state
  reg  [1:0]      state_q, state_d;
  reg  [IdxW-1:0] cur_idx_q, cur_idx_d;    // cascade: the entry being merged into
  reg  [LaW-1:0]  cur_val_q, cur_val_d;    // cascade: its cube (a copy of the TCAM entry)
  reg  [LaW-1:0]  cur_care_q, cur_care_d;

  reg             rsp_valid_q, rsp_valid_d;
  reg             rsp_hit_q, rsp_hit_d;
  reg  [IdxW-1:0] rsp_idx_q, rsp_idx_d;
  reg             rsp_zero_q, rsp_zero_d;
  reg             rsp_approx_q, rsp_approx_d;
  reg             rsp_merged_q, rsp_merged_d;
  reg  [CntW-1:0] rsp_cascade_q, rsp_cascade_d;
  reg             rsp_evicted_q, rsp_evicted_d;
  reg             rsp_inval_q, rsp_inval_d;
  reg             rsp_split_q, rsp_split_d;
  reg  [CntW-1:0] rsp_new_q, rsp_new_d;

  wire accept = req_valid_i && (state_q == StIdle);

  // ---------------------------------------------------------------- TCAM
  wire [Entries-1:0]     match;
  wire                   hit;
  wire [IdxW-1:0]        hit_idx;
  wire [Entries-1:0]     valid;
  wire [Entries*LaW-1:0] val_flat;
  wire [Entries*LaW-1:0] care_flat;
  reg                    wr_en;
  reg  [IdxW-1:0]        wr_idx;
  reg  [LaW-1:0]         wr_val;
  reg  [LaW-1:0]         wr_care;
  reg                    clr_en;
  reg  [IdxW-1:0]        clr_idx;
  reg                    flush;
//#if SPLIT
  wire [IdxW:0]          used;
//#endif

  ${Name}_tcam #(
    .Entries (Entries),
    .LaW     (LaW),
    .IdxW    (IdxW)
  ) u_tcam (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .key_i     (req_la_i),
    .match_o   (match),
    .hit_o     (hit),
    .hit_idx_o (hit_idx),
    .wr_en_i   (wr_en),
    .wr_idx_i  (wr_idx),
    .wr_val_i  (wr_val),
    .wr_care_i (wr_care),
    .clr_en_i  (clr_en),
    .clr_idx_i (clr_idx),
    .flush_i   (flush),
//#if SPLIT
    .used_o    (used),
//#endif
    .valid_o   (valid),
    .val_o     (val_flat),
    .care_o    (care_flat)
  );

  // ---------------------------------------------------------------- zero detector
  wire line_zero;
  wire line_exact;

  ${Name}_zda #(
    .LineW     (LineW),
    .ElemW     (ElemW),
    .Mode      (ZdaMode),
    .Thresh    (ZdaThresh),
    .ExpThresh (ZdaExpThresh)
  ) u_zda (
    .line_i  (req_line_i),
    .zero_o  (line_zero),
    .exact_o (line_exact)
  );

  // ---------------------------------------------------------------- address merger
  wire           idle = (state_q == StIdle);
  wire [LaW-1:0] mkey_val  = idle ? req_la_i : cur_val_q;
  wire [LaW-1:0] mkey_care = idle ? Full : cur_care_q;
  wire           partner_found;
  wire [IdxW-1:0] partner_idx;
  wire [LaW-1:0] merged_val;
  wire [LaW-1:0] merged_care;

  ${Name}_merger #(
    .Entries (Entries),
    .LaW     (LaW),
    .IdxW    (IdxW)
  ) u_merger (
    .key_val_i     (mkey_val),
    .key_care_i    (mkey_care),
    .valid_i       (valid),
    .val_i         (val_flat),
    .care_i        (care_flat),
    .found_o       (partner_found),
    .idx_o         (partner_idx),
    .merged_val_o  (merged_val),
    .merged_care_o (merged_care)
  );

  // ---------------------------------------------------------------- replacement
  reg             touch;
  reg  [IdxW-1:0] touch_idx;
  wire            free_found;
  wire [IdxW-1:0] free_idx;
  wire [IdxW-1:0] alloc_idx;
  wire            alloc_evict;
  wire            unused_free_found = free_found;  // free-first is folded into alloc_idx

  ${Name}_repl #(
    .Entries (Entries),
//#if SINGLETON
    .LaW     (LaW),
//#endif
    .IdxW    (IdxW)
  ) u_repl (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .valid_i       (valid),
//#if SINGLETON
    .care_i        (care_flat),
//#endif
    .touch_i       (touch),
    .touch_idx_i   (touch_idx),
    .flush_i       (flush),
    .free_found_o  (free_found),
    .free_idx_o    (free_idx),
    .alloc_idx_o   (alloc_idx),
    .alloc_evict_o (alloc_evict)
  );
//#if SPLIT

  // ---------------------------------------------------------------- split policy
  // The covering entry's X bits b_1 > ... > b_k; cube c fixes b_1..b_(c-1) to the line
  // address's bits, b_c to its complement, leaves the rest X. Cube 1 replaces the entry, cubes
  // 2..k go to the lowest free entries, one per cycle.
  reg  [LaW-1:0]  sp_la_q, sp_la_d;        // line address of the store
  reg  [LaW-1:0]  sp_fixed_q, sp_fixed_d;  // care mask of the cubes written so far
  reg  [LaW-1:0]  sp_rem_q, sp_rem_d;      // X bits still to be split off

  reg  [LaW-1:0]  hit_care;  // covering entry's care mask (AND-OR selection by hit_idx)
  integer h;
  always @* begin
    hit_care = {LaW{1'b0}};
    for (h = 0; h < Entries; h = h + 1) begin
      hit_care = hit_care | ({LaW{hit_idx == h[IdxW-1:0]}} & care_flat[h*LaW +: LaW]);
    end
  end
  wire [LaW-1:0]  hit_x = ~hit_care;                         // its X bits

  // Highest set bit of a mask, as a one-hot mask (0 for 0).
  function [LaW-1:0] highest;
    input [LaW-1:0] m;
    integer b;
    reg     seen;
    begin
      highest = {LaW{1'b0}};
      seen = 1'b0;
      for (b = LaW - 1; b >= 0; b = b - 1) begin
        if (m[b] && !seen) highest[b] = 1'b1;
        seen = seen | m[b];
      end
    end
  endfunction

  // Number of set bits of a mask.
  function [CntW-1:0] popcount;
    input [LaW-1:0] m;
    integer b;
    begin
      popcount = {CntW{1'b0}};
      for (b = 0; b < LaW; b = b + 1) popcount = popcount + {{(CntW-1){1'b0}}, m[b]};
    end
  endfunction

  localparam [IdxW:0] EntriesW = Entries;
  wire [CntW-1:0] split_k    = popcount(hit_x);                  // k
  wire [IdxW:0]   free_cnt   = EntriesW - used;                  // invalid entries
  wire            can_split  = (split_k != {CntW{1'b0}}) &&
                               ({{(IdxW+1){1'b0}}, split_k} <= {{CntW{1'b0}}, free_cnt} + 1'b1);
  wire [LaW-1:0]  first_b    = highest(hit_x);                   // b_1
  wire [LaW-1:0]  next_b     = highest(sp_rem_q);                // b_c in StSplit
//#else
  wire [IdxW-1:0] unused_free_idx = free_idx;  // only the split policy needs it
//#endif

  // ---------------------------------------------------------------- control
  always @* begin
    state_d       = state_q;
    cur_idx_d     = cur_idx_q;
    cur_val_d     = cur_val_q;
    cur_care_d    = cur_care_q;
    rsp_valid_d   = 1'b0;
    rsp_hit_d     = rsp_hit_q;
    rsp_idx_d     = rsp_idx_q;
    rsp_zero_d    = rsp_zero_q;
    rsp_approx_d  = rsp_approx_q;
    rsp_merged_d  = rsp_merged_q;
    rsp_cascade_d = rsp_cascade_q;
    rsp_evicted_d = rsp_evicted_q;
    rsp_inval_d   = rsp_inval_q;
    rsp_split_d   = rsp_split_q;
    rsp_new_d     = rsp_new_q;
    wr_en         = 1'b0;
    wr_idx        = alloc_idx;
    wr_val        = req_la_i;
    wr_care       = Full;
    clr_en        = 1'b0;
    clr_idx       = hit_idx;
    flush         = 1'b0;
    touch         = 1'b0;
    touch_idx     = hit_idx;
//#if SPLIT
    sp_la_d       = sp_la_q;
    sp_fixed_d    = sp_fixed_q;
    sp_rem_d      = sp_rem_q;
//#endif

    case (state_q)
      StIdle: begin
        if (accept) begin
          // Every request answers with a fresh set of fields.
          rsp_valid_d   = 1'b1;
          rsp_hit_d     = 1'b0;
          rsp_idx_d     = {IdxW{1'b0}};
          rsp_zero_d    = 1'b0;
          rsp_approx_d  = 1'b0;
          rsp_merged_d  = 1'b0;
          rsp_cascade_d = {CntW{1'b0}};
          rsp_evicted_d = 1'b0;
          rsp_inval_d   = 1'b0;
          rsp_split_d   = 1'b0;
          rsp_new_d     = {CntW{1'b0}};
          case (req_op_i)
            OpLookup: begin
              rsp_hit_d = hit;
              rsp_idx_d = hit_idx;
              touch     = hit && req_touch_i;
            end
            OpInsert, OpFill: begin
              rsp_zero_d   = (req_op_i == OpFill) && line_zero;
              rsp_approx_d = (req_op_i == OpFill) && line_zero && !line_exact;
              if (req_op_i == OpInsert || line_zero) begin
                if (hit) begin
                  rsp_hit_d = 1'b1;
                  rsp_idx_d = hit_idx;
                end else if (partner_found) begin
                  // First-order merge; the cascade runs from the next cycle.
                  wr_en        = 1'b1;
                  wr_idx       = partner_idx;
                  wr_val       = merged_val;
                  wr_care      = merged_care;
                  touch        = 1'b1;
                  touch_idx    = partner_idx;
                  rsp_valid_d  = 1'b0;
                  rsp_merged_d = 1'b1;
                  rsp_idx_d    = partner_idx;
                  cur_idx_d    = partner_idx;
                  cur_val_d    = merged_val;
                  cur_care_d   = merged_care;
                  state_d      = StCascade;
                end else begin
                  wr_en         = 1'b1;
                  wr_idx        = alloc_idx;
                  touch         = 1'b1;
                  touch_idx     = alloc_idx;
                  rsp_idx_d     = alloc_idx;
                  rsp_evicted_d = alloc_evict;
                end
              end
            end
            OpStore: begin
              rsp_hit_d = hit;
              rsp_idx_d = hit_idx;
              if (hit && !req_nonzero_i) begin
                touch = 1'b1;
              end else if (hit) begin
//#if SPLIT
                if (can_split) begin
                  // Cube 1 replaces the covering entry.
                  wr_en       = 1'b1;
                  wr_idx      = hit_idx;
                  wr_care     = hit_care | first_b;
                  wr_val      = ((req_la_i & hit_care) | (~req_la_i & first_b));
                  rsp_split_d = 1'b1;
                  rsp_new_d   = split_k - 1'b1;
                  sp_la_d     = req_la_i;
                  sp_fixed_d  = hit_care | first_b;
                  sp_rem_d    = hit_x & ~first_b;
                  if (split_k != {{(CntW-1){1'b0}}, 1'b1}) begin
                    rsp_valid_d = 1'b0;
                    state_d     = StSplit;
                  end
                end else begin
                  clr_en      = 1'b1;
                  rsp_inval_d = 1'b1;
                end
//#else
                clr_en      = 1'b1;
                rsp_inval_d = 1'b1;
//#endif
              end
            end
            OpFlush: begin
              flush = 1'b1;
            end
            default: begin
            end
          endcase
        end
      end

      StCascade: begin
        if (partner_found) begin
          wr_en         = 1'b1;
          wr_idx        = cur_idx_q;
          wr_val        = merged_val;
          wr_care       = merged_care;
          clr_en        = 1'b1;
          clr_idx       = partner_idx;
          touch         = 1'b1;
          touch_idx     = cur_idx_q;
          cur_val_d     = merged_val;
          cur_care_d    = merged_care;
          rsp_cascade_d = rsp_cascade_q + 1'b1;
        end else begin
          rsp_valid_d = 1'b1;
          state_d     = StIdle;
        end
      end

//#if SPLIT
      StSplit: begin
        wr_en      = 1'b1;
        wr_idx     = free_idx;
        wr_care    = sp_fixed_q | next_b;
        wr_val     = (sp_la_q & sp_fixed_q) | (~sp_la_q & next_b);
        sp_fixed_d = sp_fixed_q | next_b;
        sp_rem_d   = sp_rem_q & ~next_b;
        if ((sp_rem_q & ~next_b) == {LaW{1'b0}}) begin
          rsp_valid_d = 1'b1;
          state_d     = StIdle;
        end
      end
//#endif

      default: begin
        state_d = StIdle;
      end
    endcase
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StIdle;
      rsp_valid_q <= 1'b0;
    end else begin
      state_q     <= state_d;
      rsp_valid_q <= rsp_valid_d;
    end
  end

  // Datapath registers: no reset needed (qualified by state_q / rsp_valid_q).
  always @(posedge clk_i) begin
    cur_idx_q     <= cur_idx_d;
    cur_val_q     <= cur_val_d;
    cur_care_q    <= cur_care_d;
    rsp_hit_q     <= rsp_hit_d;
    rsp_idx_q     <= rsp_idx_d;
    rsp_zero_q    <= rsp_zero_d;
    rsp_approx_q  <= rsp_approx_d;
    rsp_merged_q  <= rsp_merged_d;
    rsp_cascade_q <= rsp_cascade_d;
    rsp_evicted_q <= rsp_evicted_d;
    rsp_inval_q   <= rsp_inval_d;
    rsp_split_q   <= rsp_split_d;
    rsp_new_q     <= rsp_new_d;
//#if SPLIT
    sp_la_q       <= sp_la_d;
    sp_fixed_q    <= sp_fixed_d;
    sp_rem_q      <= sp_rem_d;
//#endif
  end

  assign req_ready_o   = idle;
  assign rsp_valid_o   = rsp_valid_q;
  assign rsp_hit_o     = rsp_hit_q;
  assign rsp_idx_o     = rsp_idx_q;
  assign rsp_zero_o    = rsp_zero_q;
  assign rsp_approx_o  = rsp_approx_q;
  assign rsp_merged_o  = rsp_merged_q;
  assign rsp_cascade_o = rsp_cascade_q;
  assign rsp_evicted_o = rsp_evicted_q;
  assign rsp_inval_o   = rsp_inval_q;
  assign rsp_split_o   = rsp_split_q;
  assign rsp_new_o     = rsp_new_q;

  // Protocol check (invariant I3 at the searched key: at most one entry matches), in the
  // style of both generated blocks: an assertion under FORMAL, $fdisplay to stderr + $stop in
  // simulation, nothing when SYNTHESIS is defined.
  wire multi_match = rst_ni && accept && ((match & (match - 1'b1)) != {Entries{1'b0}});
`ifdef FORMAL
  always @(posedge clk_i) begin
    assert (!multi_match);
  end
`elsif SYNTHESIS
  // Synthesis: no check.
`else
  always @(posedge clk_i) begin
    if (multi_match) begin
      $fdisplay(32'h8000_0002, "%m: ERROR: protocol violation: %s %h (I3)",
                "several entries match line address", req_la_i);
      $stop;
    end
  end
`endif

endmodule
