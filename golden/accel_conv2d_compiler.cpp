// Dense KxK convolutions on the accelerator's GEMM with WIN (im2col windows; docs/accel.md,
// "Dense convolutions (the compiler)").
//
// The convolution is a GEMM of T = Kh*Kw*Cin slices per output pixel whose operands the
// sequencer's window address generator reads straight from the (zero-padded) input map, so
// the host sends the map once instead of an im2col matrix. Fold pb is output row oy = pb div
// BPR, pixels xb*R .. xb*R + R - 1 (xb = pb mod BPR); the map is laid out so that those R
// pixels read R consecutive *positions* for every kernel tap (see the page). Two layouts:
//   - raw: a position is an input column, its Cin channels in ceil(Cin/C) lines; each input
//     row split into S column phases (S = stride) of BPR*R + (Kw-1) div S positions;
//   - column-expanded: a position is an output column holding the Kw*Cin values (kw, c) of its
//     window's row segment (the host's im2col along W only, one phase, Kw' = 1): fewer words
//     when Cin fills few of the C lanes (the stem's 3 channels).
// The layout with fewer input words is used. The program: WIN, LOAD the weights (all of them
// stay in WGT), then per chunk of output rows: LOAD the chunk's input rows, GEMM with WIN
// (results to OUT: raw, or requantized with NARROW), STORE. Overlapped programs put chunks in
// ACT and OUT halves and move them in the background (accel_compile_common.h); output pixels
// past the row's end (the last block's spare rows) are dropped through out_index.
#include <algorithm>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compile_common.h"
#include "golden/accel_compiler.h"

namespace fusegen {

namespace {

using Word = std::vector<int64_t>;
constexpr int64_t kMaxField = 65535;  // 16-bit fields
constexpr int64_t kMaxByte = 255;     // 8-bit fields (Kw, S)

// The lowering of one dense convolution, with every count the program needs.
struct Conv2dPlan {
  std::string label;
  int64_t n = 0, cin = 0, h = 0, w = 0, cout = 0, kh = 0, kw = 0;
  int64_t stride = 1, pad_h = 0, pad_w = 0;
  int64_t hp = 0, wp = 0, ho = 0, wo = 0;  // padded input, output
  bool expanded = false;                   // the column-expanded layout
  isa::WinFields win;                      // cin, kw, s of the layout; cpl, lq, lh, bpr, loy
  int64_t t = 0, ncb = 0;                  // GEMM slices, column blocks
  bool requantize = false;
  int shift = 0;
  bool relu = false;
  // ACT lines of a chunk of q output rows.
  int64_t act_lines(int64_t q) const { return ((q - 1) * stride + kh) * win.lh; }
};

// The layout's window registers: positions per phase cover BPR*R pixels plus the largest
// offset (Kw-1) div S, in whole blocks of R.
isa::WinFields layout(const AccelConfig& c, const Conv2dPlan& p, bool expanded) {
  const int64_t R = c.array.rows, C = c.array.cols;
  isa::WinFields f;
  const int64_t cin = expanded ? p.kw * p.cin : p.cin, kw = expanded ? 1 : p.kw,
                s = expanded ? 1 : p.stride;
  const int64_t bpr = ceil_div(p.wo, R), cpl = ceil_div(cin, C);
  const int64_t lq = ceil_div(bpr * R + (kw - 1) / s, R) * cpl;
  const auto field = [&](int64_t v, int64_t most, const char* what) {
    if (v > most)
      throw Error(fmt::format("{}: {} {} is past the instruction field's limit {}", p.label, what,
                              v, most));
    return static_cast<uint32_t>(v);
  };
  f.cin = field(cin, kMaxField, "channels per position");
  f.kw = field(kw, kMaxByte, "kernel width");
  f.s = field(s, kMaxByte, "stride");
  f.cpl = field(cpl, kMaxField, "lines per position block");
  f.bpr = field(bpr, kMaxField, "pixel blocks per output row");
  f.lq = field(lq, kMaxField, "lines per column phase");
  f.lh = field(s * lq, kMaxField, "lines per input row");
  f.loy = field(p.stride * s * lq, kMaxField, "lines per output row");
  return f;
}

// Input words of one layout for the whole layer (chunking aside), to choose between them.
int64_t layout_words(const AccelConfig& c, const Conv2dPlan& p, const isa::WinFields& f) {
  return p.n * p.hp * int64_t{f.lh} * c.array.rows;
}

Conv2dPlan plan_conv2d(const AccelConfig& c, const Tensor& x, const AccelConv2dLayer& l) {
  Conv2dPlan p;
  p.label = l.name.empty() ? std::string("convolution") : fmt::format("layer '{}'", l.name);
  if (!c.im2col)
    throw Error(fmt::format("{}: the accelerator has no im2col window generator (generated "
                            "with --im2col off)",
                            p.label));
  if (x.rank() != 4 || x.numel() == 0)
    throw Error(fmt::format("{}: input shape {} is not a non-empty [N, Cin, H, W]", p.label,
                            shape_str(x.shape)));
  const auto& s = l.weights.shape;
  if (s.size() != 4 || s[1] != x.dim(1) || l.weights.numel() == 0)
    throw Error(fmt::format("{}: weights {} are not [Cout, Cin, Kh, Kw] with Cin = {} (the "
                            "input's channels)",
                            p.label, shape_str(s), x.dim(1)));
  check_conv_values(c, x, l.weights, l.requantize, l.shift, l.stride, l.pad_h, l.pad_w,
                    p.label);
  p.n = x.dim(0);
  p.cin = x.dim(1);
  p.h = x.dim(2);
  p.w = x.dim(3);
  p.cout = s[0];
  p.kh = s[2];
  p.kw = s[3];
  p.stride = l.stride;
  p.pad_h = l.pad_h;
  p.pad_w = l.pad_w;
  p.hp = p.h + 2 * p.pad_h;
  p.wp = p.w + 2 * p.pad_w;
  if (p.hp < p.kh || p.wp < p.kw)
    throw Error(fmt::format("{}: the {}x{} kernel is larger than the padded {}x{} input",
                            p.label, p.kh, p.kw, p.hp, p.wp));
  p.ho = (p.hp - p.kh) / p.stride + 1;
  p.wo = (p.wp - p.kw) / p.stride + 1;
  p.t = p.kh * p.kw * p.cin;
  p.ncb = ceil_div(p.cout, c.array.cols);
  if (p.t > kMaxField)
    throw Error(fmt::format("{}: Kh*Kw*Cin = {} slices is past the GEMM's limit {}", p.label,
                            p.t, kMaxField));
  if (p.ncb * p.t > c.wgt_depth())
    throw Error(fmt::format("{}: its weights take {} words (Kh*Kw*Cin = {} per block of {} "
                            "output channels), more than the weight scratchpad's {}",
                            p.label, p.ncb * p.t, p.t, c.array.cols, c.wgt_depth()));
  p.requantize = l.requantize;
  p.shift = l.shift;
  p.relu = l.relu;
  // The layout with fewer input words (the raw one on ties); a layout whose fields overflow
  // is not a candidate.
  std::string err;
  std::optional<isa::WinFields> best;
  for (bool expanded : {false, true}) {
    try {
      const isa::WinFields f = layout(c, p, expanded);
      if (!best || layout_words(c, p, f) < layout_words(c, p, *best)) {
        best = f;
        p.expanded = expanded;
      }
    } catch (const Error& e) {
      if (err.empty()) err = e.what();
    }
  }
  if (!best) throw Error(err);
  p.win = *best;
  return p;
}

// Builds the words a program streams: the weights and the input rows of a chunk.
class Conv2dEmitter {
 public:
  // out: the program whose out_index add_out_index extends.
  Conv2dEmitter(const AccelConfig& c, const Tensor& x, const AccelConv2dLayer& l,
                const Conv2dPlan& p, AccelProgram* out)
      : R_(c.array.rows), C_(c.array.cols), x_(x), l_(l), p_(p), out_(out) {}

  // Word cb*T + t, lane j: the weight of output channel cb*C + j for slice t = (kh, kw, c).
  std::vector<Word> weight_words() const {
    std::vector<Word> v;
    for (int64_t cb = 0; cb < p_.ncb; ++cb)
      for (int64_t t = 0; t < p_.t; ++t) {
        const int64_t ci = t % p_.cin, kw = t / p_.cin % p_.kw, kh = t / (p_.cin * p_.kw);
        Word wd(static_cast<size_t>(C_), 0);
        for (int64_t j = 0; j < C_; ++j)
          if (cb * C_ + j < p_.cout) wd[static_cast<size_t>(j)] = l_.weights.at(cb * C_ + j, ci, kh, kw);
        v.push_back(std::move(wd));
      }
    return v;
  }

  // Padded input rows iy0 .. iy0 + rows - 1 of image n in the layout, line by line, banks 0..R-1.
  std::vector<Word> row_words(int64_t n, int64_t iy0, int64_t rows) const {
    const isa::WinFields& f = p_.win;
    std::vector<Word> v;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t line = 0; line < f.lh; ++line) {
        const int64_t phase = line / f.lq, in_phase = line % f.lq;
        const int64_t block = in_phase / f.cpl, sub = in_phase % f.cpl;
        for (int64_t b = 0; b < R_; ++b) {
          const int64_t q = block * R_ + b;  // the position
          Word wd(static_cast<size_t>(C_), 0);
          for (int64_t j = 0; j < C_; ++j) {
            const int64_t ch = sub * C_ + j;  // the position's channel
            if (ch >= f.cin) break;
            int64_t col, ci;
            if (p_.expanded) {  // output column q's window column ch div Cin
              if (q >= p_.wo) break;
              col = q * p_.stride + ch / p_.cin;
              ci = ch % p_.cin;
            } else {  // column q*S + phase
              col = q * p_.stride + phase;
              ci = ch;
            }
            wd[static_cast<size_t>(j)] = padded(n, ci, iy0 + i, col);
          }
          v.push_back(std::move(wd));
        }
      }
    return v;
  }

  // out_index of a step's STORE: folds f0 .. f1 - 1 of the chunk from output row oy0 of image
  // n; result word ((f - f0)*ncb + cb)*R + r, lane j = pixel (oy0 + f div BPR,
  // (f mod BPR)*R + r), channel cb*C + j.
  void add_out_index(int64_t n, int64_t oy0, int64_t f0, int64_t f1) const {
    std::vector<int64_t>& index = out_->out_index;
    for (int64_t pb = f0; pb < f1; ++pb)
      for (int64_t cb = 0; cb < p_.ncb; ++cb)
        for (int64_t r = 0; r < R_; ++r)
          for (int64_t j = 0; j < C_; ++j) {
            const int64_t oy = oy0 + pb / p_.win.bpr, ox = pb % p_.win.bpr * R_ + r,
                          co = cb * C_ + j;
            index.push_back(ox < p_.wo && co < p_.cout
                                ? ((n * p_.cout + co) * p_.ho + oy) * p_.wo + ox
                                : -1);
          }
  }

 private:
  // The zero-padded input at (n, channel, padded row, padded column).
  int64_t padded(int64_t n, int64_t ci, int64_t iy, int64_t ix) const {
    const int64_t y = iy - p_.pad_h, xx = ix - p_.pad_w;
    if (y < 0 || y >= p_.h || xx < 0 || xx >= p_.w) return 0;
    return x_.at(n, ci, y, xx);
  }

  const int64_t R_, C_;
  const Tensor& x_;
  const AccelConv2dLayer& l_;
  const Conv2dPlan& p_;
  AccelProgram* out_;
};

// The most output rows per chunk whose input rows fit `act` ACT lines (0 when one does not).
int64_t conv2d_rows_max(const Conv2dPlan& p, int64_t act) {
  int64_t q = p.ho;
  while (q >= 1 && p.act_lines(q) > act) --q;
  return q;
}

// The most folds per step whose results fit `out` OUT words: whole output rows when one fits,
// else part of a row (0 when one pixel block does not fit).
int64_t conv2d_piece_max(const AccelConfig& c, const Conv2dPlan& p, int64_t out) {
  const int64_t block = p.ncb * c.array.rows, bpr = p.win.bpr;
  const int64_t blocks = std::min(out / block, kMaxField);
  return blocks >= bpr ? blocks / bpr * bpr : blocks;
}

// The program as steps and loads (accel_compile_common.h): chunks of q output rows (per
// image) whose input rows go to ACT half k % 2 (k: the chunk), each computed in steps of
// `piece` folds (whole output rows, or part of one) whose results go to OUT half s % 2 (s: the
// step); without `halves` every chunk and step starts at line / word 0.
OvPlan plan_conv2d_chunks(const AccelConfig& c, const Conv2dPlan& p, const Conv2dEmitter* em,
                          int64_t q, int64_t piece, bool halves) {
  const int64_t R = c.array.rows, bpr = p.win.bpr;
  const int64_t act_half = halves ? c.act_depth() / 2 : 0, out_half = halves ? c.out_depth() / 2 : 0;
  OvPlan ov;
  OvLoad wl;
  wl.space = isa::kWgt;
  wl.count = p.ncb * p.t;
  wl.words = [em] { return em->weight_words(); };
  ov.loads.push_back(std::move(wl));
  std::vector<int64_t> first_step;  // of every chunk
  int64_t k = 0;
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oy0 = 0; oy0 < p.ho; oy0 += q, ++k) {
      const int64_t qk = std::min(q, p.ho - oy0), h = k % 2;
      const int64_t iy0 = oy0 * p.stride, rows = (qk - 1) * p.stride + p.kh;
      const int64_t step0 = static_cast<int64_t>(ov.steps.size());
      first_step.push_back(step0);
      OvLoad ld;
      ld.space = isa::kAct;
      ld.base = h * act_half;
      ld.count = rows * p.win.lh * R;
      ld.ready = k >= 1 ? first_step[static_cast<size_t>(k - 1)] : 0;  // half k % 2 is free
      ld.need = step0;
      ld.words = [em, n, iy0, rows] { return em->row_words(n, iy0, rows); };
      ov.loads.push_back(std::move(ld));
      // Steps: folds f0 .. f1 - 1 of the chunk's qk * BPR (whole rows, or within one row).
      for (int64_t f0 = 0; f0 < qk * bpr;) {
        const int64_t f1 = piece >= bpr ? std::min(qk * bpr, f0 + piece)
                                        : std::min((f0 / bpr + 1) * bpr, f0 + piece);
        const int64_t o = static_cast<int64_t>(ov.steps.size()) % 2 * out_half;
        OvStep st;
        if (ov.steps.empty()) st.compute.push_back(isa::win(p.win));
        const bool narrow = p.requantize;
        const int64_t a = h * act_half + f0 / bpr * p.win.loy + f0 % bpr * p.win.cpl;
        const isa::Instr g = isa::windowed(isa::gemm(
            true, narrow && p.relu, narrow ? p.shift : 0, static_cast<uint32_t>(a),
            static_cast<uint32_t>(o), 0, static_cast<uint32_t>(p.t),
            static_cast<uint32_t>(f1 - f0), static_cast<uint32_t>(p.ncb)));
        st.compute.push_back(narrow ? isa::narrow(g) : g);
        set_result_store(c, st, o, (f1 - f0) * p.ncb * R, narrow);
        ov.steps.push_back(std::move(st));
        if (em) em->add_out_index(n, oy0, f0, f1);
        f0 = f1;
      }
    }
  return ov;
}

// The one-at-a-time program: per step its LOADs, compute and STORE, none in the background.
std::vector<isa::Instr> sequential_instructions(const OvPlan& ov) {
  std::vector<isa::Instr> v;
  for (size_t s = 0; s < ov.steps.size(); ++s) {
    for (const OvLoad& l : ov.loads)
      if (l.need == static_cast<int64_t>(s))
        v.push_back(isa::load(l.space, static_cast<uint32_t>(l.base),
                              static_cast<uint32_t>(l.count)));
    for (const isa::Instr& in : ov.steps[s].compute) v.push_back(in);
    v.push_back(ov.steps[s].store);
  }
  v.push_back(isa::end());
  return v;
}

}  // namespace

AccelProgram compile_conv2d(const AccelConfig& c, const Tensor& x, const AccelConv2dLayer& l,
                            bool overlap) {
  c.validate();
  const Conv2dPlan plan = plan_conv2d(c, x, l);
  AccelProgram p;
  p.out_shape = {plan.n, plan.cout, plan.ho, plan.wo};
  p.requantized = plan.requantize;
  const Conv2dEmitter em(c, x, l, plan, &p);
  if (overlap) {
    // The fastest chunk height (with the largest steps OUT halves hold) whose program fits
    // ibuf_depth; when none does, the one-at-a-time program.
    const int64_t most = conv2d_rows_max(plan, c.act_depth() / 2),
                  piece = conv2d_piece_max(c, plan, c.out_depth() / 2);
    if (most >= 1 && piece >= 1) {
      const std::vector<int64_t> sizes = chunk_candidates(most, plan.ho);
      const int best = best_overlap_candidate(
          c, static_cast<int>(sizes.size()), [&](int i, OvPlan& ov) {
            const int64_t q = sizes[static_cast<size_t>(i)];
            ov = plan_conv2d_chunks(c, plan, nullptr, q, piece, true);
            return true;
          });
      if (best >= 0) {
        const int64_t q = sizes[static_cast<size_t>(best)];
        const OvPlan ov = plan_conv2d_chunks(c, plan, &em, q, piece, true);
        emit_overlap(c, ov.steps, ov.loads, schedule_overlap(ov.steps, ov.loads), p);
        return p;
      }
    }
  }
  const int64_t q = conv2d_rows_max(plan, c.act_depth()),
                piece = conv2d_piece_max(c, plan, c.out_depth());
  if (q < 1 || piece < 1)
    throw Error(fmt::format("{}: one output row needs {} ACT lines ({} input rows) and a pixel "
                            "block {} OUT words; the scratchpads hold {} and {}",
                            plan.label, plan.act_lines(1), plan.kh, plan.ncb * c.array.rows,
                            c.act_depth(), c.out_depth()));
  const OvPlan ov = plan_conv2d_chunks(c, plan, &em, q, piece, false);
  p.program = sequential_instructions(ov);
  if (static_cast<int64_t>(p.program.size()) > c.ibuf_depth)
    throw Error(fmt::format("{}: the program takes {} instructions ({} steps), more than the "
                            "instruction buffer's {}",
                            plan.label, p.program.size(), ov.steps.size(), c.ibuf_depth));
  for (const OvLoad& ld : ov.loads) {  // the loads are listed in the order steps need them
    const std::vector<Beat> beats = pack_words(ld.words(), c.array.data_w, c.bus_width);
    p.input.insert(p.input.end(), beats.begin(), beats.end());
  }
  for (const OvStep& st : ov.steps) p.output_beats += st.store_beats;
  return p;
}

}  // namespace fusegen
