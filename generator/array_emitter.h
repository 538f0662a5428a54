// Emitter of the ST-OS systolic array: specializes the RTL templates under rtl_templates/array/
// for one ArrayConfig and adds the collateral (file list, JSON manifest, Yosys script, README).
// The timing numbers it writes (manifest, README) are ArrayConfig::latency().
#pragma once

#include <string>
#include <vector>

#include "golden/array_config.h"
#include "common/fileio.h"
#include "generator/flows.h"
#include "common/text.h"

namespace fusegen {

// Module stems in dependency order: "<name>_<stem>" is the module, "<name>_<stem>.v" its file.
const std::vector<std::string>& array_module_stems();

// All files of one configuration: the Verilog modules, <name>.f, <name>.json, <name>.ys and
// README.md. Validates cfg first (throws fusegen::Error); byte-identical for equal configs.
OutputSet emit_array(const ArrayConfig& cfg, const FlowOptions& flow = {});

}  // namespace fusegen
