// The accelerated layers of `fusegen infer --engine model` (sim/accel_infer.h): a whole network
// with every layer (stem by im2col, depthwise by CONV, pointwise and fc by GEMM) on the
// accelerator's model equals the golden executor, also when a layer's output channels must be
// split over several programs or a depthwise layer over channel slices; the other nodes are
// left to the host.
#include <gtest/gtest.h>

#include "golden/accel_compiler.h"
#include "golden/accel_model.h"
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

// A zoo network at size x size pixels.
NetGraph graph(const std::string& net, const std::string& variant, int64_t size) {
  GraphOptions o;
  o.h = o.w = size;
  return build_graph(net, variant, o);
}

const GraphNode* find_node(const NetGraph& g, const std::string& name) {
  for (const auto& n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

// A seeded random DataW tensor shaped as node n's input (its producer's output).
Tensor node_input(const NetGraph& g, const GraphNode& n, uint64_t seed) {
  const GraphNode* in = find_node(g, n.inputs.at(0));
  EXPECT_NE(in, nullptr) << n.name;
  return in ? random_tensor(in->shape, g.data_w, seed, "x") : Tensor();
}

// One layer node of MobileNet-V1 Half at 32x32, its Requant node, seeded weights and input.
struct NodeCase {
  NetGraph g;
  WeightMap w;
  const GraphNode* node = nullptr;
  const GraphNode* requant = nullptr;
  Tensor x;
  const Tensor& weights() const { return w.at(node->name); }
  Tensor golden() const { return run_layer(*node, x, weights(), 32); }
};

NodeCase v1_half_node(const std::string& name, uint64_t seed) {
  NodeCase k;
  k.g = graph("mobilenet_v1", "half", 32);
  k.w = random_weights(k.g, seed);
  k.node = find_node(k.g, name);
  k.requant = find_node(k.g, name + ".q");
  EXPECT_NE(k.node, nullptr) << name;
  if (k.node) k.x = node_input(k.g, *k.node, seed);
  return k;
}

// Runs k's node on an engine for c, offering its Requant node, which the engine must leave to
// the host: the result is Raw and equals the golden accumulators. Returns the layer's costs.
AccelLayerStats run_leaving_requant(const NodeCase& k, const AccelConfig& c) {
  EXPECT_NE(k.requant, nullptr);
  AccelLayerEngine e(c, false);
  Tensor y;
  EXPECT_EQ(e.run({*k.node, k.x, k.weights(), k.requant}, &y), HookResult::Raw);
  EXPECT_EQ(y.data, k.golden().data);
  EXPECT_EQ(e.stats().size(), 1u);
  if (e.stats().empty()) return {};
  EXPECT_EQ(e.stats()[0].requant, "");
  return e.stats()[0];
}

InferResult run_on(AccelLayerEngine& e, const NetGraph& g, const Tensor& x, const WeightMap& w) {
  return run_graph(g, x, w, [&](const LayerCall& call, Tensor* y) { return e.run(call, y); });
}

TEST(AccelInfer, MobileNetV1HalfOnTheModelEqualsGolden) {
  const NetGraph g = graph("mobilenet_v1", "half", 16);
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
  const NetGraph g = graph("mobilenet_v1", "base", 16);
  const WeightMap w = random_weights(g, 4);
  const GraphNode* dw = find_node(g, "b1.dw");
  ASSERT_NE(dw, nullptr);
  const Tensor x = node_input(g, *dw, 9);
  ASSERT_EQ(x.shape, (std::vector<int64_t>{1, 32, 8, 8}));
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
  const NodeCase k = v1_half_node("b5.pw", 6);
  ASSERT_EQ(k.x.dim(1), 256);
  AccelConfig c = accel(4, 4, 16);
  c.act_kb = 1;
  // WGT (16 KiB) holds 4096 words = 16 column blocks of Cin 256: four slices of 64 channels
  // keep their weights resident; one program would reload all of them per pixel block (ACT
  // holds one block), far more stream beats.
  EXPECT_EQ(run_leaving_requant(k, c).programs, 4u);
  // With room (the default 8 KiB here), the same call is requantized on chip.
  Tensor y;
  AccelLayerEngine roomy(accel(4, 4, 16), false);
  ASSERT_EQ(roomy.run({*k.node, k.x, k.weights(), k.requant}, &y), HookResult::Requantized);
  EXPECT_EQ(y.data,
            requantize(k.golden(), k.requant->params.shift, k.requant->params.relu, 8).data);
}

TEST(AccelInfer, PixelsSplitWhenNoChannelSlicingFitsTheInstructionBuffer) {
  // MobileNet-V1 Half at 32x32, b1.pw (32 -> 64 channels over 16x16 pixels) on 2x2 with a
  // 16-instruction buffer and 1 KiB scratchpads: 128 pixel blocks; even one column block of
  // output channels takes chunks of at most 16 blocks (ACT: 256 lines / 16 per block), 8
  // chunks of 3 instructions, more than 16. So the engine splits the map's rows as well; the
  // pieces together equal golden.
  const NodeCase k = v1_half_node("b1.pw", 8);
  ASSERT_EQ(k.x.shape, (std::vector<int64_t>{1, 32, 16, 16}));
  AccelConfig c = accel(2, 2, 1);
  c.act_kb = c.wgt_kb = 1;
  c.ibuf_depth = 16;
  AccelGemmLayer whole;
  whole.name = "b1.pw";
  whole.weights = k.weights();
  EXPECT_THROW(compile_gemm_chain(c, k.x, {whole}), Error);
  whole.weights = Tensor({2, 32, 1, 1});  // even one column block is too long a program
  EXPECT_THROW(compile_gemm_chain(c, k.x, {whole}), Error);
  AccelLayerEngine e(c, false);
  Tensor y;
  ASSERT_EQ(e.run({*k.node, k.x, k.weights(), nullptr}, &y), HookResult::Raw);
  EXPECT_EQ(y.data, k.golden().data);
  ASSERT_EQ(e.stats().size(), 1u);
  EXPECT_GT(e.stats()[0].programs, 1u);
}

TEST(AccelInfer, ReductionSplitsWhenCinExceedsTheWeightScratchpad) {
  // MobileNet-V1 Half at 32x32, b13.pw: Cin 1024 on 2x2 with a 1 KiB WGT (512 words): no
  // column block's weights fit, whatever the slicing. Requantized on chip is impossible (the
  // sums are split), so the engine answers Raw: partial sums over 512 + 512 input channels,
  // each on the accelerator, added by the host, equal to the golden accumulators.
  const NodeCase k = v1_half_node("b13.pw", 9);
  ASSERT_EQ(k.x.dim(1), 1024);
  AccelConfig c = accel(2, 2, 1);
  c.wgt_kb = 1;
  EXPECT_GE(run_leaving_requant(k, c).programs, 2u);
}

// A dense convolution runs as GEMM with WIN or as GEMMs over the host's im2col map, whichever
// takes fewer cycles. The stem (Cin 3) pads badly in the windows: per tap (3 of 4 lanes) or per
// kernel row (9 of 16), where the host's map pads 27 once; so on 16x16 the host's map wins.
// With 16 input channels nothing pads, and the host's map sends 9 copies of the input: where
// the stream is the bottleneck (an 8-bit stream, 8 output channels on 4x4: 144 map bytes per
// pixel in 144 cycles against 144 x 8 / 16 = 72 cycles of MACs) the windows win.
TEST(AccelInfer, DenseConvolutionRunsTheCheaperOfWindowsAndHostIm2col) {
  const NetGraph g = graph("mobilenet_v1", "half", 32);
  const GraphNode* stem = find_node(g, "stem");
  ASSERT_NE(stem, nullptr);
  auto run = [](const GraphNode& n, const Tensor& x, const Tensor& w, const AccelConfig& c) {
    AccelLayerEngine e(c, false, false, true);
    Tensor y;
    EXPECT_EQ(e.run({n, x, w, nullptr}, &y), HookResult::Raw);
    EXPECT_EQ(y.data, run_layer(n, x, w, 32).data) << n.name;
    EXPECT_EQ(e.stats().size(), 1u);
    return e.stats().empty() ? AccelLayerStats{} : e.stats()[0];
  };
  // The windowed program alone, on the model: what the engine did not choose.
  auto windowed_cycles = [](const GraphNode& n, const Tensor& x, const Tensor& w,
                            const AccelConfig& c) {
    const AccelProgram p = compile_conv2d(c, x, conv2d_layer(n, w, nullptr), true);
    AccelModel m(c);
    const AccelRun r = m.run(p.program, 0, p.input);
    EXPECT_EQ(r.err, isa::kOk);
    return r.cycles;
  };
  {  // the stem on 16x16: the host's im2col map, fewer cycles than the windows
    const Tensor x = random_tensor({1, 3, 32, 32}, 8, 1, "x");
    const Tensor w = random_tensor(stem->weight_shape, 8, 2, "w");
    const AccelConfig c = accel(16, 16, 16);
    const AccelLayerStats s = run(*stem, x, w, c);
    EXPECT_EQ(s.windowed, 0u);
    EXPECT_LT(s.cycles, windowed_cycles(*stem, x, w, c));
  }
  {  // 3x3, 16 -> 8 channels, stride 1, padding 1 on 4x4 with an 8-bit stream: the windows
    GraphNode n = *stem;
    n.name = "conv16";
    n.params.stride = 1;
    const Tensor x = random_tensor({1, 16, 12, 12}, 8, 3, "x");
    const Tensor w = random_tensor({8, 16, 3, 3}, 8, 4, "w");
    AccelConfig on = accel(4, 4, 16);
    on.bus_width = 8;
    const AccelLayerStats s = run(n, x, w, on);
    EXPECT_EQ(s.windowed, 1u);
    EXPECT_EQ(s.cycles, windowed_cycles(n, x, w, on));
    // Without the window generator: the host's map, the same values, more stream bytes in.
    AccelConfig off = on;
    off.im2col = false;
    const AccelLayerStats h = run(n, x, w, off);
    EXPECT_EQ(h.windowed, 0u);
    EXPECT_GT(h.bytes_in, s.bytes_in);
    EXPECT_GT(h.cycles, s.cycles);
  }
}

TEST(AccelInfer, OutputChannelsSplitOverProgramsWhenOutIsSmall) {
  // 2x2, AccW 32: OUT of 1 KiB holds 8192 / 64 = 128 words; one pixel block uses 2 words (its
  // 2 rows) per column block, so 64 column blocks = 128 output channels fit one program.
  // MobileNet-V2's head (1280 channels) needs 10 programs when its accumulators go to OUT
  // (--host-requant), the fc (1000) 8. Requantized on chip, the head's results go to ACT
  // (8 KiB = 2048 lines of 2 lanes; its input takes 160 lines per block): one program.
  const NetGraph g = graph("mobilenet_v2", "base", 8);
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

namespace fusegen {
namespace {

TEST(AccelInfer, OverlappedProgramsEqualGoldenAndTakeFewerCycles) {
  // MobileNet-V1 Half at 16x16 on 2x3 with overlapped (double-buffered) programs: the network's
  // output equals golden's byte for byte (and every layer's result its golden operator's, which
  // the engine checks), every program is double-buffered, and every layer takes fewer cycles
  // than with one instruction at a time.
  const NetGraph g = graph("mobilenet_v1", "half", 16);
  const Tensor x = random_input(g, 7);
  const WeightMap w = random_weights(g, 7);
  const Tensor want = run_graph(g, x, w).output;
  AccelLayerEngine ov(accel(2, 3, 16), false, false, true);
  AccelLayerEngine seq(accel(2, 3, 16), false);
  EXPECT_EQ(run_on(ov, g, x, w).output.data, want.data);
  EXPECT_EQ(run_on(seq, g, x, w).output.data, want.data);
  ASSERT_EQ(ov.stats().size(), 41u);
  ASSERT_EQ(seq.stats().size(), 41u);
  uint64_t cycles = 0, seq_cycles = 0;
  for (size_t i = 0; i < ov.stats().size(); ++i) {
    const AccelLayerStats &a = ov.stats()[i], &b = seq.stats()[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.overlapped, a.programs) << a.name;
    EXPECT_EQ(b.overlapped, 0u) << b.name;
    EXPECT_EQ(a.requant, b.requant) << a.name;  // requantized on chip either way (NARROW / ACT)
    EXPECT_LT(a.cycles, b.cycles) << a.name;
    cycles += a.cycles;
    seq_cycles += b.cycles;
  }
  EXPECT_LT(cycles * 4, seq_cycles * 3);  // at least a quarter fewer in all
}

TEST(AccelInfer, OverlappedProgramsOnTinyScratchpadsEqualGolden) {
  // The iCE40-sized accelerator (2x2, ACT / WGT 2 KiB, OUT 1 KiB, ibuf 64) with overlap:
  // layers split into channel slices, row pieces, weight groups and input-channel halves,
  // depthwise layers into channel slices whose overlapped programs fit 64 instructions.
  // MobileNet-V2 Half (residual adds, expand layers) at 16x16 equals golden. Layers whose
  // overlapped program cannot fit the buffer run one instruction at a time (e.g. the fc's
  // input-channel halves: 640 weight words per column block, more than half of WGT); no layer
  // takes more cycles than without overlap.
  const NetGraph g = graph("mobilenet_v2", "half", 16);
  const Tensor x = random_input(g, 8);
  const WeightMap w = random_weights(g, 8);
  AccelConfig c = accel(2, 2, 1);
  c.act_kb = c.wgt_kb = 2;
  c.ibuf_depth = 64;
  AccelLayerEngine e(c, false, false, true), seq(c, false);
  const Tensor want = run_graph(g, x, w).output;
  EXPECT_EQ(run_on(e, g, x, w).output.data, want.data);
  EXPECT_EQ(run_on(seq, g, x, w).output.data, want.data);
  ASSERT_EQ(e.stats().size(), seq.stats().size());
  uint64_t programs = 0, overlapped = 0;
  for (size_t i = 0; i < e.stats().size(); ++i) {
    const AccelLayerStats& s = e.stats()[i];
    programs += s.programs;
    overlapped += s.overlapped;
    EXPECT_LE(s.cycles, seq.stats()[i].cycles) << s.name;
  }
  EXPECT_GT(programs, e.stats().size());  // some layers take several programs
  EXPECT_GT(overlapped, programs / 4);
}

}  // namespace
}  // namespace fusegen
