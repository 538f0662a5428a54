// ${Name}_top: SparseCache null cache (TCAM of zero-line addresses, ZDA, address merger,
// replacement), driven by an L1 controller over one request/response channel.
//
// Requests are taken when req_valid_i && req_ready_o at a rising edge and captured in the
// request register there; each one produces exactly one response, in order, as a one-cycle
// pulse of rsp_valid_o (rsp_* fields are only meaningful with it). Operations (req_op_i), with
// their latency ("n cycles" = the response is valid n cycles after the accepting edge's cycle):
//   0 LOOKUP  req_la_i covered?  rsp_hit_o/rsp_idx_o (lowest matching entry); with
//             req_touch_i a hit touches the pseudo-LRU tree.        2 cycles, one per cycle
//   1 INSERT  add line address req_la_i: already covered (rsp_hit_o) -> nothing (2 cycles);
//             else merge into the lowest same-mask distance-one singleton (rsp_merged_o) and
//             cascade (rsp_cascade_o = h steps): 4 + 2h cycles; else allocate the lowest free
//             entry or the replacement victim (rsp_evicted_o): 3 cycles.
//             rsp_idx_o = covering entry.
//   2 FILL    ZDA on req_line_i (rsp_zero_o, rsp_approx_o); a zero line is then INSERTed
//             (same fields and timing as INSERT), a non-zero line changes nothing (2 cycles).
//   3 STORE   store into req_la_i with data non-zero (req_nonzero_i) or zero: rsp_hit_o =
//             covered, rsp_idx_o = covering entry. Miss or zero data (touch): 2 cycles.
//             Non-zero store into a covered line:
//#if SPLIT
//             split into k cubes (rsp_split_o, rsp_new_o = k-1 new entries, written
//             one per cycle: k + 2 cycles) when the entry has k >= 1 X bits and k-1 entries
//             are free, else invalidate (rsp_inval_o, 3 cycles).
//#else
//             invalidate the covering entry (rsp_inval_o, policy invalidate).    2 cycles
//#endif
//   4 FLUSH   every entry invalid, tree cleared (the reset state).      2 cycles, one per cycle
//   5..7      reserved: no effect, an all-zero response.                2 cycles, one per cycle
// Pipeline: cycle 1 after the accepting edge (Exec) searches the TCAM with the registered
// address (match lines, lowest hit), runs the ZDA on the registered line, searches a first-order
// merge partner and picks the free entry or victim, all in parallel; lookups, flushes and the
// other one-cycle outcomes answer from there. Later cycles (Ins, CasFind/CasStep, SpGo/Split)
// write the TCAM from registered decisions. req_ready_o is low while an operation other than a
// lookup, flush or reserved op is in Exec or later; it rises in the cycle its response is
// valid. Lookups, flushes and reserved ops stream at one per cycle.
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

  localparam [2:0] StIdle    = 3'd0;  // no request in the request register
  localparam [2:0] StExec    = 3'd1;  // search, ZDA, partner and victim for the request
  localparam [2:0] StIns     = 3'd2;  // write the first-order merge or the allocation
  localparam [2:0] StCasFind = 3'd3;  // cascade: search a partner of entry cur_idx_q
  localparam [2:0] StCasStep = 3'd4;  // cascade: absorb partner p_idx_q into cur_idx_q
//#if SPLIT
  localparam [2:0] StSpGo    = 3'd5;  // split: cube 1 into the covering entry, or invalidate
  localparam [2:0] StSplit   = 3'd6;  // split: cubes 2..k into the lowest free entries
//#endif

  localparam [LaW-1:0] Full = {LaW{1'b1}};  // all bits compared

  // ---------------------------------------------------------------- state
  reg  [2:0]       state_q, state_d;
  // Request register (written at the accepting edge only).
  reg  [2:0]       rq_op_q;
  reg  [LaW-1:0]   rq_la_q;
  reg              rq_touch_q;
  reg              rq_nonzero_q;
  reg  [LineW-1:0] rq_line_q;
  // The cube being built: (line address, all ones) from the accepting edge, then the merged
  // entry cur_idx_q during the cascade.
  reg  [IdxW-1:0]  cur_idx_q, cur_idx_d;
  reg  [LaW-1:0]   cur_val_q, cur_val_d;
  reg  [LaW-1:0]   cur_care_q, cur_care_d;
  // Decisions registered for the next cycle.
  reg              p_found_q, p_found_d;    // a merge partner exists
  reg  [IdxW-1:0]  p_idx_q, p_idx_d;        // the lowest one
  reg  [IdxW-1:0]  al_idx_q, al_idx_d;      // allocation: lowest free entry, else the victim
  reg              al_evict_q, al_evict_d;  // al_idx_q holds a valid entry

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

  // Lookups, flushes and reserved ops finish in Exec whatever they find, so the next request
  // may be taken while one of them is there (a registered decision: no path from the search).
  wire rq_streams = (rq_op_q != OpInsert) && (rq_op_q != OpFill) && (rq_op_q != OpStore);
  wire ready      = (state_q == StIdle) || ((state_q == StExec) && rq_streams);
  wire accept     = req_valid_i && ready;

  always @(posedge clk_i) begin
    if (accept) begin
      rq_op_q      <= req_op_i;
      rq_la_q      <= req_la_i;
      rq_touch_q   <= req_touch_i;
      rq_nonzero_q <= req_nonzero_i;
      rq_line_q    <= req_line_i;
    end
  end

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
  reg                    clr_match;
  reg                    flush;

  ${Name}_tcam #(
    .Entries (Entries),
    .LaW     (LaW),
    .IdxW    (IdxW)
  ) u_tcam (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .key_i       (rq_la_q),
    .match_o     (match),
    .hit_o       (hit),
    .hit_idx_o   (hit_idx),
    .wr_en_i     (wr_en),
    .wr_idx_i    (wr_idx),
    .wr_val_i    (wr_val),
    .wr_care_i   (wr_care),
    .clr_en_i    (clr_en),
    .clr_idx_i   (p_idx_q),
    .clr_match_i (clr_match),
    .flush_i     (flush),
    .valid_o     (valid),
    .val_o       (val_flat),
    .care_o      (care_flat)
  );

  // Read port: val of entry p_idx_q (a registered index), a one-hot AND-OR selection with a
  // balanced OR per bit.
  reg  [Entries-1:0] rd_sel;
  wire [LaW-1:0]     rd_val;
  integer r;
  always @* begin
    for (r = 0; r < Entries; r = r + 1) rd_sel[r] = (p_idx_q == r[IdxW-1:0]);
  end
  genvar gb, ge;
  generate
    for (gb = 0; gb < LaW; gb = gb + 1) begin : g_rd
      wire [Entries-1:0] col;  // bit gb of every entry, masked by the selection
      for (ge = 0; ge < Entries; ge = ge + 1) begin : g_e
        assign col[ge] = val_flat[ge*LaW + gb] & rd_sel[ge];
      end
      assign rd_val[gb] = |col;
    end
  endgenerate

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
    .line_i  (rq_line_q),
    .zero_o  (line_zero),
    .exact_o (line_exact)
  );

  // ---------------------------------------------------------------- address merger
  // Key: the cube register, (line address, all ones) in Exec and the merged entry in CasFind.
  wire            partner_found;
  wire [IdxW-1:0] partner_idx;

  ${Name}_merger #(
    .Entries (Entries),
    .LaW     (LaW),
    .IdxW    (IdxW)
  ) u_merger (
    .key_val_i  (cur_val_q),
    .key_care_i (cur_care_q),
    .valid_i    (valid),
    .val_i      (val_flat),
    .care_i     (care_flat),
    .found_o    (partner_found),
    .idx_o      (partner_idx)
  );

  // Merging entry p_idx_q (read in this cycle) into the cube register.
  wire [LaW-1:0] merge_d    = (rd_val ^ cur_val_q) & cur_care_q;  // the one differing bit
  wire [LaW-1:0] merge_val  = cur_val_q & ~merge_d;
  wire [LaW-1:0] merge_care = cur_care_q & ~merge_d;

  // ---------------------------------------------------------------- replacement
  reg             touch;
  reg  [IdxW-1:0] touch_idx;
  // Every touch in Exec is of the hit entry: the replacement tree takes it from the match
  // lines (one-hot, I3) rather than from the encoded hit index, a shorter path; a touch with
  // no match line set changes nothing.
  wire            touch_hot = (state_q == StExec);
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
    .touch_hot_i   (touch_hot),
    .touch_line_i  (match),
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
  // 2..k go to the lowest free entries, one per cycle. The store's address stays in rq_la_q.
  reg  [LaW-1:0]  sp_fixed_q, sp_fixed_d;  // care mask of the cubes written so far (Exec: the
                                           // covering entry's care mask)
  reg  [LaW-1:0]  sp_rem_q, sp_rem_d;      // X bits still to be split off
  reg  [IdxW:0]   used_q;                  // valid entries, kept incrementally
  reg             used_inc, used_dec;      // a write fills a free entry / a clear frees one

  // The covering entry's care mask: the match lines select it (at most one is set, I3).
  wire [LaW-1:0] hit_care;
  generate
    for (gb = 0; gb < LaW; gb = gb + 1) begin : g_hc
      wire [Entries-1:0] col;  // bit gb of every matching entry's care mask
      for (ge = 0; ge < Entries; ge = ge + 1) begin : g_e
        assign col[ge] = care_flat[ge*LaW + gb] & match[ge];
      end
      assign hit_care[gb] = |col;
    end
  endgenerate

  // Highest set bit of a mask, as a one-hot mask (0 for 0); each bit tests the bits above it
  // with its own balanced OR.
  function [LaW-1:0] highest;
    input [LaW-1:0] m;
    integer b;
    begin
      for (b = 0; b < LaW; b = b + 1) highest[b] = m[b] && ((m >> (b + 1)) == {LaW{1'b0}});
    end
  endfunction

  // Number of set bits of a mask: pairwise sums, level by level in place (64 leaves).
  function [CntW-1:0] popcount;
    input [LaW-1:0] m;
    reg   [7*64-1:0] s;  // node n's count at [7n +: 7]
    integer n, lvl;
    begin
      s = {(7*64){1'b0}};
      for (n = 0; n < LaW; n = n + 1) s[7*n] = m[n];
      for (lvl = 32; lvl >= 1; lvl = lvl / 2) begin
        for (n = 0; n < lvl; n = n + 1) s[7*n +: 7] = s[7*(2*n) +: 7] + s[7*(2*n+1) +: 7];
      end
      popcount = s[CntW-1:0];
    end
  endfunction

  localparam [IdxW:0] EntriesW = Entries;
  wire [LaW-1:0]  sp_x      = ~sp_fixed_q;                      // SpGo: the entry's X bits
  wire [CntW-1:0] split_k   = popcount(sp_x);                   // k
  wire [IdxW:0]   free_cnt  = EntriesW - used_q;                // invalid entries
  wire            can_split = (split_k != {CntW{1'b0}}) &&
                              ({{(IdxW+1){1'b0}}, split_k} <= {{CntW{1'b0}}, free_cnt} + 1'b1);
  wire [LaW-1:0]  first_b   = highest(sp_x);                    // b_1
  wire [LaW-1:0]  next_b    = highest(sp_rem_q);                // b_c in StSplit
//#else
  wire [IdxW-1:0] unused_free_idx = free_idx;  // only the split policy needs it
//#endif

  // ---------------------------------------------------------------- control
  always @* begin
    state_d       = state_q;
    cur_idx_d     = cur_idx_q;
    cur_val_d     = cur_val_q;
    cur_care_d    = cur_care_q;
    p_found_d     = p_found_q;
    p_idx_d       = p_idx_q;
    al_idx_d      = al_idx_q;
    al_evict_d    = al_evict_q;
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
    wr_idx        = al_idx_q;
    wr_val        = cur_val_q;
    wr_care       = Full;
    clr_en        = 1'b0;
    clr_match     = 1'b0;
    flush         = 1'b0;
    touch         = 1'b0;
    touch_idx     = cur_idx_q;  // a register: Exec touches go by the match lines
//#if SPLIT
    sp_fixed_d    = sp_fixed_q;
    sp_rem_d      = sp_rem_q;
    used_inc      = 1'b0;
    used_dec      = 1'b0;
//#endif

    case (state_q)
      StExec: begin
        // Every request answers with a fresh set of fields; most answer now.
        rsp_valid_d   = 1'b1;
        state_d       = StIdle;
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
        // Registered for Ins whatever the op (only a non-covered insert uses them).
        p_found_d     = partner_found;
        p_idx_d       = partner_idx;
        al_idx_d      = alloc_idx;
        al_evict_d    = alloc_evict;
        case (rq_op_q)
          OpLookup: begin
            rsp_hit_d = hit;
            rsp_idx_d = hit_idx;
            // Exec touches go by the match lines (touch_hot): without a hit no tree bit is on
            // the path, so the touch needs no `hit` term (a shorter path into the tree).
            touch     = rq_touch_q;
          end
          OpInsert, OpFill: begin
            rsp_zero_d   = (rq_op_q == OpFill) && line_zero;
            rsp_approx_d = (rq_op_q == OpFill) && line_zero && !line_exact;
            if (rq_op_q == OpInsert || line_zero) begin
              if (hit) begin
                rsp_hit_d = 1'b1;
                rsp_idx_d = hit_idx;
              end else begin
                rsp_valid_d = 1'b0;
                state_d     = StIns;
              end
            end
          end
          OpStore: begin
            rsp_hit_d = hit;
            rsp_idx_d = hit_idx;
            touch     = !rq_nonzero_q;  // by the match lines, as for a lookup
            if (hit && rq_nonzero_q) begin
//#if SPLIT
              cur_idx_d   = hit_idx;
              sp_fixed_d  = hit_care;
              rsp_valid_d = 1'b0;
              state_d     = StSpGo;
//#else
              clr_match   = 1'b1;
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

      StIns: begin
        wr_en = 1'b1;
        touch = 1'b1;
        if (p_found_q) begin
          // First-order merge into entry p_idx_q; the cascade runs from the next cycle.
          wr_idx       = p_idx_q;
          wr_val       = merge_val;
          wr_care      = merge_care;
          touch_idx    = p_idx_q;
          rsp_merged_d = 1'b1;
          rsp_idx_d    = p_idx_q;
          cur_idx_d    = p_idx_q;
          cur_val_d    = merge_val;
          cur_care_d   = merge_care;
          state_d      = StCasFind;
        end else begin
          // Allocation: (line address, all ones) into the free entry or the victim.
          wr_idx        = al_idx_q;
          touch_idx     = al_idx_q;
          rsp_idx_d     = al_idx_q;
          rsp_evicted_d = al_evict_q;
          rsp_valid_d   = 1'b1;
          state_d       = StIdle;
//#if SPLIT
          used_inc      = !al_evict_q;
//#endif
        end
      end

      StCasFind: begin
        p_found_d = partner_found;
        p_idx_d   = partner_idx;
        if (partner_found) begin
          state_d = StCasStep;
        end else begin
          rsp_valid_d = 1'b1;
          state_d     = StIdle;
        end
      end

      StCasStep: begin
        wr_en         = 1'b1;
        wr_idx        = cur_idx_q;
        wr_val        = merge_val;
        wr_care       = merge_care;
        clr_en        = 1'b1;  // entry p_idx_q is absorbed
        touch         = 1'b1;
        touch_idx     = cur_idx_q;
        cur_val_d     = merge_val;
        cur_care_d    = merge_care;
        rsp_cascade_d = rsp_cascade_q + 1'b1;
        state_d       = StCasFind;
//#if SPLIT
        used_dec      = 1'b1;
//#endif
      end

//#if SPLIT
      StSpGo: begin
        if (can_split) begin
          // Cube 1 replaces the covering entry.
          wr_en       = 1'b1;
          wr_idx      = cur_idx_q;
          wr_care     = sp_fixed_q | first_b;
          wr_val      = (rq_la_q & sp_fixed_q) | (~rq_la_q & first_b);
          rsp_split_d = 1'b1;
          rsp_new_d   = split_k - 1'b1;
          sp_fixed_d  = sp_fixed_q | first_b;
          sp_rem_d    = sp_x & ~first_b;
          if (split_k == {{(CntW-1){1'b0}}, 1'b1}) begin
            rsp_valid_d = 1'b1;
            state_d     = StIdle;
          end else begin
            state_d     = StSplit;
          end
        end else begin
          clr_match   = 1'b1;
          rsp_inval_d = 1'b1;
          rsp_valid_d = 1'b1;
          state_d     = StIdle;
          used_dec    = 1'b1;
        end
      end

      StSplit: begin
        wr_en      = 1'b1;
        wr_idx     = free_idx;
        wr_care    = sp_fixed_q | next_b;
        wr_val     = (rq_la_q & sp_fixed_q) | (~rq_la_q & next_b);
        sp_fixed_d = sp_fixed_q | next_b;
        sp_rem_d   = sp_rem_q & ~next_b;
        used_inc   = 1'b1;
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

    // A new request: its address starts the cube register.
    if (accept) begin
      state_d    = StExec;
      cur_val_d  = req_la_i;
      cur_care_d = Full;
    end
  end

  // Control and response registers: reset, so that no unknown value reaches the ports.
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= StIdle;
      rsp_valid_q   <= 1'b0;
      rsp_hit_q     <= 1'b0;
      rsp_idx_q     <= {IdxW{1'b0}};
      rsp_zero_q    <= 1'b0;
      rsp_approx_q  <= 1'b0;
      rsp_merged_q  <= 1'b0;
      rsp_cascade_q <= {CntW{1'b0}};
      rsp_evicted_q <= 1'b0;
      rsp_inval_q   <= 1'b0;
      rsp_split_q   <= 1'b0;
      rsp_new_q     <= {CntW{1'b0}};
    end else begin
      state_q       <= state_d;
      rsp_valid_q   <= rsp_valid_d;
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
    end
  end
//#if SPLIT

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      used_q <= {(IdxW+1){1'b0}};
    end else if (flush) begin
      used_q <= {(IdxW+1){1'b0}};
    end else if (used_inc) begin
      used_q <= used_q + 1'b1;
    end else if (used_dec) begin
      used_q <= used_q - 1'b1;
    end
  end
//#endif

  // Datapath registers: no reset needed (qualified by state_q).
  always @(posedge clk_i) begin
    cur_idx_q     <= cur_idx_d;
    cur_val_q     <= cur_val_d;
    cur_care_q    <= cur_care_d;
    p_found_q     <= p_found_d;
    p_idx_q       <= p_idx_d;
    al_idx_q      <= al_idx_d;
    al_evict_q    <= al_evict_d;
//#if SPLIT
    sp_fixed_q    <= sp_fixed_d;
    sp_rem_q      <= sp_rem_d;
//#endif
  end

  assign req_ready_o   = ready;
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
  wire multi_match = rst_ni && (state_q == StExec) &&
                     ((match & (match - 1'b1)) != {Entries{1'b0}});
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
                "several entries match line address", rq_la_q);
      $stop;
    end
  end
`endif

endmodule
