// Folds, mapping efficiency, utilization and traffic of a layer, worked by hand from the
// lowering rules of docs/mapping.md (GEMM: pixel blocks of R x filter blocks of C, T slices).
#include <gtest/gtest.h>

#include "golden/layer.h"
#include "golden/net_report.h"

using namespace fusegen;

// MobileNet-V2 stem on 64x64: 112*112 = 12544 pixels = 196 blocks of 64, 32 filters in one
// block (32 of 64 columns), T = 3*3*3 = 27. Inputs 196*64*27, weights 196*32*27, outputs
// 32*112*112 at 4 bytes.
TEST(NetReport, GemmLayerByHand) {
  ArrayConfig cfg;
  cfg.rows = 64;
  cfg.cols = 64;
  const LayerDesc stem = conv_layer("stem", 3, 224, 224, 32, 3, 2);
  const LayerTraffic t = layer_traffic(stem, cfg, DwMapping::Os);
  EXPECT_EQ(t.folds, 196);
  EXPECT_DOUBLE_EQ(t.mapping_efficiency(64, 64), 0.5);
  EXPECT_EQ(t.ifmap_reads, 196 * 64 * 27);
  EXPECT_EQ(t.filter_reads, 196 * 32 * 27);
  EXPECT_EQ(t.ofmap_writes, 32 * 112 * 112);
  EXPECT_DOUBLE_EQ(compute_utilization(stem.macs(), 10000, 64, 64),
                   static_cast<double>(10838016) / (64.0 * 64.0 * 10000.0));
  EXPECT_DOUBLE_EQ(bytes_per_cycle(t, 1000, cfg),
                   (196.0 * 64 * 27 + 196.0 * 32 * 27 + 4.0 * 32 * 112 * 112) / 1000.0);
  LayerTraffic sum = t;
  sum.add(t);
  EXPECT_EQ(sum.folds, 392);
  EXPECT_DOUBLE_EQ(sum.mapping_efficiency(64, 64), 0.5);
}

// A 3x3 depthwise on OS: per channel a one-column GEMM; 8 channels of 10x10 outputs on 4x4:
// 100 pixels = 25 blocks of 4 per channel, 200 folds of 4 rows x 1 column (4 of 16 PEs),
// T = 9.
TEST(NetReport, DepthwiseOsByHand) {
  ArrayConfig cfg;
  cfg.rows = 4;
  cfg.cols = 4;
  const LayerDesc dw = dw_layer("dw", 8, 10, 10, 3, 1);
  const LayerTraffic t = layer_traffic(dw, cfg, DwMapping::Os);
  EXPECT_EQ(t.folds, 200);
  EXPECT_DOUBLE_EQ(t.mapping_efficiency(4, 4), 0.25);
  EXPECT_EQ(t.ifmap_reads, 8 * 100 * 9);
  EXPECT_EQ(t.filter_reads, 200 * 9);
  EXPECT_EQ(t.ofmap_writes, 800);
}
