// Accelerator compiler (golden/accel_compiler.h): the program and stream layouts worked out by
// hand from docs/accel.md, end-to-end runs on the instruction-set model compared with the golden
// operators (pointwise_conv / fully_connected -> requantize -> ...), tiling, and every error.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compiler.h"
#include "golden/accel_model.h"
#include "golden/accel_timing.h"
#include "golden/ops.h"
#include "tests/unit/error_of.h"

using namespace fusegen;

namespace {
using Words = std::vector<std::vector<int64_t>>;

AccelConfig config(int rows, int cols, int data_w = 8, int acc_w = 32) {
  AccelConfig c;
  c.array.rows = rows;
  c.array.cols = cols;
  c.array.data_w = data_w;
  c.array.acc_w = acc_w;
  return c;
}

Tensor make(std::vector<int64_t> shape, std::vector<int64_t> values) {
  Tensor t(std::move(shape));
  EXPECT_EQ(t.data.size(), values.size());
  t.data = std::move(values);
  return t;
}

Tensor random_tensor(std::vector<int64_t> shape, int bits, std::mt19937_64& rng) {
  Tensor t(std::move(shape));
  std::uniform_int_distribution<int64_t> d(signed_min(bits), signed_max(bits));
  for (auto& v : t.data) v = d(rng);
  return t;
}

AccelGemmLayer layer(std::string name, Tensor w, int shift = 0, bool relu = false) {
  AccelGemmLayer l;
  l.name = std::move(name);
  l.weights = std::move(w);
  l.shift = shift;
  l.relu = relu;
  return l;
}

// The chain by the golden operators: layer, requantize, layer, ..., raw last layer.
Tensor golden_chain(const Tensor& x, const std::vector<AccelGemmLayer>& layers, int data_w,
                    int acc_w) {
  Tensor y = x;
  for (size_t k = 0; k < layers.size(); ++k) {
    y = x.rank() == 4 ? pointwise_conv(y, layers[k].weights, acc_w)
                      : fully_connected(y, layers[k].weights, acc_w);
    if (k + 1 < layers.size()) y = requantize(y, layers[k].shift, layers[k].relu, data_w);
  }
  return y;
}

// Compiles, runs on a fresh model and decodes; the run must succeed and use exactly the
// compiled streams.
Tensor run_chain(const AccelConfig& c, const Tensor& x, const std::vector<AccelGemmLayer>& layers,
                 AccelProgram* compiled = nullptr) {
  const AccelProgram p = compile_gemm_chain(c, x, layers);
  AccelModel m(c);
  const AccelRun r = m.run(p.program, 0, p.input);
  EXPECT_EQ(r.err, isa::kOk) << "err_pc " << r.err_pc;
  EXPECT_EQ(r.input_beats, p.input.size());
  EXPECT_EQ(r.output.size(), p.output_beats);
  if (compiled) *compiled = p;
  return decode_output(c, p, r.output);
}

std::vector<int> opcodes(const AccelProgram& p) {
  std::vector<int> ops;
  for (const isa::Instr& i : p.program) ops.push_back(static_cast<int>(i.w[0] & 0xf));
  return ops;
}

bool same(const isa::Instr& a, const isa::Instr& b) {
  return a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2] && a.w[3] == b.w[3];
}
}  // namespace

TEST(AccelCompiler, OneLayerProgramAndStreamLayoutByHand) {
  // 2x3 array, x [1, 4, 1, 3]: 3 pixels = 2 pixel blocks, 4 channels = 2 lines per block.
  // One layer of 2 outputs: weights once (4 words), input (2 blocks x 2 lines x 2 banks), one
  // raw GEMM, STORE 2 blocks x 1 column block x 2 rows, END.
  const AccelConfig c = config(2, 3);
  const Tensor x = make({1, 4, 1, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3});
  const Tensor w = make({2, 4, 1, 1}, {1, 0, -1, 2, 3, 4, 5, -6});
  const AccelProgram p = compile_gemm_chain(c, x, {layer("pw", w)});
  ASSERT_EQ(p.program.size(), 5u);
  EXPECT_TRUE(same(p.program[0], isa::load(isa::kWgt, 0, 4)));
  EXPECT_TRUE(same(p.program[1], isa::load(isa::kAct, 0, 8)));
  EXPECT_TRUE(same(p.program[2], isa::gemm(true, false, 0, 0, 0, 0, 4, 2, 1)));
  EXPECT_TRUE(same(p.program[3], isa::store(isa::kOut, 0, 4)));
  EXPECT_TRUE(same(p.program[4], isa::end()));
  // Stream: word t of the weights = [w0t, w1t, 0]; then the map: pixel p in bank p mod 2,
  // channels 0..2 in the block's first line, channel 3 in its second, padding zero.
  const Words words = unpack_words(p.input, 3, 8, 64);
  EXPECT_EQ(words, (Words{{1, 3, 0}, {0, 4, 0}, {-1, 5, 0}, {2, -6, 0},
                          {1, 4, 7}, {2, 5, 8}, {-1, 0, 0}, {-2, 0, 0},
                          {3, 6, 9}, {0, 0, 0}, {-3, 0, 0}, {0, 0, 0}}));
  EXPECT_EQ(p.output_beats, 4u * 2u);  // a 96-bit result word is two 64-bit beats
  EXPECT_EQ(p.out_shape, (std::vector<int64_t>{1, 2, 1, 3}));
  // Pixel 0 = [1, 4, 7, -1]: out0 = 1 - 7 - 2 = -8, out1 = 3 + 16 + 35 + 6 = 60.
  // Pixel 1 = [2, 5, 8, -2]: -10, 6 + 20 + 40 + 12 = 78. Pixel 2 = [3, 6, 9, -3]: -12, 96.
  EXPECT_EQ(run_chain(c, x, {layer("pw", w)}).data,
            (std::vector<int64_t>{-8, -10, -12, 60, 78, 96}));
}

TEST(AccelCompiler, TwoLayersPingPongBasesByHand) {
  // 2x3 array, 1 KiB ACT = 170 lines. x [1, 4, 1, 3] -> 5 -> 2. Map 0 (2 blocks x 2 lines) at
  // line 0; map 1 (5 channels: 2 lines per block) ends at the last line: 170 - 4 = 166.
  // Weights resident: layer 0 at word 0 (2 column blocks x T 4 = 8 words), layer 1 at word 8.
  AccelConfig c = config(2, 3);
  c.act_kb = 1;
  std::mt19937_64 rng(3);
  const Tensor x = random_tensor({1, 4, 1, 3}, 8, rng);
  const std::vector<AccelGemmLayer> chain = {
      layer("a", random_tensor({5, 4, 1, 1}, 8, rng), 4, true),
      layer("b", random_tensor({2, 5, 1, 1}, 8, rng), 9, true)};  // last: shift/relu ignored
  AccelProgram p;
  EXPECT_EQ(run_chain(c, x, chain, &p), golden_chain(x, chain, 8, 32));
  ASSERT_EQ(p.program.size(), 6u);
  EXPECT_TRUE(same(p.program[0], isa::load(isa::kWgt, 0, 8 + 5)));
  EXPECT_TRUE(same(p.program[1], isa::load(isa::kAct, 0, 8)));
  EXPECT_TRUE(same(p.program[2], isa::gemm(false, true, 4, 0, 166, 0, 4, 2, 2)));
  EXPECT_TRUE(same(p.program[3], isa::gemm(true, false, 0, 166, 0, 8, 5, 2, 1)));
  EXPECT_TRUE(same(p.program[4], isa::store(isa::kOut, 0, 4)));
}

TEST(AccelCompiler, RandomPointwiseChainsMatchGolden) {
  std::mt19937_64 rng(2024);
  const std::vector<std::pair<int, int>> arrays = {{1, 1}, {2, 3}, {4, 4}};
  const std::vector<int64_t> channels = {1, 3, 5, 7, 9, 6};
  auto pick = [&](const std::vector<int64_t>& v) { return v[rng() % v.size()]; };
  int trials = 0;
  for (const auto& [rows, cols] : arrays)
    for (int trial = 0; trial < 8; ++trial) {
      const AccelConfig c = config(rows, cols);
      const int64_t N = 1 + trial % 2, H = 1 + rng() % 4, W = 1 + rng() % 5;
      int64_t cin = pick(channels);
      const Tensor x = random_tensor({N, cin, H, W}, 8, rng);
      std::vector<AccelGemmLayer> chain;
      const int n_layers = 2 + trial % 2;
      for (int k = 0; k < n_layers; ++k) {
        const int64_t cout = pick(channels);
        const int shift = trial % 4 == 0 ? 0 : static_cast<int>(3 + rng() % 8);
        chain.push_back(layer("l" + std::to_string(k), random_tensor({cout, cin, 1, 1}, 8, rng),
                              shift, (trial + k) % 2 == 0));
        cin = cout;
      }
      EXPECT_EQ(run_chain(c, x, chain), golden_chain(x, chain, 8, 32))
          << rows << "x" << cols << " trial " << trial;
      ++trials;
    }
  EXPECT_EQ(trials, 24);
}

TEST(AccelCompiler, TiledOverPixelsSameResult) {
  // 2x3 array with 1 KiB ACT (170 lines) and OUT (85 words). Chain 7 -> 9 -> 5 -> 4: lines per
  // block 3 + 3, 3 + 2, 2 -> at most 28 blocks; OUT 2 column blocks x 2 rows -> 21 blocks. 99
  // pixels = 50 blocks: chunks of 21, 21, 8, each LOAD, 3 GEMMs, STORE; weights once.
  AccelConfig c = config(2, 3);
  c.act_kb = c.out_kb = 1;
  c.ibuf_depth = 64;
  std::mt19937_64 rng(5);
  const Tensor x = random_tensor({1, 7, 9, 11}, 8, rng);
  const std::vector<AccelGemmLayer> chain = {
      layer("a", random_tensor({9, 7, 1, 1}, 8, rng), 6, true),
      layer("b", random_tensor({5, 9, 1, 1}, 8, rng), 7, false),
      layer("c", random_tensor({4, 5, 1, 1}, 8, rng))};
  AccelProgram p;
  const Tensor y = run_chain(c, x, chain, &p);
  EXPECT_EQ(y, golden_chain(x, chain, 8, 32));
  EXPECT_EQ(y, run_chain(config(2, 3), x, chain));  // untiled with the default memories
  EXPECT_EQ(opcodes(p), (std::vector<int>{1, 1, 3, 3, 3, 2, 1, 3, 3, 3, 2, 1, 3, 3, 3, 2, 0}));
  EXPECT_TRUE(same(p.program[2], isa::gemm(false, true, 6, 0, 170 - 21 * 3, 0, 7, 21, 3)));
  EXPECT_TRUE(same(p.program[12], isa::gemm(false, true, 6, 0, 170 - 8 * 3, 0, 7, 8, 3)));
  EXPECT_TRUE(same(p.program[15], isa::store(isa::kOut, 0, 8 * 2 * 2)));
}

TEST(AccelCompiler, WeightsReloadedPerChunkInColumnGroups) {
  // D = 16 on 2x3: WGT 1 KiB = 170 words, ACT 85 lines, OUT 85 words. Chain 7 -> 30 -> 20:
  // weights 10 x 7 + 7 x 30 = 280 words do not fit together, and layer 1 (210) alone does
  // not either: it is loaded in column groups of 170 / 30 = 5 and 2 blocks, one GEMM per pixel
  // block and group. Chunks: ACT 3 + 10 lines per block -> 6 blocks, OUT 7 x 2 -> 6 blocks;
  // 25 pixels = 13 blocks -> 6, 6, 1. Accumulators wrap at 32 bits.
  AccelConfig c = config(2, 3, 16, 32);
  c.act_kb = c.wgt_kb = c.out_kb = 1;
  c.ibuf_depth = 64;
  std::mt19937_64 rng(9);
  const Tensor x = random_tensor({1, 7, 5, 5}, 16, rng);
  const std::vector<AccelGemmLayer> chain = {
      layer("a", random_tensor({30, 7, 1, 1}, 16, rng), 14, false),
      layer("b", random_tensor({20, 30, 1, 1}, 16, rng))};
  AccelProgram p;
  EXPECT_EQ(run_chain(c, x, chain, &p), golden_chain(x, chain, 16, 32));
  // Per chunk of q blocks: LOAD input, LOAD + GEMM layer a, (LOAD + q GEMMs) x 2 groups, STORE.
  ASSERT_EQ(p.program.size(), (6u + 2 * 6u) * 2 + (6u + 2 * 1u) + 1u);
  EXPECT_TRUE(same(p.program[1], isa::load(isa::kWgt, 0, 10 * 7)));
  EXPECT_TRUE(same(p.program[2], isa::gemm(false, false, 14, 0, 85 - 6 * 10, 0, 7, 6, 10)));
  EXPECT_TRUE(same(p.program[3], isa::load(isa::kWgt, 0, 5 * 30)));
  // Block 1, group 0: a_base = 25 + 10, OUT word (1 * 7 + 0) * 2.
  EXPECT_TRUE(same(p.program[5], isa::gemm(true, false, 0, 35, 14, 0, 30, 1, 5)));
  EXPECT_TRUE(same(p.program[10], isa::load(isa::kWgt, 0, 2 * 30)));
  // Block 2, group 1: OUT word (2 * 7 + 5) * 2.
  EXPECT_TRUE(same(p.program[13], isa::gemm(true, false, 0, 45, 38, 0, 30, 1, 2)));
}

TEST(AccelCompiler, FullyConnectedChain) {
  std::mt19937_64 rng(13);
  for (const auto& [rows, cols] : std::vector<std::pair<int, int>>{{1, 1}, {2, 3}, {4, 4}}) {
    const Tensor x = random_tensor({5, 10}, 8, rng);
    const std::vector<AccelGemmLayer> chain = {
        layer("fc1", random_tensor({7, 10}, 8, rng), 5, true),
        layer("fc2", random_tensor({6, 7}, 8, rng), 2, false),
        layer("fc3", random_tensor({3, 6}, 8, rng))};
    AccelProgram p;
    const Tensor y = run_chain(config(rows, cols), x, chain, &p);
    EXPECT_EQ(p.out_shape, (std::vector<int64_t>{5, 3}));
    EXPECT_EQ(y, golden_chain(x, chain, 8, 32)) << rows << "x" << cols;
  }
}

TEST(AccelCompiler, ChainErrors) {
  const AccelConfig c = config(2, 3);
  const Tensor x = make({1, 2, 1, 1}, {1, 2});
  const Tensor w23 = make({3, 2, 1, 1}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x, {}); }),
            "the GEMM chain has no layers: at least one layer is needed");
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x, {layer("a", w23), layer("b", w23)}); }),
            "layer 'b': Cin 2 does not match the previous layer's Cout 3");
  const Tensor x3 = make({1, 3, 1, 1}, {1, 2, 3}), x128 = make({1, 2, 1, 1}, {1, 128});
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x3, {layer("a", w23)}); }),
            "layer 'a': Cin 2 does not match the input's channels 3");
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x128, {layer("a", w23)}); }),
            "input value 128 (element 1) is outside the 8-bit data range -128..127");
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(c, x, {layer("a", make({1, 2}, {0, -129}))});
            }),
            "layer 'a': weight -129 (element 1) is outside the 8-bit data range -128..127");
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x, {layer("", Tensor({3, 2, 3, 3}))}); }),
            "layer 0: weights [3, 2, 3, 3] are not [Cout, Cin, 1, 1] or [Cout, Cin]: only 1x1 "
            "convolutions and fully-connected layers compile to GEMMs");
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, Tensor({1, 2, 3}), {layer("a", w23)}); }),
            "input shape [1, 2, 3] is not [N, Cin, H, W] or [N, Cin]");
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, Tensor({0, 2}), {layer("a", w23)}); }),
            "input shape [0, 2] has no elements: every dimension must be at least 1");
}

TEST(AccelCompiler, ShiftErrors) {
  const AccelConfig c = config(2, 3);
  const Tensor x = make({1, 2}, {1, 2});
  const Tensor w = make({2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x, {layer("a", w, 32), layer("b", w)}); }),
            "layer 'a': shift 32 is out of range: allowed 0..31 (accumulator width 32)");
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x, {layer("a", w, -1), layer("b", w)}); }),
            "layer 'a': shift -1 is out of range: allowed 0..31 (accumulator width 32)");
  // The last layer's shift is not used (its results are raw).
  EXPECT_EQ(error_of([&] { compile_gemm_chain(c, x, {layer("a", w, 31), layer("b", w, 99)}); }),
            "");
}

TEST(AccelCompiler, ScratchpadAndBufferErrors) {
  // 1x1, 1 KiB WGT = 1024 words.
  AccelConfig c1 = config(1, 1);
  c1.wgt_kb = 1;
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(c1, Tensor({1, 1025}), {layer("wide", Tensor({1, 1025}))});
            }),
            "layer 'wide': Cin 1025 needs 1025 weight words per column block, the weight "
            "scratchpad holds 1024");
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(config(1, 1), Tensor({1, 65536}),
                                 {layer("t", Tensor({1, 65536}))});
            }),
            "layer 't': Cin 65536 does not fit the GEMM's 16-bit T field: allowed 1..65535");
  // 2x3, 1 KiB ACT = 170 lines, 1 KiB OUT = 85 words; WGT 4 KiB = 1365 words.
  AccelConfig c = config(2, 3);
  c.act_kb = c.out_kb = 1;
  c.wgt_kb = 4;
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(c, Tensor({1, 300}), {layer("big", Tensor({300, 300})),
                                                        layer("end", Tensor({1, 300}))});
            }),
            "layer 'big': one pixel block needs 200 activation lines (100 for its input, 100 "
            "for its output), the activation scratchpad holds 170");
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(c, Tensor({1, 540}), {layer("in", Tensor({1, 540}))});
            }),
            "layer 'in': one pixel block needs 180 activation lines for its input, the "
            "activation scratchpad holds 170");
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(c, Tensor({1, 2}), {layer("out", Tensor({130, 2}))});
            }),
            "layer 'out': one pixel block needs 88 result words (2 rows x 44 column blocks), "
            "the result scratchpad holds 85");
  // The tiled chain of TiledOverPixelsSameResult needs 17 instructions: 16 do not hold it.
  AccelConfig t = config(2, 3);
  t.act_kb = t.out_kb = 1;
  t.ibuf_depth = 16;
  EXPECT_EQ(error_of([&] {
              compile_gemm_chain(t, Tensor({1, 7, 9, 11}),
                                 {layer("a", Tensor({9, 7, 1, 1})),
                                  layer("b", Tensor({5, 9, 1, 1})),
                                  layer("c", Tensor({4, 5, 1, 1}))});
            }),
            "layer 'a' .. layer 'c' (a chain of 3): the program needs 17 instructions (3 chunks of "
            "up to 21 pixel blocks, "
            "weights loaded once), the instruction buffer holds 16");
}

TEST(AccelCompiler, DecodeOutputErrors) {
  const AccelConfig c = config(2, 3);
  const AccelProgram p = compile_gemm_chain(c, make({1, 2}, {1, 2}),
                                            {layer("a", make({1, 2}, {1, 1}))});
  ASSERT_EQ(p.output_beats, 4u);  // 1 block x 1 column block x 2 rows, 2 beats per word
  EXPECT_EQ(error_of([&] { decode_output(c, p, std::vector<Beat>(3, Beat(2, 0))); }),
            "decode_output: the output stream has 3 beats, the program streams 4");
  const Tensor y = decode_output(c, p, {{3, 0}, {0, 0}, {7, 0}, {0, 0}});
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(y.data, (std::vector<int64_t>{3}));  // pixel 1 of the block is padding
}

namespace {
AccelDwLayer dw(std::string name, Tensor w, int64_t stride, int64_t pad_h, int64_t pad_w) {
  AccelDwLayer l;
  l.name = std::move(name);
  l.weights = std::move(w);
  l.stride = stride;
  l.pad_h = pad_h;
  l.pad_w = pad_w;
  return l;
}

Tensor golden_dw(const Tensor& x, const AccelDwLayer& l, int acc_w) {
  Conv2dParams p;
  p.stride_h = p.stride_w = l.stride;
  p.pad_h = l.pad_h;
  p.pad_w = l.pad_w;
  p.groups = x.dim(1);
  p.acc_w = acc_w;
  return conv2d(x, l.weights, p);
}

Tensor run_dw(const AccelConfig& c, const Tensor& x, const AccelDwLayer& l) {
  const AccelProgram p = compile_depthwise(c, x, l);
  AccelModel m(c);
  const AccelRun r = m.run(p.program, 0, p.input);
  EXPECT_EQ(r.err, isa::kOk) << "err_pc " << r.err_pc;
  EXPECT_EQ(r.input_beats, p.input.size());
  return decode_output(c, p, r.output);
}
}  // namespace

TEST(AccelCompiler, DepthwiseProgramAndLayoutByHand) {
  // 2x3 array, x [1, 1, 2, 4], a 1x3 filter [1, 2, 3], pad_w 1: two lines (output rows), each a
  // padded line of 6 elements [0, x0 .. x3, 0]; 4 stride-1 outputs = 2 tiles of C = 3; a tile's
  // window reaches K - 1 = 2 elements further: LW = 2 + 1 = 3 ACT lines. One group of
  // min(R, C) = 2 lines: taps 3 words (lane r = row r's tap), lines 3 x 2 banks, 2 x 2 results.
  const AccelConfig c = config(2, 3);
  const Tensor x = make({1, 1, 2, 4}, {1, 2, 3, 4, -5, 6, -7, 8});
  const AccelDwLayer l = dw("row", make({1, 1, 1, 3}, {1, 2, 3}), 1, 0, 1);
  const AccelProgram p = compile_depthwise(c, x, l);
  isa::ConvFields f;
  f.lw = 3;
  f.k = 3;
  f.tiles = 2;
  ASSERT_EQ(p.program.size(), 5u);
  EXPECT_EQ(opcodes(p), (std::vector<int>{1, 1, 4, 2, 0}));
  EXPECT_TRUE(same(p.program[0], isa::load(isa::kWgt, 0, 3)));
  EXPECT_TRUE(same(p.program[1], isa::load(isa::kAct, 0, 6)));
  EXPECT_TRUE(same(p.program[2], isa::conv(true, false, 0, f)));
  EXPECT_TRUE(same(p.program[3], isa::store(isa::kOut, 0, 4)));
  // A 24-bit word is one 64-bit beat: taps [1, 1, 0], [2, 2, 0], [3, 3, 0]; then line 0:
  // bank 0 = row 0's elements 0..2 = [0, 1, 2], bank 1 = row 1's = [0, -5, 6].
  const auto words = unpack_words(p.input, 3, 8, 64);
  ASSERT_EQ(words.size(), 9u);
  EXPECT_EQ(words[0], (std::vector<int64_t>{1, 1, 0}));
  EXPECT_EQ(words[2], (std::vector<int64_t>{3, 3, 0}));
  EXPECT_EQ(words[3], (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(words[4], (std::vector<int64_t>{0, -5, 6}));
  EXPECT_EQ(words[5], (std::vector<int64_t>{3, 4, 0}));  // line 1, bank 0: elements 3..5
  // Row 0: [0 + 2 + 6, 1 + 4 + 9, 2 + 6 + 12, 3 + 8 + 0] = [8, 14, 20, 11].
  const Tensor y = run_dw(c, x, l);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1, 2, 4}));
  EXPECT_EQ(std::vector<int64_t>(y.data.begin(), y.data.begin() + 4),
            (std::vector<int64_t>{8, 14, 20, 11}));
  EXPECT_EQ(y.data, golden_dw(x, l, 32).data);
}

TEST(AccelCompiler, DepthwiseKindsStridesPaddingsMatchGolden) {
  std::mt19937_64 rng(7);
  for (const auto& [rows, cols] : {std::pair{2, 3}, std::pair{3, 2}, std::pair{1, 1}}) {
    AccelConfig c = config(rows, cols);
    c.act_kb = c.wgt_kb = c.out_kb = 1;  // small: several chunks
    for (const auto& [kh, kw] : {std::pair{3, 3}, std::pair{1, 5}, std::pair{4, 1},
                                 std::pair{5, 5}, std::pair{1, 1}})
      for (int64_t stride : {1, 2}) {
        const Tensor x = random_tensor({2, 3, 7, 9}, 8, rng);
        const AccelDwLayer l =
            dw("k", random_tensor({3, 1, kh, kw}, 8, rng), stride, kh / 2, kw / 2);
        EXPECT_EQ(run_dw(c, x, l).data, golden_dw(x, l, 32).data)
            << rows << "x" << cols << " kernel " << kh << "x" << kw << " stride " << stride;
      }
  }
}

TEST(AccelCompiler, DepthwiseErrorsAndChannelSlices) {
  AccelConfig c = config(2, 3);
  c.act_kb = c.out_kb = 1;  // 170 activation lines, 85 result words
  EXPECT_EQ(error_of([&] {
              compile_depthwise(c, Tensor({1, 2, 3, 3}), dw("dw", Tensor({3, 1, 3, 3}), 1, 1, 1));
            }),
            "layer 'dw': weights [3, 1, 3, 3] are not [Ch, 1, Kh, Kw] with Ch = 2 (the input's "
            "channels)");
  EXPECT_EQ(error_of([&] {
              compile_depthwise(c, Tensor({1, 1, 1, 600}), dw("wide", Tensor({1, 1, 1, 3}), 1, 0, 1));
            }),
            "layer 'wide': one group of lines needs 201 activation lines (1 passes x 201), the "
            "activation scratchpad holds 170");
  EXPECT_EQ(error_of([&] {
              compile_depthwise(c, Tensor({1, 1, 1, 300}), dw("long", Tensor({1, 1, 1, 3}), 1, 0, 1));
            }),
            "layer 'long': one group of lines needs 200 result words (100 tiles x 2 rows), the "
            "result scratchpad holds 85");
  EXPECT_EQ(error_of([&] {
              compile_depthwise(c, make({1, 1, 1, 3}, {0, 200, 0}),
                                dw("v", make({1, 1, 1, 1}, {1}), 1, 0, 0));
            }),
            "layer 'v': input value 200 (element 1) is outside the 8-bit data range -128..127");
  // 3x3 on 8 x 60: 20 tiles, LW 21, 3 passes = 63 lines and 40 result words per group: 2
  // groups per chunk; 8 channels x 8 rows = 64 lines = 32 groups = 16 chunks: 65 instructions.
  c.ibuf_depth = 16;
  const Tensor x({1, 8, 8, 60});
  const AccelDwLayer l = dw("many", Tensor({8, 1, 3, 3}), 1, 1, 1);
  EXPECT_EQ(error_of([&] { compile_depthwise(c, x, l); }),
            "layer 'many': the program needs 65 instructions (16 chunks of up to 2 groups of 2 "
            "lines), the instruction buffer holds 16");
  // One channel: 4 groups, 2 chunks, 9 instructions; 2 channels need 17.
  const auto slices = depthwise_channel_slices(c, x, l);
  ASSERT_EQ(slices.size(), 8u);
  EXPECT_EQ(slices[0], (std::pair<int64_t, int64_t>{0, 1}));
  EXPECT_EQ(slices[7], (std::pair<int64_t, int64_t>{7, 8}));
  c.ibuf_depth = 512;
  EXPECT_EQ(depthwise_channel_slices(c, x, l).size(), 1u);
}

TEST(AccelCompiler, RequantizedChainOutputIsStoredFromActByHand) {
  // 2x3, x [1, 2, 1, 2]: pixel 0 = (3, -4), pixel 1 = (5, 6); outputs o0 = [1, 2], o1 = [-1, 1],
  // o2 = [4, 0]. Accumulators: pixel 0 [-5, -7, 12], pixel 1 [17, 1, 20]; ReLU, shift 1 (round
  // half up): pixel 0 [0, 0, 6], pixel 1 [9, 1, 10]. One block, one column block: the output
  // map (map 1, odd) is the last ACT line; STORE streams its 2 banks as 24-bit words.
  const AccelConfig c = config(2, 3);
  const Tensor x = make({1, 2, 1, 2}, {3, 5, -4, 6});
  const AccelGemmLayer l = layer("pw", make({3, 2, 1, 1}, {1, 2, -1, 1, 4, 0}), 1, true);
  const AccelProgram p = compile_gemm_chain(c, x, {l}, true);
  EXPECT_TRUE(p.requantized);
  ASSERT_EQ(opcodes(p), (std::vector<int>{1, 1, 3, 2, 0}));
  const uint32_t last_line = static_cast<uint32_t>(c.act_depth() - 1);
  EXPECT_TRUE(same(p.program[2], isa::gemm(false, true, 1, 0, last_line, 0, 2, 1, 1)));
  EXPECT_TRUE(same(p.program[3], isa::store(isa::kAct, last_line, 2)));
  EXPECT_EQ(p.output_beats, 2u);
  AccelModel m(c);
  const AccelRun r = m.run(p.program, 0, p.input);
  ASSERT_EQ(r.err, isa::kOk);
  const Tensor y = decode_output(c, p, r.output);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 3, 1, 2}));
  EXPECT_EQ(y.data, (std::vector<int64_t>{0, 9, 0, 1, 6, 10}));
}

TEST(AccelCompiler, RequantizedChainsMatchGolden) {
  std::mt19937_64 rng(11);
  for (const auto& [rows, cols] : {std::pair{2, 3}, std::pair{4, 4}, std::pair{1, 1}}) {
    AccelConfig c = config(rows, cols);
    c.act_kb = c.wgt_kb = c.out_kb = 1;  // tiled
    const Tensor x = random_tensor({1, 5, 6, 7}, 8, rng);
    const std::vector<AccelGemmLayer> ls = {layer("a", random_tensor({9, 5, 1, 1}, 8, rng), 7, true),
                                            layer("b", random_tensor({6, 9, 1, 1}, 8, rng), 9, false)};
    const AccelProgram p = compile_gemm_chain(c, x, ls, true);
    AccelModel m(c);
    const AccelRun r = m.run(p.program, 0, p.input);
    ASSERT_EQ(r.err, isa::kOk) << rows << "x" << cols;
    EXPECT_EQ(decode_output(c, p, r.output).data,
              requantize(golden_chain(x, ls, 8, 32), 9, false, 8).data)
        << rows << "x" << cols;
  }
}

TEST(AccelCompiler, RequantizedDepthwiseByHand) {
  // The layer of DepthwiseProgramAndLayoutByHand with ReLU and shift 2 on chip. Raw rows:
  // [8, 14, 20, 11] and, from the padded line [0, -5, 6, -7, 8, 0], [8, -14, 16, 9]. ReLU, then
  // floor((v + 2) / 4): [2, 4, 5, 3] and [2, 0, 4, 2]. The results land after the chunk's 3
  // input lines (o_base 3): 2 tiles x 2 banks = 4 words.
  const AccelConfig c = config(2, 3);
  const Tensor x = make({1, 1, 2, 4}, {1, 2, 3, 4, -5, 6, -7, 8});
  AccelDwLayer l = dw("row", make({1, 1, 1, 3}, {1, 2, 3}), 1, 0, 1);
  l.requantize = true;
  l.shift = 2;
  l.relu = true;
  const AccelProgram p = compile_depthwise(c, x, l);
  isa::ConvFields f;
  f.o_base = 3;
  f.lw = 3;
  f.k = 3;
  f.tiles = 2;
  ASSERT_EQ(opcodes(p), (std::vector<int>{1, 1, 4, 2, 0}));
  EXPECT_TRUE(same(p.program[2], isa::conv(false, true, 2, f)));
  EXPECT_TRUE(same(p.program[3], isa::store(isa::kAct, 3, 4)));
  const Tensor y = run_dw(c, x, l);
  EXPECT_EQ(y.data, (std::vector<int64_t>{2, 4, 5, 3, 2, 0, 4, 2}));
  EXPECT_EQ(y.data, requantize(golden_dw(x, l, 32), 2, true, 8).data);
  l.shift = 32;
  EXPECT_EQ(error_of([&] { compile_depthwise(c, x, l); }),
            "layer 'row': shift 32 is out of range: allowed 0..31 (accumulator width 32)");
}

// ---- Overlapped (double-buffered) programs: compile_gemm_chain / compile_depthwise with
// overlap (golden/accel_compiler.h, "Overlapped programs"; docs/accel.md "Background transfers").
namespace {
// Opcode and flags of every instruction: "LOAD.a", "SYNC", "GEMM.n", "STORE.a.n", "END", ...
std::vector<std::string> shape_of(const AccelProgram& p) {
  static const char* names[] = {"END", "LOAD", "STORE", "GEMM", "CONV", "SYNC"};
  std::vector<std::string> v;
  for (const isa::Instr& i : p.program) {
    std::string s = names[i.w[0] & 0xf];
    if (i.w[0] & isa::kAsyncBit) s += ".a";
    if (i.w[0] & isa::kNarrowBit) s += ".n";
    v.push_back(s);
  }
  return v;
}

// Runs p on a fresh model; the run must succeed and consume / produce exactly p's streams.
AccelRun run_program(const AccelConfig& c, const AccelProgram& p, Tensor* y) {
  AccelModel m(c);
  const AccelRun r = m.run(p.program, 0, p.input);
  EXPECT_EQ(r.err, isa::kOk) << "err_pc " << r.err_pc;
  EXPECT_EQ(r.input_beats, p.input.size());
  EXPECT_EQ(r.output.size(), p.output_beats);
  EXPECT_EQ(program_cycles(c, p.program), r.cycles);  // the timeline without running it
  if (y && r.err == isa::kOk) *y = decode_output(c, p, r.output);
  return r;
}
}  // namespace

TEST(AccelCompiler, OverlappedPointwiseProgramByHand) {
  // 2x2 array, x [1, 3, 4, 8]: 32 pixels = 16 pixel blocks, 3 channels = 2 lines per block;
  // 5 outputs = 3 column blocks, weights resident (3 x 3 words). OUT (16 KiB = 2048 words)
  // holds all 16 blocks; of the chunk sizes 16, 8, 4, 2, 1 blocks, program_cycles picks 4:
  // 4 chunks, in ACT halves 0, 1, 0, 1 (lines 0 and act_depth / 2) and OUT halves 0, 1, 0, 1
  // (words 0 and 1024).
  const AccelConfig c = config(2, 2);
  std::mt19937_64 rng(21);
  const Tensor x = random_tensor({1, 3, 4, 8}, 8, rng);
  const AccelGemmLayer l = layer("pw", random_tensor({5, 3, 1, 1}, 8, rng), 6, true);
  const AccelProgram p = compile_gemm_chain(c, x, {l}, false, true);
  EXPECT_TRUE(p.overlapped);
  // Prologue: chunk 0's input and the weights; then per chunk: SYNC (its input is in), the next
  // chunk's input in the background, the GEMM, the STORE in the background; END.
  EXPECT_EQ(shape_of(p), (std::vector<std::string>{
                             "LOAD.a", "LOAD.a", "SYNC", "LOAD.a", "GEMM", "STORE.a",  // chunk 0
                             "SYNC", "LOAD.a", "GEMM", "STORE.a",                      // chunk 1
                             "SYNC", "LOAD.a", "GEMM", "STORE.a",                      // chunk 2
                             "SYNC", "GEMM", "STORE.a",                                // chunk 3
                             "END"}));
  const uint32_t half = static_cast<uint32_t>(c.act_depth() / 2);
  EXPECT_TRUE(same(p.program[0], isa::async(isa::load(isa::kAct, 0, 4 * 2 * 2))));
  EXPECT_TRUE(same(p.program[1], isa::async(isa::load(isa::kWgt, 0, 3 * 3))));
  EXPECT_TRUE(same(p.program[2], isa::sync(true, false)));
  EXPECT_TRUE(same(p.program[3], isa::async(isa::load(isa::kAct, half, 16))));
  EXPECT_TRUE(same(p.program[4], isa::gemm(true, false, 0, 0, 0, 0, 3, 4, 3)));  // raw results
  EXPECT_TRUE(same(p.program[5], isa::async(isa::store(isa::kOut, 0, 4 * 3 * 2))));
  EXPECT_TRUE(same(p.program[7], isa::async(isa::load(isa::kAct, 0, 16))));
  EXPECT_TRUE(same(p.program[8], isa::gemm(true, false, 0, half, 1024, 0, 3, 4, 3)));
  EXPECT_TRUE(same(p.program[9], isa::async(isa::store(isa::kOut, 1024, 24))));
  EXPECT_TRUE(same(p.program[15], isa::gemm(true, false, 0, half, 1024, 0, 3, 4, 3)));
  EXPECT_TRUE(p.out_index.empty());  // chunks stream in the map's order
  // The input stream is the one-at-a-time program's with the weights after chunk 0's map.
  const AccelProgram seq = compile_gemm_chain(c, x, {l});
  EXPECT_FALSE(seq.overlapped);
  EXPECT_EQ(p.input.size(), seq.input.size());
  EXPECT_EQ(p.output_beats, seq.output_beats);
  Tensor y, ys;
  const AccelRun r = run_program(c, p, &y);
  const AccelRun rs = run_program(c, seq, &ys);
  EXPECT_EQ(y, golden_chain(x, {l}, 8, 32));
  EXPECT_EQ(y, ys);
  EXPECT_LT(r.cycles, rs.cycles);
  // Requantized: GEMM and STORE with NARROW (results in OUT lanes, streamed as 8-bit lanes).
  const AccelProgram q = compile_gemm_chain(c, x, {l}, true, true);
  EXPECT_EQ(shape_of(q)[4], "GEMM.n");
  EXPECT_EQ(shape_of(q)[5], "STORE.a.n");
  EXPECT_TRUE(same(q.program[4], isa::narrow(isa::gemm(true, true, 6, 0, 0, 0, 3, 4, 3))));
  EXPECT_TRUE(q.requantized);
  const AccelProgram qs = compile_gemm_chain(c, x, {l}, true);
  EXPECT_EQ(q.output_beats, qs.output_beats);
  Tensor yq, yqs;
  const AccelRun rq = run_program(c, q, &yq);
  const AccelRun rqs = run_program(c, qs, &yqs);
  EXPECT_EQ(yq, requantize(golden_chain(x, {l}, 8, 32), 6, true, 8));
  EXPECT_EQ(yq, yqs);
  EXPECT_LT(rq.cycles, rqs.cycles);
}

TEST(AccelCompiler, OverlappedDepthwiseProgramByHand) {
  // 2x2 array, x [1, 2, 4, 12], 3x3 kernel, padding 1: 2 channels x 4 output rows = 8 lines =
  // 4 groups of min(R, C) = 2; 12 outputs = 6 tiles, LW 6 + 1 = 7, 3 passes: 21 ACT lines per
  // group, 6 x 2 result words. program_cycles picks chunks of 1 group: 4 chunks. The taps of
  // all groups (4 x 3 passes x 3 taps = 36 words) fit WGT: loaded once, first.
  const AccelConfig c = config(2, 2);
  std::mt19937_64 rng(22);
  const Tensor x = random_tensor({1, 2, 4, 12}, 8, rng);
  AccelDwLayer l = dw("dw", random_tensor({2, 1, 3, 3}, 8, rng), 1, 1, 1);
  const AccelProgram p = compile_depthwise(c, x, l, true);
  EXPECT_TRUE(p.overlapped);
  EXPECT_EQ(shape_of(p), (std::vector<std::string>{
                             "LOAD.a", "LOAD.a", "SYNC", "LOAD.a", "CONV", "STORE.a",  // chunk 0
                             "SYNC", "LOAD.a", "CONV", "STORE.a",                      // chunk 1
                             "SYNC", "LOAD.a", "CONV", "STORE.a",                      // chunk 2
                             "SYNC", "CONV", "STORE.a",                                // chunk 3
                             "END"}));
  const uint32_t half = static_cast<uint32_t>(c.act_depth() / 2);
  EXPECT_TRUE(same(p.program[0], isa::async(isa::load(isa::kWgt, 0, 36))));
  EXPECT_TRUE(same(p.program[1], isa::async(isa::load(isa::kAct, 0, 21 * 2))));
  EXPECT_TRUE(same(p.program[3], isa::async(isa::load(isa::kAct, half, 42))));
  isa::ConvFields f;
  f.lw = 7;
  f.k = 3;
  f.passes = 3;
  f.tiles = 6;
  EXPECT_TRUE(same(p.program[4], isa::conv(true, false, 0, f)));
  EXPECT_TRUE(same(p.program[5], isa::async(isa::store(isa::kOut, 0, 6 * 2))));
  f.a_base = half;  // chunk 1: ACT half 1, OUT half 1, taps of group 1
  f.o_base = 1024;
  f.w_base = 9;
  EXPECT_TRUE(same(p.program[8], isa::conv(true, false, 0, f)));
  EXPECT_TRUE(same(p.program[9], isa::async(isa::store(isa::kOut, 1024, 12))));
  const AccelProgram seq = compile_depthwise(c, x, l);
  EXPECT_FALSE(seq.overlapped);
  Tensor y, ys;
  const AccelRun r = run_program(c, p, &y);
  const AccelRun rs = run_program(c, seq, &ys);
  EXPECT_EQ(y.data, golden_dw(x, l, 32).data);
  EXPECT_EQ(y, ys);
  EXPECT_LT(r.cycles, rs.cycles);
  // Requantized on the result path: CONV and STORE with NARROW.
  l.requantize = true;
  l.shift = 5;
  l.relu = true;
  const AccelProgram q = compile_depthwise(c, x, l, true);
  EXPECT_TRUE(same(q.program[4], isa::narrow(isa::conv(true, true, 5, [] {
                     isa::ConvFields g;
                     g.lw = 7;
                     g.k = 3;
                     g.passes = 3;
                     g.tiles = 6;
                     return g;
                   }()))));
  EXPECT_EQ(shape_of(q)[5], "STORE.a.n");
  Tensor yq;
  const AccelRun rq = run_program(c, q, &yq);
  EXPECT_EQ(yq.data, requantize(golden_dw(x, l, 32), 5, true, 8).data);
  Tensor yqs;
  const AccelRun rqs = run_program(c, compile_depthwise(c, x, l), &yqs);
  EXPECT_EQ(yq, yqs);
  EXPECT_LT(rq.cycles, rqs.cycles);
}

TEST(AccelCompiler, OverlappedWeightGroupsVisitChunksBothWays) {
  // 2x2, D = 8: WGT 1 KiB = 512 words, ACT 1 KiB = 256 lines. Cin 100 (50 lines per block, 2
  // blocks per ACT half), Cout 12 = 6 column blocks: 600 weight words do not fit WGT, so the
  // layer runs in groups of 256 / 100 = 2 column blocks (one WGT half each): 3 groups. 6
  // pixels = 3 blocks = 3 chunks of 1 block (blocks / 4 < 1), in ACT halves at lines 0 / 128.
  // Group 0 (WGT half 0) visits chunks 0, 1, 2 (halves 0, 1, 0); group 1 (WGT half 1) 2, 1, 0:
  // chunks 2 and 1 are still in ACT, chunk 0 is loaded again into half 0; group 2 (WGT half 0)
  // 0, 1, 2: chunks 0 and 1 are still in, chunk 2 goes to half 0 once chunk 0 is done. Each
  // group's weights load when its first GEMM is next; program_cycles picks the ramp, so the
  // first chunk of group 0 runs one tile per column block and the first weights come in two
  // pieces (words 0 and 100): 3 chunks x 3 groups + 1 = 10 GEMMs. The stream follows the
  // groups, so out_index is set.
  AccelConfig c = config(2, 2);
  c.act_kb = c.wgt_kb = 1;
  std::mt19937_64 rng(23);
  const Tensor x = random_tensor({1, 100, 2, 3}, 8, rng);
  const AccelGemmLayer l = layer("wide", random_tensor({12, 100, 1, 1}, 8, rng), 9, true);
  const AccelProgram p = compile_gemm_chain(c, x, {l}, true, true);
  ASSERT_TRUE(p.overlapped);
  std::vector<std::string> loads;
  for (const isa::Instr& i : p.program)
    if ((i.w[0] & 0xf) == isa::kLoad)
      loads.push_back(fmt::format("{}{}", (i.w[0] >> 4) & 1 ? "w" : "a", i.w[1]));
  // ACT halves at lines 0 / 128, WGT halves at words 0 / 256.
  EXPECT_EQ(loads, (std::vector<std::string>{"a0", "w0", "w100", "a128", "a0", "w256", "a0",
                                             "w0", "a0"}));
  EXPECT_EQ(std::count_if(p.program.begin(), p.program.end(),
                          [](const isa::Instr& i) { return (i.w[0] & 0xf) == isa::kGemm; }),
            10);
  EXPECT_FALSE(p.out_index.empty());
  Tensor y;
  const AccelRun r = run_program(c, p, &y);
  EXPECT_EQ(y, requantize(golden_chain(x, {l}, 8, 32), 9, true, 8));
  Tensor ys;
  const AccelRun rs = run_program(c, compile_gemm_chain(c, x, {l}, true), &ys);
  EXPECT_EQ(y, ys);
  EXPECT_LT(r.cycles, rs.cycles);
}

TEST(AccelCompiler, OverlappedProgramsMatchGoldenAndRunFaster) {
  // Random chains, fully-connected layers and depthwise layers on small scratchpads (several
  // chunks, weight groups, taps per chunk): the overlapped program's result equals the golden
  // operators' and the one-at-a-time program's, the model finds no race, and it takes fewer
  // cycles once there are several chunks.
  std::mt19937_64 rng(2025);
  int overlapped = 0, trials = 0;
  for (const auto& [rows, cols] : {std::pair{2, 2}, std::pair{2, 3}, std::pair{4, 4},
                                   std::pair{3, 2}, std::pair{1, 1}})
    for (int trial = 0; trial < 6; ++trial) {
      AccelConfig c = config(rows, cols);
      c.act_kb = c.wgt_kb = c.out_kb = 1;
      c.ibuf_depth = 4096;
      const bool fc = trial == 5;
      const int64_t cin = 1 + static_cast<int64_t>(rng() % (trial == 4 ? 160 : 24));
      const Tensor x = fc ? random_tensor({7, cin}, 8, rng)
                          : random_tensor({1, cin, 3 + static_cast<int64_t>(rng() % 6),
                                           2 + static_cast<int64_t>(rng() % 7)},
                                          8, rng);
      std::vector<AccelGemmLayer> chain;
      int64_t ch = cin;
      const int n_layers = trial % 3 == 2 ? 2 : 1;
      for (int k = 0; k < n_layers; ++k) {
        const int64_t cout = 1 + static_cast<int64_t>(rng() % (trial == 4 ? 40 : 12));
        Tensor w = random_tensor(fc ? std::vector<int64_t>{cout, ch}
                                    : std::vector<int64_t>{cout, ch, 1, 1},
                                 8, rng);
        chain.push_back(layer("l" + std::to_string(k), std::move(w),
                              static_cast<int>(4 + rng() % 6), k % 2 == 0));
        ch = cout;
      }
      for (const bool rq : {false, true}) {
        const AccelProgram p = compile_gemm_chain(c, x, chain, rq, true);
        const AccelProgram s = compile_gemm_chain(c, x, chain, rq);
        Tensor y, ys;
        const AccelRun r = run_program(c, p, &y);
        const AccelRun rs = run_program(c, s, &ys);
        Tensor want = golden_chain(x, chain, 8, 32);
        if (rq) want = requantize(want, chain.back().shift, chain.back().relu, 8);
        EXPECT_EQ(y, want) << rows << "x" << cols << " trial " << trial << " rq " << rq;
        EXPECT_EQ(y, ys);
        const int64_t gemms = std::count_if(p.program.begin(), p.program.end(), [](auto& i) {
          return (i.w[0] & 0xf) == isa::kGemm;
        });
        if (p.overlapped) ++overlapped;
        if (p.overlapped && gemms >= 4 * n_layers) {
          EXPECT_LT(r.cycles, rs.cycles) << rows << "x" << cols << " trial " << trial;
        }
        ++trials;
      }
    }
  EXPECT_EQ(trials, 60);
  EXPECT_GE(overlapped, 50);
  for (const auto& [rows, cols] :
       {std::pair{2, 2}, std::pair{2, 3}, std::pair{3, 2}, std::pair{4, 4}}) {
    AccelConfig c = config(rows, cols);
    c.act_kb = c.wgt_kb = c.out_kb = 1;
    c.ibuf_depth = 4096;
    for (const auto& [kh, kw] : {std::pair{3, 3}, std::pair{1, 3}, std::pair{5, 1}})
      for (int64_t stride : {1, 2})
        for (const bool rq : {false, true}) {
          // 8 channels of 16 x 16: with 3x3, 64 groups x 9 taps exceed WGT (1 KiB) on 2-lane
          // arrays: taps per chunk. 4x4: 14 x 14, padded lines of 16 = 4 lines (the window of
          // the last of NT = 4 tiles reaches a fifth: packed lines, the overhang read stale).
          const int64_t side = cols == 4 ? 14 : 16;
          const Tensor x = random_tensor({1, 8, side, side}, 8, rng);
          AccelDwLayer l = dw("k", random_tensor({8, 1, kh, kw}, 8, rng), stride, kh / 2, kw / 2);
          l.requantize = rq;
          l.shift = 4;
          l.relu = stride == 1;
          const AccelProgram p = compile_depthwise(c, x, l, true);
          EXPECT_TRUE(p.overlapped);
          Tensor y, ys;
          const AccelRun r = run_program(c, p, &y);
          const AccelRun rs = run_program(c, compile_depthwise(c, x, l), &ys);
          Tensor want = golden_dw(x, l, 32);
          if (rq) want = requantize(want, 4, l.relu, 8);
          EXPECT_EQ(y.data, want.data) << rows << "x" << cols << " " << kh << "x" << kw;
          EXPECT_EQ(y, ys);
          EXPECT_LT(r.cycles, rs.cycles) << rows << "x" << cols << " " << kh << "x" << kw;
        }
  }
}

// ---- Dense convolutions: GEMM with WIN (compile_conv2d) ----
namespace {
AccelConv2dLayer conv_layer(Tensor w, int64_t stride, int64_t pad_h, int64_t pad_w) {
  AccelConv2dLayer l;
  l.name = "conv";
  l.weights = std::move(w);
  l.stride = stride;
  l.pad_h = pad_h;
  l.pad_w = pad_w;
  return l;
}

Tensor golden_conv(const Tensor& x, const AccelConv2dLayer& l, int data_w, int acc_w) {
  Conv2dParams p;
  p.stride_h = p.stride_w = l.stride;
  p.pad_h = l.pad_h;
  p.pad_w = l.pad_w;
  p.acc_w = acc_w;
  const Tensor y = conv2d(x, l.weights, p);
  return l.requantize ? requantize(y, l.shift, l.relu, data_w) : y;
}

// Compiles, runs on a fresh model (which must accept it: no race, no error), decodes.
Tensor run_conv(const AccelConfig& c, const Tensor& x, const AccelConv2dLayer& l, bool overlap,
                AccelProgram* compiled = nullptr, AccelRun* run = nullptr) {
  const AccelProgram p = compile_conv2d(c, x, l, overlap);
  AccelModel m(c);
  const AccelRun r = m.run(p.program, 0, p.input);
  EXPECT_EQ(r.err, isa::kOk) << "err_pc " << r.err_pc;
  EXPECT_EQ(r.input_beats, p.input.size());
  EXPECT_EQ(r.output.size(), p.output_beats);
  EXPECT_EQ(program_cycles(c, p.program), r.cycles);
  if (compiled) *compiled = p;
  if (run) *run = r;
  return decode_output(c, p, r.output);
}

// The program's WIN instruction (the layout the compiler chose).
isa::Instr win_of(const AccelProgram& p) {
  for (const isa::Instr& in : p.program)
    if ((in.w[0] & 0xf) == isa::kWin) return in;
  ADD_FAILURE() << "no WIN in the program";
  return {};
}
}  // namespace

TEST(AccelCompiler, Conv2dProgramAndLayoutByHand) {
  // 2x2 array, x [1, 1, 3, 4] = rows [1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], one output
  // channel, 1x2 kernel [10, 1], stride 2, no padding: Ho = 2 (rows 0, 2), Wo = 2;
  // y = [[12, 34], [100, 122]].
  // Raw layout: Cin 1 (CPL 1), Kw 2, S 2; BPR = 1; a phase needs BPR*R + (Kw-1) div S = 2
  // positions: LQ = 1 line, LH = 2: 3 rows x 2 lines x 2 banks = 12 words. Column-expanded:
  // Cin 2, Kw 1, S 1, LQ = LH = 1, LOY = 2: 6 words, so that one; position q = output column
  // q holds (x[iy][2q], x[iy][2q + 1]).
  AccelConfig c = config(2, 2);
  const Tensor x = make({1, 1, 3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const AccelConv2dLayer l = conv_layer(make({1, 1, 1, 2}, {10, 1}), 2, 0, 0);
  AccelProgram p;
  EXPECT_EQ(run_conv(c, x, l, false, &p).data, (std::vector<int64_t>{12, 34, 100, 122}));
  isa::WinFields f;
  f.cpl = 1;
  f.cin = 2;
  f.kw = 1;
  f.s = 1;
  f.lq = 1;
  f.lh = 1;
  f.bpr = 1;
  f.loy = 2;
  // All weights (T = 2 words), the chunk's 3 input rows (both output rows: 6 words), WIN, one
  // GEMM of 2 folds (pixel blocks) x 1 column block, 4 result words.
  ASSERT_EQ(p.program.size(), 6u);
  EXPECT_TRUE(same(p.program[0], isa::load(isa::kWgt, 0, 2)));
  EXPECT_TRUE(same(p.program[1], isa::load(isa::kAct, 0, 6)));
  EXPECT_TRUE(same(p.program[2], isa::win(f)));
  EXPECT_TRUE(same(p.program[3], isa::windowed(isa::gemm(true, false, 0, 0, 0, 0, 2, 2, 1))));
  EXPECT_TRUE(same(p.program[4], isa::store(isa::kOut, 0, 4)));
  EXPECT_TRUE(same(p.program[5], isa::end()));
  const Words words = {{10, 0}, {1, 0}, {1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}};
  EXPECT_EQ(p.input, pack_words(words, 8, c.bus_width));
  EXPECT_FALSE(p.overlapped);
}

TEST(AccelCompiler, Conv2dLayoutChoice) {
  // The stem's 3 channels, 3x3 kernel, stride 2, padding 1 on 32x32 (Wo = 16):
  // 4x4: raw LQ = ceil((16 + 1) / 4) = 5 lines per phase (LH 10) against column-expanded
  //      Cin 9 in CPL 3 lines, LQ = 4 x 3 = 12: raw, with rotations (offset 1 at kw 2);
  // 16x16: raw LQ = ceil(17 / 16) = 2 (LH 4) against expanded LQ = LH = 1: expanded.
  std::mt19937_64 rng(3);
  const Tensor x = random_tensor({1, 3, 32, 32}, 8, rng);
  const AccelConv2dLayer l = conv_layer(random_tensor({8, 3, 3, 3}, 8, rng), 2, 1, 1);
  AccelProgram p;
  EXPECT_EQ(run_conv(config(4, 4), x, l, true, &p).data, golden_conv(x, l, 8, 32).data);
  isa::Instr w = win_of(p);
  EXPECT_EQ(w.w[1], 3u | (3u << 16) | (2u << 24));  // Cin 3, Kw 3, S 2
  EXPECT_EQ(w.w[2], 5u | (10u << 16));              // LQ 5, LH 10
  EXPECT_EQ(w.w[3], 4u | (20u << 16));              // BPR 4, LOY 20
  EXPECT_EQ(run_conv(config(16, 16), x, l, true, &p).data, golden_conv(x, l, 8, 32).data);
  w = win_of(p);
  EXPECT_EQ(w.w[1], 9u | (1u << 16) | (1u << 24));  // Cin 9, Kw 1, S 1
  EXPECT_EQ(w.w[2], 1u | (1u << 16));
  EXPECT_EQ(w.w[3], 1u | (2u << 16));
}

TEST(AccelCompiler, Conv2dShapesStridesPaddingsMatchGolden) {
  std::mt19937_64 rng(11);
  for (const auto& [rows, cols] : {std::pair{2, 3}, std::pair{3, 2}, std::pair{1, 1},
                                   std::pair{4, 4}}) {
    AccelConfig c = config(rows, cols);
    c.act_kb = c.wgt_kb = c.out_kb = 1;  // small: several chunks and steps
    for (const auto& [kh, kw] : {std::pair{3, 3}, std::pair{1, 5}, std::pair{4, 2},
                                 std::pair{1, 1}})
      for (int64_t stride : {1, 2, 3})
        for (bool overlap : {false, true}) {
          const Tensor x = random_tensor({2, 3, 7, 9}, 8, rng);
          AccelConv2dLayer l = conv_layer(random_tensor({5, 3, kh, kw}, 8, rng), stride,
                                          kh / 2, kw / 2);
          l.requantize = stride == 2;
          l.shift = 9;
          l.relu = overlap;
          EXPECT_EQ(run_conv(c, x, l, overlap).data, golden_conv(x, l, 8, 32).data)
              << rows << "x" << cols << " kernel " << kh << "x" << kw << " stride " << stride
              << " overlap " << overlap;
        }
  }
}

TEST(AccelCompiler, Conv2dOverlappedSplitsRowsAndRunsFaster) {
  // 4x4, 1 KiB OUT (64 result words, a half 32): one output row of 16 pixels x 8 channels is 4
  // blocks x 2 column blocks x 4 = 32 words: one row per step; 1 KiB ACT (64 lines, a half 32).
  AccelConfig c = config(4, 4);
  c.act_kb = c.wgt_kb = c.out_kb = 1;
  std::mt19937_64 rng(5);
  const Tensor x = random_tensor({1, 3, 16, 16}, 8, rng);
  AccelConv2dLayer l = conv_layer(random_tensor({8, 3, 3, 3}, 8, rng), 1, 1, 1);
  l.requantize = true;
  l.shift = 10;
  AccelProgram seq, ov;
  AccelRun rs, ro;
  EXPECT_EQ(run_conv(c, x, l, false, &seq, &rs).data, golden_conv(x, l, 8, 32).data);
  EXPECT_EQ(run_conv(c, x, l, true, &ov, &ro).data, golden_conv(x, l, 8, 32).data);
  EXPECT_FALSE(seq.overlapped);
  EXPECT_TRUE(ov.overlapped);
  EXPECT_LT(ro.cycles, rs.cycles);
  EXPECT_EQ(ro.macs, rs.macs);
  const std::vector<int> ops = opcodes(ov);
  EXPECT_EQ(std::count(ops.begin(), ops.end(), int{isa::kGemm}), 16);  // one per output row
}

TEST(AccelCompiler, Conv2dErrors) {
  AccelConfig c = config(2, 2);
  c.act_kb = c.wgt_kb = c.out_kb = 1;  // WGT 512 words, ACT 256 lines
  std::mt19937_64 rng(1);
  const Tensor x = random_tensor({1, 3, 5, 5}, 8, rng);
  EXPECT_EQ(error_of([&] { compile_conv2d(c, x, conv_layer(random_tensor({4, 2, 3, 3}, 8, rng), 1, 1, 1)); }),
            "layer 'conv': weights [4, 2, 3, 3] are not [Cout, Cin, Kh, Kw] with Cin = 3 (the "
            "input's channels)");
  // 40 output channels = 20 column blocks of T = 27 slices: 540 words.
  EXPECT_EQ(error_of([&] { compile_conv2d(c, x, conv_layer(random_tensor({40, 3, 3, 3}, 8, rng), 1, 1, 1)); }),
            "layer 'conv': its weights take 540 words (Kh*Kw*Cin = 27 per block of 2 output "
            "channels), more than the weight scratchpad's 512");
  EXPECT_EQ(error_of([&] { compile_conv2d(c, x, conv_layer(random_tensor({2, 3, 7, 7}, 8, rng), 1, 0, 0)); }),
            "layer 'conv': the 7x7 kernel is larger than the padded 5x5 input");
  AccelConv2dLayer bad = conv_layer(random_tensor({2, 3, 3, 3}, 8, rng), 0, 0, 0);
  EXPECT_EQ(error_of([&] { compile_conv2d(c, x, bad); }),
            "layer 'conv': stride 0 / padding 0,0: allowed stride >= 1, padding >= 0");
  bad.stride = 1;
  bad.requantize = true;
  bad.shift = 32;
  EXPECT_EQ(error_of([&] { compile_conv2d(c, x, bad); }),
            "layer 'conv': shift 32 is out of range: allowed 0..31 (accumulator width 32)");
  // One output row needs Kh input rows of LH lines: a 200-wide map of 3 channels on 2x2 needs
  // more than ACT's 256 lines for 3 rows.
  const Tensor wide = random_tensor({1, 3, 3, 400}, 8, rng);
  EXPECT_NE(error_of([&] { compile_conv2d(c, wide, conv_layer(random_tensor({2, 3, 3, 3}, 8, rng), 1, 1, 1)); })
                .find("layer 'conv': one output row needs"),
            std::string::npos);
}
