// Instruction-set model of the generated accelerator, written from docs/accel.md alone (never
// from the RTL): the stream packing of words into beats, LOAD / STORE / GEMM / END on three
// scratchpads, requantization, the error codes with their ERR_PC, the cycle formula of the
// timing table and the work counters.
#include "golden/accel_model.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
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

// The fields of a GEMM instruction (docs/accel.md, "Instruction set").
struct Gemm {
  bool raw = false, relu = false;
  int shift = 0;
  uint64_t a_base = 0, o_base = 0, w_base = 0, t = 0, npb = 0, ncb = 0;
};

Gemm decode_gemm(const isa::Instr& in) {
  Gemm g;
  g.raw = (in.w[0] >> 4) & 1;
  g.relu = (in.w[0] >> 5) & 1;
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
  bool raw = false, relu = false;
  int shift = 0;
  uint64_t k = 0, passes = 0, a_base = 0, o_base = 0, w_base = 0, lw = 0, tiles = 0, groups = 0;
};

Conv decode_conv(const isa::Instr& in) {
  Conv c;
  c.raw = (in.w[0] >> 4) & 1;
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

// Executes instructions on the model's scratchpads and records into one AccelRun.
class Runner {
 public:
  Runner(const AccelConfig& cfg, Memory& act, Memory& wgt, Memory& out,
         const std::vector<Beat>& input, AccelRun& res)
      : cfg_(cfg), R_(cfg.array.rows), C_(cfg.array.cols), act_(act), wgt_(wgt), out_(out),
        input_(input), res_(res) {}

  // Stops the program with an error code at pc; returns false (the program stops).
  bool fail(int err, uint64_t pc) {
    res_.err = err;
    res_.err_pc = static_cast<uint32_t>(pc);
    return false;
  }

  // Executes the instruction at pc; false when the program stops (END or an error).
  bool execute(const isa::Instr& in, uint64_t pc) {
    const uint32_t op = in.w[0] & 0xf;
    bool go = false;
    switch (op) {
      case isa::kEnd: res_.cycles += 2; break;
      case isa::kLoad: go = load(in, pc); break;
      case isa::kStore: go = store(in, pc); break;
      case isa::kGemm: go = gemm(in, pc); break;
      case isa::kConv: go = conv(in, pc); break;
      default: return fail(isa::kErrOpcode, pc);
    }
    if (res_.err == isa::kOk) ++res_.instructions;
    return go;
  }

 private:
  // Activation word i of a LOAD / STORE from line `base`: bank i mod R of line base + i div R;
  // nullptr past the memory.
  Word* act_slot(uint64_t base, uint64_t i) {
    const uint64_t line = base + i / static_cast<uint64_t>(R_);
    if (line >= static_cast<uint64_t>(cfg_.act_depth())) return nullptr;
    return &act_[line * static_cast<uint64_t>(R_) + i % static_cast<uint64_t>(R_)];
  }
  static Word* slot(Memory& m, uint64_t word) { return word < m.size() ? &m[word] : nullptr; }

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

  bool load(const isa::Instr& in, uint64_t pc) {
    const bool wgt = (in.w[0] >> 4) & 1;
    const uint64_t base = in.w[1], count = in.w[2];
    if (count == 0) return fail(isa::kErrImpossible, pc);
    for (uint64_t i = 0; i < count; ++i) {
      Word word = take_word(pc);  // the offending word's beats are consumed, then it stops
      Word* dst = wgt ? slot(wgt_, base + i) : act_slot(base, i);
      if (!dst) return fail(isa::kErrRange, pc);
      *dst = std::move(word);
      ++(wgt ? res_.wgt_writes : res_.act_writes);
    }
    res_.cycles += 2 + count * static_cast<uint64_t>(cfg_.beats_d());
    return true;
  }

  bool store(const isa::Instr& in, uint64_t pc) {
    const bool out = (in.w[0] >> 4) & 1;
    const uint64_t base = in.w[1], count = in.w[2];
    if (count == 0) return fail(isa::kErrImpossible, pc);
    const int lane_bits = out ? cfg_.array.acc_w : cfg_.array.data_w;
    for (uint64_t i = 0; i < count; ++i) {
      const Word* src = out ? slot(out_, base + i) : act_slot(base, i);
      if (!src) return fail(isa::kErrRange, pc);  // the words before it were streamed
      append_word(*src, i, lane_bits, cfg_.bus_width, res_.output);
      ++(out ? res_.out_reads : res_.act_reads);
    }
    res_.last.push_back(res_.output.size() - 1);
    const uint64_t beats = static_cast<uint64_t>(out ? cfg_.beats_a() : cfg_.beats_d());
    // Fetch + decode, the first word's read and capture, the beats; the next word is read
    // while a word is sent, except with one beat per word (one capture cycle between words).
    res_.cycles += 4 + count * beats + (beats == 1 ? count - 1 : 0);
    return true;
  }

  // Every ACT line and WGT word the GEMM reads and every word it writes is inside its memory.
  bool gemm_in_range(const Gemm& g) const {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const uint64_t last_line = g.a_base + (g.npb - 1) * ceil_div(g.t, C) + (g.t - 1) / C;
    const uint64_t last_wgt = g.w_base + g.ncb * g.t - 1;
    const uint64_t folds = g.npb * g.ncb;
    const uint64_t last_out = g.raw ? g.o_base + folds * R - 1 : g.o_base + folds - 1;
    const uint64_t out_depth =
        static_cast<uint64_t>(g.raw ? cfg_.out_depth() : cfg_.act_depth());
    return last_line < static_cast<uint64_t>(cfg_.act_depth()) &&
           last_wgt < static_cast<uint64_t>(cfg_.wgt_depth()) && last_out < out_depth;
  }

  // Fold (pb, cb): all R x C accumulators are computed from the memories before any result is
  // written back.
  void fold(const Gemm& g, uint64_t pb, uint64_t cb) {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const int A = cfg_.array.acc_w;
    const uint64_t line0 = g.a_base + pb * ceil_div(g.t, C);
    std::vector<Word> acc(R, Word(C, 0));
    for (uint64_t t = 0; t < g.t; ++t) {
      const Word& w = wgt_[g.w_base + cb * g.t + t];
      for (uint64_t r = 0; r < R; ++r) {
        const int64_t a = act_[(line0 + t / C) * R + r][t % C];
        for (uint64_t j = 0; j < C; ++j) acc[r][j] = wrap_add(acc[r][j], wrap_mul(a, w[j], A), A);
      }
    }
    for (uint64_t r = 0; r < R; ++r) {
      if (g.raw) {
        out_[g.o_base + (pb * g.ncb + cb) * R + r] = acc[r];
        continue;
      }
      Word& dst = act_[(g.o_base + pb * g.ncb + cb) * R + r];
      for (uint64_t j = 0; j < C; ++j)
        dst[j] = requantize_value(acc[r][j], g.shift, g.relu, cfg_.array.data_w);
    }
    res_.macs += g.t * R * C;
    res_.act_reads += static_cast<uint64_t>(ceil_div(g.t, C)) * R;  // each bank word once
    res_.wgt_reads += g.t;
    (g.raw ? res_.out_writes : res_.act_writes) += R;
  }

  // The timing table: (F - 1) * max(T, R) + T + FO + R + 7 for space 0, FO + R + 5 for
  // space 1 (FO = I + R + C + M); the constant part is AccelConfig::gemm_tail.
  uint64_t gemm_cycles(const Gemm& g) const {
    const uint64_t f = g.npb * g.ncb, R = static_cast<uint64_t>(R_);
    return (f - 1) * std::max(g.t, R) + g.t + static_cast<uint64_t>(cfg_.gemm_tail(g.raw));
  }

  bool gemm(const isa::Instr& in, uint64_t pc) {
    const Gemm g = decode_gemm(in);
    if (g.t == 0 || g.npb == 0 || g.ncb == 0 || g.shift >= cfg_.array.acc_w)
      return fail(isa::kErrImpossible, pc);
    // Range errors are found before any fold runs, so a failing GEMM writes nothing (the page
    // leaves which of its results reach memory unspecified).
    if (!gemm_in_range(g)) return fail(isa::kErrRange, pc);
    for (uint64_t pb = 0; pb < g.npb; ++pb)
      for (uint64_t cb = 0; cb < g.ncb; ++cb) fold(g, pb, cb);
    res_.cycles += gemm_cycles(g);
    res_.gemm_cycles += gemm_cycles(g);
    return true;
  }

  // CONV: every line read (the last fold's window reaches furthest), every tap word and every
  // result word is inside its memory.
  bool conv_in_range(const Conv& c) const {
    const uint64_t R = static_cast<uint64_t>(R_), C = static_cast<uint64_t>(C_);
    const uint64_t last_line =
        c.a_base + (c.groups * c.passes - 1) * c.lw + (c.tiles - 1) + (C + c.k - 2) / C;
    const uint64_t last_wgt = c.w_base + c.groups * c.passes * c.k - 1;
    const uint64_t folds = c.groups * c.tiles;
    const uint64_t last_out = c.raw ? c.o_base + folds * R - 1 : c.o_base + folds - 1;
    const uint64_t out_depth =
        static_cast<uint64_t>(c.raw ? cfg_.out_depth() : cfg_.act_depth());
    return last_line < static_cast<uint64_t>(cfg_.act_depth()) &&
           last_wgt < static_cast<uint64_t>(cfg_.wgt_depth()) && last_out < out_depth;
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
    for (uint64_t r = 0; r < R; ++r) {
      if (c.raw) {
        out_[c.o_base + (g * c.tiles + t) * R + r] = acc[r];
        continue;
      }
      Word& dst = act_[(c.o_base + g * c.tiles + t) * R + r];
      for (uint64_t l = 0; l < C; ++l)
        dst[l] = requantize_value(acc[r][l], c.shift, c.relu, cfg_.array.data_w);
    }
    (c.raw ? res_.out_writes : res_.act_writes) += R;
  }

  // The timing table: (F - 1) * max(W, R) + W + FS + R + 7 (space 0) or + 5 (space 1), with
  // F = G * NT * P folds, W = C + K - 1; the constant part is AccelConfig::conv_tail.
  uint64_t conv_cycles(const Conv& c) const {
    const uint64_t f = c.groups * c.tiles * c.passes, R = static_cast<uint64_t>(R_);
    const uint64_t w = static_cast<uint64_t>(C_) + c.k - 1;
    return (f - 1) * std::max(w, R) + w + static_cast<uint64_t>(cfg_.conv_tail(c.raw));
  }

  bool conv(const isa::Instr& in, uint64_t pc) {
    const Conv c = decode_conv(in);
    if (c.k == 0 || c.passes == 0 || c.tiles == 0 || c.groups == 0 ||
        c.shift >= cfg_.array.acc_w)
      return fail(isa::kErrImpossible, pc);
    if (!conv_in_range(c)) return fail(isa::kErrRange, pc);  // as GEMM: found before any fold
    for (uint64_t g = 0; g < c.groups; ++g)
      for (uint64_t t = 0; t < c.tiles; ++t) conv_tile(c, g, t);
    res_.cycles += conv_cycles(c);
    res_.gemm_cycles += conv_cycles(c);
    return true;
  }

  const AccelConfig& cfg_;
  const int R_, C_;
  Memory &act_, &wgt_, &out_;
  const std::vector<Beat>& input_;
  AccelRun& res_;
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
  Runner runner(cfg_, act_, wgt_, out_, input, res);
  // There are no jumps: the program stops at an END, an error, or past the buffer (code 4,
  // ERR_PC = the PC fetched). Entries past ibuf's end read as all-zero words, i.e. END.
  for (uint64_t pc = pc_start;; ++pc) {
    if (pc >= depth) {
      runner.fail(isa::kErrPc, pc);
      break;
    }
    if (!runner.execute(pc < ibuf.size() ? ibuf[pc] : isa::Instr{}, pc)) break;
  }
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
