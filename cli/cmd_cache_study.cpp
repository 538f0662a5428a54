// `fusegen cache-study`: per network, the 16 KB L1 alone, with a 128-entry null cache, and a
// 32 KB L1 alone, on generated traces fed straight into the three golden models; prints miss
// rates, execution-time estimates and reductions beside the thesis' claims (table or JSON).
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/options.h"
#include "common/json.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"
#include "sim/cache_study.h"

namespace fusegen::cli {
// Defined in cmd_trace.cpp: the workload options shared by `trace` and `cache-study`.
TraceGenOptions trace_options_from(const cxxopts::ParseResult& r);
void add_workload_options(cxxopts::Options& opts);

namespace {

int cmd_cache_study(int argc, char** argv) {
  cxxopts::Options opts(argv[0], "Compare 16 KB, 16 KB + null cache and 32 KB L1 caches on synthetic DNN traces");
  opts.add_options()
    ("networks", "comma-separated list of lenet5, alexnet, vgg16, squeezenet",
     cxxopts::value<std::string>()->default_value("lenet5,alexnet,vgg16,squeezenet"))
    ("entries", "null-cache entries of the middle configuration", cxxopts::value<int64_t>()->default_value("128"))
    ("custom-size", "use --scale/--spatial/--max-records (defaults 1, 1, 0) instead of the per-network "
     "study sizes; implied by giving any of them")
    ("format", "table or json", cxxopts::value<std::string>()->default_value("table"));
  add_workload_options(opts);
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  if (r.count("layers")) throw Error("--layers is not available in cache-study: it traces whole networks");
  const std::string format = check_choice("format", r["format"].as<std::string>(), {"table", "json"});
  StudyOptions o;
  o.gen = trace_options_from(r);
  o.nc_entries = static_cast<int>(check_range("entries", r["entries"].as<int64_t>(), 1, 1024));
  o.use_default_sizes = r.count("custom-size") + r.count("scale") + r.count("spatial") + r.count("max-records") == 0;
  o.networks = split_nonempty_list("--networks", r["networks"].as<std::string>());
  for (const auto& n : o.networks) {  // validate all before running any
    TraceGenOptions g = o.gen;
    g.network = n;
    validate(g);
  }
  const auto rows = run_cache_study(o);
  if (format == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& row : rows)
      j.push_back({{"network", row.workload.network},
                   {"scale", row.workload.scale},
                   {"spatial", row.workload.spatial},
                   {"max_records", row.workload.max_records},
                   {"truncated", row.truncated},
                   {"macs", row.macs},
                   {"l1_16k", to_json(row.base16)},
                   {"l1_16k_nc", to_json(row.nc16)},
                   {"l1_32k", to_json(row.base32)}});
    fmt::print("{}\n", json_dump(j, 2));
  } else {
    fmt::print("{}", format_study(rows, o));
  }
  return 0;
}

}  // namespace
FUSEGEN_COMMAND("cache-study", "16 KB vs 16 KB + null cache vs 32 KB L1 on synthetic DNN traces", cmd_cache_study);
}  // namespace fusegen::cli
