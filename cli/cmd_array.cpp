// `fusegen array`: generates the ST-OS (or plain OS) systolic array RTL and its collateral for
// one size into a directory. All options are checked before anything is written.
#include <charconv>
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

// Integer option value; a non-number is reported with the option's name and its range [lo, hi]
// (cxxopts would only say that an argument failed to parse). The range itself is checked by
// ArrayConfig::validate().
int int_option(const cxxopts::ParseResult& r, const std::string& option, int lo, int hi) {
  const std::string v = r[option].as<std::string>();
  int value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    throw Error(fmt::format("--{} '{}' is not an integer: allowed {}..{}", option, v, lo, hi));
  return value;
}

int cmd_array(int argc, char** argv) {
  cxxopts::Options opts("fusegen array",
                        "Generate the ST-OS systolic array RTL (Verilog-2005), its file list, "
                        "manifest, Yosys script and README");
  using A = ArrayConfig;
  const std::string dims = fmt::format("{}..{}", A::kMinDim, A::kMaxDim);
  opts.add_options()
    ("rows", "PE rows R (" + dims + ")", cxxopts::value<std::string>())
    ("cols", "PE columns C (" + dims + ")", cxxopts::value<std::string>())
    ("data-width", fmt::format("signed operand width ({}..{})", A::kMinDataW, A::kMaxDataW),
     cxxopts::value<std::string>()->default_value("8"))
    ("acc-width", fmt::format("signed accumulator width ({}..{}, >= 2 x data width)",
                              A::kMinAccW, A::kMaxAccW),
     cxxopts::value<std::string>()->default_value("32"))
    ("no-stos", "plain OS array: no row broadcast lines, no mux, no in_mode_i / w_i ports")
    ("mac-stages", fmt::format("MAC pipeline stages per PE ({}..{}): 1 multiply-accumulate in one "
                               "cycle, 2 product register, 3 product register and hand-off from "
                               "the accumulator register", A::kMinMacStages, A::kMaxMacStages),
     cxxopts::value<std::string>()->default_value(std::to_string(A{}.mac_stages)))
    ("bcast-group", fmt::format("array input stage and broadcast fan-out (0..{}): 0 no input "
                                "registers, one broadcast register per row; G registers every "
                                "input once (+1 cycle latency) and copies each row's broadcast "
                                "registers once per G columns", A::kMaxBcastGroup),
     cxxopts::value<std::string>()->default_value(std::to_string(A{}.bcast_group)))
    ("reset", "reset of the control registers: async or sync (data registers have none)",
     cxxopts::value<std::string>()->default_value("async"))
    ("name", "module prefix (a Verilog identifier)",
     cxxopts::value<std::string>()->default_value("fusegen"))
    ("out", "output directory", cxxopts::value<std::string>());
  add_flow_options(opts, "array");
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  require(r, "rows");
  require(r, "cols");
  require(r, "out");
  ArrayConfig cfg;
  cfg.rows = int_option(r, "rows", A::kMinDim, A::kMaxDim);
  cfg.cols = int_option(r, "cols", A::kMinDim, A::kMaxDim);
  cfg.data_w = int_option(r, "data-width", A::kMinDataW, A::kMaxDataW);
  cfg.acc_w = int_option(r, "acc-width", A::kMinAccW, A::kMaxAccW);
  cfg.stos = r.count("no-stos") == 0;
  cfg.mac_stages = int_option(r, "mac-stages", A::kMinMacStages, A::kMaxMacStages);
  cfg.bcast_group = int_option(r, "bcast-group", 0, A::kMaxBcastGroup);
  cfg.reset = A::parse_reset(r["reset"].as<std::string>());
  cfg.name = r["name"].as<std::string>();
  cfg.validate(ArrayConfig::Naming::kOption);
  const std::string out_dir = r["out"].as<std::string>();
  const FlowOptions flow = read_flow_options(r);
  OutputSet files = emit_array(cfg, flow);  // validates the name too
  check_output_path("out", out_dir, OutputKind::Directory);
  files.write_to(out_dir);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("array", "generate the ST-OS systolic array RTL for one size", cmd_array);

}  // namespace fusegen::cli
