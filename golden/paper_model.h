// The FuSeConv paper's analytical latency model (docs/networks.md, The paper model), reproduced
// exactly, floating-point quirks included, so that the published speedup table can be checked:
// - GEMM on an OS array: E and F are fractional (no floor), P = N*E*F, and the fold count uses
//   Python's float `//` and `%`; each fold costs T + rows_used + cols_used - 1; the layer's
//   result is truncated to an integer.
// - KxK depthwise on the baseline array: C separate one-filter GEMMs, C * trunc(GEMM(M = 1)).
// - 1xK / Kx1 under ST-OS: ceil(ceil(N*H*C/Ra) / s * (Ca + K) * ceil(H/Ca)), H the unpadded
//   height (the published script's quirk: column tiles counted with the height), W for Kx1.
#pragma once

#include <cstdint>
#include <string>

#include "golden/latency.h"

namespace fusegen {

// Python's float floor division and modulo (CPython float_divmod / float_rem), so that
// fractional fold counts match the published script bit for bit.
double py_floordiv(double a, double b);
double py_mod(double a, double b);

// The script's gemmCycles for a P x T by T x M product on a ra x ca array, before truncation,
// with its operations in the script's order.
double paper_gemm_cycles(double p, int64_t m, int64_t t, int64_t ra, int64_t ca);

// The script's ST-OS cost of a 1D conv: `lines` independent 1D convs (N*H*C for 1xK) of
// length `len` (H for 1xK, the quirk) with a K-tap filter and stride s.
int64_t paper_stos_cycles(int64_t lines, int64_t len, int64_t k, int64_t stride, int64_t ra,
                          int64_t ca);

class PaperModel : public LatencyModel {
 public:
  PaperModel(int64_t rows, int64_t cols) : rows_(rows), cols_(cols) {}
  std::string name() const override { return "paper"; }
  int64_t layer_cycles(const LayerDesc& layer) const override;

 private:
  int64_t rows_;  // Ra: array rows (output pixels / 1D convs)
  int64_t cols_;  // Ca: array columns (filters / output positions)
};

}  // namespace fusegen
