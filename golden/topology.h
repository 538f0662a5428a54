// Reader for SCALE-Sim v2 topology CSV files, read the way SCALE-Sim's own reader
// (scalesim/topology_utils.py, `load_arrays_conv` / `load_arrays_gemm`) reads them, so that a
// file gives the same layers and MAC count in fusegen as in SCALE-Sim (docs/networks.md lists
// every rule and where fusegen is stricter or more lenient):
// - conv files: a header row, then `Layer name, IFMAP Height, IFMAP Width, Filter Height,
//   Filter Width, Channels, Num Filter, Strides[, Stride Width],`. As in SCALE-Sim, whatever
//   follows the last comma of a row is dropped (e.g. `,#dw`), and the output size is
//   ceil((H - K + S) / S) by default (OutputSize::Floor gives floor((H - K) / S) + 1). Sizes
//   are already padded, so every layer gets pad 0. A name containing "DP" marks a depthwise
//   row: Num Filter = 1 is a KxK (or FuSe 1xK / Kx1) depthwise layer; Num Filter = F > 1 is
//   what SCALE-Sim makes of it, one single-channel conv with F filters per channel.
// - GEMM files (`Layer, M, N, K`, SCALE-Sim's `-i gemm`): each row is an M x K by K x N
//   product, an fc layer of batch M, K inputs and N outputs.
#pragma once

#include <string>
#include <vector>

#include "golden/layer.h"

namespace fusegen {

enum class TopologyFormat { Auto, Conv, Gemm };  // Auto: GEMM if the header has 4 fields
enum class OutputSize { Ceil, Floor };  // SCALE-Sim's ceil((H-K+S)/S) / floor((H-K)/S)+1

TopologyFormat parse_topology_format(const std::string& s);  // "auto", "conv", "gemm"
OutputSize parse_output_size(const std::string& s);           // "ceil", "floor"

struct TopologyOptions {
  TopologyFormat format = TopologyFormat::Auto;  // how rows are read
  OutputSize output_size = OutputSize::Ceil;     // conv output-size convention
};

// Parses CSV text; `file` names the source in error messages. Throws fusegen::Error naming
// file, line and field for a malformed row.
std::vector<LayerDesc> parse_topology(const std::string& text, const std::string& file,
                                      const TopologyOptions& opt = {});

// Reads and parses a file (fusegen::Error if it cannot be read).
std::vector<LayerDesc> read_topology(const std::string& path, const TopologyOptions& opt = {});

// The network name for a topology file: its file name without directory and extension.
std::string topology_name(const std::string& path);

// The FuSe-Half form of a topology: every KxK depthwise layer (odd K > 1, even channel count)
// becomes a 1xK layer "<name>.row" on the first C/2 channels and a Kx1 layer "<name>.col" on
// the other C/2, with the zoo's "same" paddings on the unpadded size H - K + 1, so both give
// the depthwise layer's Ho x Wo. Other layers are kept.
std::vector<LayerDesc> fuse_half_topology(const std::vector<LayerDesc>& layers);

}  // namespace fusegen
