// `fusegen nullcache`: generates the SparseCache null-cache RTL (modules, file list, manifest,
// Yosys script, README) for one validated configuration into --out, all or nothing.
#include <cstdio>

#include <cxxopts.hpp>
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/options.h"
#include "golden/nullcache_config.h"
#include "generator/nullcache_emitter.h"
#include "sim/nullcache_rtl.h"
#include "common/bits.h"
#include "common/error.h"

namespace {

int cmd_nullcache(int argc, char** argv) {
  using fusegen::cli::check_choice;
  using fusegen::cli::check_range;
  cxxopts::Options opts(argv[0], "Generate the SparseCache null-cache RTL (TCAM, zero detector, "
                                 "address merger, replacement)");
  opts.add_options()
      ("entries", "TCAM entries, 1..1024", cxxopts::value<int>())
      ("addr-width", "byte-address width in bits, 8..64", cxxopts::value<int>()->default_value("32"))
      ("line-bytes", "line size, a power of two 4..256", cxxopts::value<int>()->default_value("32"))
      ("store-policy", "non-zero store into a covered line: invalidate or split",
       cxxopts::value<std::string>()->default_value("invalidate"))
      ("approx", "zero detector: off, int:T (|x| <= T) or float:E (biased exponent < E)",
       cxxopts::value<std::string>()->default_value("off"))
      ("elem-width", "approximator element width: 8, 16 or 32",
       cxxopts::value<int>()->default_value("32"))
      ("singleton-first", "replacement evicts single-line entries before merged ones")
      ("name", "module prefix (a Verilog identifier)",
       cxxopts::value<std::string>()->default_value("nc"))
      ("out", "output directory", cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!fusegen::cli::parse_or_help(opts, argc, argv, r)) return 0;
  fusegen::cli::require(r, "entries");
  fusegen::cli::require(r, "out");

  fusegen::NullCacheGenConfig cfg;
  cfg.entries = static_cast<int>(check_range("entries", r["entries"].as<int>(), 1, 1024));
  cfg.addr_w = static_cast<int>(check_range("addr-width", r["addr-width"].as<int>(), 8, 64));
  cfg.line_bytes = static_cast<int>(check_range("line-bytes", r["line-bytes"].as<int>(), 4, 256));
  if (cfg.line_bytes & (cfg.line_bytes - 1))
    throw fusegen::Error(fmt::format("--line-bytes {} is not a power of two: allowed 4, 8, 16, "
                                     "32, 64, 128, 256", cfg.line_bytes));
  const std::string policy =
      check_choice("store-policy", r["store-policy"].as<std::string>(), {"invalidate", "split"});
  cfg.policy = policy == "split" ? fusegen::NcStorePolicy::kSplit
                                 : fusegen::NcStorePolicy::kInvalidate;
  check_choice("elem-width", std::to_string(r["elem-width"].as<int>()), {"8", "16", "32"});
  cfg.elem_w = r["elem-width"].as<int>();
  cfg.parse_approx(r["approx"].as<std::string>());
  cfg.singleton_first = r.count("singleton-first") > 0;
  cfg.name = r["name"].as<std::string>();
  cfg.validate();

  const std::string out = r["out"].as<std::string>();
  const fusegen::OutputSet files = fusegen::emit_nullcache(cfg);
  fusegen::check_output_path("out", out, fusegen::OutputKind::Directory);
  files.write_to(out);
  fmt::print("fusegen nullcache: wrote {} ({} entries, LaW {}, {} files) to {}\n", cfg.top(),
             cfg.entries, cfg.la_w(), fusegen::nullcache_rtl_files(cfg).size() + 4, out);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("nullcache", "generate the SparseCache null-cache RTL", cmd_nullcache);

// `fusegen cache --engine rtl`: the null cache runs as Verilated RTL in lockstep with the
// golden model (sim/nullcache_rtl.h). Registered here so the engine lives in the executable.
namespace {
const bool kRtlEngineRegistered = (fusegen::register_nullcache_rtl_engine(), true);
}  // namespace
