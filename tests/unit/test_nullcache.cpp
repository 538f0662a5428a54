// Golden null cache: address-merger rules built by hand (first order, cascade, strides, masks),
// store policies (invalidate, split), replacement order (free first, tree PLRU, singleton
// first) and invariant I3. Expected entries are written from docs/cache.md, not computed.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "common/bits.h"
#include "common/error.h"
#include "golden/nullcache.h"

using namespace fusegen;

namespace {
// la_bits-bit line addresses of line_bytes-byte lines (line_bytes = 2^shift).
NullCacheConfig small(int entries, int la_bits = 8, int line_bytes = 32, int shift = 5) {
  NullCacheConfig c;
  c.entries = entries;
  c.line_bytes = line_bytes;
  c.addr_w = la_bits + shift;
  return c;
}
// Every line the cache covers, by brute force over the la_bits space.
std::set<uint64_t> covered(const NullCacheModel& m) {
  std::set<uint64_t> s;
  const uint64_t n = uint64_t{1} << m.config().la_w();
  for (uint64_t la = 0; la < n; ++la)
    for (const NcEntry& e : m.entries())
      if (nc_match(e, la)) s.insert(la);
  return s;
}
}  // namespace

TEST(NullCache, LinesEightToElevenMergeIntoOneEntry) {
  NullCacheModel m(small(4));
  NcInsert a = m.insert(8);   // 0000_1000
  EXPECT_EQ(a.entry, 0);
  EXPECT_EQ(a.merges_first, 0);
  NcInsert b = m.insert(9);   // -> 0000_100X
  EXPECT_EQ(b.entry, 0);
  EXPECT_EQ(b.merges_first, 1);
  EXPECT_EQ(b.merges_higher, 0);
  NcInsert c = m.insert(10);  // no singleton partner at distance one: new entry
  EXPECT_EQ(c.entry, 1);
  EXPECT_EQ(c.merges_first, 0);
  NcInsert d = m.insert(11);  // 10 + 11 -> 101X, cascade with 100X -> 10XX in entry 1
  EXPECT_EQ(d.entry, 1);
  EXPECT_EQ(d.merges_first, 1);
  EXPECT_EQ(d.merges_higher, 1);
  EXPECT_EQ(d.freed, 1);
  EXPECT_FALSE(m.entries()[0].valid);
  EXPECT_TRUE(m.entries()[1].valid);
  EXPECT_EQ(m.entries()[1].val, 0x08u);
  EXPECT_EQ(m.entries()[1].care, 0xFCu);
  EXPECT_EQ(covered(m), (std::set<uint64_t>{8, 9, 10, 11}));
  EXPECT_EQ(check_i3(m.entries(), 8), "");
}

TEST(NullCache, AlreadyCoveredChangesNothing) {
  NullCacheModel m(small(4));
  m.insert(8);
  m.insert(9);
  auto before = m.entries();
  auto tree = m.plru_bits();
  NcInsert r = m.insert(9);
  EXPECT_TRUE(r.already_covered);
  EXPECT_EQ(r.entry, 0);
  EXPECT_EQ(m.entries(), before);
  EXPECT_EQ(m.plru_bits(), tree);
}

TEST(NullCache, Stride16LinesMerge) {
  NullCacheModel m(small(4));
  m.insert(0x03);
  NcInsert r = m.insert(0x13);  // differ in bit 4 only
  EXPECT_EQ(r.merges_first, 1);
  EXPECT_EQ(m.entries()[0].val, 0x03u);
  EXPECT_EQ(m.entries()[0].care, 0xEFu);
  m.insert(0x23);
  r = m.insert(0x33);  // 0x23+0x33 -> X in bit 4, cascade with 0x03/0x13 via bit 5
  EXPECT_EQ(r.merges_higher, 1);
  EXPECT_EQ(covered(m), (std::set<uint64_t>{0x03, 0x13, 0x23, 0x33}));
  EXPECT_EQ(m.valid_entries(), 1);
}

TEST(NullCache, DifferentMasksNeverMerge) {
  NullCacheModel m(small(4, 4));
  m.insert(0b1000);
  m.insert(0b1001);
  m.insert(0b1010);
  m.insert(0b1011);  // 10XX
  ASSERT_EQ(m.valid_entries(), 1);
  NcInsert r = m.insert(0b0100);  // must not become 0XXX or XXXX
  EXPECT_EQ(r.merges_first, 0);
  EXPECT_EQ(m.valid_entries(), 2);
  EXPECT_EQ(covered(m), (std::set<uint64_t>{4, 8, 9, 10, 11}));
  // A singleton at distance one from a merged cube's base does not merge into it either.
  r = m.insert(0b0000);
  EXPECT_EQ(r.merges_first, 1);  // merges with 0100 (same mask) -> 0X00
  EXPECT_EQ(covered(m), (std::set<uint64_t>{0, 4, 8, 9, 10, 11}));
}

TEST(NullCache, LongCascadeBuildsOneCube) {
  NullCacheModel m(small(8, 6));
  // Insert 0..7 in an order that builds several cubes which then cascade.
  for (uint64_t la : {0, 2, 4, 6, 1, 3, 5, 7}) m.insert(la);
  EXPECT_EQ(m.valid_entries(), 1);
  EXPECT_EQ(covered(m), (std::set<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  for (const NcEntry& e : m.entries())
    if (e.valid) EXPECT_EQ(e.care, 0x38u);
}

TEST(NullCache, PartnerIsLowestIndex) {
  NullCacheModel m(small(4));
  m.insert(0x10);  // entry 0
  m.insert(0x13);  // entry 1 (distance 2 from 0x10)
  NcInsert r = m.insert(0x11);  // distance one from both 0x10 (entry 0) and 0x13 (entry 1)
  EXPECT_EQ(r.entry, 0);
  EXPECT_EQ(m.entries()[0].val, 0x10u);
  EXPECT_EQ(m.entries()[0].care, 0xFEu);
  EXPECT_EQ(m.entries()[1].val, 0x13u);
}

TEST(NullCache, LookupHitMissAndLowestFree) {
  NullCacheModel m(small(4));
  m.insert(1);
  m.insert(0x40);
  m.insert(0x80);
  EXPECT_TRUE(m.lookup(0x40, false).hit);
  EXPECT_EQ(m.lookup(0x40, false).entry, 1);
  EXPECT_FALSE(m.lookup(0x41, false).hit);
  m.store(0x40, true);  // frees entry 1
  EXPECT_FALSE(m.entries()[1].valid);
  EXPECT_EQ(m.insert(0xC1).entry, 1);  // lowest free entry (0xC1 merges with nothing)
}

TEST(NullCache, InvalidatePolicyDropsWholeCube) {
  NullCacheModel m(small(4));
  for (uint64_t la : {8, 9, 10, 11}) m.insert(la);
  NcStore z = m.store(9, false);  // zero store: coverage kept
  EXPECT_TRUE(z.covered);
  EXPECT_EQ(z.invalidated, 0);
  EXPECT_EQ(covered(m).size(), 4u);
  NcStore s = m.store(9, true);
  EXPECT_TRUE(s.covered);
  EXPECT_EQ(s.invalidated, 1);
  EXPECT_FALSE(s.split);
  EXPECT_TRUE(covered(m).empty());
  NcStore miss = m.store(9, true);
  EXPECT_FALSE(miss.covered);
}

TEST(NullCache, SplitPolicyLeavesDisjointCubesCoveringTheRest) {
  NullCacheConfig c = small(8);
  c.policy = StorePolicy::kSplit;
  NullCacheModel m(c);
  for (uint64_t la = 0x20; la < 0x28; ++la) m.insert(la);  // 00100XXX
  ASSERT_EQ(m.valid_entries(), 1);
  const int e0 = m.lookup(0x20, false).entry;
  NcStore s = m.store(0x25, true);  // 0x25 = 00100101
  EXPECT_TRUE(s.split);
  EXPECT_EQ(s.new_entries, 2);
  EXPECT_EQ(s.invalidated, 0);
  std::set<uint64_t> want;
  for (uint64_t la = 0x20; la < 0x28; ++la)
    if (la != 0x25) want.insert(la);
  EXPECT_EQ(covered(m), want);
  EXPECT_EQ(check_i3(m.entries(), 8), "");
  // Cube 1 (highest X bit, bit 2, flipped: 001000XX) stays in the original entry.
  EXPECT_EQ(m.entries()[e0].val, 0x20u);
  EXPECT_EQ(m.entries()[e0].care, 0xFCu);
  // Cubes 2 and 3 go to the lowest free entries: 0010011X, then 00100100.
  std::vector<NcEntry> others;
  for (int i = 0; i < 8; ++i)
    if (i != e0 && m.entries()[i].valid) others.push_back(m.entries()[i]);
  ASSERT_EQ(others.size(), 2u);
  EXPECT_EQ(others[0].val, 0x26u);
  EXPECT_EQ(others[0].care, 0xFEu);
  EXPECT_EQ(others[1].val, 0x24u);
  EXPECT_EQ(others[1].care, 0xFFu);
}

TEST(NullCache, SplitFallsBackToInvalidateWhenFull) {
  NullCacheConfig c = small(2);
  c.policy = StorePolicy::kSplit;
  NullCacheModel m(c);
  for (uint64_t la = 0; la < 4; ++la) m.insert(la);  // 000000XX, entry 0
  m.insert(0x80);                                    // entry 1: no free entry left
  NcStore s = m.store(1, true);                      // needs 1 free entry, has 0
  EXPECT_FALSE(s.split);
  EXPECT_EQ(s.invalidated, 1);
  EXPECT_EQ(covered(m), (std::set<uint64_t>{0x80}));
}

TEST(NullCache, SplitOfSingletonIsInvalidate) {
  NullCacheConfig c = small(4);
  c.policy = StorePolicy::kSplit;
  NullCacheModel m(c);
  m.insert(5);
  NcStore s = m.store(5, true);
  EXPECT_FALSE(s.split);
  EXPECT_EQ(s.invalidated, 1);
  EXPECT_EQ(m.valid_entries(), 0);
}

TEST(NullCache, FreeFirstThenTreePlru) {
  NullCacheModel m(small(4));
  // Far-apart addresses never merge.
  EXPECT_EQ(m.insert(0x00).entry, 0);
  EXPECT_EQ(m.insert(0x30).entry, 1);
  EXPECT_EQ(m.insert(0x50).entry, 2);
  EXPECT_EQ(m.insert(0x90).entry, 3);
  // Touch order 0,1,2,3: tree points at entry 0 (least recently used).
  EXPECT_EQ(m.plru_victim(), 0);
  m.lookup(0x00, true);  // touch 0: root -> right half, node(2,3) -> 2 (2 older than 3)
  EXPECT_EQ(m.plru_victim(), 2);
  NcInsert r = m.insert(0xF0);
  EXPECT_TRUE(r.evicted);
  EXPECT_EQ(r.entry, 2);
  EXPECT_FALSE(m.lookup(0x50, false).hit);
  // Now recent: 2 (alloc) then: tree root -> left, node(0,1) points at 1.
  EXPECT_EQ(m.plru_victim(), 1);
  m.lookup(0x30, false);  // lookup without touch changes nothing
  EXPECT_EQ(m.plru_victim(), 1);
  m.store(0x30, false);   // zero store hit touches
  EXPECT_EQ(m.plru_victim(), 3);
}

TEST(NullCache, PlruWithNonPowerOfTwoEntries) {
  NullCacheModel m(small(3));
  m.insert(0x00);
  m.insert(0x30);
  m.insert(0x50);  // touches 0,1,2; the tree's right half has only entry 2 (leaf 3 absent)
  EXPECT_EQ(m.plru_victim(), 0);
  m.lookup(0x00, true);  // root -> right: only entry 2 there
  EXPECT_EQ(m.plru_victim(), 2);
  m.lookup(0x50, true);  // root -> left, node(0,1) -> 1
  EXPECT_EQ(m.plru_victim(), 1);
}

TEST(NullCache, SingleEntryCache) {
  NullCacheModel m(small(1));
  EXPECT_EQ(m.insert(3).entry, 0);
  NcInsert r = m.insert(0x40);
  EXPECT_TRUE(r.evicted);
  EXPECT_EQ(r.entry, 0);
  EXPECT_EQ(covered(m), (std::set<uint64_t>{0x40}));
  EXPECT_TRUE(m.plru_bits().empty());
}

TEST(NullCache, SingletonFirstEvictsSingleLineEntries) {
  NullCacheConfig c = small(4);
  c.singleton_first = true;
  NullCacheModel m(c);
  m.insert(0x00);
  m.insert(0x01);  // entry 0 = 0000000X (merged)
  m.insert(0x30);  // entry 1
  m.insert(0x50);  // entry 2
  m.insert(0x90);  // entry 3; plain PLRU would evict 0 (least recent: touched before 1..3)
  EXPECT_EQ(m.plru_victim(), 1);
  NcInsert r = m.insert(0xF0);
  EXPECT_EQ(r.entry, 1);
  EXPECT_TRUE(m.lookup(0x01, false).hit);
  // Without the option the merged entry goes.
  NullCacheModel p(small(4));
  for (uint64_t la : {0x00, 0x01, 0x30, 0x50, 0x90}) p.insert(la);
  EXPECT_EQ(p.plru_victim(), 0);
}

TEST(NullCache, FlushClearsEntriesAndTree) {
  NullCacheModel m(small(4));
  for (uint64_t la : {0x00, 0x30, 0x50}) m.insert(la);
  m.flush();
  EXPECT_EQ(m.valid_entries(), 0);
  for (uint8_t b : m.plru_bits()) EXPECT_EQ(b, 0);
  EXPECT_EQ(m.insert(0x50).entry, 0);
}

TEST(NullCache, FillCheckUsesZda) {
  NullCacheConfig c = small(4, 8, 8, 3);
  c.zda.elem_w = 8;
  NullCacheModel m(c);
  uint8_t line[8] = {0, 0, 0, 0, 0, 0, 0, 1};
  NcFill f = m.fill_check(2, line);
  EXPECT_FALSE(f.zero);
  EXPECT_EQ(m.valid_entries(), 0);
  line[7] = 0;
  f = m.fill_check(2, line);
  EXPECT_TRUE(f.zero);
  EXPECT_FALSE(f.approximated);
  EXPECT_EQ(f.insert.entry, 0);
  c.zda.mode = ApproxMode::kInt;
  c.zda.thresh = 1;
  NullCacheModel a(c);
  line[3] = 0xFF;  // -1 as int8
  f = a.fill_check(7, line);
  EXPECT_TRUE(f.zero);
  EXPECT_TRUE(f.approximated);
}

TEST(NullCache, CheckI3DetectsOverlapAndNonCanonical) {
  std::vector<NcEntry> e = {{true, 0x08, 0xFC}, {true, 0x09, 0xFF}};
  EXPECT_NE(check_i3(e, 8), "");
  e = {{true, 0x09, 0xFE}};
  EXPECT_NE(check_i3(e, 8), "");
  e = {{true, 0x08, 0xFC}, {true, 0x0C, 0xFF}, {false, 0x08, 0xFF}};
  EXPECT_EQ(check_i3(e, 8), "");
}

TEST(NullCache, RejectsBadConfig) {
  NullCacheConfig c;
  c.entries = 0;
  EXPECT_THROW(NullCacheModel{c}, Error);
  c = NullCacheConfig{};
  c.line_bytes = 48;
  EXPECT_THROW(NullCacheModel{c}, Error);
  c = NullCacheConfig{};
  c.addr_w = 65;
  EXPECT_THROW(NullCacheModel{c}, Error);
  c = NullCacheConfig{};
  c.addr_w = 5 + 0;  // 32-byte lines leave no line-address bit
  EXPECT_THROW(NullCacheModel{c}, Error);
}

// The RTL latency table of docs/nullcache_rtl.md ("Protocol and timing"), worked by hand.
TEST(NullCacheTiming, LatenciesFollowTheDocumentedTable) {
  NullCacheConfig inv;
  inv.entries = 8;
  NullCacheConfig split = inv;
  split.policy = StorePolicy::kSplit;
  NcInsert covered;
  covered.already_covered = true;
  EXPECT_EQ(nc_insert_latency(inv, covered), 2);
  EXPECT_EQ(nc_insert_latency(inv, NcInsert{}), 3);  // allocation
  NcInsert merged;
  merged.merges_first = 1;
  EXPECT_EQ(nc_insert_latency(inv, merged), 4);
  merged.merges_higher = 3;
  EXPECT_EQ(nc_insert_latency(inv, merged), 10);  // 4 + 2 per cascade step
  NcFill nonzero;
  EXPECT_EQ(nc_fill_latency(inv, nonzero), 2);
  NcFill zero;
  zero.zero = true;
  zero.insert = merged;
  EXPECT_EQ(nc_fill_latency(inv, zero), 10);
  NcStore miss, inval, sp;
  inval.covered = true;
  inval.invalidated = 1;
  sp.covered = true;
  sp.split = true;
  sp.new_entries = 4;  // k = 5 cubes
  EXPECT_EQ(nc_store_latency(inv, miss), 2);
  EXPECT_EQ(nc_store_latency(inv, inval), 2);   // policy invalidate: cleared in Exec
  EXPECT_EQ(nc_store_latency(split, inval), 3);  // policy split falling back: SpGo
  EXPECT_EQ(nc_store_latency(split, sp), 7);     // k + 2
}
