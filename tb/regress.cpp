// Random regression cases (see regress.h). Sizes: channels up to ~2 array widths, spatial
// sizes 1..11, K in {1,3,5,7} (odd for blocks), stride 1 or 2, batch 1 or 2.
#include "tb/regress.h"

#include <random>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {

struct Gen {
  std::mt19937_64 rng;  // the case's random stream
  int data_w;           // operand width
  ValueMix mix;         // value distribution

  int64_t uni(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); }
  template <typename T>
  T pick(std::initializer_list<T> v) { return *(v.begin() + uni(0, static_cast<int64_t>(v.size()) - 1)); }
  Tensor tensor(std::vector<int64_t> shape) {
    Tensor t(std::move(shape));
    const int64_t lo = signed_min(data_w), hi = signed_max(data_w);
    for (auto& v : t.data) {
      const int64_t r = uni(0, 9);
      if (mix == ValueMix::Extreme)
        v = r < 5 ? lo : hi;
      else
        v = r == 0 ? lo : r == 1 ? hi : uni(lo, hi);
    }
    return t;
  }
};

}  // namespace

RandomCase random_case(OpCode op, uint64_t seed, const ArrayConfig& cfg, ValueMix mix) {
  Gen g{std::mt19937_64(seed * 0x9e3779b97f4a7c15ull + static_cast<uint64_t>(op) + 1), cfg.data_w,
        mix};
  RandomCase c;
  OpParams& p = c.params;
  OpTensors& t = c.tensors;
  p.op = op;
  p.data_w = cfg.data_w;
  p.acc_w = cfg.acc_w;
  const int64_t n = g.uni(1, 2);
  const int64_t ch_hi = std::max<int64_t>(3, std::min<int64_t>(2 * cfg.cols + 3, 40));
  int64_t C = g.uni(1, std::min<int64_t>(ch_hi, 12));
  const int64_t H = g.uni(1, 11), W = g.uni(1, 11);
  const int64_t K = g.pick<int64_t>({1, 3, 5, 7});  // odd: blocks need it
  p.stride = g.pick<int64_t>({1, 2});
  switch (op) {
    case OpCode::Conv: {
      const int64_t kh = g.pick<int64_t>({1, 3, 5}), cout = g.uni(1, ch_hi);
      C = g.uni(1, 6);
      t.w = g.tensor({cout, C, kh, kh});
      break;
    }
    case OpCode::Dw: t.w = g.tensor({C, 1, K, K}); break;
    case OpCode::Row: t.w = g.tensor({C, 1, 1, K}); break;
    case OpCode::Col: t.w = g.tensor({C, 1, K, 1}); break;
    case OpCode::Pw:
      p.stride = 1;
      C = g.uni(1, ch_hi);
      t.w = g.tensor({g.uni(1, ch_hi), C, 1, 1});
      break;
    case OpCode::Fc: {
      p.stride = 1;
      const int64_t in = g.uni(1, 3 * ch_hi), out = g.uni(1, ch_hi);
      t.x = g.tensor({g.uni(1, 3 * cfg.rows + 1), in});
      t.w = g.tensor({out, in});
      c.describe = fmt::format("fc x{} w{} seed {}", shape_str(t.x.shape), shape_str(t.w.shape), seed);
      return c;
    }
    case OpCode::Dsc:
    case OpCode::FuseFull:
    case OpCode::FuseHalf: {
      if (op == OpCode::FuseHalf) C = 2 * g.uni(1, std::max<int64_t>(1, C / 2));
      const int64_t cs = op == OpCode::FuseHalf ? C / 2 : C;
      const int64_t cmid = op == OpCode::FuseFull ? 2 * C : C;
      p.shift = static_cast<int>(g.uni(0, 8));
      p.relu = g.uni(0, 1) == 1;
      if (op == OpCode::Dsc) {
        t.w_dw = g.tensor({C, 1, K, K});
      } else {
        t.w_row = g.tensor({cs, 1, 1, K});
        t.w_col = g.tensor({cs, 1, K, 1});
      }
      t.w_pw = g.tensor({g.uni(1, ch_hi), cmid, 1, 1});
      break;
    }
  }
  t.x = g.tensor({n, C, H, W});
  const Tensor& w0 = op == OpCode::Dsc ? t.w_dw : is_block(op) ? t.w_row : t.w;
  c.describe = fmt::format("{} x{} w{} s{}{} seed {}", opcode_name(op), shape_str(t.x.shape),
                           shape_str(w0.shape), p.stride,
                           is_block(op) ? fmt::format(" shift {} relu {}", p.shift, p.relu ? 1 : 0)
                                        : std::string(),
                           seed);
  return c;
}

}  // namespace fusegen
