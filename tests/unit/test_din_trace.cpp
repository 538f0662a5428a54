// din trace reader/writer: every field form of docs/cache.md (Traces), 64-bit addresses, comments,
// address-width narrowing, malformed records (error with line number), atomic writing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/bits.h"
#include "common/error.h"
#include "sim/din_trace.h"

using namespace fusegen;

namespace {
std::vector<DinRecord> parse(const std::string& text, int addr_bits = 64) {
  std::istringstream in(text);
  DinReader r(in, "t.din", addr_bits);
  std::vector<DinRecord> out;
  DinRecord rec;
  while (r.next(rec)) out.push_back(rec);
  return out;
}
std::string error_of(const std::string& text, int addr_bits = 64) {
  try {
    parse(text, addr_bits);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(DinTrace, ParsesAllLabelsAndDefaults) {
  auto v = parse("# header\n\n0 1f\n1 ffffffffffffffff 1 ab\n2 400000 12\n5 100 4 00010203\n0 100 2 0001\n");
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0].label, 0);
  EXPECT_EQ(v[0].addr, 0x1Fu);
  EXPECT_EQ(v[0].size, 4u);  // default size
  EXPECT_FALSE(v[0].has_data);
  EXPECT_EQ(v[1].addr, 0xFFFFFFFFFFFFFFFFull);
  EXPECT_EQ(v[1].size, 1u);
  ASSERT_TRUE(v[1].has_data);
  EXPECT_EQ(v[1].data[0], 0xAB);
  EXPECT_EQ(v[2].label, 2);
  EXPECT_EQ(v[2].size, 12u);
  EXPECT_EQ(v[3].label, 5);
  EXPECT_EQ(v[3].data, (std::vector<uint8_t>{0, 1, 2, 3}));
  EXPECT_EQ(v[4].data, (std::vector<uint8_t>{0, 1}));
}

TEST(DinTrace, MalformedRecordsNameTheLine) {
  EXPECT_NE(error_of("0 10\n3 10\n").find("t.din:2: label '3'"), std::string::npos);
  EXPECT_NE(error_of("0 0x10\n").find("t.din:1: address '0x10' is not hexadecimal"), std::string::npos);
  EXPECT_NE(error_of("0\n").find("t.din:1: missing ADDRESS"), std::string::npos);
  EXPECT_NE(error_of("0 10 0\n").find("size '0'"), std::string::npos);
  EXPECT_NE(error_of("0 10 4x\n").find("size '4x'"), std::string::npos);
  EXPECT_NE(error_of("0 10 4097\n").find("1..4096"), std::string::npos);
  EXPECT_NE(error_of("0 10 2 abc\n").find("data has 3 hex digits but size 2 needs 4"), std::string::npos);
  EXPECT_NE(error_of("0 10 2 zzzz\n").find("not hexadecimal"), std::string::npos);
  EXPECT_NE(error_of("5 10 4\n").find("t.din:1: a memory initialization"), std::string::npos);
  EXPECT_NE(error_of("0 10 4 00000000 extra\n").find("too many fields"), std::string::npos);
  EXPECT_NE(error_of("0 10000000000000000\n").find("does not fit in 64 bits"), std::string::npos);
  EXPECT_EQ(error_of("0 00000000000000000010\n"), "");  // leading zeros are fine
  EXPECT_NE(error_of("0 fffffffffffffffe 4\n").find("does not fit"), std::string::npos);  // wraps
}

TEST(DinTrace, AddressWidthNarrowing) {
  EXPECT_EQ(error_of("0 fffffffc 4\n", 32), "");
  const std::string e = error_of("0 10\n0 fffffffe 4\n", 32);
  EXPECT_NE(e.find("t.din:2:"), std::string::npos);
  EXPECT_NE(e.find("32-bit address width"), std::string::npos);
  EXPECT_NE(error_of("1 100000000\n", 32).find("t.din:1:"), std::string::npos);
  EXPECT_EQ(error_of("2 100000000\n", 32), "");  // instruction fetches are not data addresses
}

TEST(DinTrace, WriterRoundTripsAndIsAtomic) {
  const std::string dir = std::string(FUSEGEN_TEST_TMP) + "/din";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/rt.din";
  std::filesystem::remove(path);
  DinRecord a;
  a.label = 1;
  a.addr = 0xDEADBEEF00ull;
  a.size = 3;
  a.has_data = true;
  a.data = {0x00, 0x7F, 0xFF};
  DinRecord b;
  b.label = 0;
  b.addr = 0;
  b.size = 8;
  {
    DinWriter w(path);
    w.comment("first\nsecond");
    w.record(a);
    w.record(b);
    EXPECT_FALSE(std::filesystem::exists(path));  // nothing visible before commit
    w.commit();
  }
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "# first\n# second\n1 deadbeef00 3 007fff\n0 0 8\n");
  auto v = parse(ss.str());
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].addr, a.addr);
  EXPECT_EQ(v[0].data, a.data);
  EXPECT_EQ(format_din(a), "1 deadbeef00 3 007fff");
  // An uncommitted writer leaves nothing behind.
  const std::string p2 = dir + "/never.din";
  std::filesystem::remove(p2);
  { DinWriter w(p2); w.record(a); }
  EXPECT_FALSE(std::filesystem::exists(p2));
  for (const auto& e : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(DinTrace, OpenMissingFileNamesIt) {
  try {
    DinReader::open("/nonexistent/x.din");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.din"), std::string::npos);
  }
}
