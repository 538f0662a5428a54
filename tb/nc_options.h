// Command-line options of a null-cache configuration, shared by `fusegen nullcache`, `fusegen
// cache`, tests/regress/nc_regress and the Verilated null-cache testbench (tb/nullcache/): one
// spelling and meaning per option (--singleton-first is a flag everywhere), the syntax parsers
// of golden/nullcache_config.h and golden/zda.h, and NullCacheConfig::validate() for ranges.
#pragma once

#include <string>
#include <vector>

#include <cxxopts.hpp>

#include "golden/nullcache_config.h"
#include "tb/tb_args.h"

namespace fusegen {

// Option groups: the geometry (--entries, --addr-width, --line-bytes) and the behaviour
// (--store-policy, --approx, --elem-width, --singleton-first).
enum NcOptionGroup { kNcGeometry = 1, kNcBehaviour = 2, kNcAllOptions = 3 };

// Adds the options of `groups` (NcOptionGroup bits) to o; the help shows the defaults of d
// (except for --entries).
void add_nullcache_options(cxxopts::Options& o, int groups, const NullCacheConfig& d);
// Sets c's fields from the options of `groups` given in r (absent ones keep c's values).
// Throws fusegen::Error naming the option and the allowed values for a malformed value; the
// ranges are checked by c.validate(), which the caller runs once c is complete.
void read_nullcache_options(const cxxopts::ParseResult& r, int groups, NullCacheConfig& c);
// The options of both groups that reproduce c (name excluded): the testbench's command line.
std::vector<std::string> nullcache_option_args(const NullCacheConfig& c);

}  // namespace fusegen
