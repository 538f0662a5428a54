// `fusegen array`: generates the ST-OS (or plain OS) systolic array RTL and its collateral for
// one size into a directory. All options are checked before anything is written.
#include <charconv>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "golden/array_config.h"
#include "generator/array_emitter.h"
#include "cli/command.h"
#include "cli/options.h"
#include "common/bits.h"
#include "common/error.h"

namespace fusegen::cli {
namespace {

// Integer option value in [lo, hi]; a non-number is reported with the option's name (cxxopts
// would only say that an argument failed to parse).
int int_option(const cxxopts::ParseResult& r, const std::string& option, int lo, int hi) {
  const std::string v = r[option].as<std::string>();
  int value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    throw Error(fmt::format("--{} '{}' is not an integer: allowed {}..{}", option, v, lo, hi));
  return static_cast<int>(check_range(option, value, lo, hi));
}

int cmd_array(int argc, char** argv) {
  cxxopts::Options opts("fusegen array",
                        "Generate the ST-OS systolic array RTL (Verilog-2005), its file list, "
                        "manifest, Yosys script and README");
  opts.add_options()
    ("rows", "PE rows R (1..256)", cxxopts::value<std::string>())
    ("cols", "PE columns C (1..256)", cxxopts::value<std::string>())
    ("data-width", "signed operand width (2..16)",
     cxxopts::value<std::string>()->default_value("8"))
    ("acc-width", "signed accumulator width (8..64, >= 2 x data width)",
     cxxopts::value<std::string>()->default_value("32"))
    ("no-stos", "plain OS array: no row broadcast lines, no mux, no in_mode_i / w_i ports")
    ("name", "module prefix (a Verilog identifier)",
     cxxopts::value<std::string>()->default_value("fusegen"))
    ("out", "output directory", cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  require(r, "rows");
  require(r, "cols");
  require(r, "out");
  ArrayConfig cfg;
  cfg.rows = int_option(r, "rows", 1, 256);
  cfg.cols = int_option(r, "cols", 1, 256);
  cfg.data_w = int_option(r, "data-width", 2, 16);
  cfg.acc_w = int_option(r, "acc-width", 8, 64);
  if (cfg.acc_w < 2 * cfg.data_w)
    throw Error(fmt::format("--acc-width {} is too small for --data-width {}: it must be at "
                            "least 2 x data width ({})", cfg.acc_w, cfg.data_w, 2 * cfg.data_w));
  cfg.stos = r.count("no-stos") == 0;
  cfg.name = r["name"].as<std::string>();
  const std::string out_dir = r["out"].as<std::string>();
  if (out_dir.empty()) throw Error("--out is empty: give the output directory");
  OutputSet files = emit_array(cfg);  // validates the name too
  files.write_to(out_dir);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("array", "generate the ST-OS systolic array RTL for one size", cmd_array);

}  // namespace fusegen::cli
