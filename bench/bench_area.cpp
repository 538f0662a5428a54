// bench_area: area estimate of the generated array with and without ST-OS. For 16x16 and
// 32x32 (or the sizes given as arguments) it emits the RTL, runs the generated Yosys script
// (generic synthesis, `stat`, `stat -tech cmos`) and prints cells, flip-flops, the CMOS
// transistor estimate, the Yosys run time and the ST-OS overhead beside the thesis' 4.35 %.
// Usage: bench_area [N ...]   (N x N arrays; default 16 32). 32x32 takes a few minutes.
// Estimates from generic gates, not sign-off numbers. Asserts nothing.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "golden/array_config.h"
#include "generator/array_emitter.h"
#include "common/fileio.h"
#include "common/text.h"

namespace fs = std::filesystem;

namespace {

struct Area {
  bool ok = false;           // Yosys ran and the reports were found
  long cells = 0;            // generic cells after synth (hierarchy total)
  long flops = 0;            // of which flip-flops
  long transistors = 0;      // Yosys `stat -tech cmos` (lower bound: async-reset flops uncounted)
  long async_flops = 0;      // flip-flops with asynchronous reset, which Yosys does not cost
  long transistors_adj = 0;  // transistors + 16 per async-reset flop (costed as a plain DFF)
  double seconds = 0;        // Yosys wall time
};

// Parses the hierarchy total of a `stat -top` report: the last "Number of cells" block.
void parse_stat(const fs::path& file, long& cells, long& flops, long& async_flops,
                long& transistors) {
  std::ifstream in(file);
  std::string line;
  const std::regex cells_re(R"(^\s+Number of cells:\s+(\d+))");
  const std::regex ff_re(R"(^\s+\$_(S?DFFE?|DFFSRE?|ALDFFE?|SDFFC?E)_(\w+)\s+(\d+))");
  const std::regex tr_re(R"(Estimated number of transistors:\s+(\d+))");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, cells_re)) {
      cells = std::stol(m[1]);
      flops = async_flops = 0;
    } else if (std::regex_search(line, m, ff_re)) {
      flops += std::stol(m[3]);
      // $_DFF_PN0_, $_DFFE_PN0P_, ...: the second letter of the suffix is the reset polarity.
      const std::string kind = m[1], pol = m[2];
      if ((kind == "DFF" || kind == "DFFE") && pol.size() >= 3) async_flops += std::stol(m[3]);
    } else if (std::regex_search(line, m, tr_re)) {
      transistors = std::stol(m[1]);
    }
  }
}

Area synthesize(const fusegen::ArrayConfig& cfg, const fs::path& dir) {
  Area a;
  fusegen::emit_array(cfg).write_to(dir.string());
  const auto t0 = std::chrono::steady_clock::now();
  const std::string cmd = fmt::format("cd '{}' && yosys -q -l yosys.log -s {}.ys >/dev/null 2>&1",
                                      dir.string(), cfg.name);
  const int rc = std::system(cmd.c_str());
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rc != 0) return a;
  long unused = 0;
  parse_stat(dir / (cfg.name + "_area.txt"), a.cells, a.flops, unused, unused);
  long cells_after_unmap = 0, flops_after_unmap = 0;
  parse_stat(dir / (cfg.name + "_cmos.txt"), cells_after_unmap, flops_after_unmap, a.async_flops,
             a.transistors);
  a.transistors_adj = a.transistors + 16 * a.async_flops;
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

  fmt::print(
      "ST-OS array area (Yosys generic synthesis, DataW 8, AccW 32; estimates, not "
      "sign-off)\n\n");
  fmt::print("{:>7} {:>7} {:>10} {:>9} {:>11} {:>13} {:>13} {:>8}\n", "array", "variant", "cells",
             "flops", "async flops", "transistors+", "transistors*", "yosys s");
  struct Row {
    int n;
    Area stos, os;
  };
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
        fmt::print("{:>7} {:>7} {:>10} {:>9} {:>11} {:>13} {:>13} {:>8.1f}\n",
                   fmt::format("{}x{}", n, n), stos ? "ST-OS" : "OS", a.cells, a.flops,
                   a.async_flops, a.transistors, a.transistors_adj, a.seconds);
      else
        fmt::print("{:>7} {:>7}   yosys failed (see {})\n", fmt::format("{}x{}", n, n), cfg.name,
                   (root / fmt::format("{}x{}_{}", n, n, cfg.name)).string());
      std::fflush(stdout);
    }
    rows.push_back(r);
  }
  fmt::print(
      "\ntransistors+: Yosys `stat -tech cmos` after dffunmap (enables as muxes); it has no\n"
      "cost for async-reset flops, so it is a lower bound. transistors*: the same plus 16\n"
      "per async-reset flop (Yosys' plain DFF cost; still a lower bound).\n");
  fmt::print(
      "\nST-OS overhead over the plain OS array (thesis, 32x32: 4.35 % area, whole\n"
      "array in a real library; here: skews, PE grid and output collection, generic gates)\n\n");
  fmt::print("{:>7} {:>9} {:>9} {:>14} {:>14} {:>9}\n", "array", "cells %", "flops %",
             "transistors+ %", "transistors* %", "thesis %");
  for (const auto& r : rows)
    if (r.stos.ok && r.os.ok)
      fmt::print("{:>7} {:>9.2f} {:>9.2f} {:>14.2f} {:>14.2f} {:>9}\n",
                 fmt::format("{}x{}", r.n, r.n), pct(r.stos.cells, r.os.cells),
                 pct(r.stos.flops, r.os.flops), pct(r.stos.transistors, r.os.transistors),
                 pct(r.stos.transistors_adj, r.os.transistors_adj), r.n == 32 ? "4.35" : "-");
  fs::remove_all(root);
  return 0;
}
