// `fusegen trace`: writes the synthetic Caffe-style memory trace of a DNN (sim/trace_gen.h)
// as a din file (atomically: nothing appears unless the whole trace was written), and prints
// one summary line per layer.
#include <algorithm>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/options.h"
#include "common/fileio.h"
#include "common/text.h"
#include "generator/collateral.h"
#include "common/bits.h"
#include "common/error.h"
#include "sim/din_trace.h"
#include "sim/trace_gen.h"

namespace fusegen::cli {
namespace {

double parse_fraction(const std::string& option, const std::string& v) {
  size_t pos = 0;
  double d = 0;
  try {
    d = std::stod(v, &pos);
  } catch (...) {
    pos = 0;
  }
  if (pos == 0 || pos != v.size())
    throw Error(fmt::format("--{} '{}' is not a number", option, v));
  return d;
}

// Bytes per access record in the din text, for the free-space check: a record is about 22 bytes
// ("0 7f3a10c4 4 0000803f\n"), plus the init and instruction records around the accesses.
constexpr uint64_t kDinBytesPerAccess = 24;

}  // namespace

// Shared with cmd_cache_study.cpp through this declaration only.
TraceGenOptions trace_options_from(const cxxopts::ParseResult& r) {
  TraceGenOptions o;
  if (r.count("network")) o.network = r["network"].as<std::string>();
  if (r.count("layers")) o.layers = split_nonempty_list("--layers", r["layers"].as<std::string>());
  o.int8 = check_choice("dtype", r["dtype"].as<std::string>(), {"f32", "i8"}) == "i8";
  const std::string keep = r["keep"].as<std::string>();
  o.keep = keep == "default" ? -1.0 : parse_fraction("keep", keep);
  if (keep != "default" && (o.keep < 0 || o.keep > 1))
    throw Error(fmt::format("--keep '{}' is out of range: 'default' or a fraction in 0..1", keep));
  o.granularity = static_cast<int>(check_range("granularity", r["granularity"].as<int64_t>(), 1, 4096));
  o.act_zero = parse_fraction("act-zero", r["act-zero"].as<std::string>());
  o.act_run = static_cast<int>(check_range("act-run", r["act-run"].as<int64_t>(), 1, 4096));
  if (r.count("weights")) o.weights_dir = r["weights"].as<std::string>();
  o.seed = r["seed"].as<uint64_t>();
  o.scale = parse_fraction("scale", r["scale"].as<std::string>());
  o.spatial = parse_fraction("spatial", r["spatial"].as<std::string>());
  o.max_records = r["max-records"].as<uint64_t>();
  return o;
}

void add_workload_options(cxxopts::Options& opts) {
  opts.add_options()
    ("layers", "comma-separated layer names (default: all layers)", cxxopts::value<std::string>())
    ("dtype", "f32 (Caffe) or i8 (int8 weights/activations, int32 outputs)",
     cxxopts::value<std::string>()->default_value("f32"))
    ("keep", "fraction of weights kept: 'default' = published per-layer rates",
     cxxopts::value<std::string>()->default_value("default"))
    ("granularity", "pruning group: consecutive weights kept or zeroed together",
     cxxopts::value<int64_t>()->default_value("1"))
    ("act-zero", "fraction of zero input activations", cxxopts::value<std::string>()->default_value("0.5"))
    ("act-run", "input activations are zeroed in runs of this many elements",
     cxxopts::value<int64_t>()->default_value("8"))
    ("weights", "directory of <layer>.npy weights replacing synthetic ones", cxxopts::value<std::string>())
    ("seed", "random seed", cxxopts::value<uint64_t>()->default_value("1"))
    ("scale", "channel scale in (0,1] (input image channels kept)",
     cxxopts::value<std::string>()->default_value("1"))
    ("spatial", "input height/width scale in (0,1] (at least the kernel size)",
     cxxopts::value<std::string>()->default_value("1"))
    ("max-records", "per layer: stop after this many loads+stores (0 = no limit)",
     cxxopts::value<uint64_t>()->default_value("0"));
}

namespace {

int cmd_trace(int argc, char** argv) {
  cxxopts::Options opts(argv[0], "Write the memory trace (din format) of DNN layers run Caffe-style on a CPU");
  opts.add_options()
    ("network", "lenet5, alexnet, vgg16 or squeezenet", cxxopts::value<std::string>())
    ("out", "output trace file", cxxopts::value<std::string>())
    ("no-instructions", "omit the label-2 instruction-count records")
    ("limit", "refuse traces of more accesses than this (0 = no limit)",
     cxxopts::value<uint64_t>()->default_value("1000000000"));
  add_workload_options(opts);
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  require(r, "network");
  require(r, "out");
  TraceGenOptions o = trace_options_from(r);
  o.instructions = !r.count("no-instructions");
  const auto layers = traced_layers(o);  // validates everything before writing
  uint64_t expect = 0;
  for (const auto& l : layers)
    expect += o.max_records ? std::min(o.max_records, access_records(l)) : access_records(l);
  const uint64_t limit = r["limit"].as<uint64_t>();
  if (limit && expect > limit)
    throw Error(fmt::format("the trace would hold {} accesses (more than --limit {}): select layers with "
                            "--layers, shrink them with --scale/--spatial, cap them with --max-records, or "
                            "raise --limit (0 = none)", expect, limit));
  const std::string out = r["out"].as<std::string>();
  check_output_path("out", out, OutputKind::File);
  const uint64_t bytes = expect * kDinBytesPerAccess, free = free_disk_bytes(out);
  if (bytes > free)
    throw Error(fmt::format("the trace would take about {} MB ({} accesses) but the file system of "
                            "--out '{}' has {} MB free: free some space, or shrink the trace with "
                            "--layers, --scale/--spatial or --max-records", bytes >> 20, expect, out,
                            free >> 20));
  std::string lnames;
  for (const auto& l : layers) lnames += (lnames.empty() ? "" : ",") + l.name;
  const ParamList params = {
      {"network", o.network},           {"layers", lnames},
      {"dtype", o.int8 ? "i8" : "f32"}, {"keep", o.keep < 0 ? "default" : fmt::format("{}", o.keep)},
      {"granularity", std::to_string(o.granularity)}, {"act_zero", fmt::format("{}", o.act_zero)},
      {"act_run", std::to_string(o.act_run)},         {"weights", o.weights_dir.empty() ? "synthetic" : o.weights_dir},
      {"seed", std::to_string(o.seed)},               {"scale", fmt::format("{}", o.scale)},
      {"spatial", fmt::format("{}", o.spatial)},      {"max_records", std::to_string(o.max_records)}};
  DinWriter w(out);
  w.comment(generated_header("#", "din memory trace (Caffe-style im2col + GEMM, see docs/sparsecache.md)", params));
  const auto sum = generate_trace(o, w);
  w.commit();
  fmt::print("{:<20} {:>12} {:>12} {:>9} {:>8} {:>8}\n", "layer", "macs", "accesses", "inits", "w_zero", "x_zero");
  uint64_t total = 0;
  for (const auto& s : sum) {
    fmt::print("{:<20} {:>12} {:>12}{} {:>8} {:>7.1f}% {:>7.1f}%\n", s.name, s.macs, s.records,
               s.truncated ? "*" : " ", s.init_records, 100 * s.weight_zero, 100 * s.input_zero);
    total += s.records;
  }
  fmt::print("total accesses {} ({} records with init/instruction records) -> {}\n", total, w.records(),
             out);
  return 0;
}

}  // namespace
FUSEGEN_COMMAND("trace", "write a synthetic DNN memory trace (din format)", cmd_trace);
}  // namespace fusegen::cli
