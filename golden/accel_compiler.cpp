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
//
// Overlapped programs (overlap = true, accel_compiler.h): the layer or chain is planned as steps
// (a GEMM, or a chain's GEMMs, and an ASYNC STORE each) and the LOADs that feed them, with the
// buffer halves each uses; schedule_overlap() (accel_compile_common.h) orders them with SYNCs.
// A single layer runs in tiles of npb pixel blocks x nt column blocks (one OUT half each),
// column groups outer (all weights when they fit WGT, else half of WGT each, visiting the pixel
// chunks forwards and backwards in turn), pixel chunks (ACT halves) inner; a chain keeps all
// weights resident and each chunk's maps in one ACT half. Chunk sizes and tile widths are the
// fastest candidates by program_cycles(), the timing rules of docs/accel.md.
#include "golden/accel_compiler.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compile_common.h"

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

// The checked layers and the pixel count of a chain (what both program shapes start from).
Plan check_chain(const AccelConfig& c, const Tensor& x, const std::vector<AccelGemmLayer>& layers,
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
  return plan;
}

// The one-at-a-time program's chunks and weights; throws when it does not fit.
void plan_sequential(const AccelConfig& c, Plan& plan) {
  plan.chunk = chunk_blocks(c, plan);
  plan_weights(c, plan);
  check_program_length(c, plan);
}

// Weight words [cb][t] of a column group: lane j = output cb*C + j (zero past Cout).
void add_weights(const AccelConfig& c, const LayerPlan& l, const ColGroup& g,
                 std::vector<Word>& words) {
  const int64_t C = c.array.cols;
  for (int64_t cb = g.cb0; cb < g.cb0 + g.n; ++cb)
    for (int64_t t = 0; t < l.cin; ++t) {
      Word w(static_cast<size_t>(C), 0);
      for (int64_t j = 0; j < C; ++j) {
        const int64_t o = cb * C + j;
        if (o < l.cout) w[static_cast<size_t>(j)] = l.w->data[static_cast<size_t>(o * l.cin + t)];
      }
      words.push_back(std::move(w));
    }
}

// Channels cb*C .. cb*C + C - 1 of pixel p = n*H*W + y*W + x (zero for padding).
Word input_word(const AccelConfig& c, const Tensor& x, const Plan& plan, int64_t p, int64_t cb) {
  const int64_t C = c.array.cols;
  Word w(static_cast<size_t>(C), 0);
  const int64_t cin = plan.layers[0].cin;
  if (p >= plan.pixels) return w;
  const int64_t n = p / plan.hw, i = p % plan.hw;
  for (int64_t j = 0; j < C && cb * C + j < cin; ++j) {
    const int64_t ch = cb * C + j;
    w[static_cast<size_t>(j)] = x.data[static_cast<size_t>((n * cin + ch) * plan.hw + i)];
  }
  return w;
}

// The input map of blocks b0 .. b0 + q - 1 in LOAD order: bank 0..R-1 of a line, then the next.
std::vector<Word> input_words(const AccelConfig& c, const Tensor& x, const Plan& plan, int64_t b0,
                              int64_t q) {
  const int64_t R = c.array.rows;
  std::vector<Word> words;
  for (int64_t pb = 0; pb < q; ++pb)
    for (int64_t cb = 0; cb < plan.layers[0].in_lines; ++cb)
      for (int64_t r = 0; r < R; ++r) words.push_back(input_word(c, x, plan, (b0 + pb) * R + r, cb));
  return words;
}

// The first ACT line of map m (0 = the input, m = the input of layer m, m = layers = the
// requantized output) of a chunk of q pixel blocks in the region of `lines` ACT lines from
// line `first`: even maps from its first line, odd maps ending at its last, so that a layer's
// input and output maps never overlap.
int64_t map_base(const Plan& plan, size_t m, int64_t q, int64_t first, int64_t lines) {
  const int64_t per_block =
      m < plan.layers.size() ? plan.layers[m].in_lines : plan.layers.back().ncb;
  return first + (m % 2 == 0 ? 0 : lines - q * per_block);
}

// ---- Overlapped programs (accel_compiler.h, "Overlapped programs").

// An overlapped program before scheduling: steps, loads, and which (pixel block, column block)
// each group of R result words of the output stream holds, in stream order.
struct OvGemmPlan : OvPlan {
  std::vector<std::pair<int64_t, int64_t>> stored;
};

// The shape of a single layer's overlapped program (plan_overlap_single).
struct SingleShape {
  bool ok = false;
  bool resident = false;   // all weights fit WGT (one group)
  int64_t gcb = 0, nt = 0; // column blocks per group, per tile
  int64_t npb_max = 0;     // the most pixel blocks per chunk
};

// The shape with tiles of nt_req column blocks (at most a group's and an OUT half's).
SingleShape single_shape(const AccelConfig& c, const Plan& plan, int64_t nt_req) {
  const LayerPlan& l = plan.layers[0];
  const int64_t R = c.array.rows;
  SingleShape sh;
  const int64_t folds = c.out_depth() / 2 / R;  // result folds one OUT half holds
  const int64_t cap = c.act_depth() / 2 / l.in_lines;
  sh.resident = l.ncb * l.cin <= c.wgt_depth();
  sh.gcb = std::min(kMaxField, sh.resident ? l.ncb : c.wgt_depth() / 2 / l.cin);
  if (folds < 1 || cap < 1 || sh.gcb < 1) return sh;
  sh.nt = std::max<int64_t>(1, std::min({sh.gcb, folds, nt_req}));
  sh.npb_max = std::min({folds / sh.nt, cap, kMaxField, plan.blocks});
  sh.ok = true;
  return sh;
}

// Tile widths worth trying: an OUT half's folds, half of them (a chunk of two or more pixel
// blocks fills the half, and a wide layer gets several tiles per chunk, whose steps without an
// input LOAD take the weight loads) and a quarter, each at most a group's column blocks.
std::vector<int64_t> tile_candidates(const AccelConfig& c, const Plan& plan) {
  const int64_t folds = c.out_depth() / 2 / c.array.rows;
  std::vector<int64_t> v;
  for (const int64_t d : {2, 1, 4}) {
    const SingleShape sh = single_shape(c, plan, std::max<int64_t>(1, folds / d));
    if (sh.ok && std::find(v.begin(), v.end(), sh.nt) == v.end()) v.push_back(sh.nt);
  }
  return v;
}

// One layer, double-buffered: column groups of weights (all of them when they fit WGT, else as
// many column blocks as half of WGT holds), pixel chunks of about npb blocks in ACT halves,
// tiles of a chunk's blocks x nt column blocks in OUT halves (one GEMM + one STORE each). Group
// g visits the chunks forwards when g is even, backwards when odd. Weights are loaded in pieces
// of one tile's column blocks, each when its tile first needs it. Returns false when a half
// cannot hold one pixel block's input or one column block's weights.
// npb: pixel blocks per chunk (at most the shape's npb_max); nt: column blocks per tile.
// ramp: the first chunk of the first group runs tiles of one column block, so that the
// prologue loads only one column block's weights and the rest load while those tiles compute.
bool plan_overlap_single(const AccelConfig& c, const Tensor& x, const Plan& plan,
                         int64_t npb_req, int64_t nt_req, bool ramp, OvGemmPlan& ov) {
  const LayerPlan& l = plan.layers[0];
  const SingleShape sh = single_shape(c, plan, nt_req);
  if (!sh.ok) return false;
  const int64_t R = c.array.rows, T = l.cin, ncb = l.ncb;
  const int64_t hout = c.out_depth() / 2, act_half = c.act_depth() / 2,
                wgt_half = c.wgt_depth() / 2;
  const bool resident = sh.resident;
  const int64_t gcb = sh.gcb, nt = sh.nt;
  const int64_t npb = std::max<int64_t>(1, std::min(npb_req, sh.npb_max));
  const int64_t chunks = ceil_div(plan.blocks, npb), groups = ceil_div(ncb, gcb);
  // Chunk k covers blocks first[k] .. first[k + 1] - 1: npb each but one shorter chunk, last
  // with one group (a short final STORE), else in the middle (the chunks at the ends are where
  // the groups turn, and where the next group's weights load).
  const int64_t short_at = groups == 1 ? chunks - 1 : chunks / 2;
  std::vector<int64_t> first(static_cast<size_t>(chunks + 1), 0);
  for (int64_t k = 0; k < chunks; ++k)
    first[static_cast<size_t>(k + 1)] =
        first[static_cast<size_t>(k)] + (k == short_at ? plan.blocks - (chunks - 1) * npb : npb);
  const bool narrow = !l.raw;
  ov = OvGemmPlan{};
  int64_t half_of_prev = -1;                 // ACT half of the previous step's chunk
  std::vector<int64_t> half_of(static_cast<size_t>(chunks), -1);
  int64_t content[2] = {-1, -1}, last_use[2] = {-1, -1};
  std::vector<int64_t> first_step(static_cast<size_t>(groups), 0);
  for (int64_t g = 0; g < groups; ++g) {
    const int64_t cb0 = g * gcb, gn = std::min(gcb, ncb - cb0);
    const int64_t wbase = resident ? 0 : (g % 2) * wgt_half;
    first_step[static_cast<size_t>(g)] = static_cast<int64_t>(ov.steps.size());
    const int64_t wready = resident || g < 2 ? 0 : first_step[static_cast<size_t>(g - 1)];
    for (int64_t i = 0; i < chunks; ++i) {
      const int64_t k = g % 2 == 0 ? i : chunks - 1 - i;
      const int64_t b0 = first[static_cast<size_t>(k)],
                    q = first[static_cast<size_t>(k + 1)] - b0;
      const int64_t s0 = static_cast<int64_t>(ov.steps.size());
      if (half_of[static_cast<size_t>(k)] < 0) {  // the chunk's input map, into the other half
        const int64_t h = half_of_prev < 0 ? 0 : 1 - half_of_prev;
        OvLoad ld;
        ld.space = isa::kAct;
        ld.base = h * act_half;
        ld.count = q * l.in_lines * R;
        ld.ready = last_use[h] + 1;
        ld.need = s0;
        ld.words = [&c, &x, &plan, b0, q] { return input_words(c, x, plan, b0, q); };
        ov.loads.push_back(std::move(ld));
        if (content[h] >= 0) half_of[static_cast<size_t>(content[h])] = -1;
        content[h] = k;
        half_of[static_cast<size_t>(k)] = h;
      }
      const int64_t h = half_of[static_cast<size_t>(k)];
      const int64_t tile = ramp && g == 0 && i == 0 ? 1 : nt;
      for (int64_t j0 = 0; j0 < gn; j0 += tile) {
        const int64_t n = std::min(tile, gn - j0);
        const int64_t s = static_cast<int64_t>(ov.steps.size());
        const int64_t w_base = wbase + j0 * T;
        if (i == 0) {  // the group's first chunk: this tile's weights are not loaded yet
          OvLoad ld;
          ld.space = isa::kWgt;
          ld.base = w_base;
          ld.count = n * T;
          ld.ready = wready;
          ld.need = s;
          const ColGroup cg{cb0 + j0, n};
          ld.words = [&c, &l, cg] {
            std::vector<Word> w;
            add_weights(c, l, cg, w);
            return w;
          };
          ov.loads.push_back(std::move(ld));
        }
        const int64_t o_base = (s % 2) * hout;
        OvStep st;
        isa::Instr gm = isa::gemm(true, l.relu, l.shift, static_cast<uint32_t>(h * act_half),
                                  static_cast<uint32_t>(o_base), static_cast<uint32_t>(w_base),
                                  static_cast<uint32_t>(T), static_cast<uint32_t>(q),
                                  static_cast<uint32_t>(n));
        st.compute.push_back(narrow ? isa::narrow(gm) : gm);
        set_result_store(c, st, o_base, q * n * R, narrow);
        ov.steps.push_back(std::move(st));
        for (int64_t pb = 0; pb < q; ++pb)
          for (int64_t cb = cb0 + j0; cb < cb0 + j0 + n; ++cb) ov.stored.push_back({b0 + pb, cb});
      }
      last_use[h] = static_cast<int64_t>(ov.steps.size()) - 1;
      half_of_prev = h;
    }
  }
  return true;
}

// A chain of several layers, double-buffered: all weights resident (loaded first), pixel chunks
// whose maps fit half of ACT (the layout of the one-at-a-time program inside the half) and
// whose last-layer results fit half of OUT. npb: pixel blocks per chunk, at most
// chain_chunk_max() (0: impossible).
int64_t chain_chunk_max(const AccelConfig& c, const Plan& plan) {
  int64_t total = 0;
  for (const LayerPlan& l : plan.layers) total += l.ncb * l.cin;
  if (total > c.wgt_depth()) return 0;
  const LayerPlan& last = plan.layers.back();
  int64_t cap = std::min({kMaxField, plan.blocks, c.out_depth() / 2 / (last.ncb * c.array.rows)});
  for (const LayerPlan& l : plan.layers)
    cap = std::min(cap, c.act_depth() / 2 / (l.in_lines + (&l == &last ? 0 : l.ncb)));
  return std::max<int64_t>(0, cap);
}

bool plan_overlap_chain(const AccelConfig& c, const Tensor& x, const Plan& plan,
                        int64_t npb_req, OvGemmPlan& ov) {
  const int64_t R = c.array.rows;
  const int64_t hout = c.out_depth() / 2, act_half = c.act_depth() / 2;
  const int64_t cap = chain_chunk_max(c, plan);
  if (cap < 1) return false;
  int64_t total = 0;
  for (const LayerPlan& l : plan.layers) total += l.ncb * l.cin;
  const LayerPlan& last = plan.layers.back();
  const int64_t npb = std::max<int64_t>(1, std::min(cap, npb_req));
  const int64_t chunks = ceil_div(plan.blocks, npb);
  const size_t L = plan.layers.size();
  ov = OvGemmPlan{};
  OvLoad wl;  // every layer's weights, once, before the first chunk
  wl.space = isa::kWgt;
  wl.count = total;
  wl.words = [&c, &plan] {
    std::vector<Word> w;
    for (const LayerPlan& l : plan.layers) add_weights(c, l, {0, l.ncb}, w);
    return w;
  };
  ov.loads.push_back(std::move(wl));
  int64_t w_base = 0;
  std::vector<int64_t> w_bases;
  for (const LayerPlan& l : plan.layers) {
    w_bases.push_back(w_base);
    w_base += l.ncb * l.cin;
  }
  for (int64_t k = 0; k < chunks; ++k) {
    const int64_t b0 = k * npb, q = std::min(npb, plan.blocks - b0), h = k % 2;
    // The chunk's maps inside its half (as the one-at-a-time program in the whole of ACT).
    auto half_map = [&](size_t m) { return map_base(plan, m, q, h * act_half, act_half); };
    OvLoad ld;
    ld.space = isa::kAct;
    ld.base = half_map(0);
    ld.count = q * plan.layers[0].in_lines * R;
    ld.ready = std::max<int64_t>(0, k - 1);
    ld.need = k;
    ld.words = [&c, &x, &plan, b0, q] { return input_words(c, x, plan, b0, q); };
    ov.loads.push_back(std::move(ld));
    OvStep st;
    const int64_t o_base = h * hout;
    for (size_t m = 0; m < L; ++m) {
      const LayerPlan& l = plan.layers[m];
      const bool to_out = m + 1 == L;
      isa::Instr gm = isa::gemm(to_out || l.raw, l.relu, l.shift,
                                static_cast<uint32_t>(half_map(m)),
                                static_cast<uint32_t>(to_out ? o_base : half_map(m + 1)),
                                static_cast<uint32_t>(w_bases[m]), static_cast<uint32_t>(l.cin),
                                static_cast<uint32_t>(q), static_cast<uint32_t>(l.ncb));
      st.compute.push_back(to_out && !l.raw ? isa::narrow(gm) : gm);
    }
    st.load_slot = L - 1;  // after the GEMMs that write ACT: they do not wait for the LOAD
    set_result_store(c, st, o_base, q * last.ncb * R, !last.raw);
    ov.steps.push_back(std::move(st));
    for (int64_t pb = 0; pb < q; ++pb)
      for (int64_t cb = 0; cb < last.ncb; ++cb) ov.stored.push_back({b0 + pb, cb});
  }
  return true;
}

// out_index of an overlapped GEMM program whose stream is not in the map order, else empty.
std::vector<int64_t> gemm_out_index(const AccelConfig& c, const Plan& plan, const OvGemmPlan& ov) {
  const LayerPlan& last = plan.layers.back();
  bool in_order = true;
  for (size_t i = 0; i < ov.stored.size() && in_order; ++i)
    in_order = ov.stored[i] == std::pair<int64_t, int64_t>{static_cast<int64_t>(i) / last.ncb,
                                                            static_cast<int64_t>(i) % last.ncb};
  if (in_order) return {};
  const int64_t R = c.array.rows, C = c.array.cols, cout = last.cout;
  std::vector<int64_t> index;
  index.reserve(ov.stored.size() * static_cast<size_t>(R * C));
  for (const auto& [b, cb] : ov.stored)
    for (int64_t r = 0; r < R; ++r)
      for (int64_t j = 0; j < C; ++j) {
        const int64_t pixel = b * R + r, ch = cb * C + j;
        index.push_back(pixel < plan.pixels && ch < cout
                            ? ((pixel / plan.hw) * cout + ch) * plan.hw + pixel % plan.hw
                            : -1);
      }
  return index;
}

// Emits the program and its input stream from a checked plan.
class Emitter {
 public:
  Emitter(const AccelConfig& c, const Tensor& x, const Plan& plan, AccelProgram& out)
      : c_(c), R_(c.array.rows), C_(c.array.cols), x_(x), plan_(plan), out_(out) {}

  void emit() {
    if (plan_.resident) {
      std::vector<Word> words;
      for (const LayerPlan& l : plan_.layers) add_weights(c_, l, {0, l.ncb}, words);
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

  // Map m of a chunk of q blocks in the whole of ACT.
  int64_t map_base(size_t m, int64_t q) const {
    return fusegen::map_base(plan_, m, q, 0, c_.act_depth());
  }

  void chunk(int64_t b0, int64_t q) {
    load(isa::kAct, map_base(0, q), input_words(c_, x_, plan_, b0, q));
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
        add_weights(c_, l, g, words);
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
                                bool requantize_output, bool overlap) {
  c.validate();
  Plan plan = check_chain(c, x, layers, requantize_output);
  AccelProgram p;
  p.out_shape = x.shape;
  p.out_shape[1] = plan.layers.back().cout;
  p.requantized = requantize_output;
  if (overlap) {
    // Of the chunk sizes chunk_candidates() offers, the one with the fewest program_cycles
    // whose program fits ibuf_depth; when none does, the one-at-a-time program.
    const bool single = plan.layers.size() == 1;
    // Single layers: every tile width, chunk size, with and without the ramp.
    struct Cand {
      int64_t npb, nt;
      bool ramp;
    };
    std::vector<Cand> cands;
    if (single) {
      for (const int64_t nt : tile_candidates(c, plan))
        for (const int64_t npb :
             chunk_candidates(single_shape(c, plan, nt).npb_max, plan.blocks))
          for (const bool ramp : {false, true}) cands.push_back({npb, nt, ramp});
    } else if (chain_chunk_max(c, plan) >= 1) {
      for (const int64_t npb : chunk_candidates(chain_chunk_max(c, plan), plan.blocks))
        cands.push_back({npb, 0, false});
    }
    auto build = [&](int i, OvGemmPlan& ov) {
      const Cand& k = cands[static_cast<size_t>(i)];
      return single ? plan_overlap_single(c, x, plan, k.npb, k.nt, k.ramp, ov)
                    : plan_overlap_chain(c, x, plan, k.npb, ov);
    };
    const int best = best_overlap_candidate(c, static_cast<int>(cands.size()),
                                            [&](int i, OvPlan& ov) {
                                              OvGemmPlan g;
                                              const bool ok = build(i, g);
                                              ov = std::move(g);
                                              return ok;
                                            });
    if (best >= 0) {
      OvGemmPlan ov;
      build(best, ov);
      const std::vector<OvOp> ops = schedule_overlap(ov.steps, ov.loads);
      emit_overlap(c, ov.steps, ov.loads, ops, p);
      if (p.program.size() != ops.size())
        throw std::logic_error("compile_gemm_chain: emitted length differs from the planned "
                               "length");
      p.out_index = gemm_out_index(c, plan, ov);
      return p;
    }
  }
  plan_sequential(c, plan);
  Emitter(c, x, plan, p).emit();
  if (static_cast<int64_t>(p.program.size()) != program_length(plan))
    throw std::logic_error("compile_gemm_chain: emitted length differs from the planned length");
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
