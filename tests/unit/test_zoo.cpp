// The network zoo against the networks' definitions (spec fuseconv.md section 4): layer
// counts, block structure and shapes of the FuSe variants, and MAC totals worked out by hand
// from the block formulas of spec section 1.
#include <gtest/gtest.h>

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

// MobileNet-V1 base, per block Ho*Wo*C*(9 + Cout) (spec 1):
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
// Full: Ho*Wo*C*(6 + 2*Cout) per block, Half: Ho*Wo*C*(3 + Cout); e.g. Half b1 =
// 112^2*32*67 = 26,894,336 instead of 29,302,784.
TEST(Zoo, MobileNetV1Macs) {
  EXPECT_EQ(total_macs(build_network("mobilenet_v1", "base")), 568740352);
  EXPECT_EQ(total_macs(build_network("mobilenet_v1", "full")), 1102437376);
  EXPECT_EQ(total_macs(build_network("mobilenet_v1", "half")), 557149696);
  EXPECT_EQ(total_macs(build_network("mobilenet_v1", "full50")), 744657408);
  EXPECT_EQ(total_macs(build_network("mobilenet_v1", "half50")), 560912896);
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
TEST(Zoo, MobileNetV2Macs) {
  EXPECT_EQ(total_macs(build_network("mobilenet_v2", "base")), 300774272);
  EXPECT_EQ(total_macs(build_network("mobilenet_v2", "full")), 411983104);
  EXPECT_EQ(total_macs(build_network("mobilenet_v2", "half")), 286963328);
  EXPECT_EQ(total_macs(build_network("mobilenet_v2", "full50")), 344653184);
  EXPECT_EQ(total_macs(build_network("mobilenet_v2", "half50")), 292194176);
}

// MnasNet-B1 base: stem 10,838,016; SepConv 112^2*32*(9+16) = 10,035,200; MBConv stages
// (expand Hin*Win*Cin*t*Cin + Ho*Wo*E*(K*K + Cout) per block):
//  c=24 (3 blocks, K=3, s2): 112^2*16*48 + 56^2*48*33 + 2*(56^2*24*72 + 56^2*72*33)
//                                                                     = 40,341,504
//  c=40 (3, K=5, s2) = 28,844,928;  c=80 (3, K=5, s2) = 47,275,200
//  c=96 (2, K=3, s1) = 40,096,896;  c=192 (4, K=5, s2) = 86,224,320;  c=320 (1, K=3) = 29,409,408
//  head 7^2*320*1280 = 20,070,400; fc 1,280,000. Total 314,415,872 (published "315M").
TEST(Zoo, MnasNetB1Macs) {
  EXPECT_EQ(total_macs(build_network("mnasnet_b1", "base")), 314415872);
  EXPECT_EQ(total_macs(build_network("mnasnet_b1", "full")), 425794048);
  EXPECT_EQ(total_macs(build_network("mnasnet_b1", "half")), 293266688);
  EXPECT_EQ(total_macs(build_network("mnasnet_b1", "full50")), 348463424);
  EXPECT_EQ(total_macs(build_network("mnasnet_b1", "half50")), 301207040);
}

// MobileNet-V3: 219,799,200 (Large) and 60,119,520 (Small). The commonly quoted 217M / 56M
// (torchvision) differ because torchvision skips the expand 1x1 of block 1 when exp equals the
// input channels (16 == 16): 112^2*16*16 = 3,211,264 fewer MACs for Large (stride 1) and
// 112^2*16*16 = 3,211,264 for Small (the expand runs before the stride-2 depthwise); it also
// rounds the SE width to a multiple of 8 (72//4 = 18 -> 24). The spec keeps the expand and
// uses exactly c_dw//4, as the FuSeConv model files do.
// Large, e.g. b4 (SE, K=5, s2): expand 56^2*24*72 = 5,419,008; dw 28^2*72*25 = 1,411,200;
// SE 2*72*18 = 2,592; project 28^2*72*40 = 2,257,920.
TEST(Zoo, MobileNetV3Macs) {
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_large", "base")), 219799200);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_large", "full")), 297217920);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_large", "half")), 206298720);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_large", "full50")), 241562272);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_large", "half50")), 211830624);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_small", "base")), 60119520);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_small", "full")), 75010816);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_small", "half")), 54361824);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_small", "full50")), 65853408);
  EXPECT_EQ(total_macs(build_network("mobilenet_v3_small", "half50")), 56789088);
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

// The 50 % variants replace exactly the spec's blocks; the others keep the KxK depthwise.
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
