// bench_area: area estimate of the generated array with and without ST-OS. For 16x16 and
// 32x32 (or the sizes given as arguments) it emits the RTL, runs the generated Yosys script
// (generic synthesis, `stat`, `stat -tech cmos`) and prints cells, flip-flops, the CMOS
// transistor estimate, the Yosys run time and the ST-OS overhead beside the thesis' 4.35 %.
// Estimates from generic gates, not sign-off numbers. Asserts nothing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "generator/array_config.h"
#include "generator/array_emitter.h"
#include "generator/output.h"

namespace fs = std::filesystem;

namespace {

struct Area {
  bool ok = false;       // Yosys ran and both figures were found
  long cells = 0;        // generic cells after synth (last `stat`)
  long flops = 0;        // of which flip-flops ($_DFF*, $_SDFF*, $_DFFE*)
  long transistors = 0;  // `stat -tech cmos` estimate
  double seconds = 0;    // Yosys wall time
};

Area synthesize(const fusegen::ArrayConfig& cfg, const fs::path& dir) {
  Area a;
  fusegen::emit_array(cfg).write_to(dir.string());
  const auto t0 = std::chrono::steady_clock::now();
  const std::string cmd =
      fmt::format("cd '{}' && yosys -q -l yosys.log -s {}.ys >/dev/null 2>&1", dir.string(), cfg.name);
  const int rc = std::system(cmd.c_str());
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rc != 0) return a;
  std::ifstream log(dir / "yosys.log");
  std::string line;
  const std::regex cells_re(R"(^\s+Number of cells:\s+(\d+))");
  const std::regex ff_re(R"(^\s+\$_(S?DFFE?|DFFSRE?|ALDFFE?)_\w+\s+(\d+))");
  const std::regex tr_re(R"(Estimated number of transistors:\s+(\d+))");
  long flops_in_block = 0;
  std::smatch m;
  while (std::getline(log, line)) {
    if (std::regex_search(line, m, cells_re)) {
      a.cells = std::stol(m[1]);
      flops_in_block = 0;
    } else if (std::regex_search(line, m, ff_re)) {
      flops_in_block += std::stol(m[2]);
      a.flops = flops_in_block;
    } else if (std::regex_search(line, m, tr_re)) {
      a.transistors = std::stol(m[1]);
    }
  }
  a.ok = a.cells > 0 && a.transistors > 0;
  return a;
}

double pct(long with, long without) {
  return without > 0 ? 100.0 * static_cast<double>(with - without) / static_cast<double>(without)
                     : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {16, 32};
  const fs::path root = fs::temp_directory_path() / "fusegen_bench_area";
  fs::remove_all(root);

  fmt::print("ST-OS array area (Yosys generic synthesis, DataW 8, AccW 32; estimates, not "
             "sign-off)\n\n");
  fmt::print("{:>7} {:>7} {:>10} {:>9} {:>13} {:>9}\n", "array", "variant", "cells", "flops",
             "transistors", "yosys s");
  struct Row { int n; Area stos, os; };
  std::vector<Row> rows;
  for (int n : sizes) {
    Row r{n, {}, {}};
    for (bool stos : {false, true}) {
      fusegen::ArrayConfig cfg;
      cfg.rows = cfg.cols = n;
      cfg.stos = stos;
      cfg.name = stos ? "stos" : "os";
      Area a = synthesize(cfg, root / fmt::format("{}x{}_{}", n, n, cfg.name));
      (stos ? r.stos : r.os) = a;
      if (a.ok)
        fmt::print("{:>7} {:>7} {:>10} {:>9} {:>13} {:>9.1f}\n", fmt::format("{}x{}", n, n),
                   stos ? "ST-OS" : "OS", a.cells, a.flops, a.transistors, a.seconds);
      else
        fmt::print("{:>7} {:>7}   yosys failed (see {})\n", fmt::format("{}x{}", n, n),
                   cfg.name, (root / fmt::format("{}x{}_{}", n, n, cfg.name)).string());
      std::fflush(stdout);
    }
    rows.push_back(r);
  }
  fmt::print("\nST-OS overhead over the plain OS array (thesis, 32x32: 4.35 % area)\n\n");
  fmt::print("{:>7} {:>10} {:>13} {:>9}\n", "array", "cells %", "transistors %", "thesis %");
  for (const auto& r : rows)
    if (r.stos.ok && r.os.ok)
      fmt::print("{:>7} {:>10.2f} {:>13.2f} {:>9}\n", fmt::format("{}x{}", r.n, r.n),
                 pct(r.stos.cells, r.os.cells), pct(r.stos.transistors, r.os.transistors),
                 r.n == 32 ? "4.35" : "-");
  fs::remove_all(root);
  return 0;
}
