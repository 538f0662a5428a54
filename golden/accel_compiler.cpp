// Compiler for the accelerator (docs/accel.md): checks a GEMM chain against the scratchpads and
// the instruction format, plans pixel chunks and weight loads, and emits the program with its
// input stream. Layouts are the page's: a feature map of Ch channels takes ceil(Ch/C) lines per
// pixel block of R pixels, a layer's weights are words [cb][t] with lane j = output cb*C + j.
//
// Program shape, per chunk of whole pixel blocks: LOAD the chunk's input map into ACT, one GEMM
// per layer (requantized to ACT between layers, raw to OUT for the last), STORE the OUT words.
// Maps alternate between the bottom (even maps, from line 0) and the top (odd maps, ending at
// the last line) of ACT, so a GEMM never reads and writes overlapping lines. Weights are loaded
// once before the first chunk when all layers fit WGT together; otherwise each layer's weights
// are reloaded at word 0 before its GEMM in every chunk, in column groups when a whole layer
// does not fit (one GEMM per pixel block and group then, so the output keeps the map layout).
#include "golden/accel_compiler.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compile_checks.h"

namespace fusegen {

namespace {

using Word = std::vector<int64_t>;
constexpr int64_t kMaxField = 65535;  // the GEMM's 16-bit fields (T, npb, ncb, bases)


std::string label(const AccelGemmLayer& l, size_t k) {
  return l.name.empty() ? fmt::format("layer {}", k) : fmt::format("layer '{}'", l.name);
}

// Column blocks [cb0, cb0 + n) of a layer, loaded and computed together.
struct ColGroup {
  int64_t cb0 = 0, n = 0;
};

struct LayerPlan {
  std::string label;
  const Tensor* w = nullptr;
  int64_t cin = 0, cout = 0;
  int64_t in_lines = 0;  // ACT lines per pixel block of its input map: ceil(Cin / C)
  int64_t ncb = 0;       // column blocks: ceil(Cout / C)
  int shift = 0;
  bool relu = false;
  bool raw = false;              // its results go to OUT unrequantized (the last, by default)
  int64_t w_base = 0;            // with resident weights: the first word of its block
  std::vector<ColGroup> groups;  // weight loads / GEMM groups
};

struct Plan {
  int64_t pixels = 0, hw = 0;  // pixels in all, pixels per image (1 for [N, Cin])
  int64_t blocks = 0;          // pixel blocks: ceil(pixels / R)
  int64_t chunk = 0;           // pixel blocks per chunk
  bool resident = false;       // all weights loaded once
  bool requantized = false;    // the last layer's output is requantized into ACT and stored
  std::vector<LayerPlan> layers;
};

void check_input(const AccelConfig& c, const Tensor& x) {
  if (x.rank() != 4 && x.rank() != 2)
    throw Error(fmt::format("input shape {} is not [N, Cin, H, W] or [N, Cin]",
                            shape_str(x.shape)));
  if (x.numel() == 0)
    throw Error(fmt::format("input shape {} has no elements: every dimension must be at least 1",
                            shape_str(x.shape)));
  check_data_range(x.data, c.array.data_w, "input value");
}

// Shape, values and instruction-field limits of layer k; prev_cout = the channels it receives.
// raw: its results are streamed out unrequantized (the last layer, unless the output is
// requantized).
LayerPlan check_layer(const AccelConfig& c, const AccelGemmLayer& l, size_t k, int64_t prev_cout,
                      bool raw) {
  LayerPlan p;
  p.label = label(l, k);
  p.w = &l.weights;
  const auto& s = l.weights.shape;
  const bool one_by_one = s.size() == 4 && s[2] == 1 && s[3] == 1;
  if (!(one_by_one || s.size() == 2) || l.weights.numel() == 0)
    throw Error(fmt::format("{}: weights {} are not [Cout, Cin, 1, 1] or [Cout, Cin]: only 1x1 "
                            "convolutions and fully-connected layers compile to GEMMs",
                            p.label, shape_str(s)));
  p.cout = s[0];
  p.cin = s[1];
  if (p.cin != prev_cout)
    throw Error(fmt::format("{}: Cin {} does not match {} {}", p.label, p.cin,
                            k == 0 ? "the input's channels" : "the previous layer's Cout",
                            prev_cout));
  check_data_range(l.weights.data, c.array.data_w, p.label + ": weight");
  p.raw = raw;
  p.shift = raw ? 0 : l.shift;  // raw results: shift/relu are ignored
  p.relu = !raw && l.relu;
  if (!raw) check_shift(c, l.shift, p.label);
  if (p.cin > kMaxField)
    throw Error(fmt::format("{}: Cin {} does not fit the GEMM's 16-bit T field: allowed 1..{}",
                            p.label, p.cin, kMaxField));
  if (p.cin > c.wgt_depth())
    throw Error(fmt::format("{}: Cin {} needs {} weight words per column block, the weight "
                            "scratchpad holds {}",
                            p.label, p.cin, p.cin, c.wgt_depth()));
  p.in_lines = ceil_div(p.cin, c.array.cols);
  p.ncb = ceil_div(p.cout, c.array.cols);
  return p;
}

// Pixel blocks per chunk: the most for which every layer's input and output map fit ACT
// together and the last layer's result words fit OUT. Throws when one block does not fit.
int64_t chunk_blocks(const AccelConfig& c, const Plan& plan) {
  const int64_t act = c.act_depth(), R = c.array.rows;
  int64_t q = std::min(plan.blocks, kMaxField);  // npb is a 16-bit field
  for (const LayerPlan& l : plan.layers) {
    const int64_t lines = l.in_lines + (l.raw ? 0 : l.ncb);
    if (lines > act)
      throw Error(l.raw ? fmt::format("{}: one pixel block needs {} activation lines for its "
                                       "input, the activation scratchpad holds {}",
                                       l.label, lines, act)
                         : fmt::format("{}: one pixel block needs {} activation lines ({} for "
                                       "its input, {} for its output), the activation "
                                       "scratchpad holds {}",
                                       l.label, lines, l.in_lines, l.ncb, act));
    q = std::min(q, act / lines);
  }
  const LayerPlan& last = plan.layers.back();
  if (!last.raw) return q;
  const int64_t words = last.ncb * R;
  if (words > c.out_depth())
    throw Error(fmt::format("{}: one pixel block needs {} result words ({} rows x {} column "
                            "blocks), the result scratchpad holds {}",
                            last.label, words, R, last.ncb, c.out_depth()));
  return std::min(q, c.out_depth() / words);
}

// Resident weights when every layer fits WGT together, else column groups per layer of as
// many column blocks as WGT holds.
void plan_weights(const AccelConfig& c, Plan& plan) {
  int64_t total = 0;
  for (const LayerPlan& l : plan.layers) total += l.ncb * l.cin;
  plan.resident = total <= c.wgt_depth();
  int64_t base = 0;
  for (LayerPlan& l : plan.layers) {
    l.w_base = base;  // below total <= wgt_depth <= 65536: fits the 16-bit w_base field
    base += l.ncb * l.cin;
    const int64_t max_n = std::min(kMaxField, plan.resident ? l.ncb : c.wgt_depth() / l.cin);
    for (int64_t cb0 = 0; cb0 < l.ncb; cb0 += max_n)
      l.groups.push_back({cb0, std::min(max_n, l.ncb - cb0)});
  }
}

// Instructions of one chunk of q pixel blocks: LOAD, the layers' weight LOADs and GEMMs, STORE.
int64_t chunk_instructions(const Plan& plan, int64_t q) {
  int64_t n = 2;
  for (const LayerPlan& l : plan.layers) {
    const int64_t groups = static_cast<int64_t>(l.groups.size());
    n += (plan.resident ? 0 : groups) + (groups == 1 ? 1 : groups * q);
  }
  return n;
}

int64_t program_length(const Plan& plan) {
  const int64_t full = plan.blocks / plan.chunk, rest = plan.blocks % plan.chunk;
  return 1 + (plan.resident ? 1 : 0) + full * chunk_instructions(plan, plan.chunk) +
         (rest ? chunk_instructions(plan, rest) : 0);
}

void check_program_length(const AccelConfig& c, const Plan& plan) {
  const int64_t n = program_length(plan);
  if (n > c.ibuf_depth)
    throw Error(fmt::format("{}: the program needs {} instructions ({} chunks of up to "
                            "{} pixel blocks, weights {}), the instruction buffer holds {}",
                            plan.layers.size() == 1
                                ? plan.layers[0].label
                                : fmt::format("{} .. {} (a chain of {})", plan.layers.front().label,
                                              plan.layers.back().label, plan.layers.size()),
                            n, ceil_div(plan.blocks, plan.chunk),
                            plan.chunk, plan.resident ? "loaded once" : "reloaded per chunk",
                            c.ibuf_depth));
}

Plan make_plan(const AccelConfig& c, const Tensor& x, const std::vector<AccelGemmLayer>& layers,
               bool requantize_output) {
  if (layers.empty())
    throw Error("the GEMM chain has no layers: at least one layer is needed");
  check_input(c, x);
  Plan plan;
  int64_t channels = x.dim(1);
  for (size_t k = 0; k < layers.size(); ++k) {
    const bool raw = k + 1 == layers.size() && !requantize_output;
    plan.layers.push_back(check_layer(c, layers[k], k, channels, raw));
    channels = plan.layers.back().cout;
  }
  plan.requantized = requantize_output;
  plan.hw = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
  plan.pixels = x.dim(0) * plan.hw;
  plan.blocks = ceil_div(plan.pixels, c.array.rows);
  plan.chunk = chunk_blocks(c, plan);
  plan_weights(c, plan);
  check_program_length(c, plan);
  return plan;
}

// Emits the program and its input stream from a checked plan.
class Emitter {
 public:
  Emitter(const AccelConfig& c, const Tensor& x, const Plan& plan, AccelProgram& out)
      : c_(c), R_(c.array.rows), C_(c.array.cols), x_(x), plan_(plan), out_(out) {}

  void emit() {
    if (plan_.resident) {
      std::vector<Word> words;
      for (const LayerPlan& l : plan_.layers) add_weights(l, {0, l.ncb}, words);
      load(isa::kWgt, 0, words);
    }
    for (int64_t b0 = 0; b0 < plan_.blocks; b0 += plan_.chunk)
      chunk(b0, std::min(plan_.chunk, plan_.blocks - b0));
    out_.program.push_back(isa::end());
  }

 private:
  void load(int space, int64_t base, const std::vector<Word>& words) {
    out_.program.push_back(isa::load(space, static_cast<uint32_t>(base),
                                     static_cast<uint32_t>(words.size())));
    const std::vector<Beat> beats = pack_words(words, c_.array.data_w, c_.bus_width);
    out_.input.insert(out_.input.end(), beats.begin(), beats.end());
  }

  // Weight words [cb][t] of a column group: lane j = output cb*C + j (zero past Cout).
  void add_weights(const LayerPlan& l, const ColGroup& g, std::vector<Word>& words) const {
    for (int64_t cb = g.cb0; cb < g.cb0 + g.n; ++cb)
      for (int64_t t = 0; t < l.cin; ++t) {
        Word w(static_cast<size_t>(C_), 0);
        for (int64_t j = 0; j < C_; ++j) {
          const int64_t o = cb * C_ + j;
          if (o < l.cout)
            w[static_cast<size_t>(j)] = l.w->data[static_cast<size_t>(o * l.cin + t)];
        }
        words.push_back(std::move(w));
      }
  }

  // Channels cb*C .. cb*C + C - 1 of pixel p = n*H*W + y*W + x (zero for padding).
  Word input_word(int64_t p, int64_t cb) const {
    Word w(static_cast<size_t>(C_), 0);
    const int64_t cin = plan_.layers[0].cin;
    if (p >= plan_.pixels) return w;
    const int64_t n = p / plan_.hw, i = p % plan_.hw;
    for (int64_t j = 0; j < C_ && cb * C_ + j < cin; ++j) {
      const int64_t ch = cb * C_ + j;
      w[static_cast<size_t>(j)] = x_.data[static_cast<size_t>((n * cin + ch) * plan_.hw + i)];
    }
    return w;
  }

  // Map m (0 = the input, m = the input of layer m, m = layers = the requantized output) of a
  // chunk of q blocks: even maps from line 0, odd maps ending at the last ACT line.
  int64_t map_base(size_t m, int64_t q) const {
    const int64_t lines =
        m < plan_.layers.size() ? plan_.layers[m].in_lines : plan_.layers.back().ncb;
    return m % 2 == 0 ? 0 : c_.act_depth() - q * lines;
  }

  void chunk(int64_t b0, int64_t q) {
    std::vector<Word> words;  // LOAD order: bank 0..R-1 of a line, then the next line
    for (int64_t pb = 0; pb < q; ++pb)
      for (int64_t cb = 0; cb < plan_.layers[0].in_lines; ++cb)
        for (int64_t r = 0; r < R_; ++r) words.push_back(input_word((b0 + pb) * R_ + r, cb));
    load(isa::kAct, map_base(0, q), words);
    for (size_t k = 0; k < plan_.layers.size(); ++k) {
      const LayerPlan& l = plan_.layers[k];
      layer(l, q, map_base(k, q), l.raw ? 0 : map_base(k + 1, q));
    }
    // Result words in the order (pb*ncb + cb)*R + r: OUT words, or the banks of the output
    // map's lines.
    const int64_t count = q * plan_.layers.back().ncb * R_;
    const bool act = plan_.requantized;
    out_.program.push_back(isa::store(act ? isa::kAct : isa::kOut,
                                      act ? static_cast<uint32_t>(map_base(plan_.layers.size(), q)) : 0,
                                      static_cast<uint32_t>(count)));
    out_.output_beats += static_cast<uint64_t>(count * (act ? c_.beats_d() : c_.beats_a()));
  }

  void gemm(const LayerPlan& l, int64_t a_base, int64_t o_base, int64_t w_base, int64_t npb,
            int64_t ncb) {
    out_.program.push_back(isa::gemm(l.raw, l.relu, l.shift, static_cast<uint32_t>(a_base),
                                     static_cast<uint32_t>(o_base), static_cast<uint32_t>(w_base),
                                     static_cast<uint32_t>(l.cin), static_cast<uint32_t>(npb),
                                     static_cast<uint32_t>(ncb)));
  }

  // Layer l on q pixel blocks. Bases are ACT lines or OUT words below a depth of at most 65536,
  // so they fit the 16-bit fields; T, npb and ncb were limited to 65535 by the plan.
  void layer(const LayerPlan& l, int64_t q, int64_t in_base, int64_t out_base) {
    for (const ColGroup& g : l.groups) {
      int64_t w_base = l.w_base + g.cb0 * l.cin;
      if (!plan_.resident) {
        std::vector<Word> words;
        add_weights(l, g, words);
        load(isa::kWgt, 0, words);
        w_base = 0;
      }
      if (l.groups.size() == 1) {
        gemm(l, in_base, out_base, w_base, q, g.n);
        continue;
      }
      for (int64_t pb = 0; pb < q; ++pb) {  // one block at a time keeps the map layout
        const int64_t fold = pb * l.ncb + g.cb0;
        gemm(l, in_base + pb * l.in_lines, l.raw ? out_base + fold * R_ : out_base + fold,
             w_base, 1, g.n);
      }
    }
  }

  const AccelConfig& c_;
  const int64_t R_, C_;
  const Tensor& x_;
  const Plan& plan_;
  AccelProgram& out_;
};

}  // namespace

AccelProgram compile_gemm_chain(const AccelConfig& c, const Tensor& x,
                                const std::vector<AccelGemmLayer>& layers,
                                bool requantize_output) {
  c.validate();
  const Plan plan = make_plan(c, x, layers, requantize_output);
  AccelProgram p;
  Emitter(c, x, plan, p).emit();
  if (static_cast<int64_t>(p.program.size()) != program_length(plan))
    throw std::logic_error("compile_gemm_chain: emitted length differs from the planned length");
  p.out_shape = x.shape;
  p.out_shape[1] = plan.layers.back().cout;
  p.requantized = requantize_output;
  return p;
}

Tensor decode_output(const AccelConfig& c, const AccelProgram& p, const std::vector<Beat>& out) {
  c.validate();
  const auto& s = p.out_shape;
  if (s.size() != 4 && s.size() != 2)
    throw Error(fmt::format("decode_output: out_shape {} is not [N, Cout, H, W] or [N, Cout]",
                            shape_str(s)));
  if (out.size() != p.output_beats)
    throw Error(fmt::format("decode_output: the output stream has {} beats, the program streams "
                            "{}",
                            out.size(), p.output_beats));
  const int64_t R = c.array.rows, C = c.array.cols, cout = s[1];
  const int width = p.requantized ? c.array.data_w : c.array.acc_w;
  if (!p.out_index.empty()) {  // CONV programs: the index of every lane
    const auto words = unpack_words(out, static_cast<int>(C), width, c.bus_width);
    if (static_cast<int64_t>(words.size()) * C != static_cast<int64_t>(p.out_index.size()))
      throw Error(fmt::format("decode_output: the output stream holds {} result words, the "
                              "program's index has {} lanes",
                              words.size(), p.out_index.size()));
    Tensor y(s);
    for (size_t i = 0; i < p.out_index.size(); ++i)
      if (p.out_index[i] >= 0)
        y.data[static_cast<size_t>(p.out_index[i])] =
            words[i / static_cast<size_t>(C)][i % static_cast<size_t>(C)];
    return y;
  }
  const int64_t hw = s.size() == 4 ? s[2] * s[3] : 1, pixels = s[0] * hw;
  const int64_t ncb = ceil_div(cout, C);
  const auto words = unpack_words(out, static_cast<int>(C), width, c.bus_width);
  const int64_t need = ceil_div(pixels, R) * ncb * R;
  if (static_cast<int64_t>(words.size()) != need)
    throw Error(fmt::format("decode_output: the output stream holds {} result words, out_shape "
                            "{} needs {}",
                            words.size(), shape_str(s), need));
  // Chunks cover consecutive pixel blocks and each STORE streams its words in OUT order
  // (pb*ncb + cb)*R + r, so word i is block i / (ncb*R), column block (i / R) mod ncb, row i mod R.
  Tensor y(s);
  for (int64_t i = 0; i < need; ++i) {
    const int64_t pixel = i / (ncb * R) * R + i % R, cb = i / R % ncb;
    if (pixel >= pixels) continue;
    for (int64_t j = 0; j < C && cb * C + j < cout; ++j)
      y.data[static_cast<size_t>(((pixel / hw) * cout + cb * C + j) * hw + pixel % hw)] =
          words[static_cast<size_t>(i)][static_cast<size_t>(j)];
  }
  return y;
}

}  // namespace fusegen
