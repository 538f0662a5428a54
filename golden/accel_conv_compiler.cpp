// Depthwise layers on the accelerator's CONV instruction (docs/accel.md, "Depthwise layers").
//
// A depthwise layer is a set of independent 1-D problems, one per output line: along W, line
// (n, ch, oh) sums Kh passes (kernel rows p, input row oh*s + p - pad_h) of a Kw-tap 1-D
// correlation over the input row padded by pad_w; along H (Kx1 kernels) the roles of H and W
// swap. Lines go Rg = min(R, C) at a time to the array rows (a group: row r takes lane r mod C
// of the tap words, so only C rows have taps of their own). Every (group, pass) owns LW
// consecutive ACT lines: the padded input line of array row r sits in bank r, element e at
// line e div C, lane e mod C, zero past its end. Tap words of (group, pass): K words, lane r =
// tap k of row r's channel. The program, per chunk of groups: LOAD the taps, LOAD the lines,
// one CONV (raw results to OUT), STORE the results; the host keeps every stride-th stride-1
// output (out_index). With AccelDwLayer::requantize, CONV requantizes into ACT lines after the
// chunk's input lines and STORE streams those DataW words instead of the OUT accumulators.
// Overlapped programs (overlap = true): chunks in ACT / OUT (and, unless all taps fit WGT, WGT)
// halves, LOADs of the next chunk and the STORE of the previous in the background, requantized
// results through OUT with NARROW, and each (group, pass) packed into ceil(padded length / C)
// lines (plan_dw_overlap).
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compile_common.h"
#include "golden/accel_compiler.h"

namespace fusegen {

namespace {

using Word = std::vector<int64_t>;
constexpr int64_t kMaxField = 65535;  // 16-bit fields (bases, LW, tiles, groups)
constexpr int64_t kMaxByte = 255;     // 8-bit fields (taps, passes)


// The lowering of one depthwise layer, with every count the program needs.
struct DwPlan {
  std::string label;
  int64_t n = 0, ch = 0, h = 0, w = 0;  // input
  int64_t ho = 0, wo = 0;               // output
  bool along_h = false;                 // lines run along H (Kx1 kernels)
  int64_t taps = 0, passes = 0;         // K along the line, accumulated passes
  int64_t stride = 1, pad_line = 0, pad_pass = 0;
  int64_t in_len = 0;                   // input elements along the line (unpadded)
  int64_t out_lines = 0;                // output lines per (n, ch): Ho (along W) or Wo
  int64_t outs = 0;                     // outputs per line: Wo (along W) or Ho
  int64_t q1 = 0;                       // stride-1 outputs computed per line
  int64_t tiles = 0;                    // tiles of C outputs per line
  int64_t lw = 0;                       // ACT lines per (group, pass)
  // Overlapped programs pack a (group, pass) into the lines its padded line needs:
  // ceil((in_len + 2*pad) / C) <= lw. The CONV's window then reaches past them into the next
  // (group, pass)'s lines (or, after the chunk's last, `overhang` lines more): those elements
  // only feed stride-1 outputs past the line's end, which out_index drops.
  int64_t lw_dense = 0, overhang = 0;
  int64_t rg = 0;                       // lines per group: min(R, C)
  int64_t lines = 0, groups = 0;        // lines in all, groups in all
  int64_t chunk = 0;                    // groups per program chunk
  bool requantize = false;              // results requantized into ACT, stored from there
  int shift = 0;                        // requantization (with requantize)
  bool relu = false;
};

DwPlan plan_dw(const AccelConfig& c, const Tensor& x, const AccelDwLayer& l) {
  DwPlan p;
  p.label = l.name.empty() ? std::string("depthwise layer") : fmt::format("layer '{}'", l.name);
  if (x.rank() != 4 || x.numel() == 0)
    throw Error(fmt::format("{}: input shape {} is not a non-empty [N, Ch, H, W]", p.label,
                            shape_str(x.shape)));
  const auto& s = l.weights.shape;
  if (s.size() != 4 || s[1] != 1 || s[0] != x.dim(1) || l.weights.numel() == 0)
    throw Error(fmt::format("{}: weights {} are not [Ch, 1, Kh, Kw] with Ch = {} (the input's "
                            "channels)",
                            p.label, shape_str(s), x.dim(1)));
  check_conv_values(c, x, l.weights, l.requantize, l.shift, l.stride, l.pad_h, l.pad_w,
                    p.label);
  p.n = x.dim(0);
  p.ch = x.dim(1);
  p.h = x.dim(2);
  p.w = x.dim(3);
  const int64_t kh = s[2], kw = s[3];
  p.stride = l.stride;
  if (p.h + 2 * l.pad_h < kh || p.w + 2 * l.pad_w < kw)
    throw Error(fmt::format("{}: the {}x{} kernel is larger than the padded {}x{} input",
                            p.label, kh, kw, p.h + 2 * l.pad_h, p.w + 2 * l.pad_w));
  p.ho = (p.h + 2 * l.pad_h - kh) / p.stride + 1;
  p.wo = (p.w + 2 * l.pad_w - kw) / p.stride + 1;
  p.along_h = kw == 1 && kh > 1;
  p.taps = p.along_h ? kh : kw;
  p.passes = p.along_h ? kw : kh;
  p.pad_line = p.along_h ? l.pad_h : l.pad_w;
  p.pad_pass = p.along_h ? l.pad_w : l.pad_h;
  p.in_len = p.along_h ? p.h : p.w;
  p.out_lines = p.along_h ? p.wo : p.ho;
  p.outs = p.along_h ? p.ho : p.wo;
  if (p.taps > kMaxByte || p.passes > kMaxByte)
    throw Error(fmt::format("{}: a {}x{} kernel: the CONV instruction takes at most {} taps and "
                            "{} passes",
                            p.label, kh, kw, kMaxByte, kMaxByte));
  const int64_t R = c.array.rows, C = c.array.cols;
  p.q1 = (p.outs - 1) * p.stride + 1;
  p.tiles = ceil_div(p.q1, C);
  p.lw = p.tiles + ceil_div(p.taps - 1, C);  // the last tile's window reaches K - 1 further
  p.lw_dense = ceil_div(p.in_len + 2 * p.pad_line, C);
  // The CONV's last line read, relative to the last (group, pass)'s first line: NT - 1 +
  // (C + K - 2) div C; of those lines, lw_dense are the (group, pass)'s own.
  p.overhang = std::max<int64_t>(0, p.tiles + (C + p.taps - 2) / C - p.lw_dense);
  p.rg = std::min(R, C);
  p.lines = p.n * p.ch * p.out_lines;
  p.groups = ceil_div(p.lines, p.rg);
  // Per group: passes * LW ACT lines (+ tiles requantized result lines), tiles * R raw result
  // words, passes * taps weight words.
  p.requantize = l.requantize;
  p.shift = l.shift;
  p.relu = l.relu;
  const int64_t act = p.passes * p.lw + (p.requantize ? p.tiles : 0), out = p.tiles * R,
                wgt = p.passes * p.taps;
  if (act > c.act_depth() || act > kMaxField)
    throw Error(fmt::format("{}: one group of lines needs {} activation lines ({} passes x {}{}), "
                            "the activation scratchpad holds {}",
                            p.label, act, p.passes, p.lw,
                            p.requantize ? fmt::format(" + {} result lines", p.tiles) : "",
                            c.act_depth()));
  if (!p.requantize && out > c.out_depth())
    throw Error(fmt::format("{}: one group of lines needs {} result words ({} tiles x {} rows), "
                            "the result scratchpad holds {}",
                            p.label, out, p.tiles, R, c.out_depth()));
  if (wgt > c.wgt_depth())
    throw Error(fmt::format("{}: one group of lines needs {} weight words, the weight "
                            "scratchpad holds {}",
                            p.label, wgt, c.wgt_depth()));
  p.chunk = std::min({c.act_depth() / act, p.requantize ? kMaxField : c.out_depth() / out,
                      c.wgt_depth() / wgt, kMaxField, p.groups});
  return p;
}

// LOAD taps, LOAD lines, CONV, STORE per chunk, and the END.
int64_t dw_program_length(const DwPlan& p) { return 1 + 4 * ceil_div(p.groups, p.chunk); }

void check_dw_length(const AccelConfig& c, const DwPlan& p) {
  const int64_t n = dw_program_length(p);
  if (n > c.ibuf_depth)
    throw Error(fmt::format("{}: the program needs {} instructions ({} chunks of up to {} groups "
                            "of {} lines), the instruction buffer holds {}",
                            p.label, n, ceil_div(p.groups, p.chunk), p.chunk, p.rg,
                            c.ibuf_depth));
}

class DwEmitter {
 public:
  DwEmitter(const AccelConfig& c, const Tensor& x, const AccelDwLayer& l, const DwPlan& p,
            AccelProgram& out)
      : c_(c), R_(c.array.rows), C_(c.array.cols), x_(x), l_(l), p_(p), out_(out) {}

  void emit() {
    for (int64_t g0 = 0; g0 < p_.groups; g0 += p_.chunk)
      chunk(g0, std::min(p_.chunk, p_.groups - g0));
    out_.program.push_back(isa::end());
  }

  // Taps of groups g0 .. g0 + q - 1: word (g*P + p)*K + k, lane r (r < Rg) = row r's tap.
  std::vector<Word> tap_words(int64_t g0, int64_t q) const {
    std::vector<Word> taps;
    for (int64_t g = 0; g < q; ++g)
      for (int64_t pass = 0; pass < p_.passes; ++pass)
        for (int64_t k = 0; k < p_.taps; ++k) {
          Word w(static_cast<size_t>(C_), 0);
          for (int64_t r = 0; r < p_.rg; ++r) {
            const int64_t line = (g0 + g) * p_.rg + r;
            if (line < p_.lines) w[static_cast<size_t>(r)] = tap(line_id(line).ch, pass, k);
          }
          taps.push_back(std::move(w));
        }
    return taps;
  }

  // Lines of groups g0 .. g0 + q - 1: ACT line (g*P + p)*lw + i, bank r = elements i*C .. i*C +
  // C - 1 of row r's line; LOAD order: banks 0..R-1 of a line, then the next line.
  // lw: the lines per (group, pass) (p.lw, or p.lw_dense in overlapped programs).
  std::vector<Word> line_words(int64_t g0, int64_t q, int64_t lw) const {
    std::vector<Word> words;
    for (int64_t g = 0; g < q; ++g)
      for (int64_t pass = 0; pass < p_.passes; ++pass)
        for (int64_t i = 0; i < lw; ++i)
          for (int64_t r = 0; r < R_; ++r) {
            Word w(static_cast<size_t>(C_), 0);
            const int64_t line = (g0 + g) * p_.rg + r;
            if (r < p_.rg && line < p_.lines) {
              const LineId id = line_id(line);
              for (int64_t j = 0; j < C_; ++j)
                w[static_cast<size_t>(j)] = element(id, pass, i * C_ + j);
            }
            words.push_back(std::move(w));
          }
    return words;
  }

  // Result word (g*NT + t)*R + r of groups g0 .. g0 + q - 1 (OUT word, or bank r of ACT line
  // o_base + g*NT + t), lane l: stride-1 output t*C + l of row r's line. Appends out_index.
  void add_out_index(int64_t g0, int64_t q) {
    for (int64_t g = 0; g < q; ++g)
      for (int64_t t = 0; t < p_.tiles; ++t)
        for (int64_t r = 0; r < R_; ++r)
          for (int64_t l = 0; l < C_; ++l) {
            const int64_t line = (g0 + g) * p_.rg + r, q1 = t * C_ + l;
            int64_t at = -1;
            if (r < p_.rg && line < p_.lines && q1 % p_.stride == 0 && q1 / p_.stride < p_.outs) {
              const LineId id = line_id(line);
              const int64_t o = q1 / p_.stride;
              const int64_t y = p_.along_h ? o : id.fixed, xx = p_.along_h ? id.fixed : o;
              at = ((id.n * p_.ch + id.ch) * p_.ho + y) * p_.wo + xx;
            }
            out_.out_index.push_back(at);
          }
  }

 private:
  struct LineId {
    int64_t n, ch, fixed;  // image, channel, output row (along W) or column (along H)
  };
  LineId line_id(int64_t line) const {
    return {line / (p_.ch * p_.out_lines), line / p_.out_lines % p_.ch, line % p_.out_lines};
  }

  void load(int space, const std::vector<Word>& words) {
    out_.program.push_back(isa::load(space, 0, static_cast<uint32_t>(words.size())));
    const std::vector<Beat> beats = pack_words(words, c_.array.data_w, c_.bus_width);
    out_.input.insert(out_.input.end(), beats.begin(), beats.end());
  }

  // Input element e (padded coordinate) of pass p of a line; zero in the padding.
  int64_t element(const LineId& id, int64_t pass, int64_t e) const {
    const int64_t across = id.fixed * p_.stride + pass - p_.pad_pass;  // input row / column
    const int64_t along = e - p_.pad_line;
    const int64_t hi = p_.along_h ? p_.w : p_.h;
    if (across < 0 || across >= hi || along < 0 || along >= p_.in_len) return 0;
    const int64_t y = p_.along_h ? along : across, xx = p_.along_h ? across : along;
    return x_.data[static_cast<size_t>(((id.n * p_.ch + id.ch) * p_.h + y) * p_.w + xx)];
  }

  // Tap k of pass p of channel ch.
  int64_t tap(int64_t ch, int64_t pass, int64_t k) const {
    const int64_t kh = l_.weights.dim(2), kw = l_.weights.dim(3);
    const int64_t ky = p_.along_h ? k : pass, kx = p_.along_h ? pass : k;
    return l_.weights.data[static_cast<size_t>((ch * kh + ky) * kw + kx)];
  }

  void chunk(int64_t g0, int64_t q) {
    load(isa::kWgt, tap_words(g0, q));
    load(isa::kAct, line_words(g0, q, p_.lw));
    isa::ConvFields f;
    f.lw = static_cast<uint32_t>(p_.lw);
    f.k = static_cast<uint32_t>(p_.taps);
    f.passes = static_cast<uint32_t>(p_.passes);
    f.tiles = static_cast<uint32_t>(p_.tiles);
    f.groups = static_cast<uint32_t>(q);
    // Requantized results: ACT lines after the chunk's input lines, line g*NT + t, bank r.
    const bool act = p_.requantize;
    f.o_base = act ? static_cast<uint32_t>(q * p_.passes * p_.lw) : 0;
    out_.program.push_back(isa::conv(!act, act && l_.relu, act ? l_.shift : 0, f));
    const int64_t count = q * p_.tiles * R_;
    out_.program.push_back(isa::store(act ? isa::kAct : isa::kOut, f.o_base,
                                      static_cast<uint32_t>(count)));
    out_.output_beats += static_cast<uint64_t>(count * (act ? c_.beats_d() : c_.beats_a()));
    add_out_index(g0, q);
  }

  const AccelConfig& c_;
  const int64_t R_, C_;
  const Tensor& x_;
  const AccelDwLayer& l_;
  const DwPlan& p_;
  AccelProgram& out_;
};

// The overlapped program (accel_compiler.h, "Overlapped programs"): chunks of q groups, each
// chunk's lines in half k % 2 of ACT (lw_dense lines per (group, pass), and `overhang` more
// lines of the half that the last window reads) and its results (raw, or requantized with
// NARROW) in half k % 2 of OUT; the taps of all groups loaded first when they fit WGT together,
// else each chunk's taps in half k % 2 of WGT. em: the word source (nullptr when only the
// instructions are needed). q_req: groups per chunk, at most dw_chunk_max() (0: a half cannot
// hold one group; then false).
int64_t dw_chunk_max(const AccelConfig& c, const DwPlan& p) {
  const int64_t hout = c.out_depth() / 2, act_half = c.act_depth() / 2,
                wgt_half = c.wgt_depth() / 2;
  const int64_t act_g = p.passes * p.lw_dense, out_g = p.tiles * c.array.rows,
                taps_g = p.passes * p.taps;
  const bool resident = p.groups * taps_g <= c.wgt_depth();
  return std::min({hout / out_g, std::max<int64_t>(0, act_half - p.overhang) / act_g,
                   resident ? kMaxField : wgt_half / taps_g, kMaxField, p.groups});
}

bool plan_dw_overlap(const AccelConfig& c, const DwPlan& p, const DwEmitter* em, int64_t q_req,
                     OvPlan& ov) {
  const int64_t R = c.array.rows;
  const int64_t hout = c.out_depth() / 2, act_half = c.act_depth() / 2,
                wgt_half = c.wgt_depth() / 2;
  const int64_t act_g = p.passes * p.lw_dense, out_g = p.tiles * R, taps_g = p.passes * p.taps;
  const bool resident = p.groups * taps_g <= c.wgt_depth();
  const int64_t most = dw_chunk_max(c, p);
  if (most < 1) return false;
  const int64_t q = std::max<int64_t>(1, std::min(q_req, most));
  const int64_t chunks = ceil_div(p.groups, q);
  const bool narrow = p.requantize;
  ov = OvPlan{};
  if (resident) {
    OvLoad ld;
    ld.space = isa::kWgt;
    ld.count = p.groups * taps_g;
    ld.words = [em, &p] { return em->tap_words(0, p.groups); };
    ov.loads.push_back(std::move(ld));
  }
  for (int64_t k = 0; k < chunks; ++k) {
    const int64_t g0 = k * q, qk = std::min(q, p.groups - g0), h = k % 2;
    if (!resident) {
      OvLoad ld;
      ld.space = isa::kWgt;
      ld.base = h * wgt_half;
      ld.count = qk * taps_g;
      ld.ready = std::max<int64_t>(0, k - 1);
      ld.need = k;
      ld.words = [em, g0, qk] { return em->tap_words(g0, qk); };
      ov.loads.push_back(std::move(ld));
    }
    OvLoad ld;
    ld.space = isa::kAct;
    ld.base = h * act_half;
    ld.count = qk * act_g * R;
    ld.ready = std::max<int64_t>(0, k - 1);
    ld.need = k;
    ld.words = [em, &p, g0, qk] { return em->line_words(g0, qk, p.lw_dense); };
    ov.loads.push_back(std::move(ld));
    isa::ConvFields f;
    f.a_base = static_cast<uint32_t>(h * act_half);
    f.o_base = static_cast<uint32_t>(h * hout);
    f.w_base = static_cast<uint32_t>(resident ? g0 * taps_g : h * wgt_half);
    f.lw = static_cast<uint32_t>(p.lw_dense);
    f.k = static_cast<uint32_t>(p.taps);
    f.passes = static_cast<uint32_t>(p.passes);
    f.tiles = static_cast<uint32_t>(p.tiles);
    f.groups = static_cast<uint32_t>(qk);
    OvStep st;
    const isa::Instr cv = isa::conv(true, narrow && p.relu, narrow ? p.shift : 0, f);
    st.compute.push_back(narrow ? isa::narrow(cv) : cv);
    set_result_store(c, st, f.o_base, qk * out_g, narrow);
    ov.steps.push_back(std::move(st));
  }
  return true;
}

// The chunk size (groups per chunk) of compile_depthwise's overlapped program for p: of the
// sizes chunk_candidates() offers, the fastest whose program fits ibuf_depth; 0 when none does
// or a half cannot hold one group.
int64_t dw_overlap_chunk(const AccelConfig& c, const DwPlan& p) {
  const int64_t most = dw_chunk_max(c, p);
  if (most < 1) return 0;
  const std::vector<int64_t> sizes = chunk_candidates(most, p.groups);
  const int best = best_overlap_candidate(c, static_cast<int>(sizes.size()),
                                          [&](int i, OvPlan& ov) {
                                            return plan_dw_overlap(
                                                c, p, nullptr, sizes[static_cast<size_t>(i)], ov);
                                          });
  return best < 0 ? 0 : sizes[static_cast<size_t>(best)];
}

// p for the first `chans` channels of the layer.
DwPlan with_channels(const DwPlan& whole, int64_t chans) {
  DwPlan p = whole;
  p.ch = chans;
  p.lines = p.n * chans * p.out_lines;
  p.groups = ceil_div(p.lines, p.rg);
  p.chunk = std::min(whole.chunk, p.groups);
  return p;
}

}  // namespace

AccelProgram compile_depthwise(const AccelConfig& c, const Tensor& x, const AccelDwLayer& l,
                               bool overlap) {
  c.validate();
  const DwPlan plan = plan_dw(c, x, l);
  AccelProgram p;
  p.out_shape = {plan.n, plan.ch, plan.ho, plan.wo};
  p.requantized = plan.requantize;
  if (overlap) {
    // The fastest chunk size whose program fits ibuf_depth; when none does, the one-at-a-time
    // program.
    const int64_t q = dw_overlap_chunk(c, plan);
    if (q >= 1) {
      DwEmitter em(c, x, l, plan, p);
      OvPlan ov;
      plan_dw_overlap(c, plan, &em, q, ov);
      const std::vector<OvOp> ops = schedule_overlap(ov.steps, ov.loads);
      emit_overlap(c, ov.steps, ov.loads, ops, p);
      if (p.program.size() != ops.size())
        throw std::logic_error("compile_depthwise: emitted length differs from the planned "
                               "length");
      for (int64_t g0 = 0; g0 < plan.groups; g0 += q)  // the STOREs stream the chunks in order
        em.add_out_index(g0, std::min(q, plan.groups - g0));
      return p;
    }
  }
  check_dw_length(c, plan);
  DwEmitter(c, x, l, plan, p).emit();
  if (static_cast<int64_t>(p.program.size()) != dw_program_length(plan))
    throw std::logic_error("compile_depthwise: emitted length differs from the planned length");
  return p;
}

std::vector<std::pair<int64_t, int64_t>> depthwise_channel_slices(const AccelConfig& c,
                                                                  const Tensor& x,
                                                                  const AccelDwLayer& l,
                                                                  bool overlap) {
  c.validate();
  const DwPlan whole = plan_dw(c, x, l);
  // Programs grow with the channels (groups of lines); find the most channels that fit:
  // overlapped when overlap is asked for and one channel's overlapped program fits.
  auto fits_overlapped = [&](int64_t chans) {
    return dw_overlap_chunk(c, with_channels(whole, chans)) >= 1;
  };
  const bool ov = overlap && fits_overlapped(1);
  auto fits = [&](int64_t chans) {
    return ov ? fits_overlapped(chans)
              : dw_program_length(with_channels(whole, chans)) <= c.ibuf_depth;
  };
  if (!fits(1)) check_dw_length(c, with_channels(whole, 1));  // throws, naming the limit
  int64_t per = whole.ch;
  while (!fits(per)) per = std::max<int64_t>(1, per / 2);
  std::vector<std::pair<int64_t, int64_t>> slices;
  for (int64_t c0 = 0; c0 < whole.ch; c0 += per) slices.push_back({c0, std::min(whole.ch, c0 + per)});
  return slices;
}

}  // namespace fusegen
