// array_regress: command-line driver of the array regression (tests/array_regress.cmake).
// Builds (or reuses) the Verilated testbench of one array configuration and runs random cases
// of the given ops and seeds on it, optionally with several random reset states:
//   array_regress --rows 4 --cols 4 [--data-width 8 --acc-width 32 --no-stos]
//                 [--ops conv,dw,...] [--seeds 1-4] [--dw-mapping os|stos] [--mix extreme]
//                 [--sim-seeds 1,2] [--build-only] [--dump-icarus DIR]
//   array_regress --selftest-cache   (checks the Verilator build cache contract on tiny RTL)
// Prints one line per case; exit 0 when every case is bit-exact and RTL cycles == model cycles.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "golden/array_config.h"
#include "golden/op_request.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/json.h"
#include "common/text.h"
#include "tb/array_runner.h"
#include "tb/tb_args.h"
#include "tb/regress.h"
#include "sim/rtl_engine.h"
#include "sim/verilator_build.h"
#include "tb/vector_dump.h"

namespace {

// The --mix value as a ValueMix; names the option and the allowed values otherwise.
fusegen::ValueMix value_mix(const std::string& s) {
  if (s == "mixed") return fusegen::ValueMix::Mixed;
  if (s == "extreme") return fusegen::ValueMix::Extreme;
  throw fusegen::Error(fmt::format("--mix '{}' is not allowed: choose one of mixed, extreme", s));
}

class Regress {
 public:
  Regress(int argc, char** argv) : argc_(argc), argv_(argv) {}
  int run() {
    try {
      return run_checked();
    } catch (const std::exception& e) {
      fmt::print(stderr, "array_regress: error: {}\n", e.what());
      return 2;
    }
  }

 private:
  int run_checked() {
    cxxopts::Options o("array_regress", "random-case regression of one array configuration");
    o.add_options()("rows", "R", cxxopts::value<int>())("cols", "C", cxxopts::value<int>())(
        "data-width", "DataW", cxxopts::value<int>()->default_value("8"))(
        "acc-width", "AccW", cxxopts::value<int>()->default_value("32"))("no-stos", "plain OS")(
        "mac-stages", "MAC pipeline stages",
        cxxopts::value<int>()->default_value(std::to_string(fusegen::ArrayConfig{}.mac_stages)))(
        "bcast-group", "input stage / broadcast copy group (0: none)",
        cxxopts::value<int>()->default_value(std::to_string(fusegen::ArrayConfig{}.bcast_group)))(
        "reset", "async|sync", cxxopts::value<std::string>()->default_value("async"))(
        "ops", "ops", cxxopts::value<std::string>()->default_value(
                          "conv,dw,row,col,pw,fc,dsc,fuse-full,fuse-half"))(
        "seeds", "case seeds", cxxopts::value<std::string>()->default_value("1-3"))(
        "dw-mapping", "os|stos", cxxopts::value<std::string>()->default_value("os"))(
        "mix", "mixed|extreme", cxxopts::value<std::string>()->default_value("mixed"))(
        "sim-seeds", "random reset-state seeds (empty: zero initial state)",
        cxxopts::value<std::string>()->default_value(""))("build-only", "only build the testbench")(
        "inject-fault", "self-test: corrupt the first slice/tap; the run must then fail")(
        "dump-icarus", "write stimulus/expected vectors for tb/icarus into DIR (no Verilator)",
        cxxopts::value<std::string>())("selftest-cache", "check the Verilator build cache");
    const cxxopts::ParseResult r = fusegen::parse_tb_args(o, argc_, argv_);
    if (r.count("selftest-cache")) return selftest_cache();
    for (const char* opt : {"rows", "cols"})
      if (!r.count(opt)) throw fusegen::Error(fmt::format("missing required option --{}", opt));
    // Every value is checked before anything is built.
    const std::string dw_mapping = r["dw-mapping"].as<std::string>();
    fusegen::parse_dw_mapping(dw_mapping);
    value_mix(r["mix"].as<std::string>());
    const std::vector<std::string> ops = fusegen::split_nonempty_list("--ops", r["ops"].as<std::string>());
    for (const auto& op : ops) fusegen::parse_opcode(op);
    const std::vector<uint64_t> case_seeds = fusegen::parse_seed_list("seeds", r["seeds"].as<std::string>());
    const std::vector<uint64_t> sim_seeds = fusegen::parse_seed_list("sim-seeds", r["sim-seeds"].as<std::string>());
    fusegen::ArrayConfig cfg;
    cfg.rows = r["rows"].as<int>();
    cfg.cols = r["cols"].as<int>();
    cfg.data_w = r["data-width"].as<int>();
    cfg.acc_w = r["acc-width"].as<int>();
    cfg.stos = r.count("no-stos") == 0;
    cfg.mac_stages = r["mac-stages"].as<int>();
    cfg.bcast_group = r["bcast-group"].as<int>();
    cfg.reset = fusegen::ArrayConfig::parse_reset(r["reset"].as<std::string>());
    cfg.validate();
    if (r.count("dump-icarus")) return dump_icarus(r, cfg);
    const std::string exe = fusegen::ensure_array_tb(cfg);
    fmt::print("testbench {}\n", exe);
    if (r.count("build-only")) return 0;

    nlohmann::json job;
    job["dw_mapping"] = dw_mapping;
    job["random"] = {{"ops", ops}, {"seeds", case_seeds}, {"mix", r["mix"].as<std::string>()}};
    job["inject_fault"] = r.count("inject-fault") > 0;
    std::vector<std::vector<std::string>> runs;
    if (sim_seeds.empty())
      runs.push_back({});
    else
      for (uint64_t s : sim_seeds)
        runs.push_back({"+verilator+rand+reset+2", fmt::format("+verilator+seed+{}", s)});
    int rc = 0;
    for (const auto& plus : runs) {
      fusegen::TbRun t = fusegen::run_array_tb(exe, cfg, job, plus);
      for (const auto& c : t.result.at("cases"))
        fmt::print("{:<60} cycles {:>8} model {:>8} macs {:>9} util {:.3f} {}\n",
                   c.at("case").get<std::string>(), c.at("cycles").get<int64_t>(),
                   c.at("model_cycles").get<int64_t>(), c.at("macs").get<int64_t>(),
                   c.at("utilization").get<double>(), c.at("match").get<bool>() ? "ok" : "MISMATCH");
      if (t.exit_code != 0 || !t.result.at("match").get<bool>()) {
        fmt::print("FAIL{}: {}\n", plus.empty() ? "" : " (" + plus.back() + ")",
                   fusegen::json_dump(t.result.at("mismatch")));
        rc = 1;
      }
    }
    return rc;
  }
  // The build cache contract (sim/verilator_build.h) on tiny RTL: a failing build throws with
  // the log's tail and leaves no entry; a good build is reused (same path, no rebuild), also by
  // concurrent callers; changed RTL gives a new entry.
  int selftest_cache() {
    namespace fs = std::filesystem;
    const std::string dir = fusegen::rtl_cache_dir() + "/selftest-src";
    fs::create_directories(dir);
    fusegen::write_file_atomic(dir + "/tb.cpp", "#include \"Vsel.h\"\nint main() { Vsel m; m.eval(); return 0; }\n");
    fusegen::write_file_atomic(dir + "/bad.v", "module bad(input clk_i); this is not verilog endmodule\n");
    fusegen::write_file_atomic(dir + "/good.v",
        "module good(input clk_i, output reg q_o);\n  always @(posedge clk_i) q_o <= ~q_o;\nendmodule\n");
    auto build = [&](const std::string& name, const std::string& top) {
      fusegen::VerilatorBuild b;
      b.name = name;
      b.top = top;
      b.rtl_files = {dir + "/" + top + ".v"};
      b.tb_sources = {dir + "/tb.cpp"};
      b.verilator_flags = {"--prefix", "Vsel"};
      return fusegen::build_verilated(b);
    };
    int fails = 0;
    auto check = [&](bool ok, const std::string& what) {
      fmt::print("{} {}\n", ok ? "ok  " : "FAIL", what);
      fails += ok ? 0 : 1;
    };
    try {
      build("selftest_bad", "bad");
      check(false, "a broken RTL file must fail the build");
    } catch (const fusegen::Error& e) {
      const std::string m = e.what();
      check(m.find("Verilator build of 'selftest_bad' failed") != std::string::npos &&
                m.find("bad.v") != std::string::npos,
            "failed build throws naming the entry and quoting the log");
    }
    bool left = false;
    for (const auto& e : fs::directory_iterator(fusegen::rtl_cache_dir()))
      if (e.path().filename().string().rfind("selftest_bad-", 0) == 0 && e.path().extension() != ".lock")
        left = true;
    check(!left, "failed build leaves no cache entry");
    fusegen::write_file_atomic(dir + "/good.v",  // fresh content each run: a cold entry
        fmt::format("// {}\nmodule good(input clk_i, output reg q_o);\n"
                    "  always @(posedge clk_i) q_o <= ~q_o;\nendmodule\n",
                    std::chrono::steady_clock::now().time_since_epoch().count()));
    auto a = std::async(std::launch::async, [&] { return build("selftest_good", "good"); });
    auto b = std::async(std::launch::async, [&] { return build("selftest_good", "good"); });
    const std::string pa = a.get(), pb = b.get();
    check(pa == pb && fs::exists(pa), "concurrent builders get one executable: " + pa);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string pc = build("selftest_good", "good");
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    check(pc == pa && s < 5.0, fmt::format("cached entry reused ({:.3f} s)", s));
    fusegen::write_file_atomic(dir + "/good.v", fusegen::read_file(dir + "/good.v") + "// changed\n");
    const std::string pd = build("selftest_good", "good");
    check(pd != pa && fs::exists(pd), "changed RTL gives a new entry");
    fs::remove_all(fs::path(pa).parent_path());
    fs::remove_all(fs::path(pd).parent_path());
    return fails == 0 ? 0 : 1;
  }

  // Runs the cases through the vector dumper (golden-fed stages) and writes the vectors.
  int dump_icarus(const cxxopts::ParseResult& r, const fusegen::ArrayConfig& cfg) {
    tb::VectorDump dump(cfg);
    const fusegen::DwMapping dw = fusegen::parse_dw_mapping(r["dw-mapping"].as<std::string>());
    const fusegen::ValueMix mix = value_mix(r["mix"].as<std::string>());
    for (const auto& op : fusegen::split_nonempty_list("--ops", r["ops"].as<std::string>()))
      for (uint64_t s : fusegen::parse_seed_list("seeds", r["seeds"].as<std::string>())) {
        fusegen::RandomCase c = fusegen::random_case(fusegen::parse_opcode(op), s, cfg, mix);
        fusegen::OpRun run = fusegen::run_op_on_array(c.params, c.tensors, cfg, dw, dump);
        fmt::print("{:<60} cycles {:>8}\n", c.describe, run.model_cycles);
      }
    dump.write(r["dump-icarus"].as<std::string>());
    return 0;
  }

  int argc_;     // command line
  char** argv_;  // ...
};

}  // namespace

int main(int argc, char** argv) {
  Regress r(argc, argv);
  return r.run();
}
