// Emitter of the SparseCache null-cache RTL: specializes the templates under
// rtl_templates/nullcache/ for one NullCacheConfig and adds the collateral (file list, JSON
// manifest, Yosys script, README). Output is deterministic: byte-identical for equal configs.
#pragma once

#include <string>
#include <vector>

#include "golden/nullcache_config.h"
#include "common/fileio.h"
#include "generator/flows.h"
#include "common/text.h"

namespace fusegen {

// Verilog modules of one configuration, in dependency order (leaves first): the file names
// <name>_<module>.v, one module per file.
std::vector<std::string> nullcache_rtl_files(const NullCacheConfig& cfg);

// Every generated file: the Verilog modules, <name>.f, <name>.json, <name>.ys, README.md.
// Throws fusegen::Error if the configuration is invalid.
OutputSet emit_nullcache(const NullCacheConfig& cfg, const FlowOptions& flow = {});

// Operation codes of req_op_i (docs/nullcache_rtl.md).
enum NcRtlOp { kNcOpLookup = 0, kNcOpInsert = 1, kNcOpFill = 2, kNcOpStore = 3, kNcOpFlush = 4 };

// Width of the rsp_cascade_o / rsp_new_o counts: max(1, clog2(LaW + 1)).
int nullcache_cnt_w(const NullCacheConfig& cfg);

}  // namespace fusegen
