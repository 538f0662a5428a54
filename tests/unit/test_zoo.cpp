// The network zoo against the networks' definitions (docs/networks.md): layer counts, block
// structure and shapes of the FuSe variants, and MAC totals derived from the block formulas of
// docs/operators.md, checked against an independent table of the networks in this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "common/bits.h"
#include "common/error.h"
#include "golden/zoo.h"

using namespace fusegen;

namespace {

int64_t total_macs(const std::vector<LayerDesc>& layers) {
  int64_t s = 0;
  for (const auto& l : layers) s += l.macs();
  return s;
}

const LayerDesc& find(const std::vector<LayerDesc>& layers, const std::string& name) {
  for (const auto& l : layers)
    if (l.name == name) return l;
  throw std::runtime_error("no layer " + name);
}

bool has(const std::vector<LayerDesc>& layers, const std::string& name) {
  for (const auto& l : layers)
    if (l.name == name) return true;
  return false;
}

}  // namespace

// Layer counts. A block is expand (if any) + depthwise stage (1 layer base, 2 FuSe) + SE (2,
// if any) + project.
//  V1: stem + 13 x (dw, pw) + fc = 1 + 26 + 1 = 28; FuSe: +1 per replaced block.
//  V2: stem + b1 (dw, pw) + 16 x (expand, dw, pw) + head + fc = 1 + 2 + 48 + 2 = 53.
//  MnasNet-B1: stem + SepConv (dw, pw) + 16 MBConv x 3 + head + fc = 53.
//  V3-Large: stem + 15 x 3 + 8 SE blocks x 2 + head + head2 + fc = 1 + 45 + 16 + 3 = 65.
//  V3-Small: stem + 11 x 3 + 9 SE blocks x 2 + 3 = 1 + 33 + 18 + 3 = 55.
// The 50 % variants replace 5 (V1), 9 (V2: blocks 2-10), 9 (MnasNet: 2-10), 5 (V3-S), 7 (V3-L).
TEST(Zoo, LayerCounts) {
  const std::map<std::string, std::pair<size_t, size_t>> base_and_blocks = {
      {"mobilenet_v1", {28, 13}},       {"mobilenet_v2", {53, 17}}, {"mnasnet_b1", {53, 17}},
      {"mobilenet_v3_small", {55, 11}}, {"mobilenet_v3_large", {65, 15}}};
  const std::map<std::string, size_t> partial = {{"mobilenet_v1", 5},       {"mobilenet_v2", 9},
                                                 {"mnasnet_b1", 9},         {"mobilenet_v3_small", 5},
                                                 {"mobilenet_v3_large", 7}};
  for (const auto& [net, bb] : base_and_blocks) {
    SCOPED_TRACE(net);
    EXPECT_EQ(build_network(net, "base").size(), bb.first);
    EXPECT_EQ(build_network(net, "full").size(), bb.first + bb.second);
    EXPECT_EQ(build_network(net, "half").size(), bb.first + bb.second);
    EXPECT_EQ(build_network(net, "full50").size(), bb.first + partial.at(net));
    EXPECT_EQ(build_network(net, "half50").size(), bb.first + partial.at(net));
  }
}

// ---------------------------------------------------------------------------------------------
// MAC totals. How a variant changes a block (docs/operators.md, "Blocks"), with Ho x Wo the
// block's output size, E the channels entering the depthwise stage (exp, or the block input when
// there is no expand), K the kernel, Cout the projection's outputs:
//   base (DSC):  dw Ho*Wo*E*K*K,          pw Ho*Wo*E*Cout,   SE 2*E*(E/4)
//   Full:        1xK + Kx1 Ho*Wo*E*2K,    pw Ho*Wo*2E*Cout,  SE 2*2E*(2E/4)
//   Half:        1xK + Kx1 Ho*Wo*(E/2)*K*2 = Ho*Wo*E*K,  pw Ho*Wo*E*Cout, SE unchanged
// so, summed over the replaced blocks b (all of them, or the 50 % set):
//   Half = base - sum_b Ho*Wo*E*(K*K - K)
//   Full = base - sum_b Ho*Wo*E*(K*K - 2K) + sum_b Ho*Wo*E*Cout + sum_b SE(2E) - SE(E)
// The expand 1x1, stem, head and classifier are the same in every variant.
//
// Every total below is checked twice: against the zoo, and against IndependentMacs(), a
// transcription in this file of the networks' definitions (docs/operators.md, Networks: tables
// (t, c, n, s) or (k, exp, c, SE, s)) that applies the formulas above without using
// build_network() or LayerDesc::macs(). The literal values were worked out with those formulas:
// V1 entirely by hand below; for the other four the per-network sums in the comments were
// added up by a throw-away Python transcription of the same tables (not the C++ zoo), written
// for this test at commit d068d0d. All 25 equal the values this file asserted before (then
// unexplained) and IndependentMacs() here; the base totals also agree with the published counts
// (569M, 300M, 315M; V3 see below).
namespace {

// One block of a network definition: input size and channels, expand width (0: none), output
// channels, kernel, stride, squeeze-and-excitation.
struct Blk {
  int64_t hin, cin, exp, cout, k, s;
  bool se;
};
struct NetTable {
  int64_t stem_c;
  std::vector<Blk> blocks;
  int64_t head_c, head2_c, fc_in;
  std::vector<int> partial;  // 1-based blocks of the 50 % variants
};

// (t, c, n, s[, k]) rows as the papers write them, expanded to blocks (stride on the first
// repeat; the spatial size halves at each stride 2). t = 0 marks "no expand" (V2's t = 1 row
// and MnasNet's SepConv).
NetTable mbconv_table(int64_t stem_c, const std::vector<std::array<int64_t, 5>>& rows,
                      int64_t head_c, std::vector<int> partial) {
  NetTable t{stem_c, {}, head_c, 0, head_c, std::move(partial)};
  int64_t h = 112, c = stem_c;
  for (const auto& r : rows)
    for (int64_t i = 0; i < r[2]; ++i) {
      const int64_t s = i == 0 ? r[3] : 1;
      t.blocks.push_back({h, c, r[0] == 0 ? 0 : c * r[0], r[1], r[4], s, false});
      h /= s;
      c = r[1];
    }
  t.fc_in = head_c > 0 ? head_c : c;  // V1 has no head: the classifier reads the last block
  return t;
}

// (k, exp, c, SE, s) rows of MobileNet-V3.
NetTable v3_table(const std::vector<std::array<int64_t, 5>>& rows, int64_t head_c,
                  std::vector<int> partial) {
  NetTable t{16, {}, head_c, 1280, 1280, std::move(partial)};
  int64_t h = 112, c = 16;
  for (const auto& r : rows) {
    t.blocks.push_back({h, c, r[1], r[2], r[0], r[4], r[3] != 0});
    h /= r[4];
    c = r[2];
  }
  return t;
}

NetTable net_table(const std::string& net) {
  if (net == "mobilenet_v1") {
    // 13 DSC blocks, K = 3, outputs 64, 128/s2, 128, 256/s2, 256, 512/s2, 5 x 512, 1024/s2, 1024.
    return mbconv_table(32,
                        {{{0, 64, 1, 1, 3}}, {{0, 128, 1, 2, 3}}, {{0, 128, 1, 1, 3}},
                         {{0, 256, 1, 2, 3}}, {{0, 256, 1, 1, 3}}, {{0, 512, 1, 2, 3}},
                         {{0, 512, 5, 1, 3}}, {{0, 1024, 1, 2, 3}}, {{0, 1024, 1, 1, 3}}},
                        0, {1, 2, 3, 4, 5});
  }
  if (net == "mobilenet_v2")
    return mbconv_table(32,
                        {{{0, 16, 1, 1, 3}}, {{6, 24, 2, 2, 3}}, {{6, 32, 3, 2, 3}},
                         {{6, 64, 4, 2, 3}}, {{6, 96, 3, 1, 3}}, {{6, 160, 3, 2, 3}},
                         {{6, 320, 1, 1, 3}}},
                        1280, {2, 3, 4, 5, 6, 7, 8, 9, 10});
  if (net == "mnasnet_b1")
    return mbconv_table(32,
                        {{{0, 16, 1, 1, 3}}, {{3, 24, 3, 2, 3}}, {{3, 40, 3, 2, 5}},
                         {{6, 80, 3, 2, 5}}, {{6, 96, 2, 1, 3}}, {{6, 192, 4, 2, 5}},
                         {{6, 320, 1, 1, 3}}},
                        1280, {2, 3, 4, 5, 6, 7, 8, 9, 10});
  if (net == "mobilenet_v3_large")
    return v3_table({{{3, 16, 16, 0, 1}}, {{3, 64, 24, 0, 2}}, {{3, 72, 24, 0, 1}},
                     {{5, 72, 40, 1, 2}}, {{5, 120, 40, 1, 1}}, {{5, 120, 40, 1, 1}},
                     {{3, 240, 80, 0, 2}}, {{3, 200, 80, 0, 1}}, {{3, 184, 80, 0, 1}},
                     {{3, 184, 80, 0, 1}}, {{3, 480, 112, 1, 1}}, {{3, 672, 112, 1, 1}},
                     {{5, 672, 160, 1, 2}}, {{5, 960, 160, 1, 1}}, {{5, 960, 160, 1, 1}}},
                    960, {2, 3, 4, 5, 6, 7, 8});
  // mobilenet_v3_small
  return v3_table({{{3, 16, 16, 1, 2}}, {{3, 72, 24, 0, 2}}, {{3, 88, 24, 0, 1}},
                   {{5, 96, 40, 1, 2}}, {{5, 240, 40, 1, 1}}, {{5, 240, 40, 1, 1}},
                   {{5, 120, 48, 1, 1}}, {{5, 144, 48, 1, 1}}, {{5, 288, 96, 1, 2}},
                   {{5, 576, 96, 1, 1}}, {{5, 576, 96, 1, 1}}},
                  576, {3, 5, 6, 7, 8});
}

// Total MACs of a network variant from the table and the block formulas above.
int64_t IndependentMacs(const std::string& net, const std::string& var) {
  const NetTable t = net_table(net);
  int64_t m = 112 * 112 * t.stem_c * 3 * 3 * 3;  // stem 3x3/s2, 3 -> stem_c, 224 -> 112
  int64_t h = 112, c = t.stem_c;
  for (size_t i = 0; i < t.blocks.size(); ++i) {
    const Blk& b = t.blocks[i];
    const bool in50 =
        std::find(t.partial.begin(), t.partial.end(), static_cast<int>(i) + 1) != t.partial.end();
    const bool full = var == "full" || (var == "full50" && in50);
    const bool half = var == "half" || (var == "half50" && in50);
    const int64_t e = b.exp > 0 ? b.exp : b.cin, ho = b.hin / b.s;
    if (b.exp > 0) m += b.hin * b.hin * b.cin * b.exp;  // expand 1x1 at the input size
    const int64_t mid = full ? 2 * e : e;                // channels leaving the dw stage
    m += ho * ho * e * (full ? 2 * b.k : half ? b.k : b.k * b.k);
    if (b.se) m += 2 * mid * (mid / 4);
    m += ho * ho * mid * b.cout;
    h = ho;
    c = b.cout;
  }
  if (t.head_c > 0) m += h * h * c * t.head_c;  // head 1x1 at 7x7
  if (t.head2_c > 0) m += t.head_c * t.head2_c;  // V3: 1x1 after the pool, at 1x1
  return m + t.fc_in * 1000;                    // classifier
}

void ExpectMacs(const std::string& net, const std::string& var, int64_t expected) {
  SCOPED_TRACE(net + " " + var);
  EXPECT_EQ(IndependentMacs(net, var), expected);
  EXPECT_EQ(total_macs(build_network(net, var)), expected);
}

}  // namespace

// MobileNet-V1 base, per block Ho*Wo*C*(9 + Cout):
//  stem 112*112*32*27                 = 10,838,016
//  b1  112^2*32*(9+64)                = 29,302,784
//  b2  56^2*64*(9+128)                = 27,496,448
//  b3  56^2*128*(9+128)               = 54,992,896
//  b4  28^2*128*(9+256)               = 26,593,280
//  b5  28^2*256*(9+256)               = 53,186,560
//  b6  14^2*256*(9+512)               = 26,141,696
//  b7-b11 5 * 14^2*512*(9+512)        = 261,416,960
//  b12 7^2*512*(9+1024)               = 25,915,904
//  b13 7^2*1024*(9+1024)              = 51,831,808
//  fc  1024*1000                      = 1,024,000
//  total                              = 568,740,352 (the paper's "569M mult-adds")
// Variants (K = 3: K*K - K = 6, K*K - 2K = 3). Sum of Ho*Wo*C over the blocks:
//  b1 401,408 + b2 200,704 + b3 401,408 + b4 100,352 + b5 200,704 + b6 50,176
//  + b7-b11 501,760 + b12 25,088 + b13 50,176 = 1,931,776; blocks 1-5 alone: 1,304,576.
//  Pointwise MACs: all = 568,740,352 - 10,838,016 - 1,024,000 - 9*1,931,776 = 539,492,352;
//  blocks 1-5 = 25,690,112 + 25,690,112 + 51,380,224 + 25,690,112 + 51,380,224 = 179,830,784.
//  half   = 568,740,352 - 6*1,931,776                 = 557,149,696
//  full   = 568,740,352 - 3*1,931,776 + 539,492,352   = 1,102,437,376
//  half50 = 568,740,352 - 6*1,304,576                 = 560,912,896
//  full50 = 568,740,352 - 3*1,304,576 + 179,830,784   = 744,657,408
TEST(Zoo, MobileNetV1Macs) {
  ExpectMacs("mobilenet_v1", "base", 568740352);
  ExpectMacs("mobilenet_v1", "full", 1102437376);
  ExpectMacs("mobilenet_v1", "half", 557149696);
  ExpectMacs("mobilenet_v1", "full50", 744657408);
  ExpectMacs("mobilenet_v1", "half50", 560912896);
}

// MobileNet-V2 base (expand Hin*Win*Cin*6Cin, then Ho*Wo*E*(9 + Cout)):
//  stem 10,838,016; b1 112^2*32*(9+16) = 10,035,200
//  b2  112^2*16*96 + 56^2*96*33       = 19,267,584 + 9,934,848
//  b3  56^2*24*144 + 56^2*144*33      = 10,838,016 + 14,902,272
//  b4  56^2*24*144 + 28^2*144*41      = 10,838,016 + 4,628,736
//  b5,b6 2*(28^2*32*192 + 28^2*192*41) = 2*(4,816,896 + 6,171,648)
//  b7  28^2*32*192 + 14^2*192*73      = 4,816,896 + 2,747,136
//  b8-b10 3*(14^2*64*384 + 14^2*384*73) = 3*(4,816,896 + 5,494,272)
//  b11 14^2*64*384 + 14^2*384*105     = 4,816,896 + 7,902,720
//  b12,b13 2*(14^2*96*576 + 14^2*576*105) = 2*(10,838,016 + 11,854,080)
//  b14 14^2*96*576 + 7^2*576*169      = 10,838,016 + 4,769,856
//  b15,b16 2*(7^2*160*960 + 7^2*960*169) = 2*(7,526,400 + 7,949,760)
//  b17 7^2*160*960 + 7^2*960*329      = 7,526,400 + 15,476,160
//  head 7^2*320*1280 = 20,070,400; fc 1,280,000
//  total 300,774,272 (the published "300M").
// Variants (K = 3 everywhere). Sum of Ho*Wo*E: all blocks 2,301,824 (x6 = 13,810,944, x3 =
//  6,905,472), blocks 2-10: 1,430,016 (x6 = 8,580,096, x3 = 4,290,048); pointwise MACs: all
//  118,114,304, blocks 2-10: 48,168,960 (e.g. b2: 56^2*96*24 = 7,225,344).
//  half   = 300,774,272 - 13,810,944                = 286,963,328
//  full   = 300,774,272 - 6,905,472 + 118,114,304   = 411,983,104
//  half50 = 300,774,272 - 8,580,096                 = 292,194,176
//  full50 = 300,774,272 - 4,290,048 + 48,168,960    = 344,653,184
TEST(Zoo, MobileNetV2Macs) {
  ExpectMacs("mobilenet_v2", "base", 300774272);
  ExpectMacs("mobilenet_v2", "full", 411983104);
  ExpectMacs("mobilenet_v2", "half", 286963328);
  ExpectMacs("mobilenet_v2", "full50", 344653184);
  ExpectMacs("mobilenet_v2", "half50", 292194176);
}

// MnasNet-B1 base: stem 10,838,016; SepConv 112^2*32*(9+16) = 10,035,200; MBConv stages
// (expand Hin*Win*Cin*t*Cin + Ho*Wo*E*(K*K + Cout) per block):
//  c=24 (3 blocks, K=3, s2): 112^2*16*48 + 56^2*48*33 + 2*(56^2*24*72 + 56^2*72*33)
//                                                                     = 40,341,504
//  c=40 (3, K=5, s2) = 28,844,928;  c=80 (3, K=5, s2) = 47,275,200
//  c=96 (2, K=3, s1) = 40,096,896;  c=192 (4, K=5, s2) = 86,224,320;  c=320 (1, K=3) = 29,409,408
//  head 7^2*320*1280 = 20,070,400; fc 1,280,000. Total 314,415,872 (published "315M").
// Variants (K = 3: K*K - K = 6, K*K - 2K = 3; K = 5: 20 and 15). Sums over the blocks:
//  all: sum Ho*Wo*E*(K*K - K) = 21,149,184, sum Ho*Wo*E*(K*K - 2K) = 13,961,472, pointwise
//  125,339,648; blocks 2-10 (stages c = 24, 40, 80): 13,208,832, 9,003,456, 43,051,008
//  (e.g. b2, K = 3: 56^2*48*6 = 903,168, 56^2*48*3 = 451,584, 56^2*48*24 = 3,612,672).
//  half   = 314,415,872 - 21,149,184                = 293,266,688
//  full   = 314,415,872 - 13,961,472 + 125,339,648  = 425,794,048
//  half50 = 314,415,872 - 13,208,832                = 301,207,040
//  full50 = 314,415,872 - 9,003,456 + 43,051,008    = 348,463,424
TEST(Zoo, MnasNetB1Macs) {
  ExpectMacs("mnasnet_b1", "base", 314415872);
  ExpectMacs("mnasnet_b1", "full", 425794048);
  ExpectMacs("mnasnet_b1", "half", 293266688);
  ExpectMacs("mnasnet_b1", "full50", 348463424);
  ExpectMacs("mnasnet_b1", "half50", 301207040);
}

// MobileNet-V3: 219,799,200 (Large) and 60,119,520 (Small). The commonly quoted 217M / 56M
// (torchvision) differ because torchvision skips the expand 1x1 of block 1 when exp equals the
// input channels (16 == 16): 112^2*16*16 = 3,211,264 fewer MACs for Large (stride 1) and
// 112^2*16*16 = 3,211,264 for Small (the expand runs before the stride-2 depthwise); it also
// rounds the SE width to a multiple of 8 (72//4 = 18 -> 24). The zoo keeps the expand and
// uses exactly c_dw//4, as the FuSeConv model files do (docs/networks.md).
// Large, e.g. b4 (SE, K=5, s2): expand 56^2*24*72 = 5,419,008; dw 28^2*72*25 = 1,411,200;
// SE 2*72*18 = 2,592; project 28^2*72*40 = 2,257,920. In Full, b4's SE is 2*144*36 = 10,368
// (+7,776). Sums over the blocks (all / 50 % set), Large: Ho*Wo*E*(K*K - K) 13,500,480 /
// 7,968,576; Ho*Wo*E*(K*K - 2K) 8,608,320 / 5,207,328; pointwise 81,510,912 / 26,919,424; SE
// growth 4,516,128 / 50,976. Small: 5,757,696 / 3,330,432; 4,054,848 / 2,394,336;
// 17,586,688 / 7,902,720; 1,359,456 / 225,504.
//  Large half   = 219,799,200 - 13,500,480                            = 206,298,720
//        full   = 219,799,200 - 8,608,320 + 81,510,912 + 4,516,128     = 297,217,920
//        half50 = 219,799,200 - 7,968,576                             = 211,830,624
//        full50 = 219,799,200 - 5,207,328 + 26,919,424 + 50,976        = 241,562,272
//  Small half   = 60,119,520 - 5,757,696                              = 54,361,824
//        full   = 60,119,520 - 4,054,848 + 17,586,688 + 1,359,456      = 75,010,816
//        half50 = 60,119,520 - 3,330,432                              = 56,789,088
//        full50 = 60,119,520 - 2,394,336 + 7,902,720 + 225,504         = 65,853,408
TEST(Zoo, MobileNetV3Macs) {
  ExpectMacs("mobilenet_v3_large", "base", 219799200);
  ExpectMacs("mobilenet_v3_large", "full", 297217920);
  ExpectMacs("mobilenet_v3_large", "half", 206298720);
  ExpectMacs("mobilenet_v3_large", "full50", 241562272);
  ExpectMacs("mobilenet_v3_large", "half50", 211830624);
  ExpectMacs("mobilenet_v3_small", "base", 60119520);
  ExpectMacs("mobilenet_v3_small", "full", 75010816);
  ExpectMacs("mobilenet_v3_small", "half", 54361824);
  ExpectMacs("mobilenet_v3_small", "full50", 65853408);
  ExpectMacs("mobilenet_v3_small", "half50", 56789088);
}

TEST(Zoo, MacsOfOneLargeBlockByHand) {
  auto l = build_network("mobilenet_v3_large", "base");
  EXPECT_EQ(find(l, "b4.expand").macs(), 56 * 56 * 24 * 72);
  EXPECT_EQ(find(l, "b4.dw").macs(), 28 * 28 * 72 * 25);
  EXPECT_EQ(find(l, "b4.se1").macs() + find(l, "b4.se2").macs(), 2 * 72 * 18);
  EXPECT_EQ(find(l, "b4.pw").macs(), 28 * 28 * 72 * 40);
}

// Every network ends at 7x7 before the pool and with 1000 classes.
TEST(Zoo, ShapesAtTheEnds) {
  for (const auto& net : zoo_networks())
    for (const auto& var : zoo_variants()) {
      SCOPED_TRACE(net + " " + var.name);
      auto l = build_network(net, var.name);
      EXPECT_EQ(l.front().name, "stem");
      EXPECT_EQ(l.front().h, 224);
      EXPECT_EQ(l.front().cin, 3);
      EXPECT_EQ(l.front().ho(), 112);
      EXPECT_EQ(l.back().name, "fc");
      EXPECT_EQ(l.back().op, OpKind::FC);
      EXPECT_EQ(l.back().cout, 1000);
      // The last layer with spatial extent > 1 produces 7x7.
      for (auto it = l.rbegin(); it != l.rend(); ++it)
        if (it->h > 1) {
          EXPECT_EQ(it->ho(), 7);
          EXPECT_EQ(it->wo(), 7);
          break;
        }
    }
  EXPECT_EQ(find(build_network("mobilenet_v1", "base"), "fc").cin, 1024);
  EXPECT_EQ(find(build_network("mobilenet_v2", "base"), "fc").cin, 1280);
  EXPECT_EQ(find(build_network("mobilenet_v3_small", "base"), "head").cout, 576);
  EXPECT_EQ(find(build_network("mobilenet_v3_small", "base"), "head2").h, 1);
  EXPECT_EQ(find(build_network("mobilenet_v3_large", "base"), "head2").cin, 960);
}

// Full: both 1D convs on all C channels and the 1x1 takes 2C; Half: C/2 each, 1x1 takes C.
TEST(Zoo, FuseChannelSplits) {
  // MobileNet-V2 block 2: 16 -> expand 96 at 112x112, stride 2, -> 24.
  auto full = build_network("mobilenet_v2", "full");
  EXPECT_EQ(find(full, "b2.row").cin, 96);
  EXPECT_EQ(find(full, "b2.col").cin, 96);
  EXPECT_EQ(find(full, "b2.pw").cin, 192);
  EXPECT_EQ(find(full, "b2.pw").cout, 24);
  auto half = build_network("mobilenet_v2", "half");
  const LayerDesc& row = find(half, "b2.row");
  const LayerDesc& col = find(half, "b2.col");
  EXPECT_EQ(row.cin, 48);
  EXPECT_EQ(col.cin, 48);
  EXPECT_EQ(find(half, "b2.pw").cin, 96);
  // Geometry: 1xK pads only W, Kx1 only H, both with the block stride: 112 -> 56.
  EXPECT_EQ(row.op, OpKind::Row);
  EXPECT_EQ(row.kh, 1);
  EXPECT_EQ(row.kw, 3);
  EXPECT_EQ(row.pad_h, 0);
  EXPECT_EQ(row.pad_w, 1);
  EXPECT_EQ(col.op, OpKind::Col);
  EXPECT_EQ(col.kh, 3);
  EXPECT_EQ(col.kw, 1);
  EXPECT_EQ(col.pad_h, 1);
  EXPECT_EQ(col.pad_w, 0);
  for (const LayerDesc* l : {&row, &col}) {
    EXPECT_EQ(l->h, 112);
    EXPECT_EQ(l->stride, 2);
    EXPECT_EQ(l->ho(), 56);
    EXPECT_EQ(l->wo(), 56);
  }
  // V2 block 1 has no expand (t = 1): Half splits the 32 stem channels.
  EXPECT_FALSE(has(half, "b1.expand"));
  EXPECT_EQ(find(half, "b1.row").cin, 16);
  // K = 5 blocks keep K in the 1D convs (MnasNet stage c = 40).
  EXPECT_EQ(find(build_network("mnasnet_b1", "full"), "b5.row").kw, 5);
}

// SE widths: c_dw -> c_dw // 4 -> c_dw with c_dw = exp (base, Half) or 2*exp (Full).
TEST(Zoo, SqueezeExcitationWidths) {
  auto base = build_network("mobilenet_v3_large", "base");
  EXPECT_EQ(find(base, "b4.se1").cin, 72);
  EXPECT_EQ(find(base, "b4.se1").cout, 18);
  EXPECT_EQ(find(base, "b4.se2").cout, 72);
  auto full = build_network("mobilenet_v3_large", "full");
  EXPECT_EQ(find(full, "b4.se1").cin, 144);
  EXPECT_EQ(find(full, "b4.se1").cout, 36);
  EXPECT_EQ(find(full, "b4.se2").cout, 144);
  auto half = build_network("mobilenet_v3_large", "half");
  EXPECT_EQ(find(half, "b4.se1").cin, 72);
  // Expand is present even when exp equals the input channels (V3-Large block 1: 16 -> 16).
  EXPECT_EQ(find(base, "b1.expand").cin, 16);
  EXPECT_EQ(find(base, "b1.expand").cout, 16);
  // Blocks without SE have no FC layers (V3-Small block 2).
  EXPECT_FALSE(has(build_network("mobilenet_v3_small", "base"), "b2.se1"));
}

// The 50 % variants replace exactly the blocks of docs/operators.md; others keep the KxK depthwise.
TEST(Zoo, PartialVariantsReplaceTheSpecBlocks) {
  const std::map<std::string, std::vector<int>> expect = {
      {"mobilenet_v1", {1, 2, 3, 4, 5}},
      {"mobilenet_v2", {2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {"mnasnet_b1", {2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {"mobilenet_v3_small", {3, 5, 6, 7, 8}},
      {"mobilenet_v3_large", {2, 3, 4, 5, 6, 7, 8}}};
  for (const auto& [net, blocks] : expect) {
    SCOPED_TRACE(net);
    EXPECT_EQ(partial_blocks(net), blocks);
    for (const char* v : {"full50", "half50"}) {
      std::vector<int> replaced;
      for (const auto& l : build_network(net, v))
        if (l.op == OpKind::Row) replaced.push_back(std::stoi(l.name.substr(1)));
      EXPECT_EQ(replaced, blocks) << v;
    }
  }
  // MnasNet: the first (SepConv) block stays DSC in the 50 % variants.
  EXPECT_TRUE(has(build_network("mnasnet_b1", "half50"), "b1.dw"));
}

TEST(Zoo, UnknownNamesAreErrors) {
  try {
    build_network("resnet50", "base");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown network 'resnet50'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("mobilenet_v3_large"), std::string::npos);
  }
  try {
    build_network("mobilenet_v2", "quarter");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown variant 'quarter'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("half50"), std::string::npos);
  }
  EXPECT_EQ(zoo_variants().front().name, "base");
}

TEST(Zoo, Deterministic) {
  auto a = build_network("mobilenet_v3_small", "half50");
  auto b = build_network("mobilenet_v3_small", "half50");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].macs(), b[i].macs());
  }
}
