// Network executor: walks the graph in order, keeps each tensor until its last reader ran.
#include "golden/infer.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/ops.h"

namespace fusegen {

namespace {

uint64_t fnv1a64(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Floor division for n > 0.
int64_t floor_div(int64_t a, int64_t n) {
  const int64_t q = a / n;
  return (a % n != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

Tensor run_layer(const GraphNode& n, const Tensor& x, const Tensor& w, int acc_w) {
  const NodeParams& p = n.params;
  switch (n.op) {
    case NodeOp::Conv: {
      Conv2dParams c;
      c.stride_h = c.stride_w = p.stride;
      c.pad_h = p.pad_h;
      c.pad_w = p.pad_w;
      c.acc_w = acc_w;
      return conv2d(x, w, c);
    }
    case NodeOp::Dw: return depthwise_conv(x, w, p.stride, p.pad_h, acc_w);
    case NodeOp::Row: return row_conv(x, w, p.stride, p.pad_w, acc_w);
    case NodeOp::Col: return col_conv(x, w, p.stride, p.pad_h, acc_w);
    case NodeOp::Pw: return pointwise_conv(x, w, acc_w);
    case NodeOp::Fc: return fully_connected(x, w, acc_w);
    default: break;
  }
  throw Error(fmt::format("node '{}' is not a layer", n.name));
}

int64_t avgpool_value(int64_t sum, int64_t n) { return floor_div(sum + n / 2, n); }

Tensor global_avgpool(const Tensor& x, int data_w) {
  const int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  Tensor out({N, C});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      int64_t sum = 0;
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) sum += x.at(n, c, h, w);
      out.at(n, c) = std::clamp(avgpool_value(sum, H * W), signed_min(data_w), signed_max(data_w));
    }
  return out;
}

Tensor saturating_add(const Tensor& a, const Tensor& b, int data_w) {
  if (a.shape != b.shape)
    throw Error(
        fmt::format("add: shapes {} and {} differ", shape_str(a.shape), shape_str(b.shape)));
  Tensor out = a;
  for (size_t i = 0; i < out.data.size(); ++i)
    out.data[i] = std::clamp(a.data[i] + b.data[i], signed_min(data_w), signed_max(data_w));
  return out;
}

Tensor random_tensor(const std::vector<int64_t>& shape, int data_w, uint64_t seed,
                     const std::string& name) {
  Tensor t(shape);
  std::mt19937_64 rng(splitmix64(seed ^ fnv1a64(name)));
  const uint64_t span = uint64_t{1} << data_w;
  for (auto& v : t.data) v = signed_min(data_w) + static_cast<int64_t>(rng() % span);
  return t;
}

WeightMap random_weights(const NetGraph& g, uint64_t seed) {
  WeightMap w;
  for (const GraphNode* n : g.layers())
    w[n->name] = random_tensor(n->weight_shape, g.data_w, seed, n->name);
  return w;
}

Tensor random_input(const NetGraph& g, uint64_t seed) {
  return random_tensor(g.input_shape, g.data_w, seed, "input");
}

void check_tensor(const Tensor& t, const std::vector<int64_t>& shape, int data_w,
                  const std::string& what) {
  if (t.shape != shape)
    throw Error(fmt::format("{} has shape {}: expected {}", what, shape_str(t.shape),
                            shape_str(shape)));
  const int64_t lo = signed_min(data_w), hi = signed_max(data_w);
  for (size_t i = 0; i < t.data.size(); ++i)
    if (t.data[i] < lo || t.data[i] > hi)
      throw Error(fmt::format("{}: value {} at flat index {} is outside the {}-bit range {}..{} "
                              "(--data-width {})",
                              what, t.data[i], i, data_w, lo, hi, data_w));
}

InferResult run_graph(const NetGraph& g, const Tensor& input, const WeightMap& weights,
                      const LayerHook& hook) {
  check_tensor(input, g.input_shape, g.data_w, "input");
  for (const GraphNode* n : g.layers()) {
    auto it = weights.find(n->name);
    if (it == weights.end()) throw Error(fmt::format("no weights for layer '{}'", n->name));
    check_tensor(it->second, n->weight_shape, g.data_w, fmt::format("weights of '{}'", n->name));
  }
  // The last node reading each tensor, so tensors are dropped as soon as possible.
  std::map<std::string, size_t> last_use;
  std::map<std::string, int> readers;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (const auto& in : g.nodes[i].inputs) {
      last_use[in] = i;
      ++readers[in];
    }
  // The Requant node that alone reads a layer's output (a hook may apply it).
  std::map<std::string, const GraphNode*> requant_of;
  for (const GraphNode& n : g.nodes)
    if (n.op == NodeOp::Requant && readers[n.inputs.at(0)] == 1)
      requant_of[n.inputs.at(0)] = &n;
  std::set<std::string> applied;  // Requant nodes a hook applied

  std::map<std::string, Tensor> live;
  live["input"] = input;
  InferResult res;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    const Tensor& a = live.at(n.inputs.at(0));
    Tensor y;
    switch (n.op) {
      case NodeOp::Requant:
        y = applied.count(n.name) ? a : requantize(a, n.params.shift, n.params.relu, g.data_w);
        break;
      case NodeOp::Add: y = saturating_add(a, live.at(n.inputs.at(1)), g.data_w); break;
      case NodeOp::AvgPool: y = global_avgpool(a, g.data_w); break;
      case NodeOp::Concat: y = concat_channels(a, live.at(n.inputs.at(1))); break;
      case NodeOp::Slice: y = slice_channels(a, n.params.c0, n.params.c1); break;
      default: {
        const auto rq = requant_of.find(n.name);
        const LayerCall call{n, a, weights.at(n.name),
                             rq == requant_of.end() ? nullptr : rq->second};
        const HookResult r = hook ? hook(call, &y) : HookResult::NotTaken;
        if (r == HookResult::NotTaken) y = run_layer(n, a, weights.at(n.name), g.acc_w);
        if (r == HookResult::Requantized) {
          if (!call.requant)
            throw std::logic_error("run_graph: a hook requantized a layer without a Requant node");
          applied.insert(call.requant->name);
        }
        break;
      }
    }
    if (y.shape != n.shape)  // the graph's shapes are the zoo's; a mismatch is a bug
      throw Error(fmt::format("node '{}' computed shape {}, the graph says {}", n.name,
                              shape_str(y.shape), shape_str(n.shape)));
    const int64_t macs = n.is_layer ? n.layer.macs() : 0;
    res.nodes.push_back({n.name, n.op, y.shape, macs});
    res.macs += macs;
    for (const auto& in : n.inputs)
      if (last_use.at(in) == i) live.erase(in);
    if (n.name == g.output) res.output = y;
    live[n.name] = std::move(y);
  }
  return res;
}

}  // namespace fusegen
