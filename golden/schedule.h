// The scheduler: the one lowering of layers onto an ArrayConfig, shared by the testbench
// driver and the RTL-exact cycle model (docs/mapping.md explains the policy, and
// docs/array_protocol.md the timing it obeys).
//
// Algorithm: a layer (or a FuSe stage) becomes a Program: a few Parts (what is computed, how it
// is lowered) and a compact list of Folds (OS GEMM folds of R pixels x C filters, or ST-OS
// tiles of R lines x C outputs). place() then gives each fold its hand-off cycle H, greedily as
// early as the protocol's driver rules allow; the Expander turns a placed program plus the
// layer's tensors into per-cycle port values, and out_index() maps each handed-off result back
// to an output tensor element.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/array_config.h"
#include "golden/layer.h"
#include "golden/tensor.h"

namespace fusegen {

// How a KxK depthwise conv is mapped: OS (one column per channel, the paper's baseline) or
// ST-OS by row decomposition (K accumulated 1xK passes).
enum class DwMapping { Os, Stos };
const char* dw_mapping_name(DwMapping m);           // "os", "stos"
DwMapping parse_dw_mapping(const std::string& s);   // throws fusegen::Error

// How one Part of a program is lowered.
enum class Lowering {
  Gemm,    // conv / pw / fc via im2col: output pixels -> rows, filters -> columns, T = Kh*Kw*Cin
  DwGemm,  // depthwise (KxK, 1xK or Kx1) on OS: per channel a one-column GEMM, T = Kh*Kw
  Stos,    // depthwise on ST-OS: array rows are 1-D lines, `passes` accumulated 1-D convs each
};

// One array row's 1-D problem in an ST-OS part.
struct Line {
  int32_t n;      // image
  int32_t ch;     // channel, relative to the part's in_ch0 / out_ch0
  int32_t fixed;  // output index across the line: output row (along W) or column (along H)
};

// What one part of a program computes. A program has one part per layer, two for a FuSe stage
// (1xK part, then Kx1 part).
struct Part {
  Lowering kind = Lowering::Gemm;  // how it is lowered
  LayerDesc layer;                 // the computed layer (channels relative to in_ch0)
  int64_t in_ch0 = 0;              // first channel of the stage input this part reads
  int64_t out_ch0 = 0;             // first channel of the stage output this part writes
  int weight = 0;                  // index of this part's weight tensor in StageTensors::w
  bool along_w = true;             // Stos: the line runs along W (else along H)
  int64_t passes = 1;              // Stos: accumulated 1-D passes per tile (kernel rows)
  int64_t taps = 1;                // Stos: 1-D filter length K
  int64_t line_len = 0;            // Stos: stride-1 outputs computed per line
  std::vector<Line> lines;         // Stos: lines, grouped R at a time onto the array rows
};

// One fold (GEMM) or tile (ST-OS), compact: no per-cycle data.
struct Fold {
  int32_t part = 0;        // index into Program::parts
  bool stos = false;       // ST-OS tile (else OS GEMM fold)
  bool keep = false;       // last slice/tap keeps the accumulators (no hand-off)
  bool continues = false;  // ST-OS: window continues the previous fold's stream (may share)
  int32_t len = 0;         // input cycles: GEMM T slices; ST-OS window c+K-1
  int32_t taps = 0;        // cycles with en, at the end of the window: GEMM T; ST-OS K
  int32_t rows = 0;        // valid array rows
  int32_t cols = 0;        // valid array columns (ST-OS: valid outputs c of the tile)
  int64_t row0 = 0;        // GEMM: first im2col row (output pixel); ST-OS: first line
  int64_t col0 = 0;        // GEMM: first filter; ST-OS: first stride-1 output position q0
  int32_t chan = 0;        // DwGemm: channel; ST-OS: pass (kernel row or column)
  // Set by place():
  int64_t hand = -1;       // H: user cycle of the last slice/tap
  int64_t own_first = -1;  // first cycle whose port values belong to this fold
  bool shared = false;     // ST-OS: first K-1 window elements reused from the previous tile

  int64_t first() const { return hand - len + 1; }  // first cycle of the (possibly shared) window
};

// A lowered, optionally placed, program: what runs on the array between two full drains.
struct Program {
  ArrayConfig cfg;                  // the array it is lowered for
  std::vector<Part> parts;          // what is computed
  std::vector<Fold> folds;          // in issue order
  std::vector<int64_t> out_shape;   // shape of the stage output tensor
  int64_t macs = 0;                 // useful multiply-accumulates
  int64_t cycles = 0;               // set by place(): first input to last result, inclusive
  int64_t handoffs = 0;             // set by place(): number of hand-offs
  bool placed = false;              // place() has run
};

// Lowers one layer. Depthwise, 1xK and Kx1 layers go to ST-OS when `dw` is Stos (KxK) or
// always for 1xK/Kx1 on ST-OS builds; on --no-stos builds they use DwGemm. Throws
// fusegen::Error if the mapping needs ST-OS and the array has none.
Program lower_layer(const LayerDesc& layer, const ArrayConfig& cfg, DwMapping dw);

// A FuSe stage as one program: a 1xK part (`row`, reading input channels [0, row.cin)) then a
// Kx1 part (`col`, reading [col_in_ch0, col_in_ch0 + col.cin)), outputs concatenated along
// channels, 1xK first. Full: col_in_ch0 = 0; Half: col_in_ch0 = C/2. Weights: w[0] is the 1xK
// tensor [C1,1,1,K], w[1] the Kx1 tensor [C2,1,K,1]. Both parts must give the same Ho x Wo.
Program lower_fuse_stage(const LayerDesc& row, const LayerDesc& col, int64_t col_in_ch0,
                         const ArrayConfig& cfg);

// A two-stage block: a depthwise stage (KxK depthwise for DSC, a FuSe stage otherwise), then a
// 1x1 pointwise conv to cout. The stages run one after another; the array drains between them.
enum class BlockKind { Dsc, FuseFull, FuseHalf };
const char* block_name(BlockKind k);            // "dsc", "fuse-full", "fuse-half"
struct BlockDesc {
  BlockKind kind = BlockKind::Dsc;  // which block
  int64_t n = 1, c = 1, h = 1, w = 1;  // input shape
  int64_t k = 3;                       // kernel size (odd)
  int64_t stride = 1;                  // stride of the depthwise / FuSe stage
  int64_t pad = -1;                    // padding of that stage; -1 = K/2
  int64_t cout = 1;                    // pointwise output channels
};
// Channels leaving the first stage (pointwise input channels): C, or 2C for FuSe-Full.
int64_t block_mid_channels(const BlockDesc& b);
// The block's two programs, in order (dw mapping applies to the DSC depthwise stage).
std::vector<Program> lower_block(const BlockDesc& b, const ArrayConfig& cfg, DwMapping dw);

// Assigns every fold its cycles, each as early as the protocol's rules allow, and sets
// Program::cycles / handoffs. Idempotent.
void place(Program& p);

// Latency in cycles of a placed program: H_last + 2R + C + 1 (GEMM) or H_last + 2R + 2 (ST-OS).
int64_t program_latency(const Program& p);

// User cycle in which the first row (row R-1) of the hand-off of fold f appears on the port.
int64_t first_out_cycle(const ArrayConfig& cfg, const Fold& f);

// The tensors a program reads: the stage input and its weight tensors (PyTorch layouts:
// conv [Cout,Cin,Kh,Kw], depthwise/1xK/Kx1 [C,1,Kh,Kw], fc [Cout,Cin]; input NCHW or [N,Cin]).
struct StageTensors {
  const Tensor* x = nullptr;          // stage input
  std::vector<const Tensor*> w;       // weights, indexed by Part::weight
};

// Port values of one user cycle (unused lanes are 0).
struct PortValues {
  bool en = false, last = false, keep = false, mode = false;  // control (mode 1 = ST-OS)
  std::vector<int64_t> a;  // R left-edge operands
  std::vector<int64_t> b;  // C top-edge operands
  std::vector<int64_t> w;  // R broadcast taps
};

// Produces the per-cycle port values of a placed program. at() is fastest with ascending u.
class Expander {
 public:
  Expander(const Program& p, const StageTensors& t);
  int64_t input_cycles() const;          // cycles that carry inputs: last H + 1
  void at(int64_t u, PortValues& out);   // values presented at user cycle u (>= 0)

 private:
  int64_t x_at(const Part& part, int64_t n, int64_t ch, int64_t row, int64_t col) const;
  const Program& p_;  // the placed program
  StageTensors t_;    // its data
  size_t cur_ = 0;    // fold whose own cycles contain (or follow) the last queried cycle
};

// Flat (C-order) index into the stage output of result (row, col) handed off by fold f, or -1
// if that lane's value is discarded (unused row/column, off-stride position). ST-OS columns
// hold outputs in reverse order: column j is stride-1 position q0 + c - 1 - j.
int64_t out_index(const Program& p, const Fold& f, int row, int col);

}  // namespace fusegen
