// The paper's analytical latency model. Every arithmetic step mirrors the published Python
// script (iitm-sysdl/FuSeConv, utils.py gemmCycles and the FuSe branch of its ForwardHook):
// Python ints are exact, `/` on ints is a correctly rounded double, and int op float promotes
// the int to double, which is what the casts below do.
#include "golden/paper_model.h"

#include <cmath>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

double py_floordiv(double a, double b) {
  // CPython float_divmod: the quotient is derived from fmod and snapped to an integer.
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) div -= 1.0;
  }
  if (div != 0.0) {
    double fl = std::floor(div);
    if (div - fl > 0.5) fl += 1.0;
    return fl;
  }
  return std::copysign(0.0, a / b);
}

double py_mod(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

double paper_gemm_cycles(double p, int64_t m, int64_t t, int64_t ra, int64_t ca) {
  const double dra = static_cast<double>(ra);
  const double pq = py_floordiv(p, dra);  // full row folds (float)
  const double pr = py_mod(p, dra);       // rows used by the partial row fold (float)
  const int64_t mq = m / ca;              // full column folds (Python int //, m >= 0)
  const int64_t mr = m % ca;              // columns used by the partial column fold
  // cycles = (P//Ra) * (M//Ca) * (T + Ra + Ca - 1)
  double cycles = pq * static_cast<double>(mq) * static_cast<double>(t + ra + ca - 1);
  // + (M//Ca) * (T + P%Ra + Ca - 1)
  if (pr > 0) cycles = cycles + static_cast<double>(mq) * (static_cast<double>(t) + pr +
                                                           static_cast<double>(ca) - 1.0);
  // + (P//Ra) * (T + Ra + M%Ca - 1)
  if (mr > 0) cycles = cycles + pq * static_cast<double>(t + ra + mr - 1);
  // + (T + P%Ra + M%Ca - 1)
  if (pr > 0 && mr > 0)
    cycles = cycles + (static_cast<double>(t) + pr + static_cast<double>(mr) - 1.0);
  return cycles;
}

int64_t paper_stos_cycles(int64_t lines, int64_t len, int64_t k, int64_t stride, int64_t ra,
                          int64_t ca) {
  // math.ceil(num1Dconv / arraySize): true division, then ceil.
  const double folds_x = std::ceil(static_cast<double>(lines) / static_cast<double>(ra));
  const double folds_y = std::ceil(static_cast<double>(len) / static_cast<double>(ca));
  // (ceil(numFolds) / s) * (oneFoldTime * ceil(num1DconvRow)), then ceil.
  const double t = (folds_x / static_cast<double>(stride)) *
                   (static_cast<double>(ca + k) * folds_y);
  return static_cast<int64_t>(std::ceil(t));
}

int64_t PaperModel::layer_cycles(const LayerDesc& l) const {
  const int64_t hp = l.h + 2 * l.pad_h;
  const int64_t wp = l.w + 2 * l.pad_w;
  // E, F: Python 3 true division of ints, no floor.
  const double e = static_cast<double>(hp - l.kh + l.stride) / static_cast<double>(l.stride);
  const double f = static_cast<double>(wp - l.kw + l.stride) / static_cast<double>(l.stride);
  const double n = static_cast<double>(l.n);
  switch (l.op) {
    case OpKind::Conv:
    case OpKind::Pointwise:
      return static_cast<int64_t>(
          paper_gemm_cycles(n * e * f, l.cout, l.kh * l.kw * l.cin, rows_, cols_));
    case OpKind::FC:
      return static_cast<int64_t>(paper_gemm_cycles(n, l.cout, l.cin, rows_, cols_));
    case OpKind::Depthwise:
      // One channel, one filter, truncated, times the channel count.
      return l.cin * static_cast<int64_t>(
                         paper_gemm_cycles(n * e * f, 1, l.kh * l.kw, rows_, cols_));
    case OpKind::Row:
      return paper_stos_cycles(l.n * l.h * l.cin, l.h, l.kw, l.stride, rows_, cols_);
    case OpKind::Col:
      return paper_stos_cycles(l.n * l.w * l.cin, l.w, l.kh, l.stride, rows_, cols_);
  }
  throw Error(fmt::format("layer '{}': the paper model cannot cost op '{}'", l.name,
                          op_name(l.op)));
}

}  // namespace fusegen
