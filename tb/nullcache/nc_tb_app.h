// The null-cache testbench application: parses the configuration and mode, then either runs
// seeded random transaction streams through the RTL and NullCacheModel in lockstep (mode
// "random"), or serves transactions read from stdin for the `rtl` engine of `fusegen cache`
// (mode "serve"). The scoreboard compares every result, the latency and the whole entry
// table after every transaction and reports the first difference with the seed to replay it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/nullcache.h"
#include "tb/nc_protocol.h"

// Command line: tb random|serve [the null-cache options of tb/nc_options.h] [--seeds A[-B]]
//               [--txns N] [--window BITS] [--trace FILE] [--inject-fault] [--json] [+plusargs]

namespace nctb {

struct TbOptions {
  std::string mode;                   // "random" or "serve"
  fusegen::NullCacheConfig cfg;       // the configuration this executable was built for
  uint64_t seed_lo = 1, seed_hi = 1;  // random: seeds seed_lo..seed_hi
  uint64_t txns = 1000;               // random: transactions per seed
  int window_bits = -1;               // random: dense address window (-1: from entries)
  std::string trace;                  // FST trace file ("" = none)
  bool inject_fault = false;          // random: feed the RTL a wrong address once (must fail)
  bool json = false;                  // random: print the summary as JSON
};

class NcTbApp {
 public:
  NcTbApp(int argc, char** argv);
  int run();  // 0 all matched, 1 mismatch, 2 usage or testbench error

 private:
  int run_random();
  int run_serve();

  int argc_;          // for Verilator plusargs
  char** argv_;
  TbOptions opt_;     // parsed options
  std::string error_; // usage error, reported by run()
};

}  // namespace nctb
