// Executed graph of a zoo network: zoo_layers() plus requantization, FuSe slices and concat,
// residual adds and the global average pool, in execution order.
#include "golden/graph.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "golden/tensor.h"

namespace fusegen {

const char* node_op_name(NodeOp op) {
  switch (op) {
    case NodeOp::Conv: return "conv";
    case NodeOp::Dw: return "dw";
    case NodeOp::Row: return "row";
    case NodeOp::Col: return "col";
    case NodeOp::Pw: return "pw";
    case NodeOp::Fc: return "fc";
    case NodeOp::Requant: return "requant";
    case NodeOp::Add: return "add";
    case NodeOp::AvgPool: return "avgpool";
    case NodeOp::Concat: return "concat";
    case NodeOp::Slice: return "slice";
  }
  return "?";
}

std::vector<const GraphNode*> NetGraph::layers() const {
  std::vector<const GraphNode*> out;
  for (const auto& n : nodes)
    if (n.is_layer) out.push_back(&n);
  return out;
}

int64_t reduction_length(const LayerDesc& l) {
  switch (l.op) {
    case OpKind::Conv:
    case OpKind::Pointwise: return l.cin * l.kh * l.kw;
    case OpKind::Depthwise:
    case OpKind::Row:
    case OpKind::Col: return l.kh * l.kw;
    case OpKind::FC: return l.cin;
  }
  return 1;
}

int auto_shift(int64_t reduction, int data_w, int acc_w) {
  int half_log = 0;  // floor(log2(T) / 2) = floor(log4(T)): the largest s with 4^s <= T
  for (int64_t t = reduction; t >= 4; t /= 4) ++half_log;
  return std::min(data_w - 2 + half_log, acc_w - 1);
}

std::vector<int64_t> weight_shape(const LayerDesc& l) {
  switch (l.op) {
    case OpKind::Conv:
    case OpKind::Pointwise: return {l.cout, l.cin, l.kh, l.kw};
    case OpKind::Depthwise:
    case OpKind::Row:
    case OpKind::Col: return {l.cin, 1, l.kh, l.kw};
    case OpKind::FC: return {l.cout, l.cin};
  }
  return {};
}

std::vector<std::string> infer_networks() {
  std::vector<std::string> out;
  for (const auto& n : zoo_networks())
    if (zoo_infer_unsupported(n).empty()) out.push_back(n);
  return out;
}

namespace {

NodeOp layer_op(OpKind k) {
  switch (k) {
    case OpKind::Conv: return NodeOp::Conv;
    case OpKind::Depthwise: return NodeOp::Dw;
    case OpKind::Row: return NodeOp::Row;
    case OpKind::Col: return NodeOp::Col;
    case OpKind::Pointwise: return NodeOp::Pw;
    case OpKind::FC: return NodeOp::Fc;
  }
  return NodeOp::Conv;
}

// Appends nodes and tracks the shape of every node by name.
class Builder {
 public:
  Builder(NetGraph& g, const GraphOptions& opt) : g_(g), opt_(opt) {}

  const GraphNode& node(const std::string& name) const {
    for (const auto& n : g_.nodes)
      if (n.name == name) return n;
    throw Error(fmt::format("graph: no node '{}'", name));  // not reachable from the zoo
  }
  std::vector<int64_t> shape_of(const std::string& name) const {
    return name == "input" ? g_.input_shape : node(name).shape;
  }

  std::string add(GraphNode n) {
    size_t numel = 1;
    for (int64_t d : n.shape)
      numel = std::min(numel * static_cast<size_t>(d), kMaxTensorElements + 1);
    if (numel > kMaxTensorElements)
      throw Error(fmt::format("{} at {}x{}: node '{}' would have shape {}, more than the {} "
                              "elements fusegen allows; use a smaller --input-size",
                              g_.network, opt_.h, opt_.w, n.name, shape_str(n.shape),
                              kMaxTensorElements));
    g_.nodes.push_back(std::move(n));
    return g_.nodes.back().name;
  }

  // A layer node reading `in`; returns its name.
  std::string layer(const LayerDesc& l, const std::string& in) {
    if (l.ho() < 1 || l.wo() < 1)
      throw Error(fmt::format("--input-size {}x{} is too small for {}: layer '{}' would get an "
                              "empty output from its {}x{} input",
                              opt_.h, opt_.w, g_.network, l.name, l.h, l.w));
    GraphNode n;
    n.name = l.name;
    n.op = layer_op(l.op);
    n.inputs = {in};
    n.params.stride = l.stride;
    n.params.pad_h = l.op == OpKind::FC ? 0 : l.pad_h;
    n.params.pad_w = l.op == OpKind::FC ? 0 : l.pad_w;
    n.shape = l.op == OpKind::FC ? std::vector<int64_t>{l.n, l.cout}
                                 : std::vector<int64_t>{l.n, l.cout, l.ho(), l.wo()};
    n.is_layer = true;
    n.layer = l;
    n.weight_shape = weight_shape(l);
    n.reduction = reduction_length(l);
    return add(std::move(n));
  }

  // The requantization of a layer node's accumulators.
  std::string requant(const std::string& in, bool relu) {
    const GraphNode& l = node(in);
    GraphNode n;
    n.name = in + ".q";
    n.op = NodeOp::Requant;
    n.inputs = {in};
    n.params.shift =
        opt_.shift >= 0 ? opt_.shift : auto_shift(l.reduction, opt_.data_w, opt_.acc_w);
    n.params.relu = relu;
    n.shape = l.shape;
    return add(std::move(n));
  }

  std::string glue(const std::string& name, NodeOp op, std::vector<std::string> inputs,
                   std::vector<int64_t> shape, NodeParams p = {}) {
    GraphNode n;
    n.name = name;
    n.op = op;
    n.inputs = std::move(inputs);
    n.params = p;
    n.shape = std::move(shape);
    return add(std::move(n));
  }

 private:
  NetGraph& g_;
  const GraphOptions& opt_;
};

std::string allowed_networks() {
  std::string list;
  for (const auto& n : infer_networks()) list += (list.empty() ? "" : ", ") + n;
  return list;
}

}  // namespace

NetGraph build_graph(const std::string& network, const std::string& variant,
                     const GraphOptions& opt) {
  NetGraph g;
  g.network = network;
  g.variant = variant;
  g.data_w = opt.data_w;
  g.acc_w = opt.acc_w;
  g.input_shape = {1, 3, opt.h, opt.w};
  if (opt.shift < -1 || opt.shift > opt.acc_w - 1)
    throw Error(fmt::format("--shift {} is out of range: allowed 0..{} (--acc-width - 1) or auto",
                            opt.shift, opt.acc_w - 1));
  if (opt.h < 1 || opt.w < 1)
    throw Error(fmt::format("--input-size {}x{} is empty: both sides must be at least 1", opt.h,
                            opt.w));
  // zoo_layers() first: an unknown network or variant is reported as such.
  const std::vector<ZooLayer> zl = zoo_layers(network, variant, opt.h, opt.w);
  const std::string why = zoo_infer_unsupported(network);
  if (!why.empty())
    throw Error(fmt::format("network '{}' cannot be run by infer: {}; allowed networks: {}",
                            network, why, allowed_networks()));

  Builder b(g, opt);
  std::string cur = "input";   // the current activation (DataW)
  std::string block_in = cur;  // the current block's input, for its residual add
  for (size_t i = 0; i < zl.size(); ++i) {
    const ZooLayer& z = zl[i];
    // A block's input is what its first layer reads.
    if (z.block > 0 && (i == 0 || zl[i - 1].block != z.block)) block_in = cur;
    if (z.role == LayerRole::Classifier) {
      const auto s = b.shape_of(cur);
      cur = b.glue("pool", NodeOp::AvgPool, {cur}, {s[0], s[1]});
      g.output = b.layer(z.layer, cur);  // raw accumulators: the network output
      continue;
    }
    if (z.role == LayerRole::Spatial && z.fuse != FuseKind::None) {
      // The FuSe pair: this layer (1xK) and the next (Kx1), as fuse_block in golden/ops.h.
      const ZooLayer& zc = zl.at(i + 1);
      std::string in_row = cur, in_col = cur;
      if (z.fuse == FuseKind::Half) {
        const auto s = b.shape_of(cur);
        const int64_t c = s[1];
        NodeParams lo, hi;
        lo.c0 = 0;
        lo.c1 = c / 2;
        hi.c0 = c / 2;
        hi.c1 = c;
        in_row = b.glue(z.layer.name + ".in", NodeOp::Slice, {cur}, {s[0], c / 2, s[2], s[3]}, lo);
        in_col = b.glue(zc.layer.name + ".in", NodeOp::Slice, {cur}, {s[0], c - c / 2, s[2], s[3]},
                        hi);
      }
      const std::string r = b.requant(b.layer(z.layer, in_row), z.relu);
      const std::string c = b.requant(b.layer(zc.layer, in_col), zc.relu);
      auto s = b.shape_of(r);
      s[1] += b.shape_of(c)[1];
      cur = b.glue(fmt::format("b{}.cat", z.block), NodeOp::Concat, {r, c}, s);
      ++i;
      continue;
    }
    cur = b.requant(b.layer(z.layer, cur), z.relu);
    if (z.role == LayerRole::Project && z.residual)
      cur = b.glue(fmt::format("b{}.add", z.block), NodeOp::Add, {block_in, cur}, b.shape_of(cur));
  }
  return g;
}

nlohmann::ordered_json graph_to_json(const NetGraph& g) {
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const auto& n : g.nodes) {
    nlohmann::ordered_json p = nlohmann::ordered_json::object();
    switch (n.op) {
      case NodeOp::Conv:
      case NodeOp::Dw:
      case NodeOp::Row:
      case NodeOp::Col:
      case NodeOp::Pw:
        p = {{"stride", n.params.stride}, {"pad_h", n.params.pad_h}, {"pad_w", n.params.pad_w}};
        break;
      case NodeOp::Requant: p = {{"shift", n.params.shift}, {"relu", n.params.relu}}; break;
      case NodeOp::Slice: p = {{"c0", n.params.c0}, {"c1", n.params.c1}}; break;
      case NodeOp::Add:
      case NodeOp::AvgPool: p = {{"data_w", g.data_w}}; break;
      case NodeOp::Fc:
      case NodeOp::Concat: break;
    }
    nlohmann::ordered_json j = {{"name", n.name}, {"op", node_op_name(n.op)}, {"inputs", n.inputs},
                                {"params", p}};
    j["weight"] = n.is_layer ? nlohmann::ordered_json(n.name + ".npy") : nlohmann::ordered_json();
    if (n.is_layer) j["weight_shape"] = n.weight_shape;
    j["shape"] = n.shape;
    nodes.push_back(std::move(j));
  }
  return {{"network", g.network}, {"variant", g.variant}, {"data_w", g.data_w},
          {"acc_w", g.acc_w},     {"input", {{"shape", g.input_shape}}},
          {"output", g.output},   {"nodes", std::move(nodes)}};
}

}  // namespace fusegen
