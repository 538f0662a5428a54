// The accelerated layers of `fusegen infer --engine model` (sim/accel_infer.h): a whole network
// with every layer (stem by im2col, depthwise by CONV, pointwise and fc by GEMM) on the
// accelerator's model equals the golden executor, also when a layer's output channels must be
// split over several programs or a depthwise layer over channel slices; the other nodes are
// left to the host.
#include <gtest/gtest.h>

#include "golden/graph.h"
#include "golden/infer.h"
#include "golden/ops.h"
#include "sim/accel_infer.h"

namespace fusegen {
namespace {

AccelConfig accel(int rows, int cols, int out_kb) {
  AccelConfig c;
  c.array.rows = rows;
  c.array.cols = cols;
  c.act_kb = 8;
  c.wgt_kb = 16;
  c.out_kb = out_kb;
  return c;
}

const GraphNode* find_node(const NetGraph& g, const std::string& name) {
  for (const auto& n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

InferResult run_on(AccelLayerEngine& e, const NetGraph& g, const Tensor& x, const WeightMap& w) {
  return run_graph(g, x, w, [&](const LayerCall& call, Tensor* y) { return e.run(call, y); });
}

TEST(AccelInfer, MobileNetV1HalfOnTheModelEqualsGolden) {
  GraphOptions o;
  o.h = o.w = 16;
  const NetGraph g = build_graph("mobilenet_v1", "half", o);
  const Tensor x = random_input(g, 3);
  const WeightMap w = random_weights(g, 3);
  AccelLayerEngine e(accel(2, 3, 16), false);
  const InferResult got = run_on(e, g, x, w);
  EXPECT_EQ(got.output.data, run_graph(g, x, w).output.data);
  // Every layer, in graph order: the stem, 13 x (row, col, pw), the fc.
  std::vector<std::string> layers;
  for (const auto& n : g.nodes)
    if (n.is_layer) layers.push_back(n.name);
  ASSERT_EQ(layers.size(), 41u);
  ASSERT_EQ(e.stats().size(), layers.size());
  for (size_t i = 0; i < layers.size(); ++i) EXPECT_EQ(e.stats()[i].name, layers[i]);
  EXPECT_EQ(e.stats()[1].name, "b1.row");
  EXPECT_EQ(e.stats()[2].name, "b1.col");
  for (const auto& s : e.stats()) {
    EXPECT_GT(s.cycles, s.gemm_cycles) << s.name;  // loads and stores take cycles too
    EXPECT_GT(s.gemm_cycles, 0u) << s.name;
    EXPECT_EQ(s.programs, 1u) << s.name;
    // Every layer but the fc feeds only its Requant node, which runs on the result path.
    EXPECT_EQ(s.requant, s.name == "fc" ? "" : s.name + ".q") << s.name;
  }
  // Requantizing on the host instead: the same output, no Requant node on chip, and every
  // layer but the fc streams the same result words as 3 x 32-bit accumulators (2 beats of the
  // 64-bit stream) instead of 3 x 8-bit activations (1 beat): twice the bytes.
  AccelLayerEngine host(accel(2, 3, 16), false, true);
  EXPECT_EQ(run_on(host, g, x, w).output.data, got.output.data);
  ASSERT_EQ(host.stats().size(), e.stats().size());
  for (size_t i = 0; i + 1 < e.stats().size(); ++i) {
    EXPECT_EQ(host.stats()[i].requant, "");
    EXPECT_EQ(host.stats()[i].bytes_out, 2 * e.stats()[i].bytes_out) << e.stats()[i].name;
  }
  EXPECT_EQ(host.stats().back().bytes_out, e.stats().back().bytes_out);
}

TEST(AccelInfer, DepthwiseLayerSplitsOverChannelSlicesWhenIbufIsSmall) {
  // MobileNet-V1's b1.dw at 16x16 (input [1, 32, 8, 8]) on 2x3 with a 1 KiB ACT: groups of 2
  // lines, 3 passes x LW 4 = 12 lines per group, 14 groups per chunk of 170 lines; 32 channels x
  // 8 rows = 128 groups = 10 chunks = 41 instructions, more than a 16-instruction buffer holds:
  // the layer runs as several programs on channel slices, and their concatenation is golden's.
  // 16 channels are 64 groups = 5 chunks = 21 instructions, 8 channels 3 chunks = 13: 4 slices.
  GraphOptions o;
  o.h = o.w = 16;
  const NetGraph g = build_graph("mobilenet_v1", "base", o);
  const WeightMap w = random_weights(g, 4);
  const GraphNode* dw = find_node(g, "b1.dw");
  ASSERT_NE(dw, nullptr);
  const GraphNode* in = find_node(g, dw->inputs.at(0));
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(in->shape, (std::vector<int64_t>{1, 32, 8, 8}));
  const Tensor x = random_tensor(in->shape, 8, 9, "x");
  AccelConfig c = accel(2, 3, 16);
  c.act_kb = 1;
  c.ibuf_depth = 16;
  AccelLayerEngine e(c, false);
  Tensor y;
  ASSERT_EQ(e.run({*dw, x, w.at("b1.dw"), nullptr}, &y), HookResult::Raw);
  EXPECT_EQ(y.data, run_layer(*dw, x, w.at("b1.dw"), 32).data);
  ASSERT_EQ(e.stats().size(), 1u);
  EXPECT_EQ(e.stats()[0].programs, 4u);
  EXPECT_EQ(e.stats()[0].macs, uint64_t(32 * 8 * 8 * 9));
}

TEST(AccelInfer, RequantFallsBackToTheHostWhenActHasNoRoom) {
  // MobileNet-V1 Half at 32x32, b5.pw: 256 input channels = 64 lines of a 4x4 array per pixel
  // block, all of a 1 KiB ACT; its requantized output would need one more line. The engine
  // then streams the raw accumulators through OUT and leaves b5.pw.q to the host.
  GraphOptions o;
  o.h = o.w = 32;
  const NetGraph g = build_graph("mobilenet_v1", "half", o);
  const WeightMap w = random_weights(g, 6);
  const GraphNode* pw = find_node(g, "b5.pw");
  const GraphNode* rq = find_node(g, "b5.pw.q");
  ASSERT_NE(pw, nullptr);
  ASSERT_NE(rq, nullptr);
  const GraphNode* in = find_node(g, pw->inputs.at(0));
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(in->shape[1], 256);
  const Tensor x = random_tensor(in->shape, 8, 2, "x");
  AccelConfig c = accel(4, 4, 16);
  c.act_kb = 1;
  AccelLayerEngine e(c, false);
  Tensor y;
  ASSERT_EQ(e.run({*pw, x, w.at("b5.pw"), rq}, &y), HookResult::Raw);
  EXPECT_EQ(y.data, run_layer(*pw, x, w.at("b5.pw"), 32).data);
  ASSERT_EQ(e.stats().size(), 1u);
  EXPECT_EQ(e.stats()[0].requant, "");
  EXPECT_EQ(e.stats()[0].programs, 1u);
  // With room (the default 8 KiB here), the same call is requantized on chip.
  AccelLayerEngine roomy(accel(4, 4, 16), false);
  ASSERT_EQ(roomy.run({*pw, x, w.at("b5.pw"), rq}, &y), HookResult::Requantized);
  EXPECT_EQ(y.data, requantize(run_layer(*pw, x, w.at("b5.pw"), 32), rq->params.shift,
                               rq->params.relu, 8).data);
}

TEST(AccelInfer, OutputChannelsSplitOverProgramsWhenOutIsSmall) {
  // 2x2, AccW 32: OUT of 1 KiB holds 8192 / 64 = 128 words; one pixel block uses 2 words (its
  // 2 rows) per column block, so 64 column blocks = 128 output channels fit one program.
  // MobileNet-V2's head (1280 channels) needs 10 programs when its accumulators go to OUT
  // (--host-requant), the fc (1000) 8. Requantized on chip, the head's results go to ACT
  // (8 KiB = 2048 lines of 2 lanes; its input takes 160 lines per block): one program.
  GraphOptions o;
  o.h = o.w = 8;
  const NetGraph g = build_graph("mobilenet_v2", "base", o);
  const Tensor x = random_input(g, 5);
  const WeightMap w = random_weights(g, 5);
  const Tensor want = run_graph(g, x, w).output;
  AccelLayerEngine e(accel(2, 2, 1), false, true);
  EXPECT_EQ(run_on(e, g, x, w).output.data, want.data);
  ASSERT_EQ(e.stats().back().name, "fc");
  EXPECT_EQ(e.stats().back().programs, 8u);
  EXPECT_EQ(e.stats()[e.stats().size() - 2].name, "head");
  EXPECT_EQ(e.stats()[e.stats().size() - 2].programs, 10u);
  AccelLayerEngine chip(accel(2, 2, 1), false);
  EXPECT_EQ(run_on(chip, g, x, w).output.data, want.data);
  EXPECT_EQ(chip.stats().back().programs, 8u);
  EXPECT_EQ(chip.stats()[chip.stats().size() - 2].programs, 1u);
}

}  // namespace
}  // namespace fusegen
