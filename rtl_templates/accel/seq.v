// ${Name}_seq: the accelerator's sequencer. Fetches 128-bit instructions from the instruction
// buffer and starts them in order (docs/accel.md: instruction set version 4, timing). Three
// units: the issue unit (fetch, decode, GEMM, CONV, SYNC, END), the stream-in unit (LOAD) and
// the stream-out unit (STORE); a LOAD / STORE with ASYNC runs in the background while the issue
// unit goes on, without it the issue unit waits for it (versions 1 and 2).
//   END   wait for the background transfers, stop: STATUS.DONE (and the interrupt if enabled)
//   LOAD  stream words from the input stream into the activation or weight scratchpad
//   STORE stream words of the activation or result scratchpad to the output stream (TLAST on
//         the last beat); NARROW: the low DataW bits of every result lane
//   SYNC  wait until the background LOAD and / or STORE is done
//   WIN   set the window registers (CPL, Cin, Kw, S, LQ, LH, BPR, LOY) of GEMM with WIN
//   GEMM  npb x ncb output-stationary folds of T slices through the address generators: slice t
//         of fold (pb, cb) takes lane t mod Cols of activation line a_base + pb*ceil(T/Cols) +
//         t div Cols (one word per array row, i.e. per bank) and weight word w_base + cb*T + t;
//         results go requantized to activation line o_base + pb*ncb + cb (bank = array row) or
//         raw to result words o_base + (pb*ncb + cb)*Rows + row.
//   CONV  G x NT x P ST-OS folds (group g, tile t, pass p; passes accumulate): every array row
//         streams its own bank, elements t*Cols .. t*Cols + Cols + K - 2 of the line at
//         a_base + (g*P + p)*LW (element x: line + x div Cols, lane x mod Cols), with the K taps
//         of weight words w_base + (g*P + p)*K + k (row r takes lane r mod Cols) on the last K
//         elements; the tile's Cols outputs go, lane order restored, to activation line
//         o_base + g*NT + t or raw to result words o_base + (g*NT + t)*Rows + row.
//         GEMM / CONV with NARROW: requantized, sign-extended into the raw result words.
//         GEMM with WIN (im2col windows, version 4): fold pb is output row oy = pb div BPR,
//         block xb = pb mod BPR; slice t = (kh, kw, c) (c = t mod Cin, kw = (t div Cin) mod Kw,
//         kh = t div (Cin*Kw)), phase kw mod S, offset d = kw div S: array row r reads lane
//         c mod Cols of bank (d + r) mod Rows at line a_base + oy*LOY + xb*CPL + kh*LH +
//         (kw mod S)*LQ + ((d + r) div Rows)*CPL + c div Cols. Every bank has its own read
//         address (the slice's line, or the line CPL further for banks below d mod Rows) and
//         the lane-selected words are rotated by d mod Rows onto the array rows.
// Port interlock: a GEMM / CONV starts only while no STORE of activations runs (both read
// ACT) and, if it writes ACT, no LOAD of activations runs (both write ACT); WGT and OUT have
// one writer and one reader each. Data hazards are the program's (SYNC).
// A fold occupies max(T, Rows) issue cycles (GEMM; CONV: max(Cols + K - 1, Rows)), the array's
// hand-off spacing rule. GEMM and CONV share the issue counters: CONV passes are the GEMM's
// column blocks, its tiles the pixel blocks, and its groups one more (outer) level.
// Bad programs stop with an error code (1 unknown opcode, 2 address out of range, 3 impossible
// instruction, 4 program runs past the instruction buffer) after the folds in flight drained
// and the transfers already started ended; out-of-range words are never written. The first
// error wins; in one cycle the issue unit's before the stream-out unit's before the stream-in's. Control registers are reset, data registers are not.
module ${Name}_seq (
  input                              clk_i,
  input                              rst_ni,
  // control and status (${Name}_axil)
  input                              start_i,
  input                              done_clr_i,
  input      [${IbufAW}-1:0]            pc_start_i,
  output reg                         busy_o,
  output reg                         done_o,
  output reg [3:0]                   err_code_o,
  output reg [${IbufAW}:0]              err_pc_o,
  output reg [63:0]                  cycles_o,
  // instruction buffer read port (registered read)
  output     [${IbufAW}-1:0]            ibuf_raddr_o,
  input      [127:0]                 ibuf_rdata_i,
  // input stream
  input      [${BusW}-1:0]              s_tdata_i,
  input                              s_tvalid_i,
  output                             s_tready_o,
  // output stream
  output     [${BusW}-1:0]              m_tdata_o,
  output                             m_tvalid_o,
  input                              m_tready_i,
  output                             m_tlast_o,
  // activation scratchpad: ${Rows} banks, one per array row, a read address per bank
  output     [${Rows}*${ActAW}-1:0]      act_raddr_o,
  input      [${Rows}*${Cols}*${DataW}-1:0]  act_rdata_i,
  output     [${Rows}-1:0]              act_we_o,
  output     [${ActAW}-1:0]             act_waddr_o,
  output     [${Cols}*${DataW}-1:0]       act_wdata_o,
  // weight scratchpad
  output     [${WgtAW}-1:0]             wgt_raddr_o,
  input      [${Cols}*${DataW}-1:0]       wgt_rdata_i,
  output                             wgt_we_o,
  output     [${WgtAW}-1:0]             wgt_waddr_o,
  output     [${Cols}*${DataW}-1:0]       wgt_wdata_o,
  // result scratchpad
  output     [${OutAW}-1:0]             out_raddr_o,
  input      [${Cols}*${AccW}-1:0]        out_rdata_i,
  output                             out_we_o,
  output     [${OutAW}-1:0]             out_waddr_o,
  output     [${Cols}*${AccW}-1:0]        out_wdata_o,
  // array core (${Core}_top)
  output reg                         in_en_o,
  output reg                         in_last_o,
  output reg                         in_keep_o,
  output reg                         in_mode_o,
  output reg [${Rows}*${DataW}-1:0]      a_o,
  output reg [${Cols}*${DataW}-1:0]      b_o,
  input                              res_valid_i,
  input      [${RowW}-1:0]               res_row_i,
  input      [${Cols}*${AccW}-1:0]        res_data_i
);
  localparam Rows = ${Rows};
  localparam Cols = ${Cols};
  localparam DataW = ${DataW};
  localparam AccW = ${AccW};
  localparam BusW = ${BusW};
  localparam WordD = Cols * DataW;   // activation / weight word
  localparam WordA = Cols * AccW;    // result word
  localparam BeatsD = ${BeatsD};     // stream beats per activation / weight word
  localparam BeatsA = ${BeatsA};     // stream beats per result word
  localparam ActDepth = ${ActDepth};
  localparam WgtDepth = ${WgtDepth};
  localparam OutDepth = ${OutDepth};
  localparam IbufDepth = ${IbufDepth};
  localparam LaneW = ${LaneW};       // max(1, clog2(Cols))
  localparam BankW = ${BankW};       // max(1, clog2(Rows))
  localparam BeatW = ${BeatW};       // clog2(max(BeatsD, BeatsA) + 1)
  localparam [LaneW-1:0] LastLane = ${LaneW}'d${LastLane};
  localparam [BankW-1:0] LastBank = ${BankW}'d${LastBank};

  localparam [3:0] OpEnd = 4'd0, OpLoad = 4'd1, OpStore = 4'd2, OpGemm = 4'd3, OpConv = 4'd4,
                   OpSync = 4'd5;
//#if WIN
  localparam [3:0] OpWin = 4'd6;
//#endif
  localparam [3:0] ErrOpcode = 4'd1, ErrRange = 4'd2, ErrImpossible = 4'd3, ErrPc = 4'd4;
  // Issue unit states.
  localparam [2:0] SIdle = 3'd0, SFetch = 3'd1, SDecode = 3'd2, SWaitLd = 3'd3, SWaitSt = 3'd4,
                   SGemm = 3'd5, SGemmWait = 3'd6, SAbort = 3'd7;
  // Stream-out unit states: read the first word, capture it, send beats.
  localparam [1:0] StIdle = 2'd0, StRd = 2'd1, StLd = 2'd2, StSend = 2'd3;

  reg [2:0]  state_q;
  reg [${IbufAW}:0] pc_q;            // one bit wider: running past the buffer is an error
  // GEMM / CONV fields, latched at decode.
  reg        space_q;               // 1 = results to OUT (raw, or requantized with NARROW)
  reg        narrow_q;              // NARROW: requantized results to OUT
  reg        conv_q;                // the instruction is a CONV (ST-OS folds)
  reg        relu_q;
  reg [5:0]  shift_q;
  // Stream-in unit (LOAD): busy, fields latched when it starts.
  reg        ld_busy_q;
  reg        ld_space_q;            // 1 = weights
  reg [${IbufAW}:0] ld_pc_q;         // the LOAD's instruction (its error's ERR_PC)
  reg [31:0] ld_cnt_q;              // words left
  reg [31:0] ld_line_q;             // activation line or weight word
  reg        ld_la_ok_q, ld_lw_ok_q; // ld_line_q < ActDepth, < WgtDepth
  reg [BankW-1:0] ld_bank_q;        // activations: bank (array row) of the word
  reg [BeatW-1:0] ld_beat_q;        // beat within a word
//#if MULTIBEAT_D
  reg [(${BeatsD}-1)*BusW-1:0] ibuf_sh_q; // the last BeatsD-1 beats, the newest on top
//#endif
  // Stream-out unit (STORE).
  reg [1:0]  st_state_q;
  reg        st_space_q;            // 1 = results
  reg        st_narrow_q;           // results as DataW lanes
  reg [${IbufAW}:0] st_pc_q;
  reg [31:0] st_cnt_q;
  reg [31:0] st_line_q;             // activation line or result word
  reg        st_la_ok_q, st_lo_ok_q; // st_line_q < ActDepth, < OutDepth
  reg [BankW-1:0] st_bank_q;
  reg [BeatW-1:0] st_beat_q;
  reg [${BeatsA}*BusW-1:0] obuf_q;   // word being sent, low beat first
  // GEMM address generators and fold counters.
  // The issue control keeps registered flags, each computed a cycle ahead from an equality
  // with a constant latched at decode (no counter compare feeds the state logic directly).
  // T below is the slices of a fold: GEMM T, CONV Cols + K - 1 (the window).
  reg [15:0] tm2_q, flm2_q;         // T - 2, max(T, Rows) - 2
  reg [15:0] npbm2_q, ncbm2_q, ngm2_q; // npb - 2, ncb - 2, groups - 2
  reg        t1_q, fl1_q, ncb1_q, npb1_q; // T == 1, max(T, Rows) == 1, ncb == 1, npb == 1
  reg        tap0_q;                // the first slice of a fold is a tap (GEMM, or Cols == 1)
  reg [15:0] fc_q, pb_q, cb_q, g_q; // cycle in fold, pixel block, column block, group
  reg        slice_q;               // this cycle issues a slice (fc < T)
  reg        tap_q;                 // ... carrying a tap (GEMM: every slice; CONV: the last K)
  reg        last_slice_q;          // ... and it is slice T - 1 (the hand-off)
  reg        fold_end_q;            // fc == max(T, Rows) - 1
  reg        cb_last_q, pb_last_q, g_last_q; // cb == ncb - 1, pb == npb - 1, g == groups - 1
  reg        pb_first_q;            // pb == 0
  // CONV line addresses: first line of this fold, of this tile's pass 0, of the next group;
  // LW (lines from one pass / group line to the next).
  reg [17:0] c_fold_q, c_tile_q, c_gnext_q, c_lw_q;
  // Range check of a slice's addresses one cycle after its issue (p1_en_q), off the address
  // path: the activation line and weight word of the slice issued last cycle.
  reg [17:0] p1_line_q, p1_waddr_q;
  reg [LaneW-1:0] lane_q;           // t mod Cols
  reg [17:0] a_line_q, a_pb_q;      // activation line of this slice, first line of this block
  reg [17:0] w_addr_q, w_base_q;    // weight word of this slice, of slice 0 of block cb 0
  reg [17:0] wb_q;                  // write-back: activation line / first result word of a fold
  reg [31:0] issued_q, retired_q;   // folds handed off, folds written back
//#if WIN
  // Window registers (WIN), and whether they are unusable (a zero CPL, Cin, Kw, S or BPR, or no
  // WIN since START): then a GEMM with WIN is impossible.
  reg [15:0] w_cpl_q, w_lq_q, w_lh_q, w_loy_q;
  reg [15:0] w_cinm1_q, w_bprm1_q;  // Cin - 1, BPR - 1
  reg [7:0]  w_kwm1_q, w_sm1_q;     // Kw - 1, S - 1
  reg [16:0] w_cpl2_q, w_lhc_q, w_lqc_q, w_loyc_q; // 2*CPL, LH + CPL, LQ + CPL, LOY + CPL
  reg        w_bad_q;
  // Window address generator (GEMM with WIN): this slice's c, kw, phase, d mod Rows; the lines
  // of (kh, phase 0, d 0), of (kh, phase 0, d), of (kh, phase, d) at c = 0; the fold's first
  // line and its output row's first line; xb; a_line_q + CPL and the banks that read it.
  reg        win_q;
  reg [15:0] wc_q, wxb_q;
  reg [7:0]  wkw_q, wph_q;
  reg [BankW-1:0] rot_q;
  reg [17:0] w_kh_q, w_dl_q, w_kwl_q, w_fold_q, w_row_q, a_hi_q;
  reg [Rows-1:0] hi_mask_q;
//#else
  // Generated without the window address generator (--im2col off): WIN is an unknown opcode, so
  // the window registers are never usable and a GEMM with WIN is impossible.
  wire       w_bad_q = 1'b1;
//#endif

  // Reserved instruction bits (word 0 bits 31:14; SYNC: all but word 1 bits 1:0) are ignored.
  /* verilator lint_off UNUSEDSIGNAL */
  wire [127:0] ins = ibuf_rdata_i;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [3:0]  op = ins[3:0];
  assign ibuf_raddr_o = pc_q[${IbufAW}-1:0];

  // ---------------------------------------------------------------- stream in (LOAD)
  wire load_beat = ld_busy_q && s_tvalid_i;
  assign s_tready_o = ld_busy_q;
  wire load_word = load_beat && ld_beat_q == BeatsD - 1;
  // LOAD word: the beats received so far and this one (bits above a word are ignored).
  /* verilator lint_off UNUSEDSIGNAL */
//#if MULTIBEAT_D
  wire [BeatsD*BusW-1:0] sh_d = {s_tdata_i, ibuf_sh_q};
//#else
  wire [BeatsD*BusW-1:0] sh_d = s_tdata_i;
//#endif
  /* verilator lint_on UNUSEDSIGNAL */
  wire load_range_ok = ld_space_q ? ld_lw_ok_q : ld_la_ok_q;
  wire ld_err_now = load_word && !load_range_ok;        // the word past the memory
  wire ld_fin = load_word && load_range_ok && ld_cnt_q == 32'd1;  // the last word
  wire [31:0] ld_line_inc = ld_line_q + 32'd1;

  // ---------------------------------------------------------------- stream out (STORE)
  wire st_busy = st_state_q != StIdle;
  wire [BeatW-1:0] st_beats = (st_space_q && !st_narrow_q) ? BeatsA : BeatsD;
  assign m_tvalid_o = st_state_q == StSend;
  assign m_tdata_o = obuf_q[BusW-1:0];
  assign m_tlast_o = st_state_q == StSend && st_cnt_q == 32'd1 && st_beat_q == st_beats - 1;
  wire st_beat = st_state_q == StSend && m_tready_i;
  wire st_range_ok = st_space_q ? st_lo_ok_q : st_la_ok_q;
  wire st_last_beat = st_beat && st_beat_q == st_beats - 1;
  wire st_fin = st_last_beat && st_cnt_q == 32'd1;
  // A word past the memory: the first (read cycle) or the next one (at the last beat).
  wire st_err_now = (st_state_q == StRd && !st_range_ok)
                 || (st_last_beat && st_cnt_q != 32'd1 && !st_range_ok);
  // STORE reads ahead: the read address moves to the next word when a word is captured into
  // the output buffer (StLd), so with two or more beats per word the next word is waiting on
  // the read port at the last beat and is captured there (no gap between words); with one beat
  // per word one StLd cycle goes between words.
  wire st_chain = st_last_beat && st_cnt_q != 32'd1 && st_range_ok && st_beats != 1;
  wire st_capture = st_state_q == StLd || st_chain;
  wire [WordD-1:0] st_act_word = act_rdata_i[st_bank_q*WordD +: WordD];
  wire [WordD-1:0] st_narrow_word;  // the low DataW bits of every result lane
  genvar n;
  generate
    for (n = 0; n < Cols; n = n + 1) begin : g_narrow
      assign st_narrow_word[n*DataW +: DataW] = out_rdata_i[n*AccW +: DataW];
    end
  endgenerate
  wire [WordA-1:0] st_out_word = st_narrow_q ? {{(WordA-WordD){1'b0}}, st_narrow_word}
                                             : out_rdata_i;

  // ---------------------------------------------------------------- GEMM issue
  wire        g_slice = state_q == SGemm && slice_q;
  wire        g_tap = g_slice && tap_q;
  wire        g_fold_end = state_q == SGemm && fold_end_q;
  wire        g_last_fold = pb_last_q && cb_last_q && g_last_q;
  wire        g_keep = conv_q && !cb_last_q;  // CONV: passes before the last keep the sums
  wire [LaneW-1:0] lane_nx = (g_slice && lane_q == LastLane) ? {LaneW{1'b0}}
                           : g_slice ? lane_q + 1'b1 : lane_q;
  // next_pb_line = line_nx + (lane_nx != 0) is a_line_q + 1 when a slice issues now (past the
  // last lane line_nx is already a_line_q + 1 and lane_nx 0) or the lane is past 0, else
  // a_line_q: one adder on the register, the lane logic only selecting (not an adder after
  // the lane multiplexer: a critical path).
  wire [17:0] a_line_p1 = a_line_q + 18'd1;
  wire [17:0] line_nx = (g_slice && lane_q == LastLane) ? a_line_p1 : a_line_q;
  wire [17:0] next_pb_line = (g_slice || lane_q != {LaneW{1'b0}}) ? a_line_p1 : a_line_q;
  // Next activation line and weight word of the issue (SGemm).
  // CONV: the first line of the next fold (next pass, next tile, or the next group).
  wire [17:0] c_pass_nx = c_fold_q + c_lw_q;
  wire [17:0] c_fold_d = !cb_last_q ? c_pass_nx : !pb_last_q ? c_tile_q + 18'd1
                       : pb_first_q ? c_pass_nx : c_gnext_q;
//#if WIN
  // WIN: after a position's last channel the next (kh, kw): the next phase, or the next
  // offset d (one bank further: the line CPL further after the last bank), or the next kernel
  // row; the next pixel block is CPL lines further, or the next output row LOY further.
  wire        w_c_last = wc_q == w_cinm1_q;
  wire        w_pos_end = g_slice && win_q && w_c_last;
  wire        w_kw_last = wkw_q == w_kwm1_q;
  wire        w_ph_last = wph_q == w_sm1_q;
  wire        w_rot_last = rot_q == LastBank;
  wire [17:0] w_kh_step = w_kh_q + {2'b00, w_lh_q};
  wire [17:0] w_dl_step = w_rot_last ? w_dl_q + {2'b00, w_cpl_q} : w_dl_q;
  wire [17:0] w_kwl_step = w_kwl_q + {2'b00, w_lq_q};
  wire [17:0] w_pos_line = w_kw_last ? w_kh_step : w_ph_last ? w_dl_step : w_kwl_step;
  wire        w_xb_last = wxb_q == w_bprm1_q;
  wire [17:0] w_row_nx = w_row_q + {2'b00, w_loy_q};
  wire [17:0] w_fold_d = !cb_last_q ? w_fold_q : w_xb_last ? w_row_nx
                       : w_fold_q + {2'b00, w_cpl_q};
  wire [BankW-1:0] rot_d = (g_fold_end || (w_pos_end && w_kw_last)) ? {BankW{1'b0}}
                         : (w_pos_end && w_ph_last) ? (w_rot_last ? {BankW{1'b0}} : rot_q + 1'b1)
                         : rot_q;
  wire [17:0] a_line_d = !g_fold_end ? (w_pos_end ? w_pos_line : line_nx)
                       : conv_q ? c_fold_d : win_q ? w_fold_d
                       : cb_last_q ? next_pb_line : a_pb_q;
  // a_line_d + CPL, the line of the banks below the rotation, from the same registers with the
  // sums precomputed at WIN (not an adder after the a_line_d multiplexer: a critical path).
  wire [17:0] w_hi_nx = (g_slice && lane_q == LastLane) ? a_hi_q + 18'd1 : a_hi_q;
  wire [17:0] w_pos_hi = w_kw_last ? w_kh_q + {1'b0, w_lhc_q}
                       : !w_ph_last ? w_kwl_q + {1'b0, w_lqc_q}
                       : w_rot_last ? w_dl_q + {1'b0, w_cpl2_q} : w_dl_q + {2'b00, w_cpl_q};
  wire [17:0] w_fold_hi = !cb_last_q ? w_fold_q + {2'b00, w_cpl_q}
                        : w_xb_last ? w_row_q + {1'b0, w_loyc_q} : w_fold_q + {1'b0, w_cpl2_q};
  wire [17:0] a_hi_d = !g_fold_end ? (w_pos_end ? w_pos_hi : w_hi_nx) : w_fold_hi;
//#else
  wire        w_pos_end = 1'b0;
  wire [17:0] a_line_d = !g_fold_end ? line_nx : conv_q ? c_fold_d
                       : cb_last_q ? next_pb_line : a_pb_q;
//#endif
  // Weights: GEMM column block cb + 1 continues, the next pixel block restarts at w_base;
  // CONV: the next pass continues, the next tile restarts at its group's first tap word, the
  // next group continues.
  wire [17:0] w_addr_d = (g_fold_end && cb_last_q && !(conv_q && pb_last_q)) ? w_base_q
                       : g_tap ? w_addr_q + 18'd1 : w_addr_q;

  // ACT read port: the issue while a GEMM / CONV runs, else the stream-out unit (the interlock
  // keeps a STORE of activations and a GEMM / CONV apart).
  // With WIN, banks below the rotation read the line CPL further (a_hi_q).
  genvar rb;
  generate
    for (rb = 0; rb < Rows; rb = rb + 1) begin : g_raddr
      assign act_raddr_o[rb*${ActAW} +: ${ActAW}] =
          state_q != SGemm ? st_line_q[${ActAW}-1:0]
//#if WIN
        : hi_mask_q[rb] ? a_hi_q[${ActAW}-1:0]
//#endif
        : a_line_q[${ActAW}-1:0];
    end
  endgenerate
  assign wgt_raddr_o = w_addr_q[${WgtAW}-1:0];
  assign out_raddr_o = st_line_q[${OutAW}-1:0];

  // Operand pipeline: issue (addresses) -> p1 (memory data, lane select) -> array ports.
  // p1_el_q: an element (slice) was issued; p1_en_q: it carries a tap (the array's in_en).
  reg             p1_el_q, p1_en_q, p1_last_q, p1_keep_q;
  reg [LaneW-1:0] p1_lane_q;
  // The slice's element of every bank (lane p1_lane_q), and array row r's bank: r, or with
  // WIN (r + rot) mod Rows.
  wire [Rows*DataW-1:0] p1_el;
  genvar eb;
  generate
    for (eb = 0; eb < Rows; eb = eb + 1) begin : g_el
      assign p1_el[eb*DataW +: DataW] = act_rdata_i[eb*WordD + p1_lane_q*DataW +: DataW];
    end
  endgenerate
//#if WIN
  reg [BankW-1:0] p1_rot_q;
  localparam [BankW:0] RowsB = Rows;
  function automatic [BankW-1:0] row_bank(input [BankW:0] row, input [BankW-1:0] rot);
    reg [BankW:0] sum;
    begin
      sum = row + {1'b0, rot};
      if (sum >= RowsB) sum = sum - RowsB;
      row_bank = sum[BankW-1:0];
    end
  endfunction
  integer r;
//#endif
  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      p1_el_q <= 1'b0;
      p1_en_q <= 1'b0;
      p1_last_q <= 1'b0;
      p1_keep_q <= 1'b0;
      in_en_o <= 1'b0;
      in_last_o <= 1'b0;
      in_keep_o <= 1'b0;
      in_mode_o <= 1'b0;
    end else begin
      p1_el_q <= g_slice;
      p1_en_q <= g_tap;
      p1_last_q <= g_slice && last_slice_q;
      p1_keep_q <= g_slice && last_slice_q && g_keep;
      in_en_o <= p1_en_q;
      in_last_o <= p1_last_q;
      in_keep_o <= p1_keep_q;
      in_mode_o <= conv_q;
    end
  end
  wire g_bad_slice = p1_el_q && !(p1_line_q < ActDepth && p1_waddr_q < WgtDepth);
  always @(posedge clk_i) begin
    p1_lane_q <= lane_q;
    p1_waddr_q <= w_addr_q;
//#if WIN
    p1_rot_q <= rot_q;
    p1_line_q <= rot_q != {BankW{1'b0}} ? a_hi_q : a_line_q;  // the slice's last line
    for (r = 0; r < Rows; r = r + 1)
      a_o[r*DataW +: DataW] <= p1_el[row_bank(r[BankW:0], p1_rot_q)*DataW +: DataW];
//#else
    p1_line_q <= a_line_q;
    a_o <= p1_el;
//#endif
    b_o <= wgt_rdata_i;
  end

  // ---------------------------------------------------------------- write-back
  // CONV column j holds the tile's output Cols - 1 - j: lane order is restored here.
  wire [WordA-1:0] res_rev;
  genvar j;
  generate
    for (j = 0; j < Cols; j = j + 1) begin : g_rev
      assign res_rev[j*AccW +: AccW] = res_data_i[(Cols-1-j)*AccW +: AccW];
    end
  endgenerate
  wire [WordA-1:0] res_lanes = conv_q ? res_rev : res_data_i;
  wire             rq_valid;
  wire [${RowW}-1:0]  rq_row;
  wire [WordD-1:0] rq_data;
  ${Name}_requant u_requant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (res_valid_i),
    .row_i   (res_row_i),
    .data_i  (res_lanes),
    .shift_i (shift_q),
    .relu_i  (relu_q),
    .valid_o (rq_valid),
    .row_o   (rq_row),
    .data_o  (rq_data)
  );
  reg              raw_valid_q;
  reg [${RowW}-1:0]   raw_row_q;
  reg [WordA-1:0]  raw_data_q;
  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) raw_valid_q <= 1'b0;
    else raw_valid_q <= res_valid_i;
  end
  // Raw results: the result word and its range check are computed as the row enters the
  // write-back register (rp_q: first result word of the fold at the array port), so the write
  // port and the error logic see registered values. NARROW results take the same word two
  // cycles later, when the requantizer hands the row out.
  reg [17:0]       rp_q;
  /* verilator lint_off UNUSEDSIGNAL */
  reg [17:0]       raw_addr_q, raw_addr_q2, raw_addr_q3;  // (the result memory uses low bits)
  /* verilator lint_on UNUSEDSIGNAL */
  reg              raw_ok_q, raw_ok_q2, raw_ok_q3;
  wire [17:0]      raw_addr = rp_q + {{(18-${RowW}){1'b0}}, res_row_i};
  always @(posedge clk_i) begin
    raw_row_q <= res_row_i;
    raw_data_q <= res_lanes;
    raw_addr_q <= raw_addr;
    raw_ok_q <= raw_addr < OutDepth;
    raw_addr_q2 <= raw_addr_q;
    raw_ok_q2 <= raw_ok_q;
    raw_addr_q3 <= raw_addr_q2;
    raw_ok_q3 <= raw_ok_q2;
  end
  // A requantized row, its lanes sign-extended to AccW (NARROW).
  wire [WordA-1:0] rq_wide;
  generate
    for (j = 0; j < Cols; j = j + 1) begin : g_sext
      assign rq_wide[j*AccW +: AccW] = {{(AccW-DataW){rq_data[j*DataW+DataW-1]}},
                                        rq_data[j*DataW +: DataW]};
    end
  endgenerate
  wire        wb_rq = !space_q || narrow_q;  // the write-back goes through the requantizer
  wire        wb_on = state_q == SGemm || state_q == SGemmWait || state_q == SAbort;
  wire        wb_valid = wb_on && (wb_rq ? rq_valid : raw_valid_q);
  wire        wb_last_row = wb_rq ? rq_row == {${RowW}{1'b0}} : raw_row_q == {${RowW}{1'b0}};
  wire        wb_range_ok = !space_q ? wb_q < ActDepth : narrow_q ? raw_ok_q3 : raw_ok_q;
  wire        wb_write = wb_valid && wb_range_ok && state_q != SAbort;

  // Write ports: LOAD (registered) or the write-back (ACT: requantized row, OUT: raw row).
  reg             ld_act_we_q, ld_wgt_we_q;
  reg [BankW-1:0] ld_wbank_q;
  /* verilator lint_off UNUSEDSIGNAL */
  reg [17:0]      ld_addr_q;        // LOAD word address (the memories use their low bits)
  /* verilator lint_on UNUSEDSIGNAL */
  reg [WordD-1:0] ld_data_q;
  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      ld_act_we_q <= 1'b0;
      ld_wgt_we_q <= 1'b0;
    end else begin
      ld_act_we_q <= load_word && load_range_ok && !ld_space_q;
      ld_wgt_we_q <= load_word && load_range_ok && ld_space_q;
    end
  end
  always @(posedge clk_i) begin
    ld_wbank_q <= ld_bank_q;
    ld_addr_q <= ld_line_q[17:0];
    ld_data_q <= sh_d[WordD-1:0];
  end
  genvar b;
  generate
    for (b = 0; b < Rows; b = b + 1) begin : g_act_we
      assign act_we_o[b] = (ld_act_we_q && ld_wbank_q == b)
                         || (wb_write && !space_q && rq_row == b);
    end
  endgenerate
  assign act_waddr_o = ld_act_we_q ? ld_addr_q[${ActAW}-1:0] : wb_q[${ActAW}-1:0];
  assign act_wdata_o = ld_act_we_q ? ld_data_q : rq_data;
  assign wgt_we_o = ld_wgt_we_q;
  assign wgt_waddr_o = ld_addr_q[${WgtAW}-1:0];
  assign wgt_wdata_o = ld_data_q;
  assign out_we_o = wb_write && space_q;
  assign out_waddr_o = narrow_q ? raw_addr_q3[${OutAW}-1:0] : raw_addr_q[${OutAW}-1:0];
  assign out_wdata_o = narrow_q ? rq_wide : raw_data_q;

  // ---------------------------------------------------------------- control
  wire in_flight = issued_q != retired_q;
  wire g_err_now = g_bad_slice || (wb_valid && !wb_range_ok);
  wire err_pending = err_code_o != 4'd0;
  // Decode: what the instruction waits for before it starts (docs/accel.md, background
  // transfers). GEMM / CONV: a STORE of activations (ACT read port) and, writing ACT, a LOAD of
  // activations (ACT write port).
  wire d_ld_wait = ld_busy_q;
  wire d_st_wait = st_busy;
  wire d_gemm_wait = (st_busy && !st_space_q) || (ld_busy_q && !ld_space_q && !ins[4]);
  wire d_sync_wait = (ins[32] && ld_busy_q) || (ins[33] && st_busy);
  wire d_count0 = ins[95:64] == 32'd0;
  wire d_async = ins[6];
  // A transfer starts (the decode of a LOAD / STORE whose unit is idle, count > 0).
  wire ld_start = state_q == SDecode && !err_pending && op == OpLoad && !d_ld_wait && !d_count0;
  wire st_start = state_q == SDecode && !err_pending && op == OpStore && !d_st_wait && !d_count0;

  always @(posedge clk_i${RstEvent}) begin
    if (!rst_ni) begin
      state_q <= SIdle;
      pc_q <= {(${IbufAW}+1){1'b0}};
      busy_o <= 1'b0;
      done_o <= 1'b0;
      err_code_o <= 4'd0;
      err_pc_o <= {(${IbufAW}+1){1'b0}};
      cycles_o <= 64'd0;
      issued_q <= 32'd0;
      retired_q <= 32'd0;
      ld_busy_q <= 1'b0;
      st_state_q <= StIdle;
//#if WIN
      w_bad_q <= 1'b1;
//#endif
    end else begin
      if (state_q != SIdle) cycles_o <= cycles_o + 64'd1;
      if (done_clr_i) done_o <= 1'b0;
      if (wb_valid && wb_last_row) retired_q <= retired_q + 32'd1;
      if (g_slice && last_slice_q && !g_keep) issued_q <= issued_q + 32'd1;
      // Stream-in unit: runs until its last word or a word past the memory.
      if (ld_start) ld_busy_q <= 1'b1;
      else if (ld_fin || ld_err_now) ld_busy_q <= 1'b0;
      // Stream-out unit.
      case (st_state_q)
        StIdle: if (st_start) st_state_q <= StRd;
        StRd: st_state_q <= st_range_ok ? StLd : StIdle;
        StLd: st_state_q <= StSend;
        default:  // StSend
          if (st_last_beat) begin
            if (st_fin || !st_range_ok) st_state_q <= StIdle;
            else if (st_beats == 1) st_state_q <= StLd;
          end
      endcase
      // Unit errors (the first error wins; the issue unit's below override in the same cycle).
      if (!err_pending && ld_err_now) begin
        err_code_o <= ErrRange;
        err_pc_o <= ld_pc_q;
      end
      if (!err_pending && st_err_now) begin
        err_code_o <= ErrRange;
        err_pc_o <= st_pc_q;
      end
      case (state_q)
        SIdle:
          if (start_i) begin
            state_q <= SFetch;
            pc_q <= {1'b0, pc_start_i};
            busy_o <= 1'b1;
            done_o <= 1'b0;
            err_code_o <= 4'd0;
            cycles_o <= 64'd0;
            issued_q <= 32'd0;
            retired_q <= 32'd0;
//#if WIN
            w_bad_q <= 1'b1;
//#endif
          end
        SFetch:
          if (err_pending) begin
            state_q <= SAbort;
          end else if (pc_q >= IbufDepth) begin
            err_code_o <= ErrPc;
            err_pc_o <= pc_q;
            state_q <= SAbort;
          end else begin
            state_q <= SDecode;
          end
        SDecode:
          if (err_pending) begin
            state_q <= SAbort;
          end else begin
            case (op)
              OpEnd:
                if (!ld_busy_q && !st_busy) begin
                  state_q <= SIdle;
                  busy_o <= 1'b0;
                  done_o <= 1'b1;
                end
//#if WIN
              OpWin: begin
                w_bad_q <= ins[31:16] == 16'd0 || ins[47:32] == 16'd0 || ins[55:48] == 8'd0
                        || ins[63:56] == 8'd0 || ins[111:96] == 16'd0;
                pc_q <= pc_q + 1'b1;
                state_q <= SFetch;
              end
//#endif
              OpSync:
                if (!d_sync_wait) begin
                  pc_q <= pc_q + 1'b1;
                  state_q <= SFetch;
                end
              OpLoad, OpStore:
                if (!(op == OpLoad ? d_ld_wait : d_st_wait)) begin
                  if (d_count0) begin
                    err_code_o <= ErrImpossible;
                    err_pc_o <= pc_q;
                    state_q <= SAbort;
                  end else if (d_async) begin
                    pc_q <= pc_q + 1'b1;
                    state_q <= SFetch;
                  end else begin
                    state_q <= op == OpLoad ? SWaitLd : SWaitSt;
                  end
                end
              OpGemm, OpConv:
                if (!d_gemm_wait) begin
                  if ((op == OpGemm && (ins[95:80] == 16'd0 || (ins[14] && w_bad_q)))
                      || ins[111:96] == 16'd0
                      || ins[127:112] == 16'd0 || {1'b0, ins[13:8]} >= 7'd${AccW}
                      || (op == OpConv && (ins[23:16] == 8'd0 || ins[31:24] == 8'd0))) begin
                    err_code_o <= ErrImpossible;
                    err_pc_o <= pc_q;
                    state_q <= SAbort;
                  end else begin
                    state_q <= SGemm;
                  end
                end
              default: begin
                err_code_o <= ErrOpcode;
                err_pc_o <= pc_q;
                state_q <= SAbort;
              end
            endcase
          end
        SWaitLd:  // a LOAD without ASYNC: until its last word (or its error)
          if (err_pending) begin
            state_q <= SAbort;
          end else if (ld_fin) begin
            pc_q <= pc_q + 1'b1;
            state_q <= SFetch;
          end
        SWaitSt:
          if (err_pending) begin
            state_q <= SAbort;
          end else if (st_fin) begin
            pc_q <= pc_q + 1'b1;
            state_q <= SFetch;
          end
        SGemm: begin
          // An out-of-range address (seen a cycle after its slice issued) ends the program at
          // the end of the fold running then (a fold is always closed by its hand-off, so the
          // array holds no partial sums afterwards); so does another unit's error.
          if (g_err_now && !err_pending) begin
            err_code_o <= ErrRange;
            err_pc_o <= pc_q;
          end
          if (g_fold_end && (g_err_now || err_pending)) state_q <= SAbort;
          else if (g_fold_end && g_last_fold) state_q <= SGemmWait;
        end
        SGemmWait:
          if (g_err_now || err_pending) begin
            // (a range error of the last slice is seen here, one cycle after its issue)
            if (!err_pending) begin
              err_code_o <= ErrRange;
              err_pc_o <= pc_q;
            end
            state_q <= SAbort;
          end else if (!in_flight) begin
            pc_q <= pc_q + 1'b1;
            state_q <= SFetch;
          end
        default:  // SAbort
          // Wait until every fold in flight left the array (nothing is written) and the
          // transfers already started ended, then stop.
          if (!in_flight && !ld_busy_q && !st_busy) begin
            state_q <= SIdle;
            busy_o <= 1'b0;
            done_o <= 1'b1;
          end
      endcase
    end
  end

  // Fold geometry at decode: GEMM T slices, npb x ncb folds; CONV a window of Cols + K - 1
  // slices, NT tiles (pixel blocks) x P passes (column blocks), G groups.
  wire        d_conv = op == OpConv;
  wire [15:0] d_t = d_conv ? 16'd${Cols} + {8'd0, ins[23:16]} - 16'd1 : ins[95:80];
  wire [15:0] d_ncb = d_conv ? {8'd0, ins[31:24]} : ins[127:112];
  wire [15:0] d_ng = d_conv ? ins[127:112] : 16'd1;
  wire [15:0] d_npb = ins[111:96];
  wire        d_tap0 = !d_conv || Cols == 1;

  // Datapath counters (no reset: every instruction initializes what it uses at decode).
  always @(posedge clk_i) begin
    case (state_q)
      SDecode: begin
        space_q <= ins[4];
        narrow_q <= ins[4] && ins[7];
        conv_q <= d_conv;
        relu_q <= ins[5];
        shift_q <= ins[13:8];
        tm2_q <= d_t - 16'd2;
        flm2_q <= (d_t > Rows ? d_t : Rows) - 16'd2;
        npbm2_q <= d_npb - 16'd2;
        ncbm2_q <= d_ncb - 16'd2;
        ngm2_q <= d_ng - 16'd2;
        t1_q <= d_t == 16'd1;
        fl1_q <= d_t == 16'd1 && Rows == 1;
        ncb1_q <= d_ncb == 16'd1;
        npb1_q <= d_npb == 16'd1;
        tap0_q <= d_tap0;
        slice_q <= 1'b1;
        tap_q <= d_tap0;
        last_slice_q <= d_t == 16'd1;
        fold_end_q <= d_t == 16'd1 && Rows == 1;
        cb_last_q <= d_ncb == 16'd1;
        pb_last_q <= d_npb == 16'd1;
        g_last_q <= d_ng == 16'd1;
        pb_first_q <= 1'b1;
        fc_q <= 16'd0;
        pb_q <= 16'd0;
        cb_q <= 16'd0;
        g_q <= 16'd0;
        c_fold_q <= {2'b00, ins[47:32]};
        c_tile_q <= {2'b00, ins[47:32]};
        c_lw_q <= {2'b00, ins[95:80]};
        lane_q <= {LaneW{1'b0}};
        a_line_q <= {2'b00, ins[47:32]};
        a_pb_q <= {2'b00, ins[47:32]};
        w_addr_q <= {2'b00, ins[79:64]};
        w_base_q <= {2'b00, ins[79:64]};
        wb_q <= {2'b00, ins[63:48]};
        rp_q <= {2'b00, ins[63:48]};
      end
      SGemm: begin
        a_line_q <= a_line_d;
        w_addr_q <= w_addr_d;
        lane_q <= w_pos_end ? {LaneW{1'b0}} : lane_nx;
        fc_q <= fc_q + 16'd1;
        slice_q <= slice_q && !last_slice_q;
        if (fc_q == ${TapFc}) tap_q <= 1'b1;   // CONV: fc == Cols - 2, the next slice is a tap
        last_slice_q <= slice_q && fc_q == tm2_q;
        fold_end_q <= fc_q == flm2_q;
        if (g_fold_end) begin
          fc_q <= 16'd0;
          lane_q <= {LaneW{1'b0}};
          slice_q <= 1'b1;
          tap_q <= tap0_q;
          last_slice_q <= t1_q;
          fold_end_q <= fl1_q;
          c_fold_q <= c_fold_d;
          if (cb_last_q) begin
            cb_q <= 16'd0;
            cb_last_q <= ncb1_q;
            pb_q <= pb_q + 16'd1;
            pb_last_q <= pb_q == npbm2_q;
            pb_first_q <= 1'b0;
            a_pb_q <= next_pb_line;
            c_tile_q <= c_fold_d;
            if (pb_first_q) c_gnext_q <= c_pass_nx;
            if (pb_last_q) begin
              // CONV: the next group (GEMM: this was its last fold)
              pb_q <= 16'd0;
              pb_last_q <= npb1_q;
              pb_first_q <= 1'b1;
              g_q <= g_q + 16'd1;
              g_last_q <= g_q == ngm2_q;
              w_base_q <= w_addr_d;
            end
          end else begin
            cb_q <= cb_q + 16'd1;
            cb_last_q <= cb_q == ncbm2_q;
          end
        end
      end
      default: ;
    endcase
    // Write-back pointer: the next fold's activation line; raw: the next fold's first result
    // word, advanced when a fold's last row (row 0) leaves the array.
    if (state_q != SDecode && wb_valid && wb_last_row) wb_q <= wb_q + 18'd1;
    if (state_q != SDecode && res_valid_i && res_row_i == {${RowW}{1'b0}}) rp_q <= rp_q + Rows;
  end

//#if WIN
  // Window address generator datapath (GEMM with WIN; see a_line_d): WIN latches the window
  // registers; a GEMM starts every counter at its a_base; a position's last channel steps to
  // the next (kh, kw), a fold's end to the next fold.
  integer hb;
  always @(posedge clk_i) begin
    if (state_q == SDecode) begin
      win_q <= op == OpGemm && ins[14];
      wc_q <= 16'd0;
      wkw_q <= 8'd0;
      wph_q <= 8'd0;
      wxb_q <= 16'd0;
      rot_q <= {BankW{1'b0}};
      hi_mask_q <= {Rows{1'b0}};
      w_kh_q <= {2'b00, ins[47:32]};
      w_dl_q <= {2'b00, ins[47:32]};
      w_kwl_q <= {2'b00, ins[47:32]};
      w_fold_q <= {2'b00, ins[47:32]};
      w_row_q <= {2'b00, ins[47:32]};
      a_hi_q <= {2'b00, ins[47:32]} + {2'b00, w_cpl_q};
      if (op == OpWin) begin
        w_cpl_q <= ins[31:16];
        w_cinm1_q <= ins[47:32] - 16'd1;
        w_kwm1_q <= ins[55:48] - 8'd1;
        w_sm1_q <= ins[63:56] - 8'd1;
        w_lq_q <= ins[79:64];
        w_lh_q <= ins[95:80];
        w_bprm1_q <= ins[111:96] - 16'd1;
        w_loy_q <= ins[127:112];
        w_cpl2_q <= {ins[31:16], 1'b0};
        w_lhc_q <= {1'b0, ins[95:80]} + {1'b0, ins[31:16]};
        w_lqc_q <= {1'b0, ins[79:64]} + {1'b0, ins[31:16]};
        w_loyc_q <= {1'b0, ins[127:112]} + {1'b0, ins[31:16]};
      end
    end else if (state_q == SGemm) begin
      a_hi_q <= a_hi_d;
      rot_q <= rot_d;
      for (hb = 0; hb < Rows; hb = hb + 1) hi_mask_q[hb] <= hb[BankW:0] < {1'b0, rot_d};
      if (g_fold_end) begin
        wc_q <= 16'd0;
        wkw_q <= 8'd0;
        wph_q <= 8'd0;
        w_kh_q <= w_fold_d;
        w_dl_q <= w_fold_d;
        w_kwl_q <= w_fold_d;
        w_fold_q <= w_fold_d;
        if (cb_last_q) begin
          wxb_q <= w_xb_last ? 16'd0 : wxb_q + 16'd1;
          if (w_xb_last) w_row_q <= w_row_nx;
        end
      end else if (w_pos_end) begin
        wc_q <= 16'd0;
        if (w_kw_last) begin
          wkw_q <= 8'd0;
          wph_q <= 8'd0;
          w_kh_q <= w_kh_step;
          w_dl_q <= w_kh_step;
          w_kwl_q <= w_kh_step;
        end else begin
          wkw_q <= wkw_q + 8'd1;
          wph_q <= w_ph_last ? 8'd0 : wph_q + 8'd1;
          if (w_ph_last) w_dl_q <= w_dl_step;
          w_kwl_q <= w_ph_last ? w_dl_step : w_kwl_step;
        end
      end else if (g_slice) begin
        wc_q <= wc_q + 16'd1;
      end
    end
  end
//#endif

  // Stream-in unit datapath: fields latched when a LOAD starts; one word written per
  // BeatsD beats, the next to the next bank, or the next line / word.
  always @(posedge clk_i) begin
    if (ld_start) begin
      ld_space_q <= ins[4];
      ld_pc_q <= pc_q;
      ld_cnt_q <= ins[95:64];
      ld_line_q <= ins[63:32];
      ld_la_ok_q <= ins[63:32] < ActDepth;
      ld_lw_ok_q <= ins[63:32] < WgtDepth;
      ld_bank_q <= {BankW{1'b0}};
      ld_beat_q <= {BeatW{1'b0}};
    end else if (load_beat) begin
//#if MULTIBEAT_D
      ibuf_sh_q <= sh_d[BeatsD*BusW-1:BusW];
//#endif
      ld_beat_q <= load_word ? {BeatW{1'b0}} : ld_beat_q + 1'b1;
      if (load_word) begin
        ld_cnt_q <= ld_cnt_q - 32'd1;
        if (ld_space_q || ld_bank_q == LastBank) begin
          ld_bank_q <= {BankW{1'b0}};
          ld_line_q <= ld_line_inc;
          ld_la_ok_q <= ld_line_inc < ActDepth;
          ld_lw_ok_q <= ld_line_inc < WgtDepth;
        end else begin
          ld_bank_q <= ld_bank_q + 1'b1;
        end
      end
    end
  end

  // Stream-out unit datapath: a word is captured into the output buffer (the read address
  // then moves on to the next word) and shifted out a beat at a time.
  wire [31:0] st_line_inc = st_line_q + 32'd1;
  always @(posedge clk_i) begin
    if (st_start) begin
      st_space_q <= ins[4];
      st_narrow_q <= ins[4] && ins[7];
      st_pc_q <= pc_q;
      st_cnt_q <= ins[95:64];
      st_line_q <= ins[63:32];
      st_la_ok_q <= ins[63:32] < ActDepth;
      st_lo_ok_q <= ins[63:32] < OutDepth;
      st_bank_q <= {BankW{1'b0}};
      st_beat_q <= {BeatW{1'b0}};
    end else begin
      if (st_capture) begin
        obuf_q <= st_space_q ? {{(BeatsA*BusW-WordA){1'b0}}, st_out_word}
                             : {{(BeatsA*BusW-WordD){1'b0}}, st_act_word};
        st_beat_q <= {BeatW{1'b0}};
        if (st_space_q || st_bank_q == LastBank) begin
          st_bank_q <= {BankW{1'b0}};
          st_line_q <= st_line_inc;
          st_la_ok_q <= st_line_inc < ActDepth;
          st_lo_ok_q <= st_line_inc < OutDepth;
        end else begin
          st_bank_q <= st_bank_q + 1'b1;
        end
      end else if (st_beat) begin
        obuf_q <= obuf_q >> BusW;
        st_beat_q <= st_beat_q + 1'b1;
      end
      if (st_last_beat) st_cnt_q <= st_cnt_q - 32'd1;
    end
  end

endmodule
