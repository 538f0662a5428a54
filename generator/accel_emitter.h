// Emitter of the standalone accelerator (`fusegen accel`): the array core (emit_array of
// AccelConfig::core(), module prefix <name>_core) plus the accelerator's own modules rendered
// from rtl_templates/accel/ (memories, AXI4-Lite slave, requantizer, sequencer, top), with the
// shared collateral (file list, manifest, Yosys script, README, implementation flows).
#pragma once

#include <string>
#include <vector>

#include "common/fileio.h"
#include "generator/flows.h"
#include "golden/accel_config.h"

namespace fusegen {

// Module stems of the accelerator's own modules, leaves first ("<name>_<stem>").
const std::vector<std::string>& accel_module_stems();

// All files of one configuration. Validates cfg first (throws fusegen::Error); byte-identical
// for equal configs.
OutputSet emit_accel(const AccelConfig& cfg, const FlowOptions& flow = {});

// The Verilog files of one configuration in compile order (core first), as file names.
std::vector<std::string> accel_rtl_files(const AccelConfig& cfg);

}  // namespace fusegen
