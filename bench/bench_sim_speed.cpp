// Verilator build time and simulation speed of the array testbench at 8x8, 16x16 and 32x32:
// cold build (empty RTL and ccache cache), cached lookup, then one pointwise and one FuSe-Half
// job: simulated cycles per second and MACs per second of the simulation loop. Then the Icarus
// replay (tb/icarus) of one small random-case mix on 8x8 against Verilator on the same mix,
// for the speed ratio.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/fileio.h"
#include "common/text.h"
#include "golden/npy.h"
#include "sim/rtl_engine.h"
#include "sim/verilator_build.h"

using namespace fusegen;
namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Tensor random_tensor(std::vector<int64_t> shape, std::mt19937_64& rng) {
  Tensor t(std::move(shape));
  std::uniform_int_distribution<int64_t> d(-128, 127);
  for (auto& v : t.data) v = d(rng);
  return t;
}

}  // namespace

int main() {
  const std::string root = (fs::temp_directory_path() / fmt::format("fusegen-bench-speed-{}", ::getpid())).string();
  fs::create_directories(root);
  ::setenv("FUSEGEN_CACHE", (root + "/cache").c_str(), 1);  // cold cache, cold ccache
  std::mt19937_64 rng(3);
  write_npy(root + "/x.npy", random_tensor({1, 64, 28, 28}, rng), NpyDtype::I8);
  write_npy(root + "/wpw.npy", random_tensor({64, 64, 1, 1}, rng), NpyDtype::I8);
  write_npy(root + "/wrow.npy", random_tensor({32, 1, 1, 3}, rng), NpyDtype::I8);
  write_npy(root + "/wcol.npy", random_tensor({32, 1, 3, 1}, rng), NpyDtype::I8);
  const nlohmann::json pw = {{"op", "pw"}, {"x", root + "/x.npy"}, {"w", root + "/wpw.npy"}};
  const nlohmann::json fuse = {{"op", "fuse-half"}, {"x", root + "/x.npy"}, {"w_row", root + "/wrow.npy"},
                               {"w_col", root + "/wcol.npy"}, {"w_pw", root + "/wpw.npy"}, {"shift", 6}};

  fmt::print("{:<7} {:>10} {:>10} {:<22} {:>10} {:>12} {:>12}\n", "array", "build s", "lookup s",
             "job", "cycles", "cycles/s", "MACs/s");
  for (int n : {8, 16, 32}) {
    ArrayConfig cfg;
    cfg.rows = cfg.cols = n;
    try {
      auto t0 = std::chrono::steady_clock::now();
      const std::string exe = ensure_array_tb(cfg);
      const double build = seconds_since(t0);
      t0 = std::chrono::steady_clock::now();
      ensure_array_tb(cfg);
      const double lookup = seconds_since(t0);
      for (const auto& [name, job] : {std::pair{"pw 28x28 64->64", pw}, {"fuse-half 28x28x64", fuse}}) {
        TbRun r = run_array_tb(exe, cfg, job);
        const double s = r.result.at("sim_seconds").get<double>();
        const double cyc = static_cast<double>(r.result.at("sim_cycles").get<int64_t>());
        const double macs = static_cast<double>(r.result.at("macs").get<int64_t>());
        fmt::print("{:<7} {:>10.1f} {:>10.3f} {:<22} {:>10.0f} {:>12.3g} {:>12.3g}{}\n",
                   fmt::format("{}x{}", n, n), build, lookup, name, cyc, cyc / s, macs / s,
                   r.result.at("match").get<bool>() ? "" : "  MISMATCH");
      }
    } catch (const std::exception& e) {
      fmt::print("{}x{}: skipped: {}\n", n, n, e.what());
    }
  }

  // Icarus vs Verilator on the same random-case mix (8x8).
  const std::string bin_dir = fs::path(FUSEGEN_BIN).parent_path().string();
  const std::string regress = bin_dir + "/tests/array_regress";
  const std::string script =
      (fs::path(__FILE__).parent_path().parent_path() / "tb/icarus/run_replay.sh").string();
  if (fs::exists(regress)) {
    const std::string dir = root + "/icarus";
    const std::string cmd = fmt::format("bash {} {} {} {} 8 8 conv,dsc,fuse-half 1-2 stos >{}/log.txt 2>&1",
                                        shell_quote(script), shell_quote(FUSEGEN_BIN),
                                        shell_quote(regress), shell_quote(dir), shell_quote(root));
    if (run_shell(cmd) == 0) {
      const std::string log = read_file(dir + "/replay.log");
      long cycles = 0;
      double vvp = 0;
      std::sscanf(log.c_str() + log.find("PASS: "), "PASS: %ld", &cycles);
      std::sscanf(log.c_str() + log.find("vvp seconds "), "vvp seconds %lf", &vvp);
      ArrayConfig cfg;
      cfg.rows = cfg.cols = 8;
      TbRun r = run_array_tb(ensure_array_tb(cfg), cfg,
                             {{"random", {{"ops", {"conv", "dsc", "fuse-half"}}, {"seeds", {1, 2}}}},
                              {"dw_mapping", "stos"}});
      const double vs = r.result.at("sim_seconds").get<double>();
      const double vc = static_cast<double>(r.result.at("sim_cycles").get<int64_t>());
      fmt::print("\nIcarus replay 8x8 (conv,dsc,fuse-half seeds 1-2): {} cycles in {:.2f} s = {:.3g} "
                 "cycles/s\nVerilator, same cases: {:.0f} cycles in {:.3f} s = {:.3g} cycles/s "
                 "(x{:.0f})\n", cycles, vvp, cycles / vvp, vc, vs, vc / vs, (vc / vs) / (cycles / vvp));
    } else {
      fmt::print("\nIcarus replay failed: see {}/log.txt\n", root);
      return 0;
    }
  } else {
    fmt::print("\nIcarus replay skipped: {} not built\n", regress);
  }
  std::error_code ec;
  fs::remove_all(root, ec);
  return 0;
}
