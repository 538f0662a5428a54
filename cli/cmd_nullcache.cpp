// `fusegen nullcache`: generates the SparseCache null-cache RTL (modules, file list, manifest,
// Yosys script, README) for one validated configuration into --out, all or nothing.
#include <cstdio>

#include <cxxopts.hpp>
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/options.h"
#include "generator/nullcache_emitter.h"
#include "golden/nullcache_config.h"
#include "sim/nullcache_rtl.h"
#include "tb/nc_options.h"

namespace {

int cmd_nullcache(int argc, char** argv) {
  cxxopts::Options opts(argv[0], "Generate the SparseCache null-cache RTL (TCAM, zero detector, "
                                 "address merger, replacement)");
  fusegen::NullCacheConfig cfg;
  fusegen::add_nullcache_options(opts, fusegen::kNcAllOptions, cfg);
  opts.add_options()
      ("name", "module prefix (a Verilog identifier)",
       cxxopts::value<std::string>()->default_value(cfg.name))
      ("out", "output directory", cxxopts::value<std::string>());
  fusegen::cli::add_flow_options(opts, "nullcache");
  cxxopts::ParseResult r;
  if (!fusegen::cli::parse_or_help(opts, argc, argv, r)) return 0;
  fusegen::cli::require(r, "entries");
  fusegen::cli::require(r, "out");
  fusegen::read_nullcache_options(r, fusegen::kNcAllOptions, cfg);
  cfg.name = r["name"].as<std::string>();
  cfg.validate();

  const std::string out = r["out"].as<std::string>();
  const fusegen::FlowOptions flow = fusegen::cli::read_flow_options(r);
  const fusegen::OutputSet files = fusegen::emit_nullcache(cfg, flow);
  fusegen::check_output_path("out", out, fusegen::OutputKind::Directory);
  files.write_to(out);
  fmt::print("fusegen nullcache: wrote {} ({} entries, LaW {}, {} files) to {}\n", cfg.top(),
             cfg.entries, cfg.la_w(), files.files().size(), out);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("nullcache", "generate the SparseCache null-cache RTL", cmd_nullcache);

// `fusegen cache --engine rtl`: the null cache runs as Verilated RTL in lockstep with the
// golden model (sim/nullcache_rtl.h). Registered here so the engine lives in the executable.
namespace {
const bool kRtlEngineRegistered = (fusegen::register_nullcache_rtl_engine(), true);
}  // namespace
