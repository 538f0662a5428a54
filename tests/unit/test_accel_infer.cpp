// The accelerated layers of `fusegen infer --engine model` (sim/accel_infer.h): a whole network
// with its pointwise and fc layers on the accelerator's model equals the golden executor, also
// when a layer's output channels must be split over several programs; the layers it does not
// take are left to the host.
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
  // 13 pointwise layers and the fc, nothing else.
  ASSERT_EQ(e.stats().size(), 14u);
  EXPECT_EQ(e.stats().front().name, "b1.pw");
  EXPECT_EQ(e.stats().back().name, "fc");
  for (const auto& s : e.stats()) {
    EXPECT_GT(s.cycles, s.gemm_cycles) << s.name;  // loads and stores take cycles too
    EXPECT_EQ(s.programs, 1u) << s.name;
  }
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
