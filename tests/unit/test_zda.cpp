// Zero detector and approximator: exact mode, integer magnitude thresholds at their edges,
// float32 exponent thresholds with -0.0, denormals, the smallest normal and NaN.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "common/bits.h"
#include "common/error.h"
#include "golden/zda.h"

using namespace fusegen;

namespace {
std::vector<uint8_t> words32(std::initializer_list<uint32_t> w) {
  std::vector<uint8_t> b;
  for (uint32_t x : w)
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(x >> (8 * i)));
  return b;
}
bool zero(const ZdaConfig& z, const std::vector<uint8_t>& b) {
  return zda_is_zero(z, b.data(), static_cast<int>(b.size()));
}
ZdaConfig intz(int w, int64_t t) {
  ZdaConfig z;
  z.mode = ApproxMode::kInt;
  z.elem_w = w;
  z.thresh = t;
  return z;
}
ZdaConfig fz(int e) {
  ZdaConfig z;
  z.mode = ApproxMode::kFloat;
  z.thresh = e;
  return z;
}
}  // namespace

TEST(Zda, ExactNeedsEveryBitZero) {
  ZdaConfig z;
  EXPECT_TRUE(zero(z, words32({0, 0, 0, 0})));
  EXPECT_FALSE(zero(z, words32({0, 0, 0x80000000u, 0})));  // -0.0 is not exactly zero
  EXPECT_FALSE(zero(z, words32({1, 0, 0, 0})));
}

TEST(Zda, Int8ThresholdEdges) {
  std::vector<uint8_t> b = {3, 0xFD /*-3*/, 0, 1};
  EXPECT_TRUE(zero(intz(8, 3), b));
  EXPECT_FALSE(zero(intz(8, 2), b));
  b[2] = 4;
  EXPECT_FALSE(zero(intz(8, 3), b));
  std::vector<uint8_t> m = {0x80 /*-128*/, 0, 0, 0};
  EXPECT_FALSE(zero(intz(8, 127), m));
  EXPECT_TRUE(zero(intz(8, 128), m));
}

TEST(Zda, Int16And32AreLittleEndianSigned) {
  // 0x00FF as int16 = 255 (not small), 0xFFFF = -1 (small).
  std::vector<uint8_t> a = {0xFF, 0x00, 0, 0};
  EXPECT_FALSE(zero(intz(16, 1), a));
  std::vector<uint8_t> b = {0xFF, 0xFF, 0x01, 0x00};
  EXPECT_TRUE(zero(intz(16, 1), b));
  EXPECT_TRUE(zero(intz(32, 5), words32({5, static_cast<uint32_t>(-5), 0, 0})));
  EXPECT_FALSE(zero(intz(32, 5), words32({6, 0, 0, 0})));
  EXPECT_FALSE(zero(intz(32, 5), words32({0x80000000u, 0, 0, 0})));
}

TEST(Zda, FloatExponentRules) {
  const uint32_t neg0 = 0x80000000u, den = 0x00000001u, nden = 0x807FFFFFu, minnorm = 0x00800000u;
  EXPECT_TRUE(zero(fz(1), words32({neg0, den, nden, 0})));
  EXPECT_FALSE(zero(fz(1), words32({minnorm, 0, 0, 0})));
  EXPECT_TRUE(zero(fz(2), words32({minnorm, 0x80800000u, 0, 0})));
  // thresh 0: nothing but an all-zero line counts; -0.0 and denormals do not.
  EXPECT_FALSE(zero(fz(0), words32({neg0, 0, 0, 0})));
  EXPECT_FALSE(zero(fz(0), words32({den, 0, 0, 0})));
  EXPECT_TRUE(zero(fz(0), words32({0, 0, 0, 0})));
  // thresh 127: |x| < 1.0 counts (0.5 = 0x3F000000 has exponent 126), 1.0 does not.
  EXPECT_TRUE(zero(fz(127), words32({0x3F000000u, 0xBF7FFFFFu, 0, 0})));
  EXPECT_FALSE(zero(fz(127), words32({0x3F800000u, 0, 0, 0})));
  // NaN / Inf have exponent 255: never below a threshold <= 255.
  EXPECT_FALSE(zero(fz(255), words32({0x7FC00000u, 0, 0, 0})));
  EXPECT_TRUE(zero(fz(255), words32({0x7F7FFFFFu, 0, 0, 0})));
}

TEST(Zda, ParseApproxAndValidate) {
  EXPECT_EQ(parse_approx("off", 32).mode, ApproxMode::kOff);
  ZdaConfig i = parse_approx("int:7", 8);
  EXPECT_EQ(i.mode, ApproxMode::kInt);
  EXPECT_EQ(i.thresh, 7);
  EXPECT_EQ(i.elem_w, 8);
  ZdaConfig f = parse_approx("float:100", 32);
  EXPECT_EQ(f.mode, ApproxMode::kFloat);
  EXPECT_EQ(f.thresh, 100);
  EXPECT_EQ(parse_approx("float:256", 32).thresh, 256);  // syntax only: validate() ranges
  EXPECT_THROW(parse_approx("float:256", 32).validate(32), Error);
  EXPECT_NO_THROW(parse_approx("float:255", 32).validate(32));
  EXPECT_THROW(parse_approx("int:-1", 32), Error);
  EXPECT_THROW(parse_approx("int:", 32), Error);
  EXPECT_THROW(parse_approx("on", 32), Error);
  EXPECT_THROW(parse_approx("exact", 32), Error);
  EXPECT_THROW(parse_approx("float:3", 16).validate(32), Error);
  EXPECT_THROW(parse_approx("int:200", 8).validate(32), Error);
  EXPECT_NO_THROW(parse_approx("int:128", 8).validate(32));
  EXPECT_EQ(parse_approx("int:7", 8).approx_string(), "int:7");
  EXPECT_EQ(parse_approx("float:100", 32).approx_string(), "float:100");
  EXPECT_EQ(ZdaConfig{}.approx_string(), "off");
  ZdaConfig bad;
  bad.elem_w = 12;
  EXPECT_THROW(bad.validate(32), Error);
}
