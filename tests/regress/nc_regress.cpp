// nc_regress: the null-cache RTL regression driver used by tests/nullcache_rtl.cmake. Builds
// (or reuses, sim/verilator_build.h) the Verilated testbench of one configuration, then runs
// its random lockstep mode with the given seeds and transaction count, passing its output
// through. Exit 0 = every transaction matched, 1 = mismatch, 2 = build or usage error.
//   nc_regress --entries 8 --addr-width 12 [--store-policy split] [--approx int:3]
//              [--elem-width 8] [--singleton-first] [--build-only] [-- tb args...]
//   nc_regress <configuration> --dump-icarus DIR [--seed S] [--txns N]
//     writes the golden replay vectors of one seeded stream for tb/icarus/nc_replay_tb.v
//     (tb/nc_vector_dump.h) instead of running the Verilated testbench.
// The configuration options are those of tb/nc_options.h (also the testbench's).
#include <cstdio>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>

#include "common/error.h"
#include "sim/nullcache_rtl.h"
#include "sim/verilator_build.h"
#include "tb/nc_options.h"
#include "tb/nc_vector_dump.h"

int main(int argc, char** argv) {
  try {
    int own = argc;  // arguments after "--" go to the testbench
    for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]) == "--") {
        own = i;
        break;
      }
    fusegen::NullCacheConfig cfg;
    cxxopts::Options o("nc_regress", "null-cache RTL regression of one configuration");
    fusegen::add_nullcache_options(o, fusegen::kNcAllOptions, cfg);
    o.add_options()("build-only", "only build the testbench")
        ("dump-icarus", "write replay vectors into DIR", cxxopts::value<std::string>())
        ("seed", "--dump-icarus: stream seed", cxxopts::value<uint64_t>()->default_value("1"))
        ("txns", "--dump-icarus: transactions", cxxopts::value<uint64_t>()->default_value("2000"));
    const cxxopts::ParseResult r = fusegen::parse_tb_args(o, own, argv);
    fusegen::read_nullcache_options(r, fusegen::kNcAllOptions, cfg);
    cfg.validate();
    if (r.count("dump-icarus")) {
      const uint64_t n = fusegen::nc_dump_replay(cfg, r["seed"].as<uint64_t>(),
                                                 r["txns"].as<uint64_t>(),
                                                 r["dump-icarus"].as<std::string>());
      std::printf("wrote %llu transactions\n", static_cast<unsigned long long>(n));
      return 0;
    }
    const std::string exe = fusegen::ensure_nullcache_tb(cfg);
    if (r.count("build-only")) {
      std::printf("built %s\n", exe.c_str());
      return 0;
    }
    std::string cmd = fusegen::shell_quote(exe) + " random";
    for (const auto& a : fusegen::nullcache_option_args(cfg)) cmd += " " + fusegen::shell_quote(a);
    for (int i = own + 1; i < argc; ++i) cmd += " " + fusegen::shell_quote(argv[i]);
    std::fflush(stdout);
    const int rc = fusegen::run_shell(cmd);
    return rc < 0 ? 2 : rc;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nc_regress: error: %s\n", e.what());
    return 2;
  }
}
