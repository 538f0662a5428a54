// Reader for SCALE-Sim topology CSV files (docs/networks.md): a header row, then one
// row per layer `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,
// Num Filter, Strides,` (trailing comma and whitespace allowed). Sizes are already padded, so
// every layer gets pad 0. As in SCALE-Sim, a layer whose name contains "DP" is depthwise; a
// 1xK / Kx1 depthwise becomes a FuSe row / column layer.
#pragma once

#include <string>
#include <vector>

#include "golden/layer.h"

namespace fusegen {

// Parses CSV text; `file` names the source in error messages. Throws fusegen::Error naming
// file, line and field for a malformed row.
std::vector<LayerDesc> parse_topology(const std::string& text, const std::string& file);

// Reads and parses a file (fusegen::Error if it cannot be read).
std::vector<LayerDesc> read_topology(const std::string& path);

// The network name for a topology file: its file name without directory and extension.
std::string topology_name(const std::string& path);

}  // namespace fusegen
