// AccelConfig validation, derived geometry and instruction encodings.
#include "golden/accel_config.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {
int words(int kb, int bits) { return static_cast<int>(int64_t{kb} * 8192 / bits); }
}  // namespace

int AccelConfig::act_depth() const { return words(act_kb, act_line_bits()); }
int AccelConfig::wgt_depth() const { return words(wgt_kb, wgt_word_bits()); }
int AccelConfig::out_depth() const { return words(out_kb, out_word_bits()); }
int AccelConfig::beats_d() const { return static_cast<int>(ceil_div(act_word_bits(), bus_width)); }
int AccelConfig::beats_a() const { return static_cast<int>(ceil_div(out_word_bits(), bus_width)); }

ArrayConfig AccelConfig::core() const {
  ArrayConfig c = array;
  c.stos = true;
  c.name = name + "_core";
  return c;
}

void AccelConfig::validate(ArrayConfig::Naming naming) const {
  const bool opt = naming == ArrayConfig::Naming::kOption;
  require_verilog_identifier(name);
  core().validate(naming);
  auto memory = [&](const char* option, const char* field, int kb, int depth, int unit_bits,
                    const char* unit) {
    const char* what = opt ? option : field;
    if (kb < kMinKb || kb > kMaxKb)
      throw Error(fmt::format("{} {} is out of range: allowed {}..{}", what, kb, kMinKb, kMaxKb));
    const int lo = static_cast<int>(ceil_div(unit_bits, 8192)), hi = static_cast<int>(
        int64_t{kMaxDepth} * unit_bits / 8192);
    if (depth < 1 || depth > kMaxDepth)
      throw Error(fmt::format("{} {} gives {} {}s of {} bits: allowed {}..{} {}s, i.e. {} {}..{} "
                              "for this array",
                              what, kb, depth, unit, unit_bits, 1, kMaxDepth, unit, what, lo,
                              std::min(hi, kMaxKb)));
  };
  memory("--act-kb", "activation KiB", act_kb, act_depth(), act_line_bits(), "line");
  memory("--wgt-kb", "weight KiB", wgt_kb, wgt_depth(), wgt_word_bits(), "word");
  memory("--out-kb", "result KiB", out_kb, out_depth(), out_word_bits(), "word");
  if (std::find(std::begin(kBusWidths), std::end(kBusWidths), bus_width) == std::end(kBusWidths))
    throw Error(fmt::format("{} {} is not a stream width: allowed {}",
                            opt ? "--bus-width" : "bus width", bus_width,
                            fmt::join(kBusWidths, ", ")));
  if (ibuf_depth < kMinIbuf || ibuf_depth > kMaxIbuf)
    throw Error(fmt::format("{} {} is out of range: allowed {}..{}",
                            opt ? "--ibuf-depth" : "instruction buffer depth", ibuf_depth,
                            kMinIbuf, kMaxIbuf));
}

int AccelConfig::gemm_tail(bool raw) const {
  // kInstrOverhead + 2 operand registers (issue -> p1 -> array ports) + the write-back
  // register (raw) or the requantizer + 1 cycle to see the last fold retired.
  const int wb = raw ? 1 : kRequantStages;
  return core().latency().gemm_first_out + array.rows + kInstrOverhead + 2 + wb;
}

int AccelConfig::conv_tail(bool raw) const {
  // As gemm_tail, with the ST-OS first-result latency (the columns do not skew the result).
  const int wb = raw ? 1 : kRequantStages;
  return core().latency().stos_first_out + array.rows + kInstrOverhead + 2 + wb;
}

ParamList AccelConfig::params() const {
  ParamList p = array.params();
  p[0].second = name;
  p.push_back({"ActKb", std::to_string(act_kb)});
  p.push_back({"WgtKb", std::to_string(wgt_kb)});
  p.push_back({"OutKb", std::to_string(out_kb)});
  p.push_back({"BusW", std::to_string(bus_width)});
  p.push_back({"IbufDepth", std::to_string(ibuf_depth)});
  p.push_back({"Im2col", im2col ? "on" : "off"});
  return p;
}

namespace isa {

Instr end() { return Instr{}; }

Instr load(int space, uint32_t base, uint32_t count) {
  return Instr{{static_cast<uint32_t>(kLoad | (space << 4)), base, count, 0}};
}

Instr store(int space, uint32_t base, uint32_t count) {
  return Instr{{static_cast<uint32_t>(kStore | (space << 4)), base, count, 0}};
}

Instr gemm(bool raw, bool relu, int shift, uint32_t a_base, uint32_t o_base, uint32_t w_base,
           uint32_t t, uint32_t npb, uint32_t ncb) {
  Instr i;
  i.w[0] = kGemm | (raw ? 1u << 4 : 0) | (relu ? 1u << 5 : 0) | (uint32_t(shift & 63) << 8);
  i.w[1] = (a_base & 0xffff) | (o_base << 16);
  i.w[2] = (w_base & 0xffff) | (t << 16);
  i.w[3] = (npb & 0xffff) | (ncb << 16);
  return i;
}

Instr conv(bool raw, bool relu, int shift, const ConvFields& f) {
  Instr i;
  i.w[0] = kConv | (raw ? 1u << 4 : 0) | (relu ? 1u << 5 : 0) | (uint32_t(shift & 63) << 8) |
           ((f.k & 0xff) << 16) | ((f.passes & 0xff) << 24);
  i.w[1] = (f.a_base & 0xffff) | (f.o_base << 16);
  i.w[2] = (f.w_base & 0xffff) | (f.lw << 16);
  i.w[3] = (f.tiles & 0xffff) | (f.groups << 16);
  return i;
}

Instr sync(bool loads, bool stores) {
  return Instr{{kSync, (loads ? kSyncLoads : 0u) | (stores ? kSyncStores : 0u), 0, 0}};
}

Instr async(Instr i) {
  i.w[0] |= kAsyncBit;
  return i;
}

Instr narrow(Instr i) {
  i.w[0] |= kNarrowBit;
  return i;
}

Instr win(const WinFields& f) {
  Instr i;
  i.w[0] = kWin | (f.cpl << 16);
  i.w[1] = (f.cin & 0xffff) | ((f.kw & 0xff) << 16) | (f.s << 24);
  i.w[2] = (f.lq & 0xffff) | (f.lh << 16);
  i.w[3] = (f.bpr & 0xffff) | (f.loy << 16);
  return i;
}

Instr windowed(Instr gemm) {
  gemm.w[0] |= kWinBit;
  return gemm;
}

}  // namespace isa

}  // namespace fusegen
