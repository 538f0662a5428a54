// Instruction-set model of the generated accelerator, written from docs/accel.md alone (never
// from the RTL), instruction set version 4: the stream packing of words into beats, LOAD /
// STORE / GEMM (also through the WIN window registers) / CONV / SYNC / WIN / END on three
// scratchpads, requantization (to ACT, or NARROW into OUT), the timeline of the issue,
// stream-in and stream-out units (ASYNC transfers, the GEMM / CONV interlock on ACT, SYNC and
// END waits) that gives CYCLES and orders errors, the error codes with their ERR_PC, the race
// rule of background transfers and the work counters.
#include "golden/accel_model.h"

#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_timing.h"
#include "golden/ops.h"

namespace fusegen {

namespace {

using Word = std::vector<int64_t>;
using Memory = std::vector<Word>;

uint64_t low_mask(int n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }
size_t chunks_of(int bus_width) { return static_cast<size_t>(ceil_div(bus_width, 32)); }

// Bits [pos, pos + n) (n <= 64) of a bit string stored in 32-bit chunks, chunk 0 lowest.
uint64_t get_bits(const std::vector<uint32_t>& buf, int64_t pos, int n) {
  uint64_t v = 0;
  for (int got = 0; got < n;) {
    const int64_t at = pos + got;
    const int off = static_cast<int>(at % 32), take = std::min(n - got, 32 - off);
    v |= ((uint64_t{buf[static_cast<size_t>(at / 32)]} >> off) & low_mask(take)) << got;
    got += take;
  }
  return v;
}

// Overwrites bits [pos, pos + n) (n <= 64) with the low n bits of v.
void put_bits(std::vector<uint32_t>& buf, int64_t pos, int n, uint64_t v) {
  for (int done = 0; done < n;) {
    const int64_t at = pos + done;
    const int off = static_cast<int>(at % 32), take = std::min(n - done, 32 - off);
    const uint32_t m = static_cast<uint32_t>(low_mask(take) << off);
    uint32_t& chunk = buf[static_cast<size_t>(at / 32)];
    chunk = (chunk & ~m) | (static_cast<uint32_t>((v >> done) << off) & m);
    done += take;
  }
}

void check_stream_widths(const char* what, int lanes, int lane_bits, int bus_width) {
  if (lanes < 1)
    throw Error(fmt::format("{}: a word of {} lanes: allowed at least 1 lane", what, lanes));
  if (lane_bits < 1 || lane_bits > 64)
    throw Error(fmt::format("{}: lane width {} is out of range: allowed 1..64", what, lane_bits));
  if (bus_width < 1)
    throw Error(fmt::format("{}: bus width {} is out of range: allowed at least 1", what,
                            bus_width));
}

// Appends one word's beats: its lanes as one bit string, cut into bus_width-bit beats.
void append_word(const Word& word, size_t index, int lane_bits, int bus_width,
                 std::vector<Beat>& beats) {
  const int lanes = static_cast<int>(word.size());
  check_stream_widths("pack_words", lanes, lane_bits, bus_width);
  const int64_t n = ceil_div(int64_t{lanes} * lane_bits, bus_width);
  std::vector<uint32_t> buf(static_cast<size_t>(ceil_div(n * bus_width, 32)), 0);
  for (int j = 0; j < lanes; ++j) {
    const int64_t v = word[static_cast<size_t>(j)];
    if (v < signed_min(lane_bits) || v > signed_max(lane_bits))
      throw Error(fmt::format("pack_words: word {} lane {} value {} does not fit {} signed bits: "
                              "allowed {}..{}",
                              index, j, v, lane_bits, signed_min(lane_bits),
                              signed_max(lane_bits)));
    put_bits(buf, int64_t{j} * lane_bits, lane_bits, static_cast<uint64_t>(v));
  }
  for (int64_t k = 0; k < n; ++k) {
    Beat beat(chunks_of(bus_width), 0);
    for (int b = 0; b < bus_width; b += 32)
      beat[static_cast<size_t>(b / 32)] = static_cast<uint32_t>(
          get_bits(buf, k * bus_width + b, std::min(32, bus_width - b)));
    beats.push_back(std::move(beat));
  }
}

// One word from `n` beats starting at beats[first].
Word word_from_beats(const std::vector<Beat>& beats, size_t first, int64_t n, int lanes,
                     int lane_bits, int bus_width) {
  std::vector<uint32_t> buf(static_cast<size_t>(ceil_div(n * bus_width, 32)), 0);
  for (int64_t k = 0; k < n; ++k) {
    const Beat& beat = beats[first + static_cast<size_t>(k)];
    if (beat.size() != chunks_of(bus_width))
      throw Error(fmt::format("unpack_words: beat {} has {} 32-bit chunks, a {}-bit beat has {}",
                              first + static_cast<size_t>(k), beat.size(), bus_width,
                              chunks_of(bus_width)));
    for (int b = 0; b < bus_width; b += 32)
      put_bits(buf, k * bus_width + b, std::min(32, bus_width - b),
               beat[static_cast<size_t>(b / 32)]);
  }
  Word word(static_cast<size_t>(lanes));
  for (int j = 0; j < lanes; ++j)
    word[static_cast<size_t>(j)] = wrap_signed(
        static_cast<int64_t>(get_bits(buf, int64_t{j} * lane_bits, lane_bits)), lane_bits);
  return word;
}

// Word 0 flags (docs/accel.md, "Instruction set (version 4)").
bool space_bit(const isa::Instr& in) { return (in.w[0] >> 4) & 1; }
bool async_bit(const isa::Instr& in) { return (in.w[0] & isa::kAsyncBit) != 0; }
bool narrow_bit(const isa::Instr& in) { return (in.w[0] & isa::kNarrowBit) != 0; }

// The fields of a GEMM instruction (docs/accel.md, "Instruction set").
struct Gemm {
  bool to_out = false;  // space 1: results to OUT (raw accumulators, or requantized with NARROW)
  bool narrow = false;  // space 1 with NARROW (ignored with space 0)
  bool relu = false;
  bool win = false;     // activations through the window registers (version 4)
  int shift = 0;
  uint64_t a_base = 0, o_base = 0, w_base = 0, t = 0, npb = 0, ncb = 0;
  bool raw() const { return to_out && !narrow; }  // accumulators, not requantized values
};

// The window registers (WIN, version 4). START clears them: a GEMM with WIN before the first
// WIN of a run, or after a WIN with a zero CPL, Cin, Kw, S or BPR, is impossible.
struct Window {
  uint64_t cpl = 0, cin = 0, kw = 0, s = 0, lq = 0, lh = 0, bpr = 0, loy = 0;
  bool usable() const { return cpl && cin && kw && s && bpr; }
};

Window decode_win(const isa::Instr& in) {
  Window w;
  w.cpl = in.w[0] >> 16;
  w.cin = in.w[1] & 0xffff;
  w.kw = (in.w[1] >> 16) & 0xff;
  w.s = in.w[1] >> 24;
  w.lq = in.w[2] & 0xffff;
  w.lh = in.w[2] >> 16;
  w.bpr = in.w[3] & 0xffff;
  w.loy = in.w[3] >> 16;
  return w;
}

Gemm decode_gemm(const isa::Instr& in) {
  Gemm g;
  g.to_out = space_bit(in);
  g.narrow = g.to_out && narrow_bit(in);
  g.relu = (in.w[0] >> 5) & 1;
  g.win = (in.w[0] & isa::kWinBit) != 0;
  g.shift = static_cast<int>((in.w[0] >> 8) & 63);
  g.a_base = in.w[1] & 0xffff;
  g.o_base = in.w[1] >> 16;
  g.w_base = in.w[2] & 0xffff;
  g.t = in.w[2] >> 16;
  g.npb = in.w[3] & 0xffff;
  g.ncb = in.w[3] >> 16;
  return g;
}

// The fields of a CONV instruction (docs/accel.md, "Instruction set").
struct Conv {
  bool to_out = false, narrow = false, relu = false;  // as Gemm
  int shift = 0;
  uint64_t k = 0, passes = 0, a_base = 0, o_base = 0, w_base = 0, lw = 0, tiles = 0, groups = 0;
  bool raw() const { return to_out && !narrow; }
};

Conv decode_conv(const isa::Instr& in) {
  Conv c;
  c.to_out = space_bit(in);
  c.narrow = c.to_out && narrow_bit(in);
  c.relu = (in.w[0] >> 5) & 1;
  c.shift = static_cast<int>((in.w[0] >> 8) & 63);
  c.k = (in.w[0] >> 16) & 0xff;
  c.passes = in.w[0] >> 24;
  c.a_base = in.w[1] & 0xffff;
  c.o_base = in.w[1] >> 16;
  c.w_base = in.w[2] & 0xffff;
  c.lw = in.w[2] >> 16;
  c.tiles = in.w[3] & 0xffff;
  c.groups = in.w[3] >> 16;
  return c;
}

// Memory addresses an instruction touches, for the race check of "Background transfers": an
// inclusive range of ACT lines (every bank), WGT words or OUT words.
enum class Mem { kAct, kWgt, kOut };
struct Range {
  Mem mem;
  uint64_t lo, hi;
};
struct Access {
  std::vector<Range> reads, writes;
};

std::string describe(const Range& r) {
  const char* what = r.mem == Mem::kAct ? "ACT lines" : r.mem == Mem::kWgt ? "WGT words"
                                                                            : "OUT words";
  return fmt::format("{} {}..{}", what, r.lo, r.hi);
}

bool overlap(const Range& a, const Range& b) {
  return a.mem == b.mem && a.lo <= b.hi && b.lo <= a.hi;
}

// The units of "Background transfers", in the order errors raised in one cycle are reported.
enum Unit : int { kIssueUnit = 0, kStreamOut = 1, kStreamIn = 2 };

// Executes a program on the model's scratchpads and records into one AccelRun. Data effects
// happen in program order (what a race-free program computes); the timeline of the "Timing"
// section decides CYCLES and, with background transfers, which error is reported first.
class Runner {
 public:
  Runner(const AccelConfig& cfg, Memory& act, Memory& wgt, Memory& out,
         const std::vector<Beat>& input, AccelRun& res)
      : cfg_(cfg), R_(cfg.array.rows), C_(cfg.array.cols), act_(act), wgt_(wgt), out_(out),
        input_(input), res_(res) {}

  // Runs from pc_start until END or the first error. There are no jumps: the program stops at
  // an END, an error, or past the buffer (code 4, ERR_PC = the PC fetched). Entries past
  // ibuf's end read as all-zero words, i.e. END.
  void run(const std::vector<isa::Instr>& ibuf, uint64_t pc_start, uint64_t depth) {
    for (uint64_t pc = pc_start;; ++pc) {
      const uint64_t f = timeline_.next_fetch();
      if (pc >= depth) {
        issue_error(isa::kErrPc, pc, f);
        return;
      }
      if (!execute(pc < ibuf.size() ? ibuf[pc] : isa::Instr{}, pc, f)) return;
    }
  }

 private:
  // An error a started background transfer raises in cycle `cycle`.
  struct Pending {
    uint64_t cycle;
    int unit, err;
    uint64_t pc;
  };
  // An ASYNC transfer from its start until the next SYNC naming its unit, the next LOAD /
  // STORE on its unit, or END.
  struct Outstanding {
    uint64_t pc;
    const char* name;
    Access access;
  };

  // Stops the program with an error code at pc; returns false (the program stops).
  bool fail(int err, uint64_t pc) {
    res_.err = err;
    res_.err_pc = static_cast<uint32_t>(pc);
    return false;
  }

  // An issue-unit error raised in cycle `at`, unless a background transfer's error comes
  // first (in an earlier cycle; in the same cycle the issue unit's is reported).
  bool issue_error(int err, uint64_t pc, uint64_t at) {
    if (pending_ && pending_->cycle < at) return fail(pending_->err, pending_->pc);
    return fail(err, pc);
  }

  // Whether an instruction starting in cycle d starts at all: no instruction starts after the
  // cycle of the first error. If it does not, the program stops with that error.
  bool starts(uint64_t d) {
    if (pending_ && d > pending_->cycle) return fail(pending_->err, pending_->pc);
    return true;
  }

  // Records a background transfer's error; the earliest (by cycle, then unit) is kept.
  void raise(uint64_t cycle, int unit, int err, uint64_t pc) {
    if (!pending_ || cycle < pending_->cycle ||
        (cycle == pending_->cycle && unit < pending_->unit))
      pending_ = Pending{cycle, unit, err, pc};
  }

  // Throws fusegen::Error when a fold's ACT results land on a line a later fold of the same
  // GEMM / CONV reads: the folds are pipelined (a fold's results are written while later folds
  // read), so the page leaves that unspecified. `lines(f, mark)` calls mark(line) for every
  // line fold f reads; fold f writes line o_base + f. Folds are visited last to first.
  template <typename Lines>
  void check_in_place(uint64_t pc, const char* name, uint64_t folds, uint64_t o_base,
                      Lines lines) const {
    std::vector<char> read_later(static_cast<size_t>(cfg_.act_depth()), 0);
    for (uint64_t f = folds; f-- > 0;) {
      if (read_later[static_cast<size_t>(o_base + f)])
        throw Error(fmt::format("the {} at pc {} writes the results of fold {} to ACT line {}, "
                                "which a later fold of it reads: its folds are pipelined, so "
                                "that is unspecified (docs/accel.md, \"Instruction set\")",
                                name, pc, f, o_base + f));
      lines(f, [&](uint64_t line) { read_later[static_cast<size_t>(line)] = 1; });
    }
  }

  // Throws fusegen::Error when the instruction at pc (which starts now) writes words an
  // outstanding ASYNC transfer reads, or reads or writes words it writes.
  void check_race(uint64_t pc, const char* name, const Access& a) const {
    for (const std::optional<Outstanding>* o : {&out_ld_, &out_st_}) {
      if (!*o) continue;
      const Outstanding& t = **o;
      auto clash = [&](const std::vector<Range>& mine, const char* verb,
                       const std::vector<Range>& theirs, const char* their_verb) {
        for (const Range& x : mine)
          for (const Range& y : theirs)
            if (overlap(x, y))
              throw Error(fmt::format(
                  "data race: the {} at pc {} {} {} while the ASYNC {} at pc {} (still "
                  "outstanding: no SYNC naming its unit in between) {} {}; order them with a "
                  "SYNC",
                  name, pc, verb, describe(x), t.name, t.pc, their_verb, describe(y)));
      };
      clash(a.writes, "writes", t.access.reads, "reads");
      clash(a.reads, "reads", t.access.writes, "writes");
      clash(a.writes, "writes", t.access.writes, "writes");
    }
  }

  // Executes the instruction at pc, fetched in cycle f; false when the program stops (END or
  // an error).
  bool execute(const isa::Instr& in, uint64_t pc, uint64_t f) {
    switch (in.w[0] & 0xf) {
      case isa::kEnd: return end();
      case isa::kLoad: return load(in, pc);
      case isa::kStore: return store(in, pc);
      case isa::kGemm: return gemm(in, pc);
      case isa::kConv: return conv(in, pc);
      case isa::kSync: return sync(in);
      case isa::kWin:
        if (cfg_.im2col) return win(in);
        [[fallthrough]];  // generated without the window generator: an unknown opcode
      default: return issue_error(isa::kErrOpcode, pc, f + 1);  // raised at decode
    }
  }

  // END waits for both units, then stops in cycle d: CYCLES = d + 1.
  bool end() {
    const uint64_t d = timeline_.end_start();
    if (!starts(d)) return false;
    out_ld_.reset();
    out_st_.reset();
    ++res_.instructions;
    res_.cycles = d + 1;
    return false;
  }

  // WIN sets the window registers; it waits for nothing.
  bool win(const isa::Instr& in) {
    const uint64_t d = timeline_.sync_start(false, false);
    if (!starts(d)) return false;
    window_ = decode_win(in);
    ++res_.instructions;
    timeline_.synced(d);
    return true;
  }

  // SYNC waits for the units of its mask (word 1 bit 0 stream-in, bit 1 stream-out).
  bool sync(const isa::Instr& in) {
    const bool loads = in.w[1] & isa::kSyncLoads, stores = in.w[1] & isa::kSyncStores;
    const uint64_t d = timeline_.sync_start(loads, stores);
    if (!starts(d)) return false;
    if (loads) out_ld_.reset();
    if (stores) out_st_.reset();
    ++res_.instructions;
    timeline_.synced(d);
    return true;
  }

  // Activation word i of a LOAD / STORE from line `base`: bank i mod R of line base + i div R;
  // nullptr past the memory.
  Word* act_slot(uint64_t base, uint64_t i) {
    const uint64_t line = base + i / static_cast<uint64_t>(R_);
    if (line >= static_cast<uint64_t>(cfg_.act_depth())) return nullptr;
    return &act_[line * static_cast<uint64_t>(R_) + i % static_cast<uint64_t>(R_)];
  }
  static Word* slot(Memory& m, uint64_t word) { return word < m.size() ? &m[word] : nullptr; }

  // The ACT lines or words a LOAD / STORE of `count` words from `base` touches.
  Range transfer_range(bool act, Mem other, uint64_t base, uint64_t count) const {
    if (act) return Range{Mem::kAct, base, base + (count - 1) / static_cast<uint64_t>(R_)};
    return Range{other, base, base + count - 1};
  }

  // Consumes the next input word (beats_d beats). Throws when the stream is shorter: the
  // accelerator would wait for the missing beats forever.
  Word take_word(uint64_t pc) {
    const int64_t n = cfg_.beats_d();
    if (res_.input_beats + static_cast<uint64_t>(n) > input_.size())
      throw Error(fmt::format("the LOAD at pc {} needs input beats {}..{}, the input stream has "
                              "{} beats (the accelerator would wait for them forever)",
                              pc, res_.input_beats, res_.input_beats + n - 1, input_.size()));
    Word w = word_from_beats(input_, res_.input_beats, n, C_, cfg_.array.data_w,
                             cfg_.bus_width);
    res_.input_beats += static_cast<uint64_t>(n);
    return w;
  }

  // LOAD: starts when the stream-in unit is done; the unit is active in cycles
  // d + 1 .. d + count * beats_d; word i's last beat is in cycle d + (i + 1) * beats_d.
  bool load(const isa::Instr& in, uint64_t pc) {
    const bool wgt = space_bit(in), async = async_bit(in);
    const uint64_t base = in.w[1], count = in.w[2];
    const uint64_t d = timeline_.load_start();
    if (!starts(d)) return false;
    if (count == 0) return issue_error(isa::kErrImpossible, pc, d);  // when it would start
    out_ld_.reset();  // the previous LOAD is done: no longer outstanding
    Access access;
    access.writes.push_back(transfer_range(!wgt, Mem::kWgt, base, count));
    check_race(pc, "LOAD", access);
    const uint64_t beats = static_cast<uint64_t>(cfg_.beats_d());
    uint64_t last = d + load_cycles(cfg_, count) - 2;
    for (uint64_t i = 0; i < count; ++i) {
      Word word = take_word(pc);  // the offending word's beats are consumed, then it stops
      Word* dst = wgt ? slot(wgt_, base + i) : act_slot(base, i);
      if (!dst) {
        last = d + (i + 1) * beats;  // raised in the cycle of the word's last beat
        raise(last, kStreamIn, isa::kErrRange, pc);
        break;
      }
      *dst = std::move(word);
      ++(wgt ? res_.wgt_writes : res_.act_writes);
    }
    timeline_.loaded(d, last, !wgt, async);
    if (async) out_ld_ = Outstanding{pc, "LOAD", access};
    ++res_.instructions;
    return true;
  }

  // STORE: starts when the stream-out unit is done; S = 4 + count * N cycles (3 + 2 * count
  // with N = 1), the unit active in cycles d + 1 .. d + S - 2. The first word is read in d + 1
  // and captured in d + 2; with N >= 2 word j's beats follow back to back in cycles
  // d + 3 + j*N .. d + 2 + (j + 1)*N (the next word is read while one is sent); with N = 1 a
  // capture cycle separates the words: word j is sent in cycle d + 3 + 2*j.
  bool store(const isa::Instr& in, uint64_t pc) {
    const bool out = space_bit(in), narrow = out && narrow_bit(in), async = async_bit(in);
    const uint64_t base = in.w[1], count = in.w[2];
    const uint64_t d = timeline_.store_start();
    if (!starts(d)) return false;
    if (count == 0) return issue_error(isa::kErrImpossible, pc, d);
    out_st_.reset();  // the previous STORE is done: no longer outstanding
    Access access;
    access.reads.push_back(transfer_range(!out, Mem::kOut, base, count));
    check_race(pc, "STORE", access);
    const bool wide = out && !narrow;  // result words of C x AccW bits
    const int lane_bits = wide ? cfg_.array.acc_w : cfg_.array.data_w;
    const uint64_t n = static_cast<uint64_t>(wide ? cfg_.beats_a() : cfg_.beats_d());
    uint64_t last = d + store_cycles(cfg_, count, wide) - 2;
    bool failed = false;
    for (uint64_t i = 0; i < count; ++i) {
      const Word* src = out ? slot(out_, base + i) : act_slot(base, i);
      if (!src) {  // the words before it were streamed, nothing of this one
        // Raised in the unit's first active cycle (word 0) or in the cycle of the previous
        // word's last beat.
        last = i == 0 ? d + 1 : n == 1 ? d + 3 + 2 * (i - 1) : d + 2 + i * n;
        raise(last, kStreamOut, isa::kErrRange, pc);
        failed = true;
        break;
      }
      if (narrow) {
        Word low(src->size());
        for (size_t j = 0; j < low.size(); ++j)
          low[j] = wrap_signed((*src)[j], cfg_.array.data_w);
        append_word(low, i, lane_bits, cfg_.bus_width, res_.output);
      } else {
        append_word(*src, i, lane_bits, cfg_.bus_width, res_.output);
      }
      ++(out ? res_.out_reads : res_.act_reads);
    }
    if (!failed) res_.last.push_back(res_.output.size() - 1);
    timeline_.stored(d, last, !out, async);
    if (async) out_st_ = Outstanding{pc, "STORE", access};
    ++res_.instructions;
    return true;
  }

  // A GEMM / CONV range error, detected before any fold runs (so a failing instruction writes
  // nothing; the page leaves which of its results reach memory unspecified). The hardware
  // raises it during its folds, at a cycle the page does not pin down: when a background
  // transfer's error falls into the instruction's window d .. d - 2 + cycles, which comes first
  // is not predicted.
  bool array_range_error(const char* name, uint64_t pc, uint64_t d, uint64_t cycles) {
    if (pending_ && pending_->cycle <= d - 2 + cycles)
      throw Error(fmt::format(
          "the {} at pc {} reads or writes past a memory (error {}) in cycles {}..{} while the "
          "{} at pc {} raises error {} in cycle {}: which error comes first is not predicted "
          "(docs/accel.md, \"Errors\")",
          name, pc, int{isa::kErrRange}, d, d - 2 + cycles,
          pending_->unit == kStreamOut ? "STORE" : "LOAD", pending_->pc, pending_->err,
          pending_->cycle));
    return fail(isa::kErrRange, pc);
  }

  // Every word an instruction reads or writes (its Access) is inside its memory.
  bool in_range(const Access& a) const {
    auto inside = [&](const Range& r) {
      const int depth = r.mem == Mem::kAct   ? cfg_.act_depth()
                        : r.mem == Mem::kWgt ? cfg_.wgt_depth()
                                             : cfg_.out_depth();
      return r.hi < static_cast<uint64_t>(depth);
    };
    return std::all_of(a.reads.begin(), a.reads.end(), inside) &&
           std::all_of(a.writes.begin(), a.writes.end(), inside);
  }

  // Reads: ACT lines a_base .. the last line of the last pixel block, WGT words w_base ..
  // w_base + ncb*T - 1; writes: ACT lines o_base .. o_base + F - 1 or OUT words o_base ..
  // o_base + F*R - 1.
  Access gemm_access(const Gemm& g) const {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const uint64_t folds = g.npb * g.ncb;
    Access a;
    if (g.win) {
      uint64_t lo = UINT64_MAX, hi = 0;
      for (uint64_t pb = 0; pb < g.npb; ++pb)
        win_lines(g, pb, [&](uint64_t line) {
          lo = std::min(lo, line);
          hi = std::max(hi, line);
        });
      a.reads.push_back({Mem::kAct, lo, hi});
    } else {
      a.reads.push_back({Mem::kAct, g.a_base,
                         g.a_base + (g.npb - 1) * ceil_div(g.t, C) + (g.t - 1) / C});
    }
    a.reads.push_back({Mem::kWgt, g.w_base, g.w_base + g.ncb * g.t - 1});
    a.writes.push_back(g.to_out ? Range{Mem::kOut, g.o_base, g.o_base + folds * R - 1}
                                : Range{Mem::kAct, g.o_base, g.o_base + folds - 1});
    return a;
  }

  // Writes row r's accumulators of one fold: raw to OUT, requantized to OUT (NARROW,
  // sign-extended into the AccW lanes) or to ACT.
  void write_result(bool to_out, bool narrow, bool relu, int shift, uint64_t word_or_line,
                    uint64_t r, const Word& acc) {
    if (to_out && !narrow) {
      out_[word_or_line] = acc;
      return;
    }
    Word& dst = to_out ? out_[word_or_line] : act_[word_or_line * static_cast<uint64_t>(R_) + r];
    for (size_t j = 0; j < acc.size(); ++j)
      dst[j] = requantize_value(acc[j], shift, relu, cfg_.array.data_w);
  }

  // The ACT word (bank, line) array row r reads in slice t of fold pb, and its lane: a GEMM
  // reads lane t mod C of bank r at line a_base + pb*ceil(T/C) + t div C; with WIN, slice t is
  // (kh, kw, c) = (t div (Cin*Kw), (t div Cin) mod Kw, t mod Cin) in column phase kw mod S at
  // offset d = kw div S, and row r reads lane c mod C of bank e mod R, e = d + r, at line
  // a_base + oy*LOY + xb*CPL + kh*LH + (kw mod S)*LQ + (e div R)*CPL + c div C, where
  // oy = pb div BPR and xb = pb mod BPR.
  struct Operand {
    uint64_t bank, line, lane;
  };
  Operand operand(const Gemm& g, uint64_t pb, uint64_t t, uint64_t r) const {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    if (!g.win) return {r, g.a_base + pb * ceil_div(g.t, C) + t / C, t % C};
    const Window& w = window_;
    const uint64_t oy = pb / w.bpr, xb = pb % w.bpr;
    const uint64_t c = t % w.cin, kw = (t / w.cin) % w.kw, kh = t / (w.cin * w.kw);
    const uint64_t e = kw / w.s + r;
    return {e % R,
            g.a_base + oy * w.loy + xb * w.cpl + kh * w.lh + (kw % w.s) * w.lq + (e / R) * w.cpl +
                c / C,
            c % C};
  }

  // Calls mark(line) for every ACT line fold pb of a GEMM with WIN reads.
  template <typename Mark>
  void win_lines(const Gemm& g, uint64_t pb, Mark mark) const {
    for (uint64_t t = 0; t < g.t; ++t)
      for (uint64_t r = 0; r < static_cast<uint64_t>(R_); ++r) mark(operand(g, pb, t, r).line);
  }

  // Fold (pb, cb): all R x C accumulators are computed from the memories before any result is
  // written back.
  void fold(const Gemm& g, uint64_t pb, uint64_t cb) {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const int A = cfg_.array.acc_w;
    std::vector<Word> acc(R, Word(C, 0));
    uint64_t words = 0;  // ACT words the fold reads: one per bank per line of a position
    for (uint64_t t = 0; t < g.t; ++t) {
      const Word& w = wgt_[g.w_base + cb * g.t + t];
      if ((g.win ? t % window_.cin : t) % C == 0) words += R;
      for (uint64_t r = 0; r < R; ++r) {
        const Operand o = operand(g, pb, t, r);
        const int64_t a = act_[o.line * R + o.bank][o.lane];
        for (uint64_t j = 0; j < C; ++j) acc[r][j] = wrap_add(acc[r][j], wrap_mul(a, w[j], A), A);
      }
    }
    const uint64_t f = pb * g.ncb + cb;
    for (uint64_t r = 0; r < R; ++r)
      write_result(g.to_out, g.narrow, g.relu, g.shift,
                   g.to_out ? g.o_base + f * R + r : g.o_base + f, r, acc[r]);
    res_.macs += g.t * R * C;
    res_.act_reads += words;
    res_.wgt_reads += g.t;
    (g.to_out ? res_.out_writes : res_.act_writes) += R;
  }

  bool gemm(const isa::Instr& in, uint64_t pc) {
    const Gemm g = decode_gemm(in);
    const uint64_t d = timeline_.array_start(!g.to_out);
    if (!starts(d)) return false;
    if (g.t == 0 || g.npb == 0 || g.ncb == 0 || g.shift >= cfg_.array.acc_w ||
        (g.win && !window_.usable()))
      return issue_error(isa::kErrImpossible, pc, d);  // when it would start
    const Access access = gemm_access(g);
    check_race(pc, "GEMM", access);
    const uint64_t cycles = gemm_cycles(cfg_, g.t, g.npb * g.ncb, g.raw());
    if (!in_range(access)) return array_range_error("GEMM", pc, d, cycles);
    if (!g.to_out) {
      const uint64_t C = static_cast<uint64_t>(C_), lpb = ceil_div(g.t, C);
      check_in_place(pc, "GEMM", g.npb * g.ncb, g.o_base, [&](uint64_t f, auto mark) {
        if (g.win) return win_lines(g, f / g.ncb, mark);
        const uint64_t first = g.a_base + f / g.ncb * lpb;
        for (uint64_t l = first; l <= first + (g.t - 1) / C; ++l) mark(l);
      });
    }
    for (uint64_t pb = 0; pb < g.npb; ++pb)
      for (uint64_t cb = 0; cb < g.ncb; ++cb) fold(g, pb, cb);
    res_.gemm_cycles += cycles;
    ++res_.instructions;
    timeline_.computed(d, cycles);
    return true;
  }

  // Reads: ACT lines a_base .. the last line of the last fold's window, tap words w_base ..
  // w_base + G*P*K - 1; writes: ACT lines o_base .. o_base + G*NT - 1 or OUT words o_base ..
  // o_base + G*NT*R - 1.
  Access conv_access(const Conv& c) const {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const uint64_t folds = c.groups * c.tiles;
    Access a;
    a.reads.push_back({Mem::kAct, c.a_base,
                       c.a_base + (c.groups * c.passes - 1) * c.lw + (c.tiles - 1) +
                           (C + c.k - 2) / C});
    a.reads.push_back({Mem::kWgt, c.w_base, c.w_base + c.groups * c.passes * c.k - 1});
    a.writes.push_back(c.to_out ? Range{Mem::kOut, c.o_base, c.o_base + folds * R - 1}
                                : Range{Mem::kAct, c.o_base, c.o_base + folds - 1});
    return a;
  }

  // Tile t of group g: in every row r (bank r), output lane l is the sum over passes p and taps
  // k of tap(g, p, k)[r mod C] * element t*C + l + k of the line of (g, p).
  void conv_tile(const Conv& c, uint64_t g, uint64_t t) {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const int A = cfg_.array.acc_w;
    std::vector<Word> acc(R, Word(C, 0));
    for (uint64_t p = 0; p < c.passes; ++p) {
      const uint64_t line = c.a_base + (g * c.passes + p) * c.lw;
      for (uint64_t k = 0; k < c.k; ++k) {
        const Word& w = wgt_[c.w_base + (g * c.passes + p) * c.k + k];
        for (uint64_t r = 0; r < R; ++r)
          for (uint64_t l = 0; l < C; ++l) {
            const uint64_t x = t * C + l + k;
            const int64_t a = act_[(line + x / C) * R + r][x % C];
            acc[r][l] = wrap_add(acc[r][l], wrap_mul(a, w[r % C], A), A);
          }
      }
      res_.macs += c.k * R * C;
      res_.act_reads += ((C + c.k - 2) / C + 1) * R;  // the window's words, each once per bank
      res_.wgt_reads += c.k;
    }
    const uint64_t f = g * c.tiles + t;
    for (uint64_t r = 0; r < R; ++r)
      write_result(c.to_out, c.narrow, c.relu, c.shift,
                   c.to_out ? c.o_base + f * R + r : c.o_base + f, r, acc[r]);
    (c.to_out ? res_.out_writes : res_.act_writes) += R;
  }

  bool conv(const isa::Instr& in, uint64_t pc) {
    const Conv c = decode_conv(in);
    const uint64_t d = timeline_.array_start(!c.to_out);
    if (!starts(d)) return false;
    if (c.k == 0 || c.passes == 0 || c.tiles == 0 || c.groups == 0 ||
        c.shift >= cfg_.array.acc_w)
      return issue_error(isa::kErrImpossible, pc, d);
    const Access access = conv_access(c);  // the last fold's window reaches furthest
    check_race(pc, "CONV", access);
    const uint64_t cycles = conv_cycles(cfg_, c.k, c.groups * c.tiles * c.passes, c.raw());
    if (!in_range(access)) return array_range_error("CONV", pc, d, cycles);  // as GEMM
    if (!c.to_out) {
      const uint64_t span = (static_cast<uint64_t>(C_) + c.k - 2) / static_cast<uint64_t>(C_);
      check_in_place(pc, "CONV", c.groups * c.tiles, c.o_base, [&](uint64_t f, auto mark) {
        const uint64_t g = f / c.tiles, t = f % c.tiles;
        for (uint64_t p = 0; p < c.passes; ++p) {
          const uint64_t first = c.a_base + (g * c.passes + p) * c.lw + t;
          for (uint64_t l = first; l <= first + span; ++l) mark(l);
        }
      });
    }
    for (uint64_t g = 0; g < c.groups; ++g)
      for (uint64_t t = 0; t < c.tiles; ++t) conv_tile(c, g, t);
    res_.gemm_cycles += cycles;
    ++res_.instructions;
    timeline_.computed(d, cycles);
    return true;
  }

  const AccelConfig& cfg_;
  const int R_, C_;
  Memory &act_, &wgt_, &out_;
  const std::vector<Beat>& input_;
  AccelRun& res_;

  AccelTimeline timeline_;  // when instructions start ("Timing", "Background transfers")
  Window window_;           // the window registers (cleared at START)
  std::optional<Pending> pending_;  // the earliest error of a started transfer
  std::optional<Outstanding> out_ld_, out_st_;  // the outstanding ASYNC transfers
};

Word read_word(const Memory& m, int64_t index, const char* what, const std::string& where,
               int64_t depth) {
  if (index < 0 || static_cast<size_t>(index) >= m.size())
    throw Error(fmt::format("{}: {} is out of range: allowed 0..{}", what, where, depth - 1));
  return m[static_cast<size_t>(index)];
}

}  // namespace

std::vector<Beat> pack_words(const std::vector<std::vector<int64_t>>& words, int lane_bits,
                             int bus_width) {
  std::vector<Beat> beats;
  for (size_t i = 0; i < words.size(); ++i) append_word(words[i], i, lane_bits, bus_width, beats);
  return beats;
}

std::vector<std::vector<int64_t>> unpack_words(const std::vector<Beat>& beats, int lanes,
                                               int lane_bits, int bus_width) {
  check_stream_widths("unpack_words", lanes, lane_bits, bus_width);
  const int64_t n = ceil_div(int64_t{lanes} * lane_bits, bus_width);
  if (beats.size() % static_cast<size_t>(n) != 0)
    throw Error(fmt::format("unpack_words: {} beats are not a whole number of words: a word of "
                            "{} x {} bits takes {} beats of {} bits",
                            beats.size(), lanes, lane_bits, n, bus_width));
  std::vector<std::vector<int64_t>> words;
  for (size_t first = 0; first < beats.size(); first += static_cast<size_t>(n))
    words.push_back(word_from_beats(beats, first, n, lanes, lane_bits, bus_width));
  return words;
}

AccelModel::AccelModel(const AccelConfig& c) : cfg_(c) {
  cfg_.validate();
  const Word zero(static_cast<size_t>(cfg_.array.cols), 0);
  act_.assign(static_cast<size_t>(cfg_.act_depth()) * static_cast<size_t>(cfg_.array.rows), zero);
  wgt_.assign(static_cast<size_t>(cfg_.wgt_depth()), zero);
  out_.assign(static_cast<size_t>(cfg_.out_depth()), zero);
}

AccelRun AccelModel::run(const std::vector<isa::Instr>& ibuf, uint32_t pc_start,
                         const std::vector<Beat>& input) {
  const uint64_t depth = static_cast<uint64_t>(cfg_.ibuf_depth);
  if (ibuf.size() > depth)
    throw Error(fmt::format("a program of {} instructions does not fit the instruction buffer: "
                            "allowed at most {}",
                            ibuf.size(), depth));
  AccelRun res;
  Runner(cfg_, act_, wgt_, out_, input, res).run(ibuf, pc_start, depth);
  return res;
}

std::vector<int64_t> AccelModel::act_word(int bank, int line) const {
  const int R = cfg_.array.rows;
  if (bank < 0 || bank >= R)
    throw Error(fmt::format("act_word: bank {} is out of range: allowed 0..{}", bank, R - 1));
  return read_word(act_, int64_t{line} * R + bank, "act_word", fmt::format("line {}", line),
                   cfg_.act_depth());
}

std::vector<int64_t> AccelModel::wgt_word(int word) const {
  return read_word(wgt_, word, "wgt_word", fmt::format("word {}", word), cfg_.wgt_depth());
}

std::vector<int64_t> AccelModel::out_word(int word) const {
  return read_word(out_, word, "out_word", fmt::format("word {}", word), cfg_.out_depth());
}

}  // namespace fusegen
