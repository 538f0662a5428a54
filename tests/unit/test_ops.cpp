// Golden operators against hand-worked cases and independent formulations.
#include <gtest/gtest.h>

#include <random>

#include "common/bits.h"
#include "common/error.h"
#include "golden/op_request.h"
#include "golden/ops.h"
#include "tests/unit/error_of.h"

using namespace fusegen;

namespace {
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
}  // namespace

TEST(Wrap, TwosComplement) {
  EXPECT_EQ(wrap_signed(127, 8), 127);
  EXPECT_EQ(wrap_signed(128, 8), -128);
  EXPECT_EQ(wrap_signed(-129, 8), 127);
  EXPECT_EQ(wrap_signed(0xFFFF, 16), -1);
  EXPECT_EQ(wrap_add(INT64_MAX, 1, 64), INT64_MIN);
  EXPECT_EQ(wrap_add(100, 100, 8), -56);
  EXPECT_EQ(wrap_mul(-128, -128, 16), 16384);    // 0x4000 fits 16-bit signed
  EXPECT_EQ(wrap_mul(-32768, -1, 16), -32768);   // 0x8000 wraps to the minimum
}

TEST(Conv2d, HandWorked3x3SamePadding) {
  // x = 1..9 in a 3x3 image, w = all ones 3x3, pad 1: each output is the sum of its 3x3
  // neighbourhood. Corner (0,0): 1+2+4+5 = 12; centre: 45; (0,1): 1+2+3+4+5+6 = 21.
  Tensor x = make({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = make({1, 1, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1});
  Conv2dParams p;
  p.pad_h = p.pad_w = 1;
  Tensor y = conv2d(x, w, p);
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1, 3, 3}));
  EXPECT_EQ(y.data, (std::vector<int64_t>{12, 21, 16, 27, 45, 33, 24, 39, 28}));
}

TEST(Conv2d, StrideTwoAndTwoChannels) {
  // Two input channels, one filter picking +ch0 at the centre tap and -ch1 at the top-left
  // tap; 4x4 input, pad 1, stride 2 -> 2x2 output at input positions (0,0),(0,2),(2,0),(2,2).
  Tensor x({1, 2, 4, 4});
  for (int64_t i = 0; i < 16; ++i) {
    x.data[static_cast<size_t>(i)] = i;        // ch0: 0..15
    x.data[static_cast<size_t>(16 + i)] = 100 + i;  // ch1: 100..115
  }
  Tensor w({1, 2, 3, 3});
  w.at(0, 0, 1, 1) = 1;
  w.at(0, 1, 0, 0) = -1;
  Conv2dParams p;
  p.pad_h = p.pad_w = 1;
  p.stride_h = p.stride_w = 2;
  Tensor y = conv2d(x, w, p);
  // out(0,0): ch0(0,0)=0, ch1(-1,-1)=pad -> 0. out(0,1): ch0(0,2)=2, ch1(-1,1)=pad -> 2.
  // out(1,0): ch0(2,0)=8, ch1(1,-1)=pad -> 8. out(1,1): ch0(2,2)=10, ch1(1,1)=105 -> -95.
  EXPECT_EQ(y.data, (std::vector<int64_t>{0, 2, 8, -95}));
}

TEST(Conv2d, DirectEqualsIm2colGemm) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const int64_t N = 1 + trial % 2, Cin = 1 + trial % 4, Cout = 1 + (trial * 3) % 5;
    const int64_t K = (trial % 3) * 2 + 1, H = 3 + trial % 5, W = 4 + trial % 3;
    Conv2dParams p;
    p.stride_h = p.stride_w = 1 + trial % 2;
    p.pad_h = p.pad_w = K / 2;
    p.acc_w = trial % 4 == 0 ? 12 : 32;  // exercise wrap-around too
    Tensor x = random_tensor({N, Cin, H, W}, 8, rng);
    Tensor w = random_tensor({Cout, Cin, K, K}, 8, rng);
    EXPECT_EQ(conv2d(x, w, p), conv2d_via_gemm(x, w, p)) << "trial " << trial;
  }
}

TEST(Im2col, LayoutMatchesWeightFlattening) {
  // 1x2x2x2 input, 1x1 kernel: rows = pixels (oh, ow), columns = channels.
  Tensor x = make({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Tensor c = im2col(x, 1, 1, Conv2dParams{});
  EXPECT_EQ(c.shape, (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(c.data, (std::vector<int64_t>{1, 5, 2, 6, 3, 7, 4, 8}));
}

TEST(Depthwise, EachChannelItsOwnFilter) {
  // Channel 0 filter = identity centre tap, channel 1 filter = 2 x right neighbour.
  Tensor x = make({1, 2, 1, 3}, {1, 2, 3, 10, 20, 30});
  Tensor w({2, 1, 3, 3});
  w.at(0, 0, 1, 1) = 1;
  w.at(1, 0, 1, 2) = 2;
  Tensor y = depthwise_conv(x, w, 1, 1, 32);
  EXPECT_EQ(y.data, (std::vector<int64_t>{1, 2, 3, 40, 60, 0}));
}

TEST(RowCol, PaddingOnlyAlongTheFilteredAxis) {
  // 1xK pads W only: a 3x3 input with a 1x3 filter [1, 1, 1] sums each row neighbourhood.
  Tensor x = make({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor wr = make({1, 1, 1, 3}, {1, 1, 1});
  Tensor yr = row_conv(x, wr, 1, 1, 32);
  EXPECT_EQ(yr.shape, (std::vector<int64_t>{1, 1, 3, 3}));
  EXPECT_EQ(yr.data, (std::vector<int64_t>{3, 6, 5, 9, 15, 11, 15, 24, 17}));
  // Kx1 pads H only: column sums.
  Tensor wc = make({1, 1, 3, 1}, {1, 1, 1});
  Tensor yc = col_conv(x, wc, 1, 1, 32);
  EXPECT_EQ(yc.data, (std::vector<int64_t>{5, 7, 9, 12, 15, 18, 11, 13, 15}));
  // Stride 2 on both axes: rows 0 and 2, columns 0 and 2.
  Tensor yr2 = row_conv(x, wr, 2, 1, 32);
  EXPECT_EQ(yr2.shape, (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_EQ(yr2.data, (std::vector<int64_t>{3, 5, 15, 17}));
}

TEST(Pointwise, AndFullyConnected) {
  Tensor x = make({1, 2, 1, 2}, {1, 2, 3, 4});
  Tensor w = make({1, 2, 1, 1}, {10, -1});
  EXPECT_EQ(pointwise_conv(x, w, 32).data, (std::vector<int64_t>{7, 16}));
  Tensor xf = make({2, 3}, {1, 2, 3, -1, 0, 1});
  Tensor wf = make({2, 3}, {1, 1, 1, 3, 2, 1});
  EXPECT_EQ(fully_connected(xf, wf, 32).data, (std::vector<int64_t>{6, 10, 0, -2}));
}

TEST(Accumulator, WrapsAtSmallWidthAndExtremes) {
  // 3 products of (-128 * -128) = 16384 each: 49152 wraps in 16 bits to 49152 - 65536.
  Tensor x = make({1, 3}, {-128, -128, -128});
  Tensor w = make({1, 3}, {-128, -128, -128});
  EXPECT_EQ(fully_connected(x, w, 16).data[0], 49152 - 65536);
  EXPECT_EQ(fully_connected(x, w, 32).data[0], 49152);
  // 127 * -128 four times = -65024: fits 17 bits, wraps in 16 bits to 512.
  Tensor x2 = make({1, 4}, {127, 127, 127, 127});
  Tensor w2 = make({1, 4}, {-128, -128, -128, -128});
  EXPECT_EQ(fully_connected(x2, w2, 16).data[0], 512);
  EXPECT_EQ(fully_connected(x2, w2, 64).data[0], -65024);
}

TEST(Requantize, RoundHalfUpShiftClampRelu) {
  EXPECT_EQ(requantize_value(5, 1, false, 8), 3);     // 2.5 -> 3 (half up)
  EXPECT_EQ(requantize_value(-5, 1, false, 8), -2);   // -2.5 -> -2 (half up = towards +inf)
  EXPECT_EQ(requantize_value(-6, 2, false, 8), -1);   // -1.5 -> -1
  EXPECT_EQ(requantize_value(-7, 2, false, 8), -2);   // -1.75 -> -2
  EXPECT_EQ(requantize_value(1000, 0, false, 8), 127);
  EXPECT_EQ(requantize_value(-1000, 0, false, 8), -128);
  EXPECT_EQ(requantize_value(-1000, 0, true, 8), 0);
  EXPECT_EQ(requantize_value(300, 2, true, 8), 75);
  EXPECT_EQ(requantize_value(INT64_MAX, 1, false, 16), 32767);  // no overflow adding the half
  EXPECT_EQ(requantize_value(INT64_MIN, 62, false, 8), -2);
}

TEST(Blocks, FuseFullEqualsConvsWrittenAnotherWay) {
  // Full FuSe = concat(1xK on all channels, Kx1 on all channels) -> requantize -> pointwise.
  // Written here with a general grouped conv2d per filter shape and explicit loops for the
  // concat and requantization.
  std::mt19937_64 rng(11);
  const int64_t C = 3, H = 5, W = 6, K = 3, Cout = 4;
  Tensor x = random_tensor({2, C, H, W}, 8, rng);
  Tensor wr = random_tensor({C, 1, 1, K}, 8, rng);
  Tensor wc = random_tensor({C, 1, K, 1}, 8, rng);
  Tensor wp = random_tensor({Cout, 2 * C, 1, 1}, 8, rng);
  BlockParams bp;
  bp.stride = 2;
  bp.shift = 3;
  bp.relu = true;
  Tensor y = fuse_block(x, wr, wc, wp, false, bp);

  Conv2dParams pr;
  pr.groups = C;
  pr.stride_h = pr.stride_w = 2;
  pr.pad_w = 1;
  Conv2dParams pc = pr;
  pc.pad_w = 0;
  pc.pad_h = 1;
  Tensor a = conv2d(x, wr, pr), b = conv2d(x, wc, pc);
  ASSERT_EQ(a.shape, b.shape);
  const int64_t Ho = a.dim(2), Wo = a.dim(3);
  Tensor expect({2, Cout, Ho, Wo});
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t co = 0; co < Cout; ++co)
      for (int64_t h = 0; h < Ho; ++h)
        for (int64_t w = 0; w < Wo; ++w) {
          int64_t acc = 0;
          for (int64_t c = 0; c < 2 * C; ++c) {
            int64_t v = c < C ? a.at(n, c, h, w) : b.at(n, c - C, h, w);
            v = std::max<int64_t>(v, 0);
            v = (v + 4) >> 3;
            v = std::min<int64_t>(v, 127);
            acc += v * wp.at(co, c, 0, 0);
          }
          expect.at(n, co, h, w) = acc;
        }
  EXPECT_EQ(y, expect);
}

TEST(Blocks, FuseHalfSplitsChannelsInOrder) {
  // 4 channels: channels 0,1 go to the 1xK filter, 2,3 to the Kx1 filter. Identity filters
  // (centre tap 1) and a pointwise that reads one mid channel each expose the routing.
  Tensor x({1, 4, 3, 3});
  for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = static_cast<int64_t>(i % 50);
  Tensor wr({2, 1, 1, 3}), wc({2, 1, 3, 1});
  wr.at(0, 0, 0, 1) = 1;
  wr.at(1, 0, 0, 1) = 1;
  wc.at(0, 0, 1, 0) = 2;
  wc.at(1, 0, 1, 0) = 2;
  Tensor wp({4, 4, 1, 1});
  for (int64_t c = 0; c < 4; ++c) wp.at(c, c, 0, 0) = 1;  // out channel c = mid channel c
  Tensor y = fuse_block(x, wr, wc, wp, true, BlockParams{});
  for (int64_t c = 0; c < 4; ++c)
    for (int64_t h = 0; h < 3; ++h)
      for (int64_t w = 0; w < 3; ++w)
        EXPECT_EQ(y.at(0, c, h, w), (c < 2 ? 1 : 2) * x.at(0, c, h, w)) << c << h << w;
}

TEST(Blocks, DscRequantizesBetweenStages) {
  // depthwise identity x 16, shift 4 -> back to x; relu zeroes negatives; pointwise sums.
  Tensor x = make({1, 2, 1, 2}, {3, -3, 5, 7});
  Tensor wd({2, 1, 1, 1});
  wd.data = {16, 16};
  Tensor wp = make({1, 2, 1, 1}, {1, 1});
  BlockParams bp;
  bp.shift = 4;
  bp.relu = true;
  EXPECT_EQ(dsc_block(x, wd, wp, bp).data, (std::vector<int64_t>{8, 7}));
  bp.relu = false;
  EXPECT_EQ(dsc_block(x, wd, wp, bp).data, (std::vector<int64_t>{8, 4}));
}

namespace {
// The message of validate(p, t) ("" if it accepts).
std::string rejection(const OpParams& p, const OpTensors& t) {
  return error_of([&] { validate(p, t); });
}
}  // namespace

TEST(OpRequest, OneRuleForEveryEngine) {
  OpParams p;
  OpTensors t;
  // fc with batch 0 is refused (the array engines could not run it either).
  p.op = OpCode::Fc;
  t.x = Tensor({0, 8});
  t.w = Tensor({3, 8});
  EXPECT_EQ(rejection(p, t), "input has shape [0, 8]: every dimension must be positive");
  t.x = Tensor({2, 8});
  EXPECT_EQ(rejection(p, t), "");
  p.padding = 1;
  EXPECT_EQ(rejection(p, t), "--padding does not apply to fc");
  // pw: padding is rejected like stride, not ignored.
  p.op = OpCode::Pw;
  t.x = Tensor({1, 4, 5, 5});
  t.w = Tensor({6, 4, 1, 1});
  EXPECT_EQ(rejection(p, t),
            "--padding does not apply to pw (1x1 convs run with stride 1 and no padding)");
  p.padding = 0;
  EXPECT_EQ(rejection(p, t), "");
}

TEST(OpRequest, FuseNeedsAnOddKernel) {
  OpParams p;
  p.op = OpCode::FuseFull;
  OpTensors t;
  t.x = Tensor({1, 2, 6, 6});
  t.w_row = Tensor({2, 1, 1, 4});
  t.w_col = Tensor({2, 1, 4, 1});
  t.w_pw = Tensor({3, 4, 1, 1});
  EXPECT_EQ(rejection(p, t).find("fuse: the 1xK and Kx1 filters have K = 4: K must be odd"), 0u)
      << rejection(p, t);
}

TEST(OpRequest, OutputsBeyondTheCapAreRefusedBeforeAllocation) {
  OpParams p;
  p.op = OpCode::Conv;
  p.padding = 64;
  OpTensors t;
  t.x = Tensor({1, 1, 1, 1});
  t.w = Tensor({100000, 1, 1, 1});  // [1, 100000, 129, 129]: 1.66e9 elements
  EXPECT_EQ(rejection(p, t), "conv: the output of stage 'conv' would be [1, 100000, 129, 129], "
                             "more than the 268435456 elements fusegen handles: use a smaller "
                             "input, fewer channels or less padding");
  t.w = Tensor({16, 1, 1, 1});
  EXPECT_EQ(rejection(p, t), "");
}

TEST(Tensor, ElementCountOverflowIsAnError) {
  EXPECT_THROW(Tensor::numel_of({1 << 30, 1 << 30, 1 << 30}), Error);
  EXPECT_THROW(Tensor::numel_of({2, -1}), Error);
  EXPECT_EQ(Tensor::numel_of({3, 4, 5}), 60u);
}
