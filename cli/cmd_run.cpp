// `fusegen run`: evaluates one operator or block on an engine and writes the raw accumulator
// tensor. Engine `golden` is the reference model (golden/op_request.h); `rtl` runs the generated
// array RTL under Verilator (sim/rtl_engine.h) and checks it against golden and the cycle
// model; `model` prints the RTL-exact cycle model's numbers only (tb/array_runner.h).
#include <algorithm>
#include <filesystem>
#include <utility>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/options.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/json.h"
#include "golden/npy.h"
#include "golden/op_request.h"
#include "tb/array_runner.h"
#include "sim/rtl_engine.h"

namespace fusegen::cli {
namespace {

Tensor load(const cxxopts::ParseResult& r, const std::string& opt) {
  const std::string key = opt == "w" ? "weights" : opt;
  if (!r.count(key)) return {};
  const std::string path = r[key].as<std::string>();
  return read_npy(path).to_tensor(fmt::format("--{} {}", opt, path));
}

// Which weight options an op takes; anything else given is an error (likely a typo).
void check_weight_options(OpCode op, const cxxopts::ParseResult& r) {
  std::vector<std::string> need;
  switch (op) {
    case OpCode::Dsc: need = {"w-dw", "w-pw"}; break;
    case OpCode::FuseFull:
    case OpCode::FuseHalf: need = {"w-row", "w-col", "w-pw"}; break;
    default: need = {"w"}; break;
  }
  for (const char* o : {"w", "w-dw", "w-row", "w-col", "w-pw"}) {
    const bool wanted = std::find(need.begin(), need.end(), o) != need.end();
    const char* key = std::string(o) == "w" ? "weights" : o;
    if (wanted && !r.count(key))
      throw Error(fmt::format("op '{}' needs --{} (PyTorch weight layout; see fusegen run --help)",
                              opcode_name(op), o));
    if (!wanted && r.count(key))
      throw Error(fmt::format("op '{}' does not take --{}; it takes {}", opcode_name(op), o,
                              fmt::format("--{}", fmt::join(need, ", --"))));
  }
}

// The tensor options of `run` and their keys in the testbench job.
const std::pair<const char*, const char*> kTensorOptions[] = {
    {"input", "x"}, {"weights", "w"}, {"w-dw", "w_dw"}, {"w-row", "w_row"}, {"w-col", "w_col"},
    {"w-pw", "w_pw"}};

// The files `run` reads, as (option, path).
std::vector<NamedPath> input_paths(const cxxopts::ParseResult& r) {
  std::vector<NamedPath> in;
  for (const auto& [opt, key] : kTensorOptions)
    if (r.count(opt)) in.push_back({opt, r[opt].as<std::string>()});
  return in;
}

// Absolute path for the testbench's JSON job, which can only carry UTF-8 file names.
std::string job_path(const std::string& option, const std::string& path) {
  const std::string abs = std::filesystem::absolute(path).string();
  if (!is_valid_utf8(abs))
    throw Error(fmt::format("--{} '{}' is not valid UTF-8: --engine rtl hands file names to its "
                            "testbench as JSON, which needs UTF-8; rename the file or its directory",
                            option, path));
  return abs;
}

// --engine rtl / model: the array configuration from the options, then the cycle model or
// the Verilated RTL (built on first use, cached). Exit 1 if the RTL disagrees.
int run_on_array(const cxxopts::ParseResult& r, const std::string& engine, const std::string& format,
                 const OpParams& p, const OpTensors& t) {
  require(r, "rows");
  require(r, "cols");
  ArrayConfig cfg;
  cfg.rows = r["rows"].as<int>();
  cfg.cols = r["cols"].as<int>();
  cfg.data_w = p.data_w;
  cfg.acc_w = p.acc_w;
  cfg.stos = r.count("no-stos") == 0;
  cfg.mac_stages = r["mac-stages"].as<int>();
  cfg.bcast_group = r["bcast-group"].as<int>();
  cfg.reset = ArrayConfig::parse_reset(r["reset"].as<std::string>());
  cfg.validate(ArrayConfig::Naming::kOption);
  const std::string mapping = check_choice("dw-mapping", r["dw-mapping"].as<std::string>(), {"os", "stos"});
  const DwMapping dw = parse_dw_mapping(mapping);
  const OpRun m = model_op(p, t, cfg, dw);  // validates the mapping against the array too
  const std::string size = fmt::format("{}x{}{}", cfg.rows, cfg.cols, cfg.stos ? "" : " (no ST-OS)");
  if (engine == "model") {
    if (format == "json") {
      nlohmann::ordered_json j = {{"op", opcode_name(p.op)}, {"engine", engine}, {"array", size},
                                  {"dw_mapping", mapping}, {"model_cycles", m.model_cycles},
                                  {"stage_model_cycles", m.stage_model}, {"macs", m.macs},
                                  {"utilization", m.utilization}};
      fmt::print("{}\n", json_dump(j, 2));
    } else {
      fmt::print("{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{:.4f}\n",
                 "op", opcode_name(p.op), "engine", engine, "array", size, "dw mapping", mapping,
                 "model cycles", m.model_cycles, "macs", m.macs, "utilization", m.utilization);
    }
    return 0;
  }
  namespace fs = std::filesystem;
  const std::string out = r["output"].as<std::string>();
  nlohmann::json job = {{"op", opcode_name(p.op)}, {"stride", p.stride}, {"padding", p.padding},
                        {"shift", p.shift}, {"relu", p.relu}, {"data_w", p.data_w},
                        {"acc_w", p.acc_w}, {"dw_mapping", mapping}};
  for (const auto& [opt, key] : kTensorOptions)
    if (r.count(opt)) job[key] = job_path(opt, r[opt].as<std::string>());
  const std::string trace = r.count("trace") ? r["trace"].as<std::string>() : "";
  if (!trace.empty()) job["trace"] = job_path("trace", trace);
  const std::string tmp_out = job_path("output", out) + ".rtl-tmp.npy";
  job["output"] = tmp_out;
  RemoveOnSignal remove_tmp(tmp_out);
  TbRun run = run_array_job(cfg, job);
  const auto& res = run.result;
  const bool match = run.exit_code == 0 && res.at("match").get<bool>();
  std::string bytes;
  std::error_code ec;
  if (match) bytes = read_file(tmp_out);
  fs::remove(tmp_out, ec);
  if (match) {
    if (!trace.empty() && !fs::is_regular_file(trace, ec))
      throw Error(fmt::format("--trace '{}': the testbench wrote no waveform there", trace));
  }
  std::string summary;
  if (format == "json") {
    nlohmann::ordered_json j = {{"op", opcode_name(p.op)}, {"engine", engine}, {"array", size},
                                {"dw_mapping", mapping}, {"cycles", res.at("cycles")},
                                {"model_cycles", res.at("model_cycles")}, {"macs", res.at("macs")},
                                {"utilization", res.at("utilization")}, {"match", match},
                                {"mismatch", res.at("mismatch")}, {"output", match ? out : ""}};
    if (!trace.empty()) j["trace"] = trace;
    summary = json_dump(j, 2) + "\n";
  } else {
    summary = fmt::format(
               "{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{:.4f}\n"
               "{:<14}{}\n",
               "op", opcode_name(p.op), "engine", engine, "array", size, "dw mapping", mapping,
               "rtl cycles", res.at("cycles").get<int64_t>(), "model cycles",
               res.at("model_cycles").get<int64_t>(), "macs", res.at("macs").get<int64_t>(),
               "utilization", res.at("utilization").get<double>(), "match",
               match ? "yes (bit-exact, cycles == model)" : "NO");
    if (match) summary += fmt::format("{:<14}{}\n", "written", out);
    if (!trace.empty()) summary += fmt::format("{:<14}{}\n", "trace", trace);
  }
  if (match) write_file_atomic(out, bytes);
  fmt::print("{}", summary);
  if (!match) {
    fmt::print(stderr, "fusegen: RTL mismatch: {}\n", json_dump(res.at("mismatch")));
    return 1;
  }
  return 0;
}

int cmd_run(int argc, char** argv) {
  cxxopts::Options opts("fusegen run", "Run one operator or block and write its raw accumulator tensor");
  opts.add_options()
    ("op", "conv, dw, row (1xK), col (Kx1), pw, fc, dsc, fuse-full, fuse-half", cxxopts::value<std::string>())
    ("input", "input activations .npy, NCHW ([N, in] for fc)", cxxopts::value<std::string>())
    ("weights", "weights of a single operator (also spelled --w): conv [Cout,Cin,Kh,Kw], dw [C,1,K,K], row [C,1,1,K], "
          "col [C,1,K,1], pw [Cout,Cin,1,1], fc [out,in]", cxxopts::value<std::string>())
    ("w-dw", "dsc depthwise weights [C,1,K,K]", cxxopts::value<std::string>())
    ("w-row", "fuse 1xK weights [C,1,1,K] (half: [C/2,1,1,K])", cxxopts::value<std::string>())
    ("w-col", "fuse Kx1 weights [C,1,K,1] (half: [C/2,1,K,1])", cxxopts::value<std::string>())
    ("w-pw", "block pointwise weights [Cout,C',1,1]", cxxopts::value<std::string>())
    ("stride", "stride of the spatial stage", cxxopts::value<int64_t>()->default_value("1"))
    ("padding", "zero padding of the spatial stage (default: K/2, 0 for pw/fc)", cxxopts::value<int64_t>())
    ("shift", "block requantization: rounding right shift between the stages", cxxopts::value<int>()->default_value("0"))
    ("relu", "block requantization: ReLU between the stages")
    ("data-width", "signed input and weight width (2..16)", cxxopts::value<int>()->default_value("8"))
    ("acc-width", "accumulator width with wrap-around (8..64)", cxxopts::value<int>()->default_value("32"))
    ("engine", "golden (reference), rtl (Verilated array RTL, checked against golden and the "
          "cycle model) or model (cycle model only)", cxxopts::value<std::string>()->default_value("golden"))
    ("rows", fmt::format("rtl/model: array rows R ({}..{})", ArrayConfig::kMinDim,
                         ArrayConfig::kMaxDim), cxxopts::value<int>())
    ("cols", fmt::format("rtl/model: array columns C ({}..{})", ArrayConfig::kMinDim,
                         ArrayConfig::kMaxDim), cxxopts::value<int>())
    ("no-stos", "rtl/model: plain OS array (no ST-OS broadcast lines)")
    ("mac-stages", fmt::format("rtl/model: MAC pipeline stages per PE ({}..{})",
                               ArrayConfig::kMinMacStages, ArrayConfig::kMaxMacStages),
     cxxopts::value<int>()->default_value(std::to_string(ArrayConfig{}.mac_stages)))
    ("bcast-group", fmt::format("rtl/model: array input stage and broadcast register copy every "
                                "G columns (0..{}, 0: no input stage)",
                                ArrayConfig::kMaxBcastGroup),
     cxxopts::value<int>()->default_value(std::to_string(ArrayConfig{}.bcast_group)))
    ("reset", "rtl: reset style of the array's control registers (async, sync)",
     cxxopts::value<std::string>()->default_value("async"))
    ("dw-mapping", "rtl/model: KxK depthwise on the OS array (os, one column per channel) or "
          "by ST-OS row decomposition (stos)", cxxopts::value<std::string>()->default_value("os"))
    ("trace", "rtl: write an FST waveform of the simulation", cxxopts::value<std::string>())
    ("output", "output .npy (int32 if --acc-width <= 32, else int64); not used by --engine model", cxxopts::value<std::string>())
    ("format", "table or json", cxxopts::value<std::string>()->default_value("table"));
  // cxxopts treats one-letter names as short options; accept the documented `--w` spelling.
  std::vector<std::string> storage(argv, argv + argc);
  std::vector<char*> args;
  for (auto& a : storage) {
    if (a == "--w") a = "--weights";
    else if (a.rfind("--w=", 0) == 0) a = "--weights=" + a.substr(4);
    args.push_back(a.data());
  }
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, static_cast<int>(args.size()), args.data(), r)) return 0;

  const std::string engine =
      check_choice("engine", r["engine"].as<std::string>(), {"golden", "rtl", "model"});
  const std::string format = check_choice("format", r["format"].as<std::string>(), {"table", "json"});
  require(r, "op");
  require(r, "input");
  if (engine != "model") require(r, "output");
  if (engine == "golden")
    for (const char* o : {"rows", "cols", "no-stos", "trace", "mac-stages", "bcast-group", "reset"})
      if (r.count(o)) throw Error(fmt::format("--{} applies to --engine rtl or model only", o));
  if (engine == "model" && r.count("trace"))
    throw Error("--trace needs a simulation: use --engine rtl");
  OpParams p;
  p.op = parse_opcode(r["op"].as<std::string>());
  p.stride = r["stride"].as<int64_t>();
  p.padding = r.count("padding") ? r["padding"].as<int64_t>() : -1;
  if (r.count("padding") && p.padding < 0)
    throw Error(fmt::format("--padding {} is out of range: allowed 0..64", p.padding));
  p.shift = r["shift"].as<int>();
  p.relu = r.count("relu") > 0;
  p.data_w = r["data-width"].as<int>();
  p.acc_w = r["acc-width"].as<int>();
  check_weight_options(p.op, r);

  OpTensors t;
  t.x = load(r, "input");
  t.w = load(r, "w");
  t.w_dw = load(r, "w-dw");
  t.w_row = load(r, "w-row");
  t.w_col = load(r, "w-col");
  t.w_pw = load(r, "w-pw");
  validate(p, t);
  // Every output path is checked before any work starts; none may be an input.
  std::vector<NamedPath> others = input_paths(r);
  if (engine != "model") {
    check_output_path("output", r["output"].as<std::string>(), OutputKind::File, others);
    others.push_back({"output", r["output"].as<std::string>()});
  }
  if (r.count("trace")) check_output_path("trace", r["trace"].as<std::string>(), OutputKind::File, others);
  if (engine != "golden") return run_on_array(r, engine, format, p, t);

  Tensor y = run_golden(p, t);
  int64_t macs = 0;
  for (const auto& l : op_layers(p, t)) macs += l.macs();
  const std::string out = r["output"].as<std::string>();
  const std::string bytes = serialize_npy(y, p.acc_w <= 32 ? NpyDtype::I32 : NpyDtype::I64);
  std::string summary;
  if (format == "json") {
    nlohmann::ordered_json j = {{"op", opcode_name(p.op)}, {"engine", engine},
                        {"input_shape", t.x.shape}, {"output_shape", y.shape},
                        {"macs", macs}, {"output", out}};
    summary = json_dump(j, 2) + "\n";
  } else {
    summary = fmt::format("{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n{:<14}{}\n", "op",
                          opcode_name(p.op), "engine", engine, "input", shape_str(t.x.shape),
                          "output", shape_str(y.shape), "macs", macs, "written", out);
  }
  write_file_atomic(out, bytes);
  fmt::print("{}", summary);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("run", "run an operator or block on an engine and write the output .npy", cmd_run);

}  // namespace fusegen::cli
