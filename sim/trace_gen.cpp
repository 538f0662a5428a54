// Synthetic Caffe-style DNN traces: network tables, scaling, data generation and the
// im2col / GEMM / ReLU / gemv loop nests (see trace_gen.h for the model).
#include "sim/trace_gen.h"


#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "common/progress.h"
#include "golden/npy.h"

namespace fusegen {

// ------------------------------------------------------------------------ network tables
namespace {
TraceLayer conv(std::string n, int64_t cin, int64_t hw, int64_t cout, int64_t k, int64_t s, int64_t p,
                double keep, int64_t g = 1) {
  TraceLayer l;
  l.name = std::move(n);
  l.cin = cin;
  l.h = l.w = hw;
  l.cout = cout;
  l.k = k;
  l.stride = s;
  l.pad = p;
  l.keep = keep;
  l.groups = g;
  return l;
}
TraceLayer fc(std::string n, int64_t in, int64_t out, double keep, bool relu = true) {
  TraceLayer l;
  l.name = std::move(n);
  l.fc = true;
  l.cin = in;
  l.cout = out;
  l.keep = keep;
  l.relu = relu;
  return l;
}
}  // namespace

const std::vector<std::string>& trace_networks() {
  static const std::vector<std::string> n = {"lenet5", "alexnet", "vgg16", "squeezenet"};
  return n;
}

std::vector<TraceLayer> trace_network_layers(const std::string& net) {
  // Keep rates: Han et al. 2015 (docs/cache.md, Traces); SqueezeNet: 33 % sparsity everywhere.
  if (net == "lenet5")  // Caffe LeNet: 28x28x1 input, pools after conv1 and conv2
    return {conv("conv1", 1, 28, 20, 5, 1, 0, 0.66), conv("conv2", 20, 12, 50, 5, 1, 0, 0.12),
            fc("fc1", 800, 500, 0.08), fc("fc2", 500, 10, 0.19, false)};
  if (net == "alexnet")  // Caffe AlexNet (227x227x3), grouped conv2/4/5
    return {conv("conv1", 3, 227, 96, 11, 4, 0, 0.84),   conv("conv2", 96, 27, 256, 5, 1, 2, 0.38, 2),
            conv("conv3", 256, 13, 384, 3, 1, 1, 0.35),  conv("conv4", 384, 13, 384, 3, 1, 1, 0.37, 2),
            conv("conv5", 384, 13, 256, 3, 1, 1, 0.37, 2), fc("fc6", 9216, 4096, 0.09),
            fc("fc7", 4096, 4096, 0.09),                 fc("fc8", 4096, 1000, 0.25, false)};
  if (net == "vgg16") {
    const double keep[] = {0.58, 0.22, 0.34, 0.36, 0.53, 0.24, 0.42, 0.32, 0.27, 0.34, 0.35, 0.29, 0.36};
    const char* names[] = {"conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3",
                           "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3"};
    const int64_t cin[] = {3, 64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512};
    const int64_t cout[] = {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512};
    const int64_t hw[] = {224, 224, 112, 112, 56, 56, 56, 28, 28, 28, 14, 14, 14};
    std::vector<TraceLayer> v;
    for (int i = 0; i < 13; ++i) v.push_back(conv(names[i], cin[i], hw[i], cout[i], 3, 1, 1, keep[i]));
    v.push_back(fc("fc6", 25088, 4096, 0.01));
    v.push_back(fc("fc7", 4096, 4096, 0.02));
    v.push_back(fc("fc8", 4096, 1000, 0.09, false));
    return v;
  }
  if (net == "squeezenet") {  // SqueezeNet v1.0 (227x227x3): conv1, fire2..fire9, conv10
    const double k = 0.67;
    std::vector<TraceLayer> v = {conv("conv1", 3, 227, 96, 7, 2, 0, k)};
    struct Fire { int id; int64_t in, hw, s, e; };
    const Fire fires[] = {{2, 96, 55, 16, 64},   {3, 128, 55, 16, 64},  {4, 128, 55, 32, 128},
                          {5, 256, 27, 32, 128}, {6, 256, 27, 48, 192}, {7, 384, 27, 48, 192},
                          {8, 384, 27, 64, 256}, {9, 512, 13, 64, 256}};
    for (const Fire& f : fires) {
      const std::string p = fmt::format("fire{}_", f.id);
      v.push_back(conv(p + "squeeze1x1", f.in, f.hw, f.s, 1, 1, 0, k));
      v.push_back(conv(p + "expand1x1", f.s, f.hw, f.e, 1, 1, 0, k));
      v.push_back(conv(p + "expand3x3", f.s, f.hw, f.e, 3, 1, 1, k));
    }
    v.push_back(conv("conv10", 512, 13, 1000, 1, 1, 0, k));
    return v;
  }
  std::string all;
  for (const auto& n : trace_networks()) all += (all.empty() ? "" : ", ") + n;
  throw Error(fmt::format("network '{}' is not known: choose one of {}", net, all));
}

void validate(const TraceGenOptions& o) {
  const auto layers = trace_network_layers(o.network);
  for (const auto& want : o.layers) {
    bool found = false;
    for (const auto& l : layers) found |= l.name == want;
    if (!found) {
      std::string all;
      for (const auto& l : layers) all += (all.empty() ? "" : ", ") + l.name;
      throw Error(fmt::format("--layers: '{}' is not a layer of {}: its layers are {}", want, o.network, all));
    }
  }
  if (!(o.keep < 0 || (o.keep >= 0 && o.keep <= 1)))
    throw Error(fmt::format("--keep {} is out of range: 'default' or a fraction in 0..1", o.keep));
  if (o.granularity < 1 || o.granularity > 4096)
    throw Error(fmt::format("--granularity {} is out of range: 1..4096 elements", o.granularity));
  if (!(o.act_zero >= 0 && o.act_zero <= 1))
    throw Error(fmt::format("--act-zero {} is out of range: a fraction in 0..1", o.act_zero));
  if (o.act_run < 1 || o.act_run > 4096)
    throw Error(fmt::format("--act-run {} is out of range: 1..4096 elements", o.act_run));
  if (!(o.scale > 0 && o.scale <= 1))
    throw Error(fmt::format("--scale {} is out of range: a channel scale in (0, 1]", o.scale));
  if (!(o.spatial > 0 && o.spatial <= 1))
    throw Error(fmt::format("--spatial {} is out of range: a spatial scale in (0, 1]", o.spatial));
  if (!o.weights_dir.empty() && !std::filesystem::is_directory(o.weights_dir))
    throw Error(fmt::format("--weights '{}' is not a directory", o.weights_dir));
}

std::vector<TraceLayer> traced_layers(const TraceGenOptions& o) {
  validate(o);
  const auto all = trace_network_layers(o.network);
  std::vector<TraceLayer> out;
  for (size_t i = 0; i < all.size(); ++i) {
    TraceLayer l = all[i];
    if (!o.layers.empty() && std::find(o.layers.begin(), o.layers.end(), l.name) == o.layers.end()) continue;
    auto sc = [&](int64_t c) {
      const int64_t g = l.groups;
      int64_t v = static_cast<int64_t>(std::llround(static_cast<double>(c) * o.scale));
      v = std::max<int64_t>(v, g);
      return (v + g - 1) / g * g;
    };
    if (!(i == 0 && !l.fc)) l.cin = sc(l.cin);  // the network's input channels stay
    l.cout = sc(l.cout);
    if (!l.fc) {
      l.h = std::max<int64_t>(l.k, std::llround(static_cast<double>(l.h) * o.spatial));
      l.w = l.h;
    }
    if (o.keep >= 0) l.keep = o.keep;
    out.push_back(l);
  }
  return out;
}

uint64_t access_records(const TraceLayer& l) {
  const uint64_t m = static_cast<uint64_t>(l.cout), n = static_cast<uint64_t>(l.ho() * l.wo());
  if (l.fc) return m * (2 * static_cast<uint64_t>(l.cin) + 1) + (l.relu ? 2 * m : 0);
  // im2col: one store per col element, one load per in-range input tap.
  auto in_range = [&](int64_t size, int64_t out) {
    uint64_t c = 0;
    for (int64_t kk = 0; kk < l.k; ++kk)
      for (int64_t o = 0; o < out; ++o) {
        const int64_t i = o * l.stride - l.pad + kk;
        c += i >= 0 && i < size;
      }
    return c;
  };
  const uint64_t cin = static_cast<uint64_t>(l.cin), k = static_cast<uint64_t>(l.k);
  const uint64_t im2col = cin * k * k * n + cin * in_range(l.h, l.ho()) * in_range(l.w, l.wo());
  const uint64_t gemm = m * (n + static_cast<uint64_t>(l.kdim()) * (1 + 3 * n));
  return im2col + gemm + (l.relu ? 2 * m * n : 0);
}

// ---------------------------------------------------------------------------- tracing
namespace {

struct LayerCap {};  // thrown when a layer reaches max_records

uint64_t splitmix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Emitter {
 public:
  Emitter(DinSink& s, uint64_t cap, bool instr) : sink_(s), cap_(cap), instr_(instr) {
    rec_.data.reserve(64);
  }
  void access(int label, uint64_t addr, const void* bytes, uint32_t size) {
    if (cap_ && count_ >= cap_) throw LayerCap{};
    rec_.label = label;
    rec_.addr = addr;
    rec_.size = size;
    rec_.has_data = true;
    rec_.data.resize(size);
    std::memcpy(rec_.data.data(), bytes, size);
    sink_.record(rec_);
    ++count_;
  }
  void init(uint64_t addr, const uint8_t* bytes, uint32_t size) {
    rec_.label = 5;
    rec_.addr = addr;
    rec_.size = size;
    rec_.has_data = true;
    rec_.data.assign(bytes, bytes + size);
    sink_.record(rec_);
    ++inits_;
  }
  void instr(uint64_t pc, uint64_t n) {
    if (!instr_) return;
    while (n) {
      const uint64_t k = std::min<uint64_t>(n, kDinMaxFetchSize / 4);
      rec_.label = 2;
      rec_.addr = pc;
      rec_.size = static_cast<uint32_t>(4 * k);
      rec_.has_data = false;
      sink_.record(rec_);
      n -= k;
    }
  }
  void reset() { count_ = inits_ = 0; }
  uint64_t count() const { return count_; }
  uint64_t inits() const { return inits_; }

 private:
  DinSink& sink_;    // destination
  uint64_t cap_;     // per-layer access cap (0 = none)
  bool instr_;       // emit label-2 records
  DinRecord rec_;    // reused record
  uint64_t count_ = 0, inits_ = 0;  // per layer
};

// Code addresses of the loops (label-2 records), one per loop kind.
constexpr uint64_t kPcIm2col = 0x400000, kPcGemmClear = 0x400100, kPcGemm = 0x400200,
                   kPcRelu = 0x400300, kPcGemv = 0x400400;

// T: input/weight element (float or int8_t); A: accumulator/output (float or int32_t).
template <class T, class A>
class LayerTracer {
 public:
  LayerTracer(const TraceLayer& l, const TraceGenOptions& o, uint64_t index, uint64_t& next_addr, Emitter& em)
      : l_(l), o_(o), em_(em), rng_(splitmix(o.seed ^ splitmix(index + 1))) {
    auto alloc = [&](uint64_t bytes) {
      const uint64_t a = next_addr;
      next_addr = (a + bytes + 4095) / 4096 * 4096 + 4096;  // page-aligned, one guard page
      return a;
    };
    n_ = l.ho() * l.wo();
    w_.assign(static_cast<size_t>(l.weights()), T{});
    x_.assign(static_cast<size_t>(l.cin * l.h * l.w), T{});
    if (!l.fc) col_.assign(static_cast<size_t>(l.cin * l.k * l.k * n_), T{});
    y_.assign(static_cast<size_t>(l.cout * n_), A{});
    aw_ = alloc(w_.size() * sizeof(T));
    ax_ = alloc(x_.size() * sizeof(T));
    acol_ = l.fc ? 0 : alloc(col_.size() * sizeof(T));
    ay_ = alloc(y_.size() * sizeof(A));
  }

  TraceLayerSummary run() {
    TraceLayerSummary s;
    s.name = l_.name;
    s.macs = l_.macs();
    make_weights();
    make_input();
    size_t wz = 0, xz = 0;
    for (const T& v : w_) wz += v == T{};
    for (const T& v : x_) xz += v == T{};
    s.weight_zero = w_.empty() ? 0 : static_cast<double>(wz) / static_cast<double>(w_.size());
    s.input_zero = x_.empty() ? 0 : static_cast<double>(xz) / static_cast<double>(x_.size());
    init_region(aw_, w_);
    init_region(ax_, x_);
    try {
      if (l_.fc)
        gemv();
      else
        conv();
      if (l_.relu) relu();
    } catch (const LayerCap&) {
      s.truncated = true;
    }
    s.records = em_.count();
    s.init_records = em_.inits();
    return s;
  }

 private:
  double uni() { return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0); }
  T weight_value() {
    const bool neg = rng_() & 1;
    if constexpr (std::is_same_v<T, float>) {
      const float m = static_cast<float>(0.05 + 0.95 * uni());
      return neg ? -m : m;
    } else {
      const int m = 1 + static_cast<int>(rng_() % 127);
      return static_cast<T>(neg ? -m : m);
    }
  }
  T act_value() {
    if constexpr (std::is_same_v<T, float>)
      return static_cast<float>(0.05 + 0.95 * uni());
    else
      return static_cast<T>(1 + rng_() % 127);
  }

  void make_weights() {
    const std::string path = o_.weights_dir.empty() ? "" : o_.weights_dir + "/" + l_.name + ".npy";
    if (!path.empty() && std::filesystem::exists(path)) {
      const NpyArray a = read_npy(path);
      const std::vector<int64_t> want =
          l_.fc ? std::vector<int64_t>{l_.cout, l_.cin} : std::vector<int64_t>{l_.cout, l_.cin / l_.groups, l_.k, l_.k};
      if (a.shape != want) {
        std::string ws, hs;
        for (int64_t d : want) ws += (ws.empty() ? "" : ", ") + std::to_string(d);
        for (int64_t d : a.shape) hs += (hs.empty() ? "" : ", ") + std::to_string(d);
        throw Error(fmt::format("{}: shape ({}) does not match layer {} of the traced network: expected ({})",
                                path, hs, l_.name, ws));
      }
      for (size_t i = 0; i < w_.size(); ++i) {
        const double v = a.value(i);
        if constexpr (std::is_same_v<T, float>) {
          w_[i] = static_cast<float>(v);
        } else {
          if (v != std::floor(v) || v < -128 || v > 127)
            throw Error(fmt::format("{}: element {} = {} is not an int8 value (--dtype i8)", path, i, v));
          w_[i] = static_cast<T>(v);
        }
      }
      return;
    }
    const size_t g = static_cast<size_t>(o_.granularity);
    for (size_t i = 0; i < w_.size(); i += g) {
      const bool kept = uni() < l_.keep;
      for (size_t j = i; j < std::min(w_.size(), i + g); ++j) w_[j] = kept ? weight_value() : T{};
    }
  }

  void make_input() {
    const size_t g = static_cast<size_t>(o_.act_run);
    for (size_t i = 0; i < x_.size(); i += g) {
      const bool zero = uni() < o_.act_zero;
      for (size_t j = i; j < std::min(x_.size(), i + g); ++j) x_[j] = zero ? T{} : act_value();
    }
  }

  template <class V>
  void init_region(uint64_t base, const std::vector<V>& v) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(v.data());
    const size_t n = v.size() * sizeof(V);
    for (size_t off = 0; off < n; off += 32) {
      const uint32_t k = static_cast<uint32_t>(std::min<size_t>(32, n - off));
      bool any = false;
      for (uint32_t i = 0; i < k; ++i) any |= p[off + i] != 0;
      if (any) em_.init(base + off, p + off, k);
    }
  }

  void load_t(uint64_t base, size_t i, const T& v) { em_.access(0, base + i * sizeof(T), &v, sizeof(T)); }
  void store_t(uint64_t base, size_t i, const T& v) { em_.access(1, base + i * sizeof(T), &v, sizeof(T)); }
  void load_a(size_t i) { em_.access(0, ay_ + i * sizeof(A), &y_[i], sizeof(A)); }
  void store_a(size_t i) { em_.access(1, ay_ + i * sizeof(A), &y_[i], sizeof(A)); }

  void conv() {
    const int64_t k = l_.k, ho = l_.ho(), wo = l_.wo();
    // im2col (Caffe im2col_cpu loop order: channel, kernel row, kernel col, out row, out col).
    for (int64_t c = 0; c < l_.cin; ++c)
      for (int64_t kh = 0; kh < k; ++kh)
        for (int64_t kw = 0; kw < k; ++kw) {
          const int64_t r = (c * k + kh) * k + kw;
          em_.instr(kPcIm2col, 3 * static_cast<uint64_t>(n_));
          for (int64_t oh = 0; oh < ho; ++oh) {
            const int64_t ih = oh * l_.stride - l_.pad + kh;
            for (int64_t ow = 0; ow < wo; ++ow) {
              const int64_t iw = ow * l_.stride - l_.pad + kw;
              T v{};
              if (ih >= 0 && ih < l_.h && iw >= 0 && iw < l_.w) {
                const size_t xi = static_cast<size_t>((c * l_.h + ih) * l_.w + iw);
                v = x_[xi];
                load_t(ax_, xi, v);
              }
              const size_t ci = static_cast<size_t>(r * n_ + oh * wo + ow);
              col_[ci] = v;
              store_t(acol_, ci, v);
            }
          }
        }
    // GEMM per group: Y[m][n] = sum_k W[m][k] * col[k][n], reference i-k-j order, beta = 0.
    const int64_t mg = l_.cout / l_.groups, kg = l_.kdim();
    for (int64_t g = 0; g < l_.groups; ++g)
      for (int64_t m = g * mg; m < (g + 1) * mg; ++m) {
        em_.instr(kPcGemmClear, 2 * static_cast<uint64_t>(n_));
        for (int64_t n = 0; n < n_; ++n) {
          y_[static_cast<size_t>(m * n_ + n)] = A{};
          store_a(static_cast<size_t>(m * n_ + n));
        }
        for (int64_t kk = 0; kk < kg; ++kk) {
          const size_t wi = static_cast<size_t>(m * kg + kk);
          const T a = w_[wi];
          load_t(aw_, wi, a);
          const int64_t row = g * kg + kk;
          em_.instr(kPcGemm, 3 * static_cast<uint64_t>(n_));
          for (int64_t n = 0; n < n_; ++n) {
            const size_t bi = static_cast<size_t>(row * n_ + n);
            const size_t yi = static_cast<size_t>(m * n_ + n);
            load_t(acol_, bi, col_[bi]);
            load_a(yi);
            y_[yi] = static_cast<A>(y_[yi] + static_cast<A>(a) * static_cast<A>(col_[bi]));
            store_a(yi);
          }
        }
      }
  }

  void gemv() {
    // Caffe InnerProduct at batch 1: y = W x, one dot product per output.
    const int64_t in = l_.cin;
    for (int64_t o = 0; o < l_.cout; ++o) {
      em_.instr(kPcGemv, 3 * static_cast<uint64_t>(in));
      A acc{};
      for (int64_t kk = 0; kk < in; ++kk) {
        const size_t wi = static_cast<size_t>(o * in + kk);
        load_t(aw_, wi, w_[wi]);
        load_t(ax_, static_cast<size_t>(kk), x_[kk]);
        acc = static_cast<A>(acc + static_cast<A>(w_[wi]) * static_cast<A>(x_[kk]));
      }
      y_[static_cast<size_t>(o)] = acc;
      store_a(static_cast<size_t>(o));
    }
  }

  void relu() {
    // Caffe ReLU layer, in place on the output blob.
    for (size_t i = 0; i < y_.size(); ++i) {
      if (i % static_cast<size_t>(n_) == 0) em_.instr(kPcRelu, 3 * static_cast<uint64_t>(n_));
      load_a(i);
      if (y_[i] < A{}) y_[i] = A{};
      if constexpr (std::is_same_v<A, float>) {
        if (std::signbit(y_[i])) y_[i] = 0.0f;  // -0.0 -> +0.0 like max(x, 0)
      }
      store_a(i);
    }
  }

  const TraceLayer& l_;
  const TraceGenOptions& o_;
  Emitter& em_;
  std::mt19937_64 rng_;     // per-layer generator
  int64_t n_ = 1;           // output pixels (GEMM N)
  std::vector<T> w_, x_, col_;  // weights [M][K], input [C][H][W], im2col buffer [C*k*k][N]
  std::vector<A> y_;        // output [M][N]
  uint64_t aw_ = 0, ax_ = 0, acol_ = 0, ay_ = 0;  // base addresses
};

}  // namespace

std::vector<TraceLayerSummary> generate_trace(const TraceGenOptions& o, DinSink& sink) {
  const auto layers = traced_layers(o);
  Emitter em(sink, o.max_records, o.instructions);
  uint64_t next = 0x10000000;
  std::vector<TraceLayerSummary> out;
  const auto all = trace_network_layers(o.network);
  Progress progress("trace " + o.network, static_cast<long>(layers.size()));
  for (const TraceLayer& l : layers) {
    progress.step("layer " + l.name, static_cast<long>(out.size()) + 1);
    uint64_t index = 0;
    while (all[index].name != l.name) ++index;
    em.reset();
    if (o.int8) {
      LayerTracer<int8_t, int32_t> t(l, o, index, next, em);
      out.push_back(t.run());
    } else {
      LayerTracer<float, float> t(l, o, index, next, em);
      out.push_back(t.run());
    }
  }
  return out;
}

}  // namespace fusegen
