// `fusegen infer`: runs a whole zoo network (golden/graph.h) in integer semantics on an input
// image (given, or seeded random) with given or seeded random weights, and writes the raw
// accumulators of the classifier. Engine `golden` is the executor of golden/infer.h; `model` and
// `rtl` run every layer on the accelerator (sim/accel_infer.h: its instruction-set model, or the
// Verilated RTL as well; the stem through a host im2col) and the other nodes on the host, and
// check the output against the golden engine; their programs are overlapped (double-buffered)
// unless --no-overlap. Every
// option, file and the graph are checked, then the network runs, then the outputs are written:
// --save-weights as one all-or-nothing directory (weights, input, network.json), --output
// atomically.
#include <algorithm>
#include <map>
#include <memory>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/json.h"
#include "golden/array_config.h"
#include "golden/graph.h"
#include "golden/infer.h"
#include "golden/npy.h"
#include "golden/zoo.h"
#include "sim/accel_infer.h"

namespace fusegen::cli {
namespace {

namespace fs = std::filesystem;

// The largest --input-size side.
constexpr int64_t kMaxInputSide = 1024;

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// "HxW" -> (H, W), each in 1..kMaxInputSide.
std::pair<int64_t, int64_t> parse_input_size(const std::string& value) {
  auto bad = [&] {
    return Error(fmt::format("--input-size '{}' is not a size: expected HxW with H and W in 1..{} "
                             "(e.g. 224x224 or 32x32)",
                             value, kMaxInputSide));
  };
  const size_t x = value.find_first_of("xX");
  if (x == std::string::npos) throw bad();
  auto num = [&](const std::string& s) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
      throw bad();
    const int64_t v = std::stoll(s);
    if (v < 1 || v > kMaxInputSide) throw bad();
    return v;
  };
  return {num(value.substr(0, x)), num(value.substr(x + 1))};
}

// "auto" -> -1, else an integer 0..acc_w-1.
int parse_shift(const std::string& value, int acc_w) {
  if (value == "auto") return -1;
  if (value.empty() || value.size() > 3 ||
      value.find_first_not_of("0123456789") != std::string::npos || std::stoi(value) > acc_w - 1)
    throw Error(fmt::format("--shift '{}' is not allowed: give auto or an integer 0..{} "
                            "(--acc-width - 1)",
                            value, acc_w - 1));
  return std::stoi(value);
}

std::string dims(const std::vector<int64_t>& s) {
  std::string out;
  for (int64_t d : s) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

// True if `file` lies directly in directory `dir` (by file identity of the directories).
bool in_dir(const std::string& file, const std::string& dir) {
  std::error_code ec;
  const fs::path parent = fs::absolute(file).lexically_normal().parent_path();
  return fs::exists(dir, ec) && fs::exists(parent, ec) && fs::equivalent(parent, dir, ec) && !ec;
}

// Columns 0..2 left-aligned, the rest right-aligned; a rule under the header and above the
// last (total) row.
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(rows.at(0).size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (size_t k = 0; k < rows.size(); ++k) {
    std::string s;
    for (size_t i = 0; i < rows[k].size(); ++i) {
      if (i) s += "  ";
      s += i < 3 ? fmt::format("{:<{}}", rows[k][i], width[i])
                   : fmt::format("{:>{}}", rows[k][i], width[i]);
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    fmt::print("{}\n", s);
    if (k == 0 || k + 2 == rows.size()) {
      std::string rule;
      for (size_t i = 0; i < width.size(); ++i)
        rule += (i ? "  " : "") + std::string(width[i], '-');
      fmt::print("{}\n", rule);
    }
  }
}

int cmd_infer(int argc, char** argv) {
  cxxopts::Options opts("fusegen infer",
                        "Run a whole zoo network in integer semantics and write the classifier's "
                        "raw accumulators (docs/infer.md)");
  opts.add_options()
    ("network", fmt::format("network: {}", join(infer_networks())), cxxopts::value<std::string>())
    ("variant", "base, full, half, full50 or half50",
     cxxopts::value<std::string>()->default_value("base"))
    ("input-size", fmt::format("input image HxW (1..{} each; default 224x224, or the --input's)",
                               kMaxInputSide), cxxopts::value<std::string>())
    ("input", "input image .npy [1, 3, H, W], values in the --data-width range (default: seeded "
              "random)", cxxopts::value<std::string>())
    ("weights", "directory holding <layer>.npy for every layer, PyTorch layouts (default: seeded "
                "random)", cxxopts::value<std::string>())
    ("seed", "random seed of the input and weights not given",
     cxxopts::value<uint64_t>()->default_value("1"))
    ("shift", "requantization shift of every layer (0..acc-width-1), or auto: DataW - 2 + "
              "floor(log2(T)/2) per layer, T its reduction length",
     cxxopts::value<std::string>()->default_value("auto"))
    ("data-width", fmt::format("signed activation and weight width ({}..{})",
                               ArrayConfig::kMinDataW, ArrayConfig::kMaxDataW),
     cxxopts::value<int>()->default_value("8"))
    ("acc-width", fmt::format("accumulator width with wrap-around ({}..{}, >= 2 x data-width)",
                              ArrayConfig::kMinAccW, ArrayConfig::kMaxAccW),
     cxxopts::value<int>()->default_value("32"))
    ("rows", fmt::format("array rows R ({}..{})", ArrayConfig::kMinDim, ArrayConfig::kMaxDim),
     cxxopts::value<int>())
    ("cols", fmt::format("array columns C ({}..{})", ArrayConfig::kMinDim, ArrayConfig::kMaxDim),
     cxxopts::value<int>())
    ("engine", "golden (integer reference); model: every layer on the accelerator's "
               "instruction-set model; rtl: also on the Verilated accelerator (docs/accel.md)",
     cxxopts::value<std::string>())
    ("bus-width", "model/rtl: accelerator stream width in bits (8, 16, ..., 512)",
     cxxopts::value<int>()->default_value("64"))
    ("act-kb", "model/rtl: activation scratchpad KiB", cxxopts::value<int>()->default_value("64"))
    ("wgt-kb", "model/rtl: weight scratchpad KiB", cxxopts::value<int>()->default_value("64"))
    ("out-kb", "model/rtl: result scratchpad KiB", cxxopts::value<int>()->default_value("16"))
    ("ibuf-depth", "model/rtl: instruction buffer, instructions",
     cxxopts::value<int>()->default_value("512"))
    ("im2col", "model/rtl: the accelerator has the im2col window generator (on: dense "
               "convolutions as GEMM with WIN; off: over a host im2col map)",
     cxxopts::value<std::string>()->default_value("on"))
    ("host-requant", "model/rtl: stream every layer's raw accumulators out and requantize on "
                     "the host (default: on the accelerator's result path)")
    ("no-overlap", "model/rtl: programs that run one instruction at a time (default: "
                   "double-buffered programs whose loads and stores run in the background "
                   "while the array computes)")
    ("output", "output .npy: the fc accumulators [1, 1000] (int32 if --acc-width <= 32, "
               "else int64)",
     cxxopts::value<std::string>())
    ("save-weights", "write every <layer>.npy, input.npy and network.json into this directory",
     cxxopts::value<std::string>())
    ("format", "table or json", cxxopts::value<std::string>()->default_value("table"));
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;

  // --- Options.
  require(r, "network");
  require(r, "engine");
  const std::string engine =
      check_choice("engine", r["engine"].as<std::string>(), {"golden", "model", "rtl"});
  const std::string format =
      check_choice("format", r["format"].as<std::string>(), {"table", "json"});
  require(r, "rows");
  require(r, "cols");
  require(r, "output");
  const std::string network = r["network"].as<std::string>();
  const auto& zoo = zoo_networks();
  if (std::find(zoo.begin(), zoo.end(), network) == zoo.end())
    throw Error(fmt::format("--network '{}' is not allowed: choose one of {}", network,
                            join(infer_networks())));
  const std::string variant = r["variant"].as<std::string>();
  std::vector<std::string> variants;
  for (const auto& v : zoo_variants()) variants.push_back(v.name);
  if (std::find(variants.begin(), variants.end(), variant) == variants.end())
    throw Error(fmt::format("--variant '{}' is not allowed: choose one of {}", variant,
                            join(variants)));
  ArrayConfig cfg;
  cfg.rows = r["rows"].as<int>();
  cfg.cols = r["cols"].as<int>();
  cfg.data_w = r["data-width"].as<int>();
  cfg.acc_w = r["acc-width"].as<int>();
  cfg.validate(ArrayConfig::Naming::kOption);
  AccelConfig acfg;
  acfg.array = cfg;
  acfg.bus_width = r["bus-width"].as<int>();
  acfg.act_kb = r["act-kb"].as<int>();
  acfg.wgt_kb = r["wgt-kb"].as<int>();
  acfg.out_kb = r["out-kb"].as<int>();
  acfg.ibuf_depth = r["ibuf-depth"].as<int>();
  acfg.im2col = check_choice("im2col", r["im2col"].as<std::string>(), {"on", "off"}) == "on";
  if (r.count("im2col") && engine == "golden")
    throw Error("--im2col applies to the accelerator: use it with --engine model or rtl");
  if (engine != "golden") acfg.validate(ArrayConfig::Naming::kOption);
  const bool host_requant = r.count("host-requant") > 0;
  if (host_requant && engine == "golden")
    throw Error("--host-requant applies to the accelerator: use it with --engine model or rtl");
  const bool overlap = r.count("no-overlap") == 0;
  if (!overlap && engine == "golden")
    throw Error("--no-overlap applies to the accelerator: use it with --engine model or rtl");
  GraphOptions gopt;
  gopt.data_w = cfg.data_w;
  gopt.acc_w = cfg.acc_w;
  gopt.shift = parse_shift(r["shift"].as<std::string>(), cfg.acc_w);
  const uint64_t seed = r["seed"].as<uint64_t>();

  // --- The input image: its size, or --input-size.
  const std::string input_path = r.count("input") ? r["input"].as<std::string>() : "";
  Tensor input;
  if (r.count("input-size"))
    std::tie(gopt.h, gopt.w) = parse_input_size(r["input-size"].as<std::string>());
  if (!input_path.empty()) {
    const std::string what = fmt::format("--input '{}'", input_path);
    input = read_npy(input_path).to_tensor(what);
    if (input.rank() != 4 || input.dim(0) != 1 || input.dim(1) != 3 || input.dim(2) < 1 ||
        input.dim(3) < 1 || input.dim(2) > kMaxInputSide || input.dim(3) > kMaxInputSide)
      throw Error(fmt::format("{} has shape {}: expected [1, 3, H, W] (one 3-channel image, NCHW) "
                              "with H and W in 1..{}",
                              what, shape_str(input.shape), kMaxInputSide));
    if (r.count("input-size") && (input.dim(2) != gopt.h || input.dim(3) != gopt.w))
      throw Error(fmt::format("{} has shape {} but --input-size is {}x{}: omit --input-size or "
                              "make them agree",
                              what, shape_str(input.shape), gopt.h, gopt.w));
    gopt.h = input.dim(2);
    gopt.w = input.dim(3);
    check_tensor(input, input.shape, cfg.data_w, what);
  }

  // --- The graph, then the weights it needs.
  const NetGraph g = build_graph(network, variant, gopt);
  if (input_path.empty()) input = random_input(g, seed);
  std::vector<NamedPath> inputs;
  if (!input_path.empty()) inputs.push_back({"input", input_path});
  WeightMap weights;
  if (r.count("weights")) {
    const std::string dir = r["weights"].as<std::string>();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw Error(fmt::format("--weights '{}' is not a directory: give the directory holding "
                              "<layer>.npy for every layer (as --save-weights writes it)", dir));
    for (const GraphNode* n : g.layers()) {
      const std::string file = (fs::path(dir) / (n->name + ".npy")).string();
      if (!fs::exists(file, ec))
        throw Error(fmt::format("--weights '{}': layer '{}' needs '{}' with shape {}: the file "
                                "does not exist", dir, n->name, file, shape_str(n->weight_shape)));
      const std::string what = fmt::format("--weights: layer '{}' file '{}'", n->name, file);
      Tensor w = read_npy(file).to_tensor(what);
      check_tensor(w, n->weight_shape, g.data_w, what);
      weights[n->name] = std::move(w);
      inputs.push_back({"weights", file});
    }
  } else {
    weights = random_weights(g, seed);
  }

  // --- Output paths, before any work: none may be an input, nor lie in --save-weights.
  const std::string out = r["output"].as<std::string>();
  check_output_path("output", out, OutputKind::File, inputs);
  const std::string save = r.count("save-weights") ? r["save-weights"].as<std::string>() : "";
  if (!save.empty()) {
    std::vector<NamedPath> others = inputs;
    if (r.count("weights")) others.push_back({"weights", r["weights"].as<std::string>()});
    check_output_path("save-weights", save, OutputKind::Directory, others);
    for (const auto& [opt, path] : std::vector<NamedPath>{{"input", input_path}, {"output", out}})
      if (!path.empty() && in_dir(path, save))
        throw Error(fmt::format("--{} '{}' lies in --save-weights '{}', which is written as a "
                                "whole: choose another directory", opt, path, save));
  }

  // --- Run, then write.
  InferResult res;
  std::unique_ptr<AccelLayerEngine> accel;
  if (engine == "golden") {
    res = run_graph(g, input, weights);
  } else {
    accel = std::make_unique<AccelLayerEngine>(acfg, engine == "rtl", host_requant, overlap);
    try {
      res = run_graph(g, input, weights,
                      [&](const LayerCall& call, Tensor* y) { return accel->run(call, y); });
    } catch (const AccelMismatch& e) {
      fmt::print(stderr, "fusegen: mismatch: {}\n", e.what());
      return 1;
    }
    const InferResult gold = run_graph(g, input, weights);
    if (gold.output.data != res.output.data) {
      fmt::print(stderr, "fusegen: mismatch: the network's output differs from --engine golden\n");
      return 1;
    }
  }
  const std::string y_bytes =
      serialize_npy(res.output, g.acc_w <= 32 ? NpyDtype::I32 : NpyDtype::I64);
  if (!save.empty()) {
    const NpyDtype wt = g.data_w <= 8 ? NpyDtype::I8 : NpyDtype::I16;
    OutputSet set;
    for (const auto& [name, w] : weights) set.add(name + ".npy", serialize_npy(w, wt));
    set.add("input.npy", serialize_npy(input, wt));
    nlohmann::ordered_json j = graph_to_json(g);
    j["input"]["file"] = "input.npy";
    set.add("network.json", json_dump(j, 2) + "\n");
    set.write_to(save);
  }
  write_file_atomic(out, y_bytes);

  // --- Report.
  std::map<std::string, const AccelLayerStats*> on_accel;
  std::set<std::string> requant_on_chip;  // Requant nodes applied on the result path
  AccelLayerStats total;
  if (accel)
    for (const auto& st : accel->stats()) {
      on_accel[st.name] = &st;
      if (!st.requant.empty()) requant_on_chip.insert(st.requant);
      total += st;
    }
  auto where = [&](const std::string& node) {
    return on_accel.count(node) || requant_on_chip.count(node) ? "accel" : "host";
  };
  const int64_t core_cycles = accel ? array_alone_cycles(g, cfg) : 0;
  const double pes = double(cfg.rows) * cfg.cols;
  auto util = [&](const AccelLayerStats& st) {
    return st.cycles ? double(st.macs) / (double(st.cycles) * pes) : 0.0;
  };
  if (format == "json") {
    nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
    for (const auto& n : res.nodes) {
      nlohmann::ordered_json jn = {{"name", n.name}, {"op", node_op_name(n.op)},
                                   {"shape", n.shape}, {"macs", n.macs}};
      if (accel) {
        auto it = on_accel.find(n.name);
        jn["on"] = where(n.name);
        if (it != on_accel.end()) {
          const AccelLayerStats& st = *it->second;
          jn["cycles"] = st.cycles;
          jn["gemm_cycles"] = st.gemm_cycles;
          if (engine == "rtl") jn["rtl_cycles"] = st.rtl_cycles;
          jn["utilization"] = util(st);
          jn["act_reads"] = st.act_reads;
          jn["act_writes"] = st.act_writes;
          jn["wgt_reads"] = st.wgt_reads;
          jn["wgt_writes"] = st.wgt_writes;
          jn["out_reads"] = st.out_reads;
          jn["out_writes"] = st.out_writes;
          jn["stream_bytes_in"] = st.bytes_in;
          jn["stream_bytes_out"] = st.bytes_out;
        }
      }
      nodes.push_back(std::move(jn));
    }
    nlohmann::ordered_json j = {{"network", network},
                                {"variant", variant},
                                {"engine", engine},
                                {"input_shape", g.input_shape},
                                {"output_shape", res.output.shape},
                                {"nodes", std::move(nodes)},
                                {"macs", res.macs},
                                {"output", out}};
    if (accel) {
      j["accel"] = {{"macs", total.macs}, {"cycles", total.cycles},
                    {"gemm_cycles", total.gemm_cycles}, {"utilization", util(total)},
                    {"stream_bytes_in", total.bytes_in}, {"stream_bytes_out", total.bytes_out},
                    {"core_cycles", core_cycles},
                    {"overlap", overlap},
                    {"programs", total.programs},
                    {"overlapped_programs", total.overlapped},
                    {"im2col", acfg.im2col},
                    {"windowed_programs", total.windowed},
                    {"matches_golden", true}};
      if (engine == "rtl") j["accel"]["rtl_cycles"] = total.rtl_cycles;
    }
    if (!save.empty()) j["saved"] = save;
    fmt::print("{}\n", json_dump(j, 2));
    return 0;
  }
  fmt::print("network {} ({}), engine {}, input {}\n", network, variant, engine,
             shape_str(g.input_shape));
  std::vector<std::vector<std::string>> rows = {{"node", "op", "shape", "macs"}};
  if (accel)
    for (const char* h : {"on", "cycles", "gemm", "util", "act r/w", "wgt w", "in B", "out B"})
      rows[0].push_back(h);
  auto accel_cols = [&](std::vector<std::string>& row, const AccelLayerStats& st) {
    row.insert(row.end(), {std::to_string(st.cycles), std::to_string(st.gemm_cycles),
                           fmt::format("{:.3f}", util(st)),
                           fmt::format("{}/{}", st.act_reads, st.act_writes),
                           std::to_string(st.wgt_writes), std::to_string(st.bytes_in),
                           std::to_string(st.bytes_out)});
  };
  for (const auto& n : res.nodes) {
    rows.push_back({n.name, node_op_name(n.op), dims(n.shape), std::to_string(n.macs)});
    if (!accel) continue;
    auto it = on_accel.find(n.name);
    rows.back().push_back(where(n.name));
    if (it != on_accel.end()) accel_cols(rows.back(), *it->second);
    else rows.back().resize(rows[0].size());
  }
  rows.push_back({"total", "", "", std::to_string(res.macs)});
  if (accel) {
    rows.back().push_back(fmt::format("accel {}", total.macs));
    accel_cols(rows.back(), total);
  }
  print_table(rows);
  if (accel) {
    fmt::print("accelerator ({}x{}, {}-bit stream): {} of {} MACs ({:.1f} %) in {} cycles, "
               "{:.2f}x its GEMM/CONV cycles, {:.2f}x the array alone ({} cycles, net --model "
               "rtl); {}\n",
               cfg.rows, cfg.cols, acfg.bus_width, total.macs, res.macs,
               res.macs ? 100.0 * double(total.macs) / double(res.macs) : 0.0, total.cycles,
               total.gemm_cycles ? double(total.cycles) / double(total.gemm_cycles) : 0.0,
               core_cycles ? double(total.cycles) / double(core_cycles) : 0.0, core_cycles,
               overlap ? fmt::format("loads and stores overlapped with compute in {} of {} "
                                     "programs (double-buffered)",
                                     total.overlapped, total.programs)
                       : std::string("loads and stores are not overlapped with compute "
                                     "(--no-overlap)"));
    fmt::print("output == --engine golden: yes{}\n",
               engine == "rtl" ? "; RTL == model: every output beat and CYCLES of every layer"
                               : "");
  }
  fmt::print("written {}{}\n", out, save.empty() ? "" : fmt::format(" and {}/", save));
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("infer", "run a whole zoo network in integer semantics (golden, or on the accelerator)",
                cmd_infer);

}  // namespace fusegen::cli
