// The accelerated layers of `fusegen infer --engine model` (sim/accel_infer.h): a whole network
// with every layer (stem by im2col, depthwise by CONV, pointwise and fc by GEMM) on the
// accelerator's model equals the golden executor, also when a layer's output channels must be
// split over several programs or a depthwise layer over channel slices; the other nodes are
// left to the host.
#include <gtest/gtest.h>

#include "golden/graph.h"
#include "golden/infer.h"
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

InferResult run_on(AccelLayerEngine& e, const NetGraph& g, const Tensor& x, const WeightMap& w) {
  return run_graph(g, x, w, [&](const GraphNode& n, const Tensor& a, const Tensor& wt,
                                Tensor* y) { return e.run(n, a, wt, y); });
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
  }
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
  const GraphNode* dw = nullptr;
  const GraphNode* in = nullptr;
  for (const auto& n : g.nodes)
    if (n.name == "b1.dw") dw = &n;
  ASSERT_NE(dw, nullptr);
  for (const auto& n : g.nodes)
    if (n.name == dw->inputs.at(0)) in = &n;
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(in->shape, (std::vector<int64_t>{1, 32, 8, 8}));
  const Tensor x = random_tensor(in->shape, 8, 9, "x");
  AccelConfig c = accel(2, 3, 16);
  c.act_kb = 1;
  c.ibuf_depth = 16;
  AccelLayerEngine e(c, false);
  Tensor y;
  ASSERT_TRUE(e.run(*dw, x, w.at("b1.dw"), &y));
  EXPECT_EQ(y.data, run_layer(*dw, x, w.at("b1.dw"), 32).data);
  ASSERT_EQ(e.stats().size(), 1u);
  EXPECT_EQ(e.stats()[0].programs, 4u);
  EXPECT_EQ(e.stats()[0].macs, uint64_t(32 * 8 * 8 * 9));
}

TEST(AccelInfer, OutputChannelsSplitOverProgramsWhenOutIsSmall) {
  // 2x2, AccW 32: OUT of 1 KiB holds 8192 / 64 = 128 words; one pixel block uses 2 words (its
  // 2 rows) per column block, so 64 column blocks = 128 output channels fit one program.
  // MobileNet-V2's head (1280 channels) needs 10 programs, the fc (1000) 8.
  GraphOptions o;
  o.h = o.w = 8;
  const NetGraph g = build_graph("mobilenet_v2", "base", o);
  const Tensor x = random_input(g, 5);
  const WeightMap w = random_weights(g, 5);
  AccelLayerEngine e(accel(2, 2, 1), false);
  EXPECT_EQ(run_on(e, g, x, w).output.data, run_graph(g, x, w).output.data);
  ASSERT_EQ(e.stats().back().name, "fc");
  EXPECT_EQ(e.stats().back().programs, 8u);
  EXPECT_EQ(e.stats()[e.stats().size() - 2].name, "head");
  EXPECT_EQ(e.stats()[e.stats().size() - 2].programs, 10u);
}

}  // namespace
}  // namespace fusegen
