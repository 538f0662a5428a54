// Scheduler: lowering of layers into compact fold lists, greedy protocol-exact placement,
// per-cycle expansion and output mapping (see schedule.h and docs/mapping.md).
#include "golden/schedule.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {

constexpr int64_t kNone = std::numeric_limits<int64_t>::min() / 4;  // "no such cycle yet"

void check_layer(const LayerDesc& l) {
  if (l.n < 1 || l.cin < 1 || l.cout < 1 || l.h < 1 || l.w < 1 || l.kh < 1 || l.kw < 1 ||
      l.stride < 1 || l.pad_h < 0 || l.pad_w < 0)
    throw Error(fmt::format("layer '{}' has a non-positive size (n {} cin {} h {} w {} cout {} "
                            "k {}x{} stride {}): all must be >= 1", l.name, l.n, l.cin, l.h, l.w,
                            l.cout, l.kh, l.kw, l.stride));
  if (l.ho() < 1 || l.wo() < 1)
    throw Error(fmt::format("layer '{}': a {}x{} kernel does not fit the padded {}x{} input",
                            l.name, l.kh, l.kw, l.h + 2 * l.pad_h, l.w + 2 * l.pad_w));
  const bool dw = l.op == OpKind::Depthwise || l.op == OpKind::Row || l.op == OpKind::Col;
  if (dw && l.cout != l.cin)
    throw Error(fmt::format("depthwise layer '{}' has cin {} != cout {}", l.name, l.cin, l.cout));
}

// Appends the folds of part `pi` of p.
void add_folds(Program& p, int32_t pi) {
  const Part& part = p.parts[static_cast<size_t>(pi)];
  const LayerDesc& l = part.layer;
  const int64_t R = p.cfg.rows, C = p.cfg.cols;
  if (part.kind == Lowering::Gemm) {
    const int64_t P = l.n * l.ho() * l.wo(), M = l.cout, T = l.cin * l.kh * l.kw;
    for (int64_t pb = 0; pb < P; pb += R)
      for (int64_t mb = 0; mb < M; mb += C) {
        Fold f;
        f.part = pi;
        f.len = f.taps = static_cast<int32_t>(T);
        f.rows = static_cast<int32_t>(std::min(R, P - pb));
        f.cols = static_cast<int32_t>(std::min(C, M - mb));
        f.row0 = pb;
        f.col0 = mb;
        p.folds.push_back(f);
      }
  } else if (part.kind == Lowering::DwGemm) {
    const int64_t P = l.n * l.ho() * l.wo(), T = l.kh * l.kw;
    for (int64_t ch = 0; ch < l.cin; ++ch)
      for (int64_t pb = 0; pb < P; pb += R) {
        Fold f;
        f.part = pi;
        f.len = f.taps = static_cast<int32_t>(T);
        f.rows = static_cast<int32_t>(std::min(R, P - pb));
        f.cols = 1;
        f.row0 = pb;
        f.chan = static_cast<int32_t>(ch);
        p.folds.push_back(f);
      }
  } else {
    const int64_t nlines = static_cast<int64_t>(part.lines.size()), L = part.line_len;
    const int64_t K = part.taps;
    for (int64_t g = 0; g < nlines; g += R)
      for (int64_t q0 = 0; q0 < L; q0 += C)
        for (int64_t pass = 0; pass < part.passes; ++pass) {
          Fold f;
          f.part = pi;
          f.stos = true;
          f.keep = pass < part.passes - 1;
          f.continues = part.passes == 1 && q0 > 0;
          f.cols = static_cast<int32_t>(std::min(C, L - q0));
          f.len = static_cast<int32_t>(f.cols + K - 1);
          f.taps = static_cast<int32_t>(K);
          f.rows = static_cast<int32_t>(std::min(R, nlines - g));
          f.row0 = g;
          f.col0 = q0;
          f.chan = static_cast<int32_t>(pass);
          p.folds.push_back(f);
        }
  }
}

// Fills the Stos fields of a part whose layer is set.
void make_stos(Part& part, bool along_w) {
  const LayerDesc& l = part.layer;
  part.kind = Lowering::Stos;
  part.along_w = along_w;
  part.passes = along_w ? l.kh : l.kw;
  part.taps = along_w ? l.kw : l.kh;
  const int64_t along = along_w ? l.wo() : l.ho(), across = along_w ? l.ho() : l.wo();
  part.line_len = (along - 1) * l.stride + 1;
  part.lines.clear();
  part.lines.reserve(static_cast<size_t>(l.n * l.cin * across));
  for (int64_t n = 0; n < l.n; ++n)
    for (int64_t ch = 0; ch < l.cin; ++ch)
      for (int64_t f = 0; f < across; ++f)
        part.lines.push_back(
            Line{static_cast<int32_t>(n), static_cast<int32_t>(ch), static_cast<int32_t>(f)});
}

Part make_part(const LayerDesc& l, const ArrayConfig& cfg, DwMapping dw) {
  Part part;
  part.layer = l;
  switch (l.op) {
    case OpKind::Conv:
    case OpKind::Pointwise:
    case OpKind::FC: part.kind = Lowering::Gemm; break;
    case OpKind::Depthwise:
      if (dw == DwMapping::Stos) {
        if (!cfg.stos)
          throw Error(fmt::format("depthwise layer '{}' with --dw-mapping stos needs an ST-OS "
                                  "array, but this array was built with --no-stos: use "
                                  "--dw-mapping os", l.name));
        make_stos(part, true);
      } else {
        part.kind = Lowering::DwGemm;
      }
      break;
    case OpKind::Row:
    case OpKind::Col:
      if (cfg.stos)
        make_stos(part, l.op == OpKind::Row);
      else
        part.kind = Lowering::DwGemm;
      break;
  }
  return part;
}

}  // namespace

const char* dw_mapping_name(DwMapping m) { return m == DwMapping::Os ? "os" : "stos"; }

DwMapping parse_dw_mapping(const std::string& s) {
  if (s == "os") return DwMapping::Os;
  if (s == "stos") return DwMapping::Stos;
  throw Error(fmt::format("depthwise mapping '{}' is not allowed: choose one of os, stos", s));
}

Program lower_layer(const LayerDesc& layer, const ArrayConfig& cfg, DwMapping dw) {
  cfg.validate();
  check_layer(layer);
  Program p;
  p.cfg = cfg;
  p.parts.push_back(make_part(layer, cfg, dw));
  if (layer.op == OpKind::FC)
    p.out_shape = {layer.n, layer.cout};
  else
    p.out_shape = {layer.n, layer.cout, layer.ho(), layer.wo()};
  p.macs = layer.macs();
  add_folds(p, 0);
  return p;
}

Program lower_fuse_stage(const LayerDesc& row, const LayerDesc& col, int64_t col_in_ch0,
                         const ArrayConfig& cfg) {
  cfg.validate();
  check_layer(row);
  check_layer(col);
  if (row.op != OpKind::Row || col.op != OpKind::Col || row.n != col.n)
    throw std::logic_error("lower_fuse_stage: expects a 1xK and a Kx1 layer of one batch");
  if (row.ho() != col.ho() || row.wo() != col.wo())
    throw Error(fmt::format("FuSe stage: the 1xK conv gives {}x{} outputs but the Kx1 conv "
                            "{}x{}: they must match to be concatenated", row.ho(), row.wo(),
                            col.ho(), col.wo()));
  Program p;
  p.cfg = cfg;
  Part pr = make_part(row, cfg, DwMapping::Stos);
  pr.weight = 0;
  Part pc = make_part(col, cfg, DwMapping::Stos);
  pc.in_ch0 = col_in_ch0;
  pc.out_ch0 = row.cin;
  pc.weight = 1;
  p.parts = {pr, pc};
  p.out_shape = {row.n, row.cin + col.cin, row.ho(), row.wo()};
  p.macs = row.macs() + col.macs();
  add_folds(p, 0);
  add_folds(p, 1);
  return p;
}

const char* block_name(BlockKind k) {
  switch (k) {
    case BlockKind::Dsc: return "dsc";
    case BlockKind::FuseFull: return "fuse-full";
    case BlockKind::FuseHalf: return "fuse-half";
  }
  return "?";
}

int64_t block_mid_channels(const BlockDesc& b) {
  return b.kind == BlockKind::FuseFull ? 2 * b.c : b.c;
}

std::vector<Program> lower_block(const BlockDesc& b, const ArrayConfig& cfg, DwMapping dw) {
  if (b.k < 1 || b.k % 2 == 0)
    throw Error(fmt::format("block kernel size {} is not allowed: K must be odd", b.k));
  const int64_t pad = b.pad < 0 ? b.k / 2 : b.pad;
  std::vector<Program> out;
  if (b.kind == BlockKind::Dsc) {
    LayerDesc d = dw_layer("dsc.dw", b.c, b.h, b.w, b.k, b.stride, b.n);
    d.pad_h = d.pad_w = pad;
    out.push_back(lower_layer(d, cfg, dw));
  } else {
    const bool half = b.kind == BlockKind::FuseHalf;
    if (half && b.c % 2 != 0)
      throw Error(fmt::format("fuse-half needs an even channel count, got {}", b.c));
    const int64_t cs = half ? b.c / 2 : b.c;
    LayerDesc r = row_layer("fuse.row", cs, b.h, b.w, b.k, b.stride, b.n);
    LayerDesc c = col_layer("fuse.col", cs, b.h, b.w, b.k, b.stride, b.n);
    r.pad_w = pad;
    c.pad_h = pad;
    out.push_back(lower_fuse_stage(r, c, half ? cs : 0, cfg));
  }
  const auto& s = out.front().out_shape;  // [N, Cmid, Ho, Wo]
  out.push_back(lower_layer(pw_layer("pw", s[1], s[2], s[3], b.cout, b.n), cfg, dw));
  return out;
}

void place(Program& p) {
  const ArrayLatency lat = p.cfg.latency();
  int64_t last_in = -1;         // last cycle carrying inputs
  int64_t last_hand = kNone;    // last hand-off cycle
  bool last_hand_gemm = false;  // ... and whether it was GEMM
  int64_t last_gemm = kNone;    // last GEMM slice cycle
  const Fold* prev = nullptr;
  p.handoffs = 0;
  for (Fold& f : p.folds) {
    // Rule 2: spacing of consecutive hand-offs.
    int64_t hand_min = kNone;
    if (!f.keep && last_hand != kNone)
      hand_min = last_hand +
                 ((f.stos && last_hand_gemm) ? lat.gemm_to_stos_gap : lat.min_handoff_gap);
    if (!f.stos) {
      f.hand = std::max(last_in + f.len, hand_min);
      f.shared = false;
      f.own_first = f.first();
      last_gemm = f.hand;
    } else {
      // Rule 3: first tap at least C cycles after the last GEMM slice.
      const int64_t tap_min = last_gemm == kNone ? kNone : last_gemm + lat.gemm_to_stos_tap;
      f.shared = false;
      if (f.continues && prev != nullptr && prev->stos) {
        const int64_t h = prev->hand + f.cols;  // continue the stream: c new elements
        const int64_t first_tap = h - f.taps + 1;
        if (first_tap > last_in && h >= hand_min && first_tap >= tap_min) {
          f.hand = h;
          f.shared = true;
          f.own_first = prev->hand + 1;
        }
      }
      if (!f.shared) {
        f.hand = std::max({last_in + f.len, hand_min, tap_min + f.taps - 1});
        f.own_first = f.first();
      }
    }
    last_in = f.hand;
    if (!f.keep) {
      last_hand = f.hand;
      last_hand_gemm = !f.stos;
      ++p.handoffs;
    }
    prev = &f;
  }
  p.placed = true;
  p.cycles = program_latency(p);
}

int64_t program_latency(const Program& p) {
  if (p.folds.empty()) return 0;
  const Fold& f = p.folds.back();
  const ArrayLatency lat = p.cfg.latency();
  return f.hand + (f.stos ? lat.stos_program_tail : lat.gemm_program_tail);
}

int64_t first_out_cycle(const ArrayConfig& cfg, const Fold& f) {
  const ArrayLatency lat = cfg.latency();
  return f.hand + (f.stos ? lat.stos_first_out : lat.gemm_first_out);
}

// ---------------------------------------------------------------- Expander

Expander::Expander(const Program& p, const StageTensors& t) : p_(p), t_(t) {
  if (!p.placed) throw std::logic_error("Expander: program is not placed");
}

int64_t Expander::input_cycles() const { return p_.folds.empty() ? 0 : p_.folds.back().hand + 1; }

int64_t Expander::x_at(const Part& part, int64_t n, int64_t ch, int64_t row, int64_t col) const {
  const Tensor& x = *t_.x;
  const int64_t c = part.in_ch0 + ch;
  if (x.rank() == 2) return (row == 0 && col == 0) ? x.at(n, c) : 0;
  if (row < 0 || col < 0 || row >= x.shape[2] || col >= x.shape[3]) return 0;
  return x.at(n, c, row, col);
}

void Expander::at(int64_t u, PortValues& out) {
  const int R = p_.cfg.rows, C = p_.cfg.cols;
  out.a.assign(static_cast<size_t>(R), 0);
  out.b.assign(static_cast<size_t>(C), 0);
  out.w.assign(static_cast<size_t>(R), 0);
  out.en = out.last = out.keep = false;
  const auto& folds = p_.folds;
  if (cur_ > 0 && cur_ <= folds.size() && folds[cur_ - 1].hand >= u) {
    cur_ = static_cast<size_t>(
        std::lower_bound(folds.begin(), folds.end(), u,
                         [](const Fold& f, int64_t v) { return f.hand < v; }) - folds.begin());
  }
  while (cur_ < folds.size() && folds[cur_].hand < u) ++cur_;
  if (cur_ >= folds.size() || u < folds[cur_].own_first) {
    // Idle: hold the mode of the last fold (it only qualifies en, which is 0).
    out.mode = cur_ > 0 && cur_ <= folds.size() && folds[cur_ - 1].stos;
    return;
  }
  const Fold& f = folds[cur_];
  const Part& part = p_.parts[static_cast<size_t>(f.part)];
  const LayerDesc& l = part.layer;
  const int64_t k = u - (f.hand - f.taps + 1);  // tap/slice index, < 0 before the taps
  out.mode = f.stos;
  out.en = k >= 0;
  out.last = u == f.hand;
  out.keep = out.last && f.keep;
  const Tensor& w = *t_.w.at(static_cast<size_t>(part.weight));
  if (!f.stos) {
    const int64_t howo = l.ho() * l.wo(), khkw = l.kh * l.kw, T = f.taps;
    for (int i = 0; i < f.rows; ++i) {
      const int64_t pix = f.row0 + i;
      const int64_t n = pix / howo, oh = (pix % howo) / l.wo(), ow = pix % l.wo();
      const int64_t ci = part.kind == Lowering::Gemm ? k / khkw : f.chan;
      const int64_t ky = (k % khkw) / l.kw, kx = k % l.kw;
      out.a[static_cast<size_t>(i)] =
          x_at(part, n, ci, oh * l.stride + ky - l.pad_h, ow * l.stride + kx - l.pad_w);
    }
    if (part.kind == Lowering::Gemm) {
      for (int j = 0; j < f.cols; ++j)  // [Cout, Cin, Kh, Kw] and [Cout, Cin]: flat m*T + k
        out.b[static_cast<size_t>(j)] = w.data[static_cast<size_t>((f.col0 + j) * T + k)];
    } else {
      out.b[0] = w.data[static_cast<size_t>(f.chan * T + k)];
    }
    return;
  }
  const int64_t m = f.col0 + (u - f.first());  // padded position along the line
  const int64_t pass = f.chan, khkw = l.kh * l.kw;
  for (int i = 0; i < f.rows; ++i) {
    const Line& ln = part.lines[static_cast<size_t>(f.row0 + i)];
    int64_t v;
    if (part.along_w)
      v = x_at(part, ln.n, ln.ch, ln.fixed * l.stride + pass - l.pad_h, m - l.pad_w);
    else
      v = x_at(part, ln.n, ln.ch, m - l.pad_h, ln.fixed * l.stride + pass - l.pad_w);
    out.a[static_cast<size_t>(i)] = v;
    if (out.en) {
      const int64_t wi = part.along_w ? ln.ch * khkw + pass * l.kw + k
                                      : ln.ch * khkw + k * l.kw + pass;
      out.w[static_cast<size_t>(i)] = w.data[static_cast<size_t>(wi)];
    }
  }
}

int64_t out_index(const Program& p, const Fold& f, int row, int col) {
  if (f.keep || row < 0 || col < 0 || row >= f.rows || col >= f.cols) return -1;
  const Part& part = p.parts[static_cast<size_t>(f.part)];
  const LayerDesc& l = part.layer;
  const int64_t ctot = p.out_shape[1];
  const int64_t ho = l.ho(), wo = l.wo();
  if (!f.stos) {
    const int64_t pix = f.row0 + row;
    const int64_t n = pix / (ho * wo), oh = (pix % (ho * wo)) / wo, ow = pix % wo;
    const int64_t ch = part.out_ch0 + (part.kind == Lowering::Gemm ? f.col0 + col : f.chan);
    return ((n * ctot + ch) * ho + oh) * wo + ow;
  }
  const Line& ln = part.lines[static_cast<size_t>(f.row0 + row)];
  const int64_t q = f.col0 + f.cols - 1 - col;  // reverse column order
  if (q % l.stride != 0) return -1;
  const int64_t o = q / l.stride;
  const int64_t ch = part.out_ch0 + ln.ch;
  if (part.along_w) {
    if (o >= wo) return -1;
    return ((ln.n * ctot + ch) * ho + ln.fixed) * wo + o;
  }
  if (o >= ho) return -1;
  return ((ln.n * ctot + ch) * ho + o) * wo + ln.fixed;
}

}  // namespace fusegen
