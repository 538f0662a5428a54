// Achieved cycles of the ST-OS array against the bounds of docs/hardware.md, from
// the RTL-exact cycle model (golden/cycle_model.h), for large GEMMs, depthwise convs on both
// mappings and 1-D (FuSe) layers on 16x16 and 32x32 arrays; then a few layers on the Verilated
// RTL (built on first use into the RTL cache) to show RTL cycles == model cycles.
//   compute bound: MACs / (R*C)
//   I/O bound:     sum over folds of the protocol's steady-state fold cost: GEMM max(T, R);
//                  ST-OS tile max(passes * c, R) (one new input per row per cycle); no
//                  fill, drain or window re-feed.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "golden/npy.h"
#include "golden/op_request.h"
#include "tb/array_runner.h"
#include "golden/cycle_model.h"
#include "sim/rtl_engine.h"

using namespace fusegen;

namespace {

struct Row {
  std::string layer;  // description
  Program prog;       // lowered program
};

// Per hand-off chain (kept passes + the handing-off fold): max(inputs, R), where a GEMM fold
// needs T slice cycles and an ST-OS pass c cycles (one new input element per row per cycle).
int64_t io_bound(const Program& p) {
  int64_t b = 0, chain = 0;
  for (const Fold& f : p.folds) {
    chain += f.stos ? f.cols : f.taps;
    if (f.keep) continue;
    b += std::max<int64_t>(chain, p.cfg.rows);
    chain = 0;
  }
  return b;
}

void print_model_table(const ArrayConfig& cfg) {
  std::vector<Row> rows;
  auto add = [&](const std::string& name, Program p) { rows.push_back({name, std::move(p)}); };
  add("pw 56x56 128->128", lower_layer(pw_layer("pw", 128, 56, 56, 128), cfg, DwMapping::Os));
  add("conv3x3 28x28 64->128", lower_layer(conv_layer("c", 64, 28, 28, 128, 3, 1), cfg, DwMapping::Os));
  add("fc 1024->1000 n16", lower_layer(fc_layer("fc", 1024, 1000, 16), cfg, DwMapping::Os));
  for (DwMapping m : {DwMapping::Os, DwMapping::Stos}) {
    const std::string tag = fmt::format(" [{}]", dw_mapping_name(m));
    add("dw3x3 56x56x128 s1" + tag, lower_layer(dw_layer("d", 128, 56, 56, 3, 1), cfg, m));
    add("dw3x3 56x56x128 s2" + tag, lower_layer(dw_layer("d", 128, 56, 56, 3, 2), cfg, m));
    add("dw5x5 14x14x480 s1" + tag, lower_layer(dw_layer("d", 480, 14, 14, 5, 1), cfg, m));
  }
  add("row1x3 56x56x128 s1", lower_layer(row_layer("r", 128, 56, 56, 3, 1), cfg, DwMapping::Stos));
  add("col3x1 56x56x128 s1", lower_layer(col_layer("c", 128, 56, 56, 3, 1), cfg, DwMapping::Stos));
  add("row1x5 28x28x240 s2", lower_layer(row_layer("r", 240, 28, 28, 5, 2), cfg, DwMapping::Stos));
  add("fuse-half stage 56x56x128 K3",
      lower_fuse_stage(row_layer("r", 64, 56, 56, 3, 1), col_layer("c", 64, 56, 56, 3, 1), 64, cfg));
  fmt::print("array {}x{} (cycle model)\n", cfg.rows, cfg.cols);
  fmt::print("{:<32} {:>11} {:>10} {:>10} {:>10} {:>6} {:>9} {:>9}\n", "layer", "MACs", "cycles",
             "compute", "I/O bound", "util", "cyc/comp", "cyc/IO");
  for (Row& r : rows) {
    CycleReport c = model_program(r.prog);
    const int64_t comp = (c.macs + cfg.rows * cfg.cols - 1) / (cfg.rows * cfg.cols);
    const int64_t io = io_bound(r.prog);
    fmt::print("{:<32} {:>11} {:>10} {:>10} {:>10} {:>6.3f} {:>9.2f} {:>9.3f}\n", r.layer, c.macs,
               c.cycles, comp, io, c.utilization, static_cast<double>(c.cycles) / comp,
               static_cast<double>(c.cycles) / io);
  }
  fmt::print("\n");
}

Tensor random_tensor(std::vector<int64_t> shape, std::mt19937_64& rng) {
  Tensor t(std::move(shape));
  std::uniform_int_distribution<int64_t> d(-128, 127);
  for (auto& v : t.data) v = d(rng);
  return t;
}

void print_rtl_table(const ArrayConfig& cfg) {
  namespace fs = std::filesystem;
  const std::string dir = (fs::temp_directory_path() / fmt::format("fusegen-bench-cycles-{}", ::getpid())).string();
  fs::create_directories(dir);
  std::mt19937_64 rng(7);
  const std::string exe = ensure_array_tb(cfg);
  write_npy(dir + "/x.npy", random_tensor({1, 32, 28, 28}, rng), NpyDtype::I8);
  write_npy(dir + "/wdw.npy", random_tensor({32, 1, 3, 3}, rng), NpyDtype::I8);
  write_npy(dir + "/wrow.npy", random_tensor({16, 1, 1, 3}, rng), NpyDtype::I8);
  write_npy(dir + "/wcol.npy", random_tensor({16, 1, 3, 1}, rng), NpyDtype::I8);
  write_npy(dir + "/wpw.npy", random_tensor({64, 32, 1, 1}, rng), NpyDtype::I8);
  struct Job { std::string name; nlohmann::json j; };
  const std::vector<Job> jobs = {
      {"dw3x3 28x28x32 [os]", {{"op", "dw"}, {"x", dir + "/x.npy"}, {"w", dir + "/wdw.npy"}, {"dw_mapping", "os"}}},
      {"dw3x3 28x28x32 [stos]", {{"op", "dw"}, {"x", dir + "/x.npy"}, {"w", dir + "/wdw.npy"}, {"dw_mapping", "stos"}}},
      {"pw 28x28 32->64", {{"op", "pw"}, {"x", dir + "/x.npy"}, {"w", dir + "/wpw.npy"}}},
      {"dsc K3 28x28 32->64 [stos]", {{"op", "dsc"}, {"x", dir + "/x.npy"}, {"w_dw", dir + "/wdw.npy"},
                                      {"w_pw", dir + "/wpw.npy"}, {"shift", 6}, {"dw_mapping", "stos"}}},
      {"fuse-half K3 28x28 32->64", {{"op", "fuse-half"}, {"x", dir + "/x.npy"}, {"w_row", dir + "/wrow.npy"},
                                     {"w_col", dir + "/wcol.npy"}, {"w_pw", dir + "/wpw.npy"}, {"shift", 6}}},
  };
  fmt::print("array {}x{} (Verilated RTL vs cycle model)\n", cfg.rows, cfg.cols);
  fmt::print("{:<30} {:>10} {:>12} {:>10} {:>6} {:>6}\n", "op", "MACs", "RTL cycles", "model", "util", "match");
  for (const Job& job : jobs) {
    TbRun r = run_array_tb(exe, cfg, job.j);
    const auto& res = r.result;
    fmt::print("{:<30} {:>10} {:>12} {:>10} {:>6.3f} {:>6}\n", job.name, res.at("macs").get<int64_t>(),
               res.at("cycles").get<int64_t>(), res.at("model_cycles").get<int64_t>(),
               res.at("utilization").get<double>(), res.at("match").get<bool>() ? "yes" : "NO");
  }
  fs::remove_all(dir);
}

}  // namespace

int main() {
  for (int n : {16, 32}) {
    ArrayConfig cfg;
    cfg.rows = cfg.cols = n;
    print_model_table(cfg);
  }
  ArrayConfig cfg;
  cfg.rows = cfg.cols = 16;
  try {
    print_rtl_table(cfg);
  } catch (const std::exception& e) {
    fmt::print("RTL runs skipped: {}\n", e.what());
  }
  return 0;
}
