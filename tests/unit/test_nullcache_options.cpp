// The null-cache command-line options shared by `fusegen nullcache`, `fusegen cache`,
// nc_regress and the Verilated testbench (tb/nc_options.h): values reach the right fields,
// the testbench's argument list reproduces a configuration, flags are flags, and bad values
// name the option and what is allowed. Expected values are written by hand.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "tb/nc_options.h"

namespace fusegen {
namespace {

// Parses args (without the program name) with the options of `groups` into a default config.
NullCacheConfig parse(const std::vector<std::string>& args, int groups = kNcAllOptions) {
  NullCacheConfig c;
  cxxopts::Options o("t", "test");
  add_nullcache_options(o, groups, c);
  std::vector<const char*> argv = {"t"};
  for (const auto& a : args) argv.push_back(a.c_str());
  read_nullcache_options(parse_tb_args(o, static_cast<int>(argv.size()), argv.data()), groups,
                         c);
  return c;
}

// The message of the error parse(args) throws ("" if none).
std::string error_of(const std::vector<std::string>& args) {
  try {
    parse(args).validate();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(NullCacheOptions, DefaultsAreTheStructDefaults) {
  const NullCacheConfig c = parse({});
  EXPECT_EQ(c.entries, 128);
  EXPECT_EQ(c.addr_w, 32);
  EXPECT_EQ(c.line_bytes, 32);
  EXPECT_EQ(c.policy, StorePolicy::kInvalidate);
  EXPECT_EQ(c.zda.mode, ApproxMode::kOff);
  EXPECT_EQ(c.zda.elem_w, 32);
  EXPECT_FALSE(c.singleton_first);
}

TEST(NullCacheOptions, ValuesReachTheirFields) {
  const NullCacheConfig c = parse({"--entries", "5", "--addr-width", "16", "--line-bytes", "4",
                                   "--store-policy", "split", "--approx", "int:3",
                                   "--elem-width", "8", "--singleton-first"});
  EXPECT_EQ(c.entries, 5);
  EXPECT_EQ(c.addr_w, 16);
  EXPECT_EQ(c.line_bytes, 4);
  EXPECT_EQ(c.la_w(), 14);
  EXPECT_EQ(c.policy, StorePolicy::kSplit);
  EXPECT_EQ(c.zda.mode, ApproxMode::kInt);
  EXPECT_EQ(c.zda.thresh, 3);
  EXPECT_EQ(c.zda.elem_w, 8);  // --elem-width applies whatever the order
  EXPECT_TRUE(c.singleton_first);
}

TEST(NullCacheOptions, ArgsReproduceTheConfig) {
  NullCacheConfig c;
  c.entries = 6;
  c.addr_w = 20;
  c.policy = StorePolicy::kSplit;
  c.zda.mode = ApproxMode::kFloat;
  c.zda.thresh = 90;
  c.singleton_first = true;
  const std::vector<std::string> want = {
      "--entries", "6", "--addr-width", "20", "--line-bytes", "32", "--store-policy", "split",
      "--approx", "float:90", "--elem-width", "32", "--singleton-first"};
  EXPECT_EQ(nullcache_option_args(c), want);
  const NullCacheConfig d = parse(want);
  EXPECT_EQ(d.params(), c.params());
  c.singleton_first = false;
  EXPECT_EQ(nullcache_option_args(c).back(), "32");  // a flag: absent when false
}

TEST(NullCacheOptions, BehaviourGroupOnly) {
  cxxopts::Options o("t", "test");
  add_nullcache_options(o, kNcBehaviour, NullCacheConfig{});
  const char* argv[] = {"t", "--entries", "4"};
  EXPECT_ANY_THROW(parse_tb_args(o, 3, argv));  // --entries belongs to the geometry group
}

TEST(NullCacheOptions, BadValuesNameTheOption) {
  EXPECT_EQ(error_of({"--store-policy", "invalid"}),
            "--store-policy 'invalid' is not allowed: choose one of invalidate, split");
  EXPECT_EQ(error_of({"--entries", "many"}), "--entries 'many' is not an integer: allowed 1..1024");
  EXPECT_EQ(error_of({"--entries", "0"}), "entries 0 is out of range: allowed 1..1024");
  EXPECT_EQ(error_of({"--elem-width", "12"}),
            "element width 12 is not allowed: choose 8, 16 or 32");
  EXPECT_EQ(error_of({"--approx", "fuzzy"}).rfind("--approx 'fuzzy' is not allowed: use off, "
                                                  "int:T", 0), 0u);
  // --singleton-first is a flag: a value after it is a stray argument.
  EXPECT_EQ(error_of({"--singleton-first", "1"}), "unexpected argument '1'");
}

}  // namespace
}  // namespace fusegen
