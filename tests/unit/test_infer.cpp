// The executed network graph (golden/graph.h) against the zoo and the definitions of
// docs/infer.md: layer nodes are build_network(), residual adds where stride 1 and Cin == Cout
// (counted by hand per network), ReLU placement, FuSe slices and concat, the auto shift; the
// glue ops (round-half-up average pool, saturating add) on hand-computed values; the executor's
// determinism and checks. The end-to-end proof against an independent program is the CTest
// infer_cli.recompute_* (tests/infer_cli.cmake).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "error_of.h"
#include "golden/graph.h"
#include "golden/infer.h"
#include "golden/zoo.h"

using namespace fusegen;

namespace {

const std::vector<std::string> kNets = {"mobilenet_v1", "mobilenet_v2", "mnasnet_b1"};

GraphOptions size(int64_t h, int64_t w) {
  GraphOptions o;
  o.h = h;
  o.w = w;
  return o;
}

const GraphNode& node(const NetGraph& g, const std::string& name) {
  for (const auto& n : g.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

}  // namespace

// Every layer node is the zoo's layer at the same input size, in the same order, with the
// output shape [1, Cout, Ho, Wo] ([1, out] for fc) and the PyTorch weight layout.
TEST(InferGraph, LayersAreTheZoo) {
  for (const auto& net : kNets)
    for (const auto& var : zoo_variants())
      for (int64_t s : {224, 32, 16}) {
        SCOPED_TRACE(net + " " + var.name + " " + std::to_string(s));
        const NetGraph g = build_graph(net, var.name, size(s, s));
        const auto zoo = build_network(net, var.name, s, s);
        const auto layers = g.layers();
        ASSERT_EQ(layers.size(), zoo.size());
        for (size_t i = 0; i < zoo.size(); ++i) {
          const LayerDesc& a = layers[i]->layer;
          const LayerDesc& b = zoo[i];
          EXPECT_EQ(a.name, b.name);
          EXPECT_EQ(a.op, b.op);
          EXPECT_EQ(node_op_name(layers[i]->op), std::string(op_name(b.op)));
          EXPECT_EQ(std::vector<int64_t>({a.cin, a.h, a.w, a.cout, a.kh, a.kw, a.stride, a.pad_h,
                                          a.pad_w}),
                    std::vector<int64_t>({b.cin, b.h, b.w, b.cout, b.kh, b.kw, b.stride, b.pad_h,
                                          b.pad_w}));
          const std::vector<int64_t> shape = b.op == OpKind::FC
                                                 ? std::vector<int64_t>{1, b.cout}
                                                 : std::vector<int64_t>{1, b.cout, b.ho(), b.wo()};
          EXPECT_EQ(layers[i]->shape, shape);
        }
        EXPECT_EQ(g.output, "fc");
        EXPECT_EQ(g.nodes.back().name, "fc");
        EXPECT_EQ(g.nodes.back().shape, std::vector<int64_t>({1, 1000}));
      }
}

// Residual adds, derived by hand from the definitions (docs/operators.md, Networks): a block
// adds its input when its stride is 1 and Cin == Cout.
//  MobileNet-V2 blocks (c, s): 1 (16) no: 32 -> 16; 2 (24, s2); 3 (24) add; 4 (32, s2); 5, 6 add;
//   7 (64, s2); 8, 9, 10 add; 11 (96) no: 64 -> 96; 12, 13 add; 14 (160, s2); 15, 16 add;
//   17 (320) no: 160 -> 320.  10 adds.
//  MnasNet-B1: 1 SepConv 32 -> 16 no; 2 (24, s2); 3, 4 add; 5 (40, s2); 6, 7 add; 8 (80, s2);
//   9, 10 add; 11 (96) no: 80 -> 96; 12 add; 13 (192, s2); 14, 15, 16 add; 17 (320) no. 10 adds.
//  MobileNet-V1 has no residual connections.
TEST(InferGraph, ResidualAdds) {
  const std::map<std::string, std::set<std::string>> adds = {
      {"mobilenet_v1", {}},
      {"mobilenet_v2",
       {"b3.add", "b5.add", "b6.add", "b8.add", "b9.add", "b10.add", "b12.add", "b13.add",
        "b15.add", "b16.add"}},
      {"mnasnet_b1",
       {"b3.add", "b4.add", "b6.add", "b7.add", "b9.add", "b10.add", "b12.add", "b14.add",
        "b15.add", "b16.add"}}};
  for (const auto& [net, want] : adds)
    for (const auto& var : zoo_variants()) {
      SCOPED_TRACE(net + " " + var.name);
      const NetGraph g = build_graph(net, var.name, size(32, 32));
      std::set<std::string> got;
      for (size_t i = 0; i < g.nodes.size(); ++i) {
        const GraphNode& n = g.nodes[i];
        if (n.op != NodeOp::Add) continue;
        got.insert(n.name);
        // Inputs: the block's input (the node before the block's first layer) and the
        // requantized projection, which is the node just before the add.
        const std::string b = n.name.substr(0, n.name.find('.'));
        ASSERT_EQ(n.inputs.size(), 2u);
        EXPECT_EQ(n.inputs[1], b + ".pw.q");
        EXPECT_EQ(g.nodes[i - 1].name, b + ".pw.q");
        const GraphNode& first = node(g, b + ".expand");
        EXPECT_EQ(n.inputs[0], first.inputs[0]);
        EXPECT_EQ(node(g, n.inputs[0]).shape, n.shape);
      }
      EXPECT_EQ(got, want);
      EXPECT_EQ(got.size(), net == "mobilenet_v1" ? 0u : 10u);
    }
}

// ReLU: V1 after every conv; V2 and MnasNet-B1 after stem, expand, depthwise stage and head,
// not after the projecting 1x1. Every layer but the final fc is requantized, exactly once.
TEST(InferGraph, ReluAndRequant) {
  for (const auto& net : kNets)
    for (const auto& var : zoo_variants()) {
      SCOPED_TRACE(net + " " + var.name);
      const NetGraph g = build_graph(net, var.name, size(32, 32));
      size_t requants = 0;
      for (const auto& n : g.nodes) {
        if (n.op != NodeOp::Requant) continue;
        ++requants;
        ASSERT_EQ(n.inputs.size(), 1u);
        EXPECT_EQ(n.name, n.inputs[0] + ".q");
        EXPECT_TRUE(node(g, n.inputs[0]).is_layer);
        const bool project =
            n.name.size() > 5 && n.name.compare(n.name.size() - 5, 5, ".pw.q") == 0;
        const bool want = net == "mobilenet_v1" || !project;
        EXPECT_EQ(n.params.relu, want) << n.name;
      }
      EXPECT_EQ(requants, g.layers().size() - 1);
    }
}

// FuSe Half: channels [0, C/2) to the 1xK, [C/2, C) to the Kx1, concat 1xK first; Full feeds
// the whole tensor to both. MobileNet-V2 block 2: expand 16 -> 96.
TEST(InferGraph, FuseStages) {
  const NetGraph h = build_graph("mobilenet_v2", "half", size(32, 32));
  const GraphNode& lo = node(h, "b2.row.in");
  const GraphNode& hi = node(h, "b2.col.in");
  EXPECT_EQ(lo.op, NodeOp::Slice);
  EXPECT_EQ(lo.inputs, std::vector<std::string>{"b2.expand.q"});
  EXPECT_EQ(std::make_pair(lo.params.c0, lo.params.c1), std::make_pair(int64_t{0}, int64_t{48}));
  EXPECT_EQ(std::make_pair(hi.params.c0, hi.params.c1), std::make_pair(int64_t{48}, int64_t{96}));
  EXPECT_EQ(node(h, "b2.row").inputs, std::vector<std::string>{"b2.row.in"});
  EXPECT_EQ(node(h, "b2.col").inputs, std::vector<std::string>{"b2.col.in"});
  const GraphNode& cat = node(h, "b2.cat");
  EXPECT_EQ(cat.inputs, std::vector<std::string>({"b2.row.q", "b2.col.q"}));
  EXPECT_EQ(cat.shape, std::vector<int64_t>({1, 96, 8, 8}));
  EXPECT_EQ(node(h, "b2.pw").inputs, std::vector<std::string>{"b2.cat"});

  const NetGraph f = build_graph("mobilenet_v2", "full", size(32, 32));
  EXPECT_EQ(node(f, "b2.row").inputs, std::vector<std::string>{"b2.expand.q"});
  EXPECT_EQ(node(f, "b2.col").inputs, std::vector<std::string>{"b2.expand.q"});
  EXPECT_EQ(node(f, "b2.cat").shape, std::vector<int64_t>({1, 192, 8, 8}));
  // 50 %: block 1 of V2 and block 11 stay depthwise.
  const NetGraph p = build_graph("mobilenet_v2", "half50", size(32, 32));
  EXPECT_EQ(node(p, "b1.dw").op, NodeOp::Dw);
  EXPECT_EQ(node(p, "b11.dw").op, NodeOp::Dw);
  EXPECT_EQ(node(p, "b10.row").op, NodeOp::Row);
}

// The pool sits between the last DataW activation and the fc.
TEST(InferGraph, PoolBeforeClassifier) {
  const NetGraph v1 = build_graph("mobilenet_v1", "base", size(32, 32));
  EXPECT_EQ(node(v1, "pool").inputs, std::vector<std::string>{"b13.pw.q"});
  EXPECT_EQ(node(v1, "pool").shape, std::vector<int64_t>({1, 1024}));
  EXPECT_EQ(node(v1, "fc").inputs, std::vector<std::string>{"pool"});
  const NetGraph v2 = build_graph("mobilenet_v2", "base", size(32, 32));
  EXPECT_EQ(node(v2, "pool").inputs, std::vector<std::string>{"head.q"});
  EXPECT_EQ(node(v2, "pool").shape, std::vector<int64_t>({1, 1280}));
}

// shift = DataW - 2 + floor(log2(T) / 2), at most AccW - 1. floor(log2(T) / 2) by hand:
// T = 1 -> 0, 3 -> 0 (log2 = 1.58), 4 -> 1, 9 -> 1 (3.17), 15 -> 1 (3.91), 16 -> 2, 27 -> 2
// (4.75), 32 -> 2 (5), 64 -> 3, 96 -> 3 (6.58), 320 -> 4 (8.32), 1023 -> 4 (9.999), 1024 -> 5,
// 1280 -> 5 (10.32), 1920 -> 5 (10.91), 4096 -> 6, 2^40 -> 20.
TEST(InferGraph, AutoShift) {
  EXPECT_EQ(auto_shift(1, 8, 32), 6);
  EXPECT_EQ(auto_shift(3, 8, 32), 6);
  EXPECT_EQ(auto_shift(4, 8, 32), 7);
  EXPECT_EQ(auto_shift(9, 8, 32), 7);
  EXPECT_EQ(auto_shift(15, 8, 32), 7);
  EXPECT_EQ(auto_shift(16, 8, 32), 8);
  EXPECT_EQ(auto_shift(27, 8, 32), 8);
  EXPECT_EQ(auto_shift(32, 8, 32), 8);
  EXPECT_EQ(auto_shift(64, 8, 32), 9);
  EXPECT_EQ(auto_shift(1023, 8, 32), 10);
  EXPECT_EQ(auto_shift(1024, 8, 32), 11);
  EXPECT_EQ(auto_shift(1280, 8, 32), 11);
  EXPECT_EQ(auto_shift(1, 2, 8), 0);         // 0 + 0: no shift at all
  EXPECT_EQ(auto_shift(1280, 2, 8), 5);      // 0 + 5
  EXPECT_EQ(auto_shift(1920, 16, 32), 19);   // 14 + 5
  EXPECT_EQ(auto_shift(1280, 4, 8), 7);      // 2 + 5 = AccW - 1
  EXPECT_EQ(auto_shift(4096, 4, 8), 7);      // 2 + 6 = 8, capped at AccW - 1
  EXPECT_EQ(auto_shift(int64_t{1} << 40, 16, 32), 31);  // 14 + 20 = 34, capped
  // Concrete layers, one of each kind of reduction (DataW 8):
  const NetGraph g = build_graph("mobilenet_v2", "half", size(32, 32));
  EXPECT_EQ(node(g, "stem.q").params.shift, 8);       // conv, T = Cin*K*K = 3*3*3 = 27
  EXPECT_EQ(node(g, "b2.expand.q").params.shift, 8);  // 1x1, T = Cin = 16
  EXPECT_EQ(node(g, "b2.row.q").params.shift, 6);     // FuSe 1x3, T = K = 3
  EXPECT_EQ(node(g, "b2.col.q").params.shift, 6);     // FuSe 3x1, T = K = 3
  EXPECT_EQ(node(g, "b2.pw.q").params.shift, 9);      // 1x1 after the concat, T = 48 + 48 = 96
  EXPECT_EQ(node(g, "head.q").params.shift, 10);      // 1x1, T = 320
  const NetGraph v1 = build_graph("mobilenet_v1", "base", size(32, 32));
  EXPECT_EQ(node(v1, "b1.dw.q").params.shift, 7);     // depthwise 3x3, T = K*K = 9
  EXPECT_EQ(node(v1, "b13.pw.q").params.shift, 11);   // 1x1, T = 1024
  const NetGraph m = build_graph("mnasnet_b1", "base", size(32, 32));
  EXPECT_EQ(node(m, "b5.dw.q").params.shift, 8);      // depthwise 5x5, T = 25 (log2 = 4.64)
  GraphOptions o = size(32, 32);
  o.shift = 5;
  for (const auto& n : build_graph("mnasnet_b1", "full", o).nodes)
    if (n.op == NodeOp::Requant) {
      EXPECT_EQ(n.params.shift, 5);
    }
}

TEST(InferGraph, Refusals) {
  for (const char* v3 : {"mobilenet_v3_small", "mobilenet_v3_large"}) {
    const std::string e = error_of([&] { build_graph(v3, "base", size(32, 32)); });
    EXPECT_NE(e.find("cannot be run by infer"), std::string::npos) << e;
    EXPECT_NE(e.find("h-swish"), std::string::npos) << e;
    EXPECT_NE(e.find("allowed networks: mobilenet_v1, mobilenet_v2, mnasnet_b1"), std::string::npos)
        << e;
  }
  EXPECT_NE(error_of([] { build_graph("resnet", "base", size(32, 32)); }).find("unknown network"),
            std::string::npos);
  EXPECT_NE(
      error_of([] { build_graph("mobilenet_v1", "x", size(32, 32)); }).find("unknown variant"),
      std::string::npos);
  EXPECT_NE(error_of([] { build_graph("mobilenet_v1", "base", size(0, 32)); }).find("empty"),
            std::string::npos);
  GraphOptions o = size(32, 32);
  o.shift = 32;
  EXPECT_NE(error_of([&] { build_graph("mobilenet_v1", "base", o); }).find("allowed 0..31"),
            std::string::npos);
  // A 1x1 image still gives non-empty outputs everywhere (padding K/2, odd K).
  EXPECT_EQ(build_graph("mobilenet_v2", "half", size(1, 1)).nodes.back().shape,
            std::vector<int64_t>({1, 1000}));
}

// Average pool: floor((sum + N/2) / N), halves rounded up, also for negative sums.
TEST(InferOps, AvgPoolRounding) {
  EXPECT_EQ(avgpool_value(3, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(avgpool_value(-3, 2), -1);  // -1.5 -> -1
  EXPECT_EQ(avgpool_value(-1, 2), 0);   // -0.5 -> 0
  EXPECT_EQ(avgpool_value(1, 2), 1);    // 0.5 -> 1
  EXPECT_EQ(avgpool_value(-3, 4), -1);  // -0.75 -> -1
  EXPECT_EQ(avgpool_value(-2, 4), 0);   // -0.5 -> 0
  EXPECT_EQ(avgpool_value(-6, 4), -1);  // -1.5 -> -1
  EXPECT_EQ(avgpool_value(-4, 3), -1);  // -1.33 -> -1
  EXPECT_EQ(avgpool_value(-5, 3), -2);  // -1.67 -> -2
  EXPECT_EQ(avgpool_value(4, 3), 1);    // 1.33 -> 1
  EXPECT_EQ(avgpool_value(5, 3), 2);    // 1.67 -> 2
  EXPECT_EQ(avgpool_value(0, 9), 0);
  Tensor x({1, 2, 2, 2});
  x.data = {1, 2, 3, 4, -1, -2, -3, -4};  // sums 10 and -10 over 4: 2.5 -> 3, -2.5 -> -2
  const Tensor y = global_avgpool(x, 8);
  EXPECT_EQ(y.shape, std::vector<int64_t>({1, 2}));
  EXPECT_EQ(y.data, std::vector<int64_t>({3, -2}));
}

TEST(InferOps, SaturatingAdd) {
  Tensor a({1, 4, 1, 1}), b({1, 4, 1, 1});
  a.data = {100, -100, 5, 127};
  b.data = {100, -100, -3, -128};
  EXPECT_EQ(saturating_add(a, b, 8).data, std::vector<int64_t>({127, -128, 2, -1}));
  EXPECT_EQ(saturating_add(a, b, 16).data, std::vector<int64_t>({200, -200, 2, -1}));
  a.data = {1, 1, -2, -2};
  b.data = {0, 1, -1, 0};
  EXPECT_EQ(saturating_add(a, b, 2).data, std::vector<int64_t>({1, 1, -2, -2}));  // range -2..1
}

// Random tensors: in range, deterministic per (seed, name), independent per name.
TEST(InferRun, RandomTensors) {
  const Tensor a = random_tensor({4, 5, 6}, 8, 7, "x");
  EXPECT_EQ(a, random_tensor({4, 5, 6}, 8, 7, "x"));
  EXPECT_NE(a, random_tensor({4, 5, 6}, 8, 8, "x"));
  EXPECT_NE(a, random_tensor({4, 5, 6}, 8, 7, "y"));
  int64_t lo = 0, hi = 0;
  for (int64_t v : random_tensor({4096}, 4, 1, "z").data) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_EQ(lo, -8);
  EXPECT_EQ(hi, 7);
}

// The executor: deterministic, [1, 1000] output, MACs = the zoo's, node list = the graph.
// Shift 8 for every layer, so this does not depend on the auto shift's formula (the next test
// covers that).
TEST(InferRun, SmallNetworks) {
  for (const auto& net : kNets) {
    SCOPED_TRACE(net);
    GraphOptions o = size(16, 16);
    o.shift = 8;
    const NetGraph g = build_graph(net, "half50", o);
    const InferResult r = run_graph(g, random_input(g, 3), random_weights(g, 3));
    EXPECT_EQ(r.output.shape, std::vector<int64_t>({1, 1000}));
    EXPECT_EQ(r.output, run_graph(g, random_input(g, 3), random_weights(g, 3)).output);
    int64_t macs = 0;
    for (const auto& l : build_network(net, "half50", 16, 16)) macs += l.macs();
    EXPECT_EQ(r.macs, macs);
    ASSERT_EQ(r.nodes.size(), g.nodes.size());
    for (size_t i = 0; i < g.nodes.size(); ++i) EXPECT_EQ(r.nodes[i].shape, g.nodes[i].shape);
    std::set<int64_t> distinct(r.output.data.begin(), r.output.data.end());
    EXPECT_GT(distinct.size(), 100u);  // not collapsed to a constant by the requantization
  }
}

// The auto shift keeps the seeded random network alive to the end: the fc accumulators are
// not a constant (the previous formula, DataW - 1 + ceil(log2(T)/2), gave all zeros here).
// docs/infer.md has the intermediate activations' zero and saturated fractions.
TEST(InferRun, AutoShiftKeepsOutputsSpread) {
  for (const auto& net : kNets)
    for (const char* variant : {"base", "half"}) {
      SCOPED_TRACE(net + " " + variant);
      const NetGraph g = build_graph(net, variant, size(32, 32));
      const Tensor y = run_graph(g, random_input(g, 1), random_weights(g, 1)).output;
      std::set<int64_t> distinct(y.data.begin(), y.data.end());
      EXPECT_GT(distinct.size(), 900u);
    }
}

TEST(InferRun, ChecksTensors) {
  const NetGraph g = build_graph("mobilenet_v1", "base", size(8, 8));
  WeightMap w = random_weights(g, 1);
  Tensor x = random_input(g, 1);
  x.data[5] = 128;
  EXPECT_EQ(error_of([&] { run_graph(g, x, w); }),
            "input: value 128 at flat index 5 is outside the 8-bit range -128..127 "
            "(--data-width 8)");
  w["b2.dw"] = Tensor({128, 1, 3, 1});
  EXPECT_EQ(error_of([&] { run_graph(g, random_input(g, 1), w); }),
            "weights of 'b2.dw' has shape [128, 1, 3, 1]: expected [64, 1, 3, 3]");
  w = random_weights(g, 1);
  w.erase("fc");
  EXPECT_EQ(error_of([&] { run_graph(g, random_input(g, 1), w); }), "no weights for layer 'fc'");
}
