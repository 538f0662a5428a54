// `fusegen array`: generates the ST-OS (or plain OS) systolic array RTL and its collateral for
// one size into a directory. All options are checked before anything is written.
#include <string>

#include <fmt/format.h>

#include "golden/array_config.h"
#include "generator/array_emitter.h"
#include "cli/command.h"
#include "cli/options.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/fileio.h"

namespace fusegen::cli {
namespace {

int cmd_array(int argc, char** argv) {
  cxxopts::Options opts("fusegen array",
                        "Generate the ST-OS systolic array RTL (Verilog-2005), its file list, "
                        "manifest, Yosys script and README");
  opts.add_options()
    ("rows", "PE rows R (1..256)", cxxopts::value<int>())
    ("cols", "PE columns C (1..256)", cxxopts::value<int>())
    ("data-width", "signed operand width (2..16)",
     cxxopts::value<int>()->default_value("8"))
    ("acc-width", "signed accumulator width (8..64, >= 2 x data width)",
     cxxopts::value<int>()->default_value("32"))
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
  auto int_option = [&](const char* option, int lo, int hi) {
    return static_cast<int>(check_range(option, r[option].as<int>(), lo, hi));
  };
  cfg.rows = int_option("rows", 1, 256);
  cfg.cols = int_option("cols", 1, 256);
  cfg.data_w = int_option("data-width", 2, 16);
  cfg.acc_w = int_option("acc-width", 8, 64);
  if (cfg.acc_w < 2 * cfg.data_w)
    throw Error(fmt::format("--acc-width {} is too small for --data-width {}: it must be at "
                            "least 2 x data width ({})", cfg.acc_w, cfg.data_w, 2 * cfg.data_w));
  cfg.stos = r.count("no-stos") == 0;
  cfg.name = r["name"].as<std::string>();
  const std::string out_dir = r["out"].as<std::string>();
  OutputSet files = emit_array(cfg);  // validates the name too
  check_output_path("out", out_dir, OutputKind::Directory);
  files.write_to(out_dir);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("array", "generate the ST-OS systolic array RTL for one size", cmd_array);

}  // namespace fusegen::cli
