// `fusegen net`: cycles, MACs and speedups of the network zoo (or a SCALE-Sim topology file)
// under a latency model, one row per (network, variant) or per layer, as an aligned table, CSV
// or JSON. All options are validated and all networks evaluated before anything is printed.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "generator/cli/command.h"
#include "generator/cli/options.h"
#include "golden/common.h"
#include "golden/latency.h"
#include "golden/topology.h"
#include "golden/zoo.h"

namespace fusegen::cli {
namespace {

// One evaluated (network, variant).
struct NetResult {
  std::string network;            // zoo name or topology file stem
  std::string variant;            // zoo variant or "topology"
  NetworkCost cost;               // per layer and totals
  std::optional<double> speedup;  // base cycles / cycles (none for topology files)
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Expands "all" or checks one name against the allowed list.
std::vector<std::string> select(const std::string& option, const std::string& value,
                                const std::vector<std::string>& allowed) {
  if (value == "all") return allowed;
  for (const auto& a : allowed)
    if (a == value) return {value};
  throw Error(fmt::format("--{} '{}' is not allowed: choose all or one of {}", option, value,
                          join(allowed)));
}

// Prints rows as an aligned table: text columns left-aligned, the others right-aligned.
void print_table(const std::vector<std::string>& head, const std::vector<bool>& left,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) width[i] = head[i].size();
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) s += "  ";
      s += left[i] ? fmt::format("{:<{}}", r[i], width[i]) : fmt::format("{:>{}}", r[i], width[i]);
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    fmt::print("{}\n", s);
  };
  line(head);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& r : rows) line(r);
}

void print_csv(const std::vector<std::string>& head,
               const std::vector<std::vector<std::string>>& rows) {
  auto line = [](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < r.size(); ++i) s += (i ? "," : "") + r[i];
    fmt::print("{}\n", s);
  };
  line(head);
  for (const auto& r : rows) line(r);
}

std::string shape(int64_t c, int64_t h, int64_t w) { return fmt::format("{}x{}x{}", c, h, w); }

int run_net(int argc, char** argv) {
  cxxopts::Options opts(argv[0],
                        "Cycles, MACs and speedup over the base variant of the network zoo "
                        "under a latency model.");
  opts.add_options()
      ("network", "network name or all: " + join(zoo_networks()),
       cxxopts::value<std::string>()->default_value("all"))
      ("variant", "variant or all: " + [] {
         std::vector<std::string> v;
         for (const auto& x : zoo_variants()) v.push_back(x.name);
         return join(v);
       }(), cxxopts::value<std::string>()->default_value("all"))
      ("array", "array size RxC", cxxopts::value<std::string>()->default_value("64x64"))
      ("model", "latency model: " + join(latency_model_names()),
       cxxopts::value<std::string>()->default_value("paper"))
      ("layers", "one row per layer instead of per network")
      ("format", "table, csv or json", cxxopts::value<std::string>()->default_value("table"))
      ("topology", "evaluate a SCALE-Sim topology CSV instead of the zoo",
       cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;

  const auto [rows, cols] = parse_array_size("array", r["array"].as<std::string>());
  const std::string format = check_choice("format", r["format"].as<std::string>(),
                                          {"table", "csv", "json"});
  const std::string model_name = r["model"].as<std::string>();
  const bool per_layer = r.count("layers") > 0;

  std::vector<NetResult> results;
  if (r.count("topology")) {
    if (r.count("network") || r.count("variant"))
      throw Error("--topology evaluates one CSV file: it cannot be combined with --network or "
                  "--variant");
    const std::string path = r["topology"].as<std::string>();
    const auto layers = read_topology(path);
    auto model = make_latency_model(model_name, rows, cols, "base");
    results.push_back({topology_name(path), "topology", evaluate_network(*model, layers), {}});
  } else {
    std::vector<std::string> variant_names;
    for (const auto& v : zoo_variants()) variant_names.push_back(v.name);
    const auto nets = select("network", r["network"].as<std::string>(), zoo_networks());
    const auto vars = select("variant", r["variant"].as<std::string>(), variant_names);
    make_latency_model(model_name, rows, cols, "base");  // rejects an unknown model up front
    for (const auto& net : nets) {
      auto base_model = make_latency_model(model_name, rows, cols, "base");
      const int64_t base = evaluate_network(*base_model, build_network(net, "base")).cycles;
      for (const auto& var : vars) {
        auto model = make_latency_model(model_name, rows, cols, var);
        NetResult res{net, var, evaluate_network(*model, build_network(net, var)), {}};
        if (res.cost.cycles > 0)
          res.speedup = static_cast<double>(base) / static_cast<double>(res.cost.cycles);
        results.push_back(std::move(res));
      }
    }
  }

  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& res : results) {
      if (!per_layer) {
        nlohmann::ordered_json o;
        o["network"] = res.network;
        o["variant"] = res.variant;
        o["rows"] = rows;
        o["cols"] = cols;
        o["model"] = model_name;
        o["cycles"] = res.cost.cycles;
        o["macs"] = res.cost.macs;
        o["speedup"] = res.speedup ? nlohmann::ordered_json(*res.speedup) : nullptr;
        out.push_back(std::move(o));
        continue;
      }
      for (const auto& lc : res.cost.layers) {
        const LayerDesc& l = lc.layer;
        nlohmann::ordered_json o;
        o["network"] = res.network;
        o["variant"] = res.variant;
        o["rows"] = rows;
        o["cols"] = cols;
        o["model"] = model_name;
        o["layer"] = l.name;
        o["type"] = op_name(l.op);
        o["in_c"] = l.cin;
        o["in_h"] = l.h;
        o["in_w"] = l.w;
        o["out_c"] = l.cout;
        o["out_h"] = l.ho();
        o["out_w"] = l.wo();
        o["kh"] = l.kh;
        o["kw"] = l.kw;
        o["stride"] = l.stride;
        o["macs"] = lc.macs;
        o["cycles"] = lc.cycles;
        out.push_back(std::move(o));
      }
    }
    fmt::print("{}\n", out.dump(2));
    return 0;
  }

  const bool table = format == "table";
  std::vector<std::string> head;
  std::vector<bool> left;
  std::vector<std::vector<std::string>> cells;
  if (!per_layer) {
    head = {"network", "variant", "rows", "cols", "model", "cycles", "macs", "speedup"};
    left = {true, true, false, false, true, false, false, false};
    for (const auto& res : results) {
      std::string sp = !res.speedup ? (table ? "-" : "")
                                    : fmt::format(table ? "{:.2f}x" : "{:.4f}", *res.speedup);
      cells.push_back({res.network, res.variant, std::to_string(rows), std::to_string(cols),
                       model_name, std::to_string(res.cost.cycles), std::to_string(res.cost.macs),
                       sp});
    }
  } else {
    head = {"network", "variant", "rows", "cols", "model", "layer", "type", "input",
            "output", "kernel", "stride", "macs", "cycles"};
    left = {true, true, false, false, true, true, true, false, false, false, false, false, false};
    for (const auto& res : results)
      for (const auto& lc : res.cost.layers) {
        const LayerDesc& l = lc.layer;
        cells.push_back({res.network, res.variant, std::to_string(rows), std::to_string(cols),
                         model_name, l.name, op_name(l.op), shape(l.cin, l.h, l.w),
                         shape(l.cout, l.ho(), l.wo()), fmt::format("{}x{}", l.kh, l.kw),
                         std::to_string(l.stride), std::to_string(lc.macs),
                         std::to_string(lc.cycles)});
      }
  }
  if (table)
    print_table(head, left, cells);
  else
    print_csv(head, cells);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("net", "cycles and speedups of the FuSe network zoo under a latency model",
                run_net);

}  // namespace fusegen::cli
