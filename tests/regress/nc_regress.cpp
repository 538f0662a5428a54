// nc_regress: the null-cache RTL regression driver used by tests/nullcache_rtl.cmake. Builds
// (or reuses, sim/verilator_build.h) the Verilated testbench of one configuration, then runs
// its random lockstep mode with the given seeds and transaction count, passing its output
// through. Exit 0 = every transaction matched, 1 = mismatch, 2 = build or usage error.
//   nc_regress --entries 8 --addr-width 12 [--store-policy split] [--approx int:3]
//              [--elem-width 8] [--singleton-first] [--build-only] [-- tb args...]
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/nullcache_config.h"
#include "common/bits.h"
#include "common/error.h"
#include "sim/nullcache_rtl.h"
#include "sim/verilator_build.h"

int main(int argc, char** argv) {
  try {
    fusegen::NullCacheGenConfig g;
    bool build_only = false;
    std::vector<std::string> tb_args;
    for (int i = 1; i < argc; ++i) {
      const std::string k = argv[i];
      auto val = [&]() -> std::string {
        if (i + 1 >= argc) throw fusegen::Error(fmt::format("{} needs a value", k));
        return argv[++i];
      };
      if (k == "--entries") g.entries = std::stoi(val());
      else if (k == "--addr-width") g.addr_w = std::stoi(val());
      else if (k == "--line-bytes") g.line_bytes = std::stoi(val());
      else if (k == "--store-policy") {
        const std::string p = val();
        g.policy = p == "split" ? fusegen::NcStorePolicy::kSplit : fusegen::NcStorePolicy::kInvalidate;
      } else if (k == "--approx") g.parse_approx(val());
      else if (k == "--elem-width") g.elem_w = std::stoi(val());
      else if (k == "--singleton-first") g.singleton_first = true;
      else if (k == "--build-only") build_only = true;
      else if (k == "--") {
        for (++i; i < argc; ++i) tb_args.push_back(argv[i]);
      } else {
        throw fusegen::Error(fmt::format("unknown option '{}'", k));
      }
    }
    g.validate();
    const std::string exe = fusegen::ensure_nullcache_tb(g);
    if (build_only) {
      std::printf("built %s\n", exe.c_str());
      return 0;
    }
    std::string cmd = fusegen::shell_quote(exe) + " random";
    for (const auto& a : fusegen::nc_tb_config_args(g)) cmd += " " + fusegen::shell_quote(a);
    for (const auto& a : tb_args) cmd += " " + fusegen::shell_quote(a);
    std::fflush(stdout);
    const int rc = fusegen::run_shell(cmd);
    return rc < 0 ? 2 : rc;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nc_regress: error: %s\n", e.what());
    return 2;
  }
}
