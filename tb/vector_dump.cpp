// Vector dump for the Icarus replay testbench (see vector_dump.h).
#include "tb/vector_dump.h"

#include <fmt/format.h>

#include "common/fileio.h"
#include "common/text.h"
#include "tb/hex_bits.h"

namespace tb {

fusegen::StageRun VectorDump::run(int, const fusegen::Program& p, const fusegen::StageTensors& t,
                                  const fusegen::Tensor& expected) {
  const int R = cfg_.rows, C = cfg_.cols, dw = cfg_.data_w, aw = cfg_.acc_w;
  const int row_w = cfg_.row_index_w();
  fusegen::Expander ex(p, t);
  const int64_t end = p.cycles + 2 * (R + C) + 8;  // same tail as the Verilator testbench
  // Expected port words by cycle.
  std::vector<HexBits> out(static_cast<size_t>(end));
  std::vector<bool> valid(static_cast<size_t>(end), false);
  for (const fusegen::Fold& f : p.folds) {
    if (f.keep) continue;
    const int64_t first = fusegen::first_out_cycle(cfg_, f);
    for (int s = 0; s < R; ++s) {
      const int row = R - 1 - s;
      HexBits data, mask;
      for (int c = 0; c < C; ++c) {
        const int64_t idx = fusegen::out_index(p, f, row, c);
        data.push(idx < 0 ? 0 : static_cast<uint64_t>(expected.data[static_cast<size_t>(idx)]), aw);
        mask.push(idx < 0 ? 0 : 1, 1);
      }
      HexBits w = data;
      for (bool m : mask.b) w.b.push_back(m);
      w.push(static_cast<uint64_t>(row), row_w);
      w.push(1, 1);
      out[static_cast<size_t>(first + s)] = w;
      valid[static_cast<size_t>(first + s)] = true;
    }
  }
  fusegen::PortValues pv;
  for (int64_t u = 0; u < end; ++u) {
    ex.at(u, pv);
    HexBits s;
    for (int r = 0; r < R; ++r) s.push(static_cast<uint64_t>(pv.a[r]), dw);
    for (int c = 0; c < C; ++c) s.push(static_cast<uint64_t>(pv.b[c]), dw);
    for (int r = 0; r < R; ++r) s.push(static_cast<uint64_t>(pv.w[r]), dw);
    s.push(pv.en, 1);
    s.push(pv.last, 1);
    s.push(pv.keep, 1);
    s.push(pv.mode, 1);
    stim_.push_back(s.hex());
    if (!valid[static_cast<size_t>(u)]) {
      HexBits z;
      z.push(0, C * aw);
      z.push(0, C);
      z.push(0, row_w);
      z.push(0, 1);
      exp_.push_back(z.hex());
    } else {
      exp_.push_back(out[static_cast<size_t>(u)].hex());
    }
  }
  fusegen::StageRun r;
  r.out = expected;  // the next stage is fed the golden (requantized) result
  r.cycles = p.cycles;
  return r;
}

void VectorDump::write(const std::string& dir) const {
  std::string s, e;
  for (const auto& l : stim_) s += l + "\n";
  for (const auto& l : exp_) e += l + "\n";
  fusegen::write_file_atomic(dir + "/stim.hex", s);
  fusegen::write_file_atomic(dir + "/exp.hex", e);
  fusegen::write_file_atomic(
      dir + "/tb_params.vh",
      fmt::format("// Replay parameters written by array_regress --dump-icarus.\n"
                  "localparam integer TbRows = {};\nlocalparam integer TbCols = {};\n"
                  "localparam integer TbDataW = {};\nlocalparam integer TbAccW = {};\n"
                  "localparam integer TbRowW = {};\nlocalparam integer TbCycles = {};\n",
                  cfg_.rows, cfg_.cols, cfg_.data_w, cfg_.acc_w, cfg_.row_index_w(), stim_.size()));
}

}  // namespace tb
