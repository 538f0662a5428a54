// Trace generator: determinism for a seed, layer selection and scaling, published keep rates
// and pruning granularity in the initialized weights, activation runs, record caps, and the
// consistency of every carried byte with a flat memory model (no read mismatch in SparseCache).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "common/bits.h"
#include "common/error.h"
#include "golden/npy.h"
#include "golden/sparsecache.h"
#include "sim/cache_study.h"
#include "sim/trace_gen.h"

using namespace fusegen;

namespace {
// Collects records (small traces only) and a hash of everything.
struct Collect : DinSink {
  std::vector<DinRecord> recs;
  uint64_t hash = 1469598103934665603ull;
  void record(const DinRecord& r) override {
    recs.push_back(r);
    auto mix = [&](uint64_t v) { hash = (hash ^ v) * 1099511628211ull; };
    mix(static_cast<uint64_t>(r.label));
    mix(r.addr);
    mix(r.size);
    if (r.has_data)
      for (uint8_t b : r.data) mix(b);
  }
};
TraceGenOptions small_lenet() {
  TraceGenOptions o;
  o.network = "lenet5";
  o.layers = {"fc2"};  // 500 x 10
  return o;
}
}  // namespace

TEST(TraceGen, NetworksAndPublishedKeepRates) {
  EXPECT_EQ(trace_networks().size(), 4u);
  auto l = trace_network_layers("lenet5");
  ASSERT_EQ(l.size(), 4u);
  EXPECT_DOUBLE_EQ(l[1].keep, 0.12);
  EXPECT_EQ(l[1].macs(), 8 * 8 * 50 * 20 * 25);
  auto a = trace_network_layers("alexnet");
  ASSERT_EQ(a.size(), 8u);
  EXPECT_DOUBLE_EQ(a[5].keep, 0.09);
  EXPECT_EQ(a[0].ho(), 55);
  EXPECT_EQ(a[1].groups, 2);
  EXPECT_EQ(trace_network_layers("vgg16").size(), 16u);
  EXPECT_DOUBLE_EQ(trace_network_layers("vgg16")[13].keep, 0.01);
  auto s = trace_network_layers("squeezenet");
  EXPECT_EQ(s.size(), 26u);
  EXPECT_EQ(s[0].ho(), 111);
  EXPECT_THROW(trace_network_layers("resnet"), Error);
}

TEST(TraceGen, DeterministicForASeed) {
  Collect a, b, c;
  TraceGenOptions o = small_lenet();
  generate_trace(o, a);
  generate_trace(o, b);
  o.seed = 2;
  generate_trace(o, c);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.recs.size(), b.recs.size());
  EXPECT_NE(a.hash, c.hash);
}

TEST(TraceGen, GemvRecordsFollowTheLoopNest) {
  Collect c;
  TraceGenOptions o = small_lenet();
  o.instructions = false;
  auto sum = generate_trace(o, c);
  ASSERT_EQ(sum.size(), 1u);
  // fc2: 10 outputs x 500 inputs: 2 loads per MAC + 1 store per output; no ReLU (classifier).
  EXPECT_EQ(sum[0].records, 10u * 500u * 2u + 10u);
  std::vector<DinRecord> acc;
  for (const auto& r : c.recs)
    if (r.label != 5) acc.push_back(r);
  ASSERT_EQ(acc.size(), sum[0].records);
  const uint64_t w = acc[0].addr, x = acc[1].addr;
  EXPECT_EQ(acc[0].label, 0);
  EXPECT_EQ(acc[2].addr, w + 4);  // W[0][1]
  EXPECT_EQ(acc[3].addr, x + 4);  // x[1]
  EXPECT_EQ(acc[1000].label, 1);  // y[0] after 500 MACs
  EXPECT_EQ(acc[1001].addr, w + 500 * 4);  // W[1][0]
}

TEST(TraceGen, KeepRateAndGranularityShapeTheWeights) {
  TraceGenOptions o;
  o.network = "alexnet";
  o.layers = {"fc8"};
  o.scale = 0.25;  // 1024 x 250 weights, keep 25 %
  o.max_records = 1;
  o.granularity = 8;
  Collect c;
  auto sum = generate_trace(o, c);
  EXPECT_NEAR(sum[0].weight_zero, 0.75, 0.02);
  // Groups of 8 floats = 32 B aligned: every initialized 32-byte weight chunk is either
  // absent (all zero) or has no zero element.
  const uint64_t wbase = 0x10000000;
  for (const auto& r : c.recs) {
    if (r.label != 5 || r.addr >= wbase + 1024ull * 250 * 4) continue;
    ASSERT_EQ(r.size, 32u);
    for (int e = 0; e < 8; ++e) {
      uint32_t v = 0;
      for (int k = 0; k < 4; ++k) v |= uint32_t{r.data[4 * e + k]} << (8 * k);
      EXPECT_NE(v, 0u) << "zero inside a kept group at " << std::hex << r.addr;
    }
  }
  o.keep = 0.5;
  o.granularity = 1;
  Collect d;
  EXPECT_NEAR(generate_trace(o, d)[0].weight_zero, 0.5, 0.02);
}

TEST(TraceGen, ScalingAndSelection) {
  TraceGenOptions o;
  o.network = "vgg16";
  o.layers = {"conv1_1", "fc7"};
  o.scale = 0.125;
  o.spatial = 0.125;
  auto l = traced_layers(o);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].cin, 3);    // network input channels kept
  EXPECT_EQ(l[0].cout, 8);
  EXPECT_EQ(l[0].h, 28);
  EXPECT_EQ(l[1].cin, 512);
  EXPECT_EQ(l[1].cout, 512);
  o.layers = {"conv9"};
  try {
    traced_layers(o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'conv9' is not a layer of vgg16"), std::string::npos);
  }
  o.layers = {};
  o.scale = 0;
  EXPECT_THROW(traced_layers(o), Error);
  o.scale = 1;
  o.act_zero = 1.5;
  EXPECT_THROW(traced_layers(o), Error);
}

TEST(TraceGen, MaxRecordsCapsEachLayer) {
  TraceGenOptions o;
  o.network = "lenet5";
  o.max_records = 1000;
  Collect c;
  auto sum = generate_trace(o, c);
  ASSERT_EQ(sum.size(), 4u);
  for (const auto& s : sum) {
    EXPECT_EQ(s.records, 1000u);
    EXPECT_TRUE(s.truncated);
  }
}

TEST(TraceGen, CarriedBytesMatchAFlatMemory) {
  // Every read carries the bytes it returns: with the null cache in exact mode, the cache
  // must return them all (I4 against the generator's own arrays).
  for (bool i8 : {false, true}) {
    TraceGenOptions o;
    o.network = "alexnet";
    o.layers = {"conv2", "fc8"};
    o.scale = 0.0625;
    o.spatial = 0.25;
    o.int8 = i8;
    o.granularity = 4;
    SparseCacheConfig cfg;
    cfg.addr_bits = 32;
    SparseCache c(cfg);
    CacheDriver drv({&c}, 50000);
    auto sum = generate_trace(o, drv);
    EXPECT_GT(c.stats().accesses(), 10000u);
    EXPECT_EQ(c.stats().read_mismatches, 0u) << "int8=" << i8;
    EXPECT_GT(c.stats().nc_load_hits, 0u);
    EXPECT_GT(c.stats().instructions, c.stats().accesses() / 2);
  }
}

TEST(TraceGen, AccessRecordCountMatchesTheLoops) {
  // Conv with padding and stride (im2col skips out-of-range taps), grouped conv, fc.
  TraceGenOptions o;
  o.network = "alexnet";
  o.layers = {"conv1", "conv2", "fc7"};
  o.scale = 0.0625;
  o.spatial = 0.125;
  o.instructions = false;
  Collect c;
  auto sum = generate_trace(o, c);
  auto layers = traced_layers(o);
  ASSERT_EQ(sum.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(sum[i].records, access_records(layers[i])) << layers[i].name;
  // fc7 at scale 1/16: 256 x 256, ReLU: 256 * (2 * 256 + 1) + 2 * 256.
  EXPECT_EQ(access_records(layers[2]), 256u * 513u + 512u);
}

TEST(TraceGen, WeightsFromNpyReplaceSyntheticOnes) {
  const std::string dir = std::string(FUSEGEN_TEST_TMP) + "/trace_weights";
  std::filesystem::create_directories(dir);
  Tensor w({10, 500});
  for (size_t i = 0; i < w.data.size(); ++i) w.data[i] = static_cast<int64_t>(i % 7) - 3;
  write_npy(dir + "/fc2.npy", w, NpyDtype::I8);
  TraceGenOptions o = small_lenet();
  o.int8 = true;
  o.weights_dir = dir;
  o.instructions = false;
  Collect c;
  auto sum = generate_trace(o, c);
  EXPECT_NEAR(sum[0].weight_zero, 1.0 / 7.0, 0.01);
  std::vector<DinRecord> acc;
  for (const auto& r : c.recs)
    if (r.label != 5) acc.push_back(r);
  // Loads alternate W[o][k], x[k]: W[0][k] = k % 7 - 3.
  for (int k = 0; k < 10; ++k) {
    ASSERT_EQ(acc[2 * k].size, 1u);
    EXPECT_EQ(static_cast<int8_t>(acc[2 * k].data[0]), k % 7 - 3);
  }
  Tensor bad({10, 499});
  write_npy(dir + "/fc2.npy", bad, NpyDtype::I8);
  try {
    generate_trace(o, c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected (10, 500)"), std::string::npos) << e.what();
  }
}
