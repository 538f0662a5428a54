// Null-cache RTL benchmark: Yosys generic-cell area (cells, flip-flops, CMOS transistor
// estimate) of the generated null cache at 32, 128 and 512 entries, and the transaction rate
// of the Verilated RTL in lockstep with the golden model. Estimates, not sign-off numbers.
// Prints tables; asserts nothing. Set FUSEGEN_BENCH_NC_ENTRIES=32,128 to choose the sizes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "golden/nullcache_config.h"
#include "generator/nullcache_emitter.h"
#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"
#include "sim/nullcache_rtl.h"
#include "sim/verilator_build.h"
#include "tb/nc_options.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Area {
  long cells = -1;        // generic cells after synth (hierarchy total)
  long flops = -1;        // flip-flop cells
  long transistors = -1;  // stat -tech cmos estimate
  double seconds = 0;     // Yosys run time
};

Area synth(const fusegen::NullCacheConfig& c, const std::string& dir) {
  fusegen::emit_nullcache(c).write_to(dir);
  Area a;
  const auto t0 = Clock::now();
  const int rc = fusegen::run_shell(fmt::format("cd {} && yosys -q -s {}.ys >yosys.log 2>&1",
                                                fusegen::shell_quote(dir), c.name));
  a.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (rc != 0) return a;
  // The hierarchy total of `stat -top` is the last "Number of cells" block of <name>_area.txt.
  const std::string stat = fusegen::read_file(dir + "/" + c.name + "_area.txt");
  const std::string cmos = fusegen::read_file(dir + "/" + c.name + "_cmos.txt");
  std::smatch m;
  if (std::regex_search(cmos, m, std::regex(R"(Estimated number of transistors:\s+(\d+))")))
    a.transistors = std::stol(m[1]);
  long ff = 0;
  std::istringstream in(stat);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch f;
    if (std::regex_search(line, f, std::regex(R"(Number of cells:\s+(\d+))"))) {
      a.cells = std::stol(f[1]);
      ff = 0;
    } else if (std::regex_search(line, f, std::regex(R"(\$_[A-Z]*DFF[A-Z0-9_]*\s+(\d+))"))) {
      ff += std::stol(f[1]);
    }
  }
  a.flops = ff;
  return a;
}

std::vector<int> sizes() {
  std::vector<int> v;
  const char* env = std::getenv("FUSEGEN_BENCH_NC_ENTRIES");
  std::string s = env ? env : "32,128,512";
  std::istringstream in(s);
  std::string tok;
  while (std::getline(in, tok, ',')) v.push_back(std::stoi(tok));
  return v;
}

}  // namespace

int main() {
  const std::string tmp = fs::temp_directory_path().string() + "/fusegen_bench_nc";
  std::error_code ec;
  fs::remove_all(tmp, ec);

  fmt::print("Null-cache area, Yosys 'synth -flatten' generic cells (estimates, not sign-off)\n");
  fmt::print("32-bit byte addresses, 32-byte lines (27-bit line addresses), exact ZDA\n\n");
  fmt::print("{:>8} {:>11} {:>10} {:>10} {:>14} {:>14} {:>9}\n", "entries", "policy", "cells",
             "flops", "transistors", "transistors/e", "yosys s");
  for (int e : sizes()) {
    for (const char* pol : {"invalidate", "split"}) {
      if (e > 128 && std::string(pol) == "split") continue;  // Yosys time: one policy at 512
      fusegen::NullCacheConfig c;
      c.entries = e;
      c.policy = fusegen::parse_store_policy(pol);
      c.name = "nc";
      const Area a = synth(c, fmt::format("{}/area_{}_{}", tmp, e, pol));
      fmt::print("{:>8} {:>11} {:>10} {:>10} {:>14} {:>14.0f} {:>9.1f}\n", e, pol, a.cells,
                 a.flops, a.transistors, a.transistors > 0 ? double(a.transistors) / e : 0.0,
                 a.seconds);
      std::fflush(stdout);
    }
  }

  fmt::print("\nVerilated RTL in lockstep with NullCacheModel (random streams, 1 seed)\n");
  fmt::print("includes golden model, scoreboard and a full entry-table read per transaction\n\n");
  fmt::print("{:>8} {:>11} {:>10} {:>10} {:>11} {:>12} {:>10}\n", "entries", "policy", "txns",
             "cycles", "cycles/txn", "txns/s", "build s");
  for (int e : {8, 128}) {
    fusegen::NullCacheConfig c;
    c.entries = e;
    c.policy = fusegen::StorePolicy::kSplit;
    const auto t0 = Clock::now();
    std::string exe;
    try {
      exe = fusegen::ensure_nullcache_tb(c);
    } catch (const fusegen::Error& err) {
      fmt::print("{:>8} build failed: {}\n", e, err.what());
      continue;
    }
    const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
    const long txns = 200000;
    std::string cmd = fusegen::shell_quote(exe) + " random";
    for (const auto& a : fusegen::nullcache_option_args(c)) cmd += " " + fusegen::shell_quote(a);
    const std::string out = tmp + fmt::format("/rate_{}.json", e);
    fs::create_directories(tmp, ec);
    cmd += fmt::format(" --seeds 1 --txns {} --json > {}", txns, fusegen::shell_quote(out));
    const auto t1 = Clock::now();
    const int rc = fusegen::run_shell(cmd);
    const double run_s = std::chrono::duration<double>(Clock::now() - t1).count();
    if (rc != 0) {
      fmt::print("{:>8} run failed (exit {})\n", e, rc);
      continue;
    }
    const auto j = nlohmann::json::parse(fusegen::read_file(out));
    const double cycles = j["cycles"].get<double>();
    fmt::print("{:>8} {:>11} {:>10} {:>10.0f} {:>11.3f} {:>12.0f} {:>10.1f}\n", e, "split", txns,
               cycles, cycles / txns, txns / run_s, build_s);
  }
  fs::remove_all(tmp, ec);
  return 0;
}
