// Golden L1: hand-worked traces for LRU order, write-back counts, write-allocate, the
// zero-first victim option and the --l1 parser; run through SparseCache with the null cache
// off (the baseline configuration) where memory traffic matters.
#include <gtest/gtest.h>

#include <vector>

#include "common/bits.h"
#include "common/error.h"
#include "golden/l1_cache.h"
#include "golden/sparsecache.h"

using namespace fusegen;

namespace {
// 2 sets x 2 ways x 32 B; even line addresses map to set 0.
SparseCacheConfig tiny_baseline() {
  SparseCacheConfig c;
  c.l1.size_bytes = 128;
  c.l1.ways = 2;
  c.l1.line_bytes = 32;
  c.nc_enabled = false;
  c.addr_bits = 16;
  return c;
}
}  // namespace

TEST(L1Cache, LruOrderOnHandWorkedTrace) {
  SparseCache c(tiny_baseline());
  c.load(0x00, 4);  // la0 miss
  c.load(0x40, 4);  // la2 miss
  c.load(0x00, 4);  // la0 hit
  c.load(0x80, 4);  // la4 miss, evicts la2 (LRU)
  EXPECT_GE(c.l1().find(0), 0);
  EXPECT_LT(c.l1().find(2), 0);
  c.load(0x40, 4);  // la2 miss, evicts la0 (la4 is newer)
  EXPECT_LT(c.l1().find(0), 0);
  c.load(0x00, 4);  // miss again
  const CacheStats& s = c.stats();
  EXPECT_EQ(s.loads, 6u);
  EXPECT_EQ(s.l1_hits, 1u);
  EXPECT_EQ(s.l1_misses, 5u);
  EXPECT_EQ(s.load_misses, 5u);
  EXPECT_EQ(s.mem_reads, 5u);
  EXPECT_EQ(s.mem_writes, 0u);
  EXPECT_EQ(s.est_cycles, 6u + 5u * 100u);
}

TEST(L1Cache, WriteBackAndWriteAllocate) {
  SparseCache c(tiny_baseline());
  const uint8_t v[4] = {1, 2, 3, 4};
  c.store(0x08, 4, v);  // store miss: allocate (1 read), dirty
  c.store(0x0C, 4, v);  // hit
  c.load(0x40, 4);      // set 0 second way
  c.load(0x80, 4);      // evicts la0 (dirty): write-back
  const CacheStats& s = c.stats();
  EXPECT_EQ(s.stores, 2u);
  EXPECT_EQ(s.store_misses, 1u);
  EXPECT_EQ(s.l1_hits, 1u);
  EXPECT_EQ(s.mem_reads, 3u);
  EXPECT_EQ(s.mem_writes, 1u);
  EXPECT_EQ(s.l1_writebacks, 1u);
  uint8_t m[8];
  c.memory().read(0x08, m, 8);
  EXPECT_EQ(std::vector<uint8_t>(m, m + 8), (std::vector<uint8_t>{1, 2, 3, 4, 1, 2, 3, 4}));
  // Clean lines are not written back.
  c.load(0x00, 4);  // evicts la2 (clean)
  EXPECT_EQ(c.stats().mem_writes, 1u);
}

TEST(L1Cache, RecordCrossingALineIsOneAccess) {
  SparseCache c(tiny_baseline());
  c.load(0x1E, 4);  // bytes 0x1E..0x21: lines 0 and 1
  EXPECT_EQ(c.stats().loads, 1u);
  EXPECT_EQ(c.stats().l1_misses, 1u);
  EXPECT_EQ(c.stats().mem_reads, 2u);
  c.load(0x1C, 8);  // both lines present: hit
  EXPECT_EQ(c.stats().l1_hits, 1u);
  c.load(0x40, 4);  // la2, set 0
  c.load(0x80, 4);  // la4 evicts la0
  c.load(0x1E, 4);  // la0 misses, la1 hits: a miss
  EXPECT_EQ(c.stats().l1_misses, 4u);
}

TEST(L1Cache, ZeroFirstVictim) {
  L1Config cfg;
  cfg.size_bytes = 64;
  cfg.ways = 2;
  cfg.line_bytes = 32;
  cfg.zero_first_victim = true;
  L1Cache l1(cfg);
  std::vector<uint8_t> zero(32, 0), nz(32, 0);
  nz[5] = 9;
  l1.install(10, zero.data());  // older, zero
  l1.install(11, nz.data());
  l1.touch(l1.find(10));        // 10 is now most recent but zero
  EXPECT_EQ(l1.victim_slot(12), l1.find(10));
  cfg.zero_first_victim = false;
  L1Cache p(cfg);
  p.install(10, zero.data());
  p.install(11, nz.data());
  p.touch(p.find(10));
  EXPECT_EQ(p.victim_slot(12), p.find(11));
  const int s = p.install(12, zero.data());
  EXPECT_EQ(s, 1);
  EXPECT_TRUE(p.evicted_valid());
  EXPECT_EQ(p.evicted_la(), 11u);
  EXPECT_EQ(p.evicted_data()[5], 9);
}

TEST(L1Cache, ParseGeometry) {
  L1Config c = parse_l1("16K,4,32");
  EXPECT_EQ(c.size_bytes, 16384);
  EXPECT_EQ(c.ways, 4);
  EXPECT_EQ(c.line_bytes, 32);
  EXPECT_EQ(c.sets(), 128);
  EXPECT_EQ(parse_l1("32768,8,64").sets(), 64);
  EXPECT_THROW(parse_l1("16K,4"), Error);
  EXPECT_THROW(parse_l1("16K,4,24"), Error);   // line not a power of two
  EXPECT_THROW(parse_l1("24K,4,32"), Error);   // 192 sets
  EXPECT_THROW(parse_l1("16K,x,32"), Error);
  EXPECT_THROW(parse_l1("64,4,32"), Error);    // smaller than one set
}
