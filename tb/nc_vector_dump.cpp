// Null-cache replay vectors (see nc_vector_dump.h).
#include "tb/nc_vector_dump.h"

#include <fmt/format.h>
#include <vector>

#include "common/fileio.h"
#include "golden/nullcache.h"
#include "tb/hex_bits.h"
#include "tb/nc_protocol.h"
#include "tb/nc_stream.h"

namespace fusegen {

namespace {

// The response ports' expected values for one transaction.
struct PortRsp {
  int latency = 0;
  bool idx_care = false;  // rsp_idx_o is compared (the golden model names the entry)
  bool hit = false, zero = false, approx = false, merged = false, evicted = false;
  bool inval = false, split = false;
  int idx = 0, cascade = 0, new_entries = 0;
};

void from_insert(const NcInsert& i, PortRsp& p) {
  p.hit = i.already_covered;
  p.idx_care = true;
  p.idx = i.entry;
  p.merged = i.merges_first != 0;
  p.cascade = i.merges_higher;
  p.evicted = i.evicted;
}

PortRsp expected(const NullCacheConfig& c, const NcTxn& t, const NcResult& r) {
  PortRsp p;
  switch (t.op) {
    case NcTxn::kLookup:
      p.latency = NcTiming::kExec;
      p.hit = r.lookup.hit;
      p.idx_care = r.lookup.hit;
      p.idx = r.lookup.hit ? r.lookup.entry : 0;
      break;
    case NcTxn::kInsert:
      p.latency = nc_insert_latency(c, r.fill.insert);
      from_insert(r.fill.insert, p);
      break;
    case NcTxn::kFill:
      p.latency = nc_fill_latency(c, r.fill);
      p.zero = r.fill.zero;
      p.approx = r.fill.approximated;
      if (r.fill.zero) from_insert(r.fill.insert, p);
      break;
    case NcTxn::kStore:
      p.latency = nc_store_latency(c, r.store);
      p.hit = r.store.covered;
      p.inval = r.store.invalidated != 0;
      p.split = r.store.split;
      p.new_entries = r.store.new_entries;
      break;
    case NcTxn::kFlush:
      p.latency = NcTiming::kExec;
      break;
  }
  return p;
}

constexpr int kOpCode[] = {0, 1, 2, 3, 4};  // NcTxn::Op -> req_op_i

}  // namespace

uint64_t nc_dump_replay(const NullCacheConfig& cfg, uint64_t seed, uint64_t txns,
                        const std::string& dir) {
  cfg.validate();
  const int law = cfg.la_w(), idxw = cfg.idx_w(), cntw = cfg.cnt_w(), linew = cfg.line_w();
  int window = 2;  // about four lines per entry, as the Verilated testbench's default
  while ((1 << window) < 4 * cfg.entries) ++window;
  nctb::TxnStream stream(cfg, seed, window);
  NullCacheModel gold(cfg);
  std::string stim, exp;
  for (uint64_t n = 0; n < txns; ++n) {
    const NcTxn t = stream.next();
    const NcResult r = nc_apply(gold, t);
    const PortRsp p = expected(cfg, t, r);
    tb::HexBits s;  // {line, nonzero, touch, la, op}
    s.push(static_cast<uint64_t>(kOpCode[t.op]), 3);
    s.push(t.la & cfg.la_mask(), law);
    s.push(t.touch, 1);
    s.push(t.nonzero, 1);
    for (int b = 0; b < cfg.line_bytes; ++b)
      s.push(t.line.empty() ? 0 : t.line[static_cast<size_t>(b)], 8);
    tb::HexBits e;  // {new, split, inval, evicted, cascade, merged, approx, zero, idx, hit, idx_care, latency}
    e.push(static_cast<uint64_t>(p.latency), 16);
    e.push(p.idx_care, 1);
    e.push(p.hit, 1);
    e.push(static_cast<uint64_t>(p.idx), idxw);
    e.push(p.zero, 1);
    e.push(p.approx, 1);
    e.push(p.merged, 1);
    e.push(static_cast<uint64_t>(p.cascade), cntw);
    e.push(p.evicted, 1);
    e.push(p.inval, 1);
    e.push(p.split, 1);
    e.push(static_cast<uint64_t>(p.new_entries), cntw);
    stim += s.hex() + "\n";
    exp += e.hex() + "\n";
  }
  write_file_atomic(dir + "/stim.hex", stim);
  write_file_atomic(dir + "/exp.hex", exp);
  write_file_atomic(
      dir + "/tb_params.vh",
      fmt::format("// Replay parameters written by nc_regress --dump-icarus ({}, seed {}).\n"
                  "localparam integer TbLaW = {};\nlocalparam integer TbIdxW = {};\n"
                  "localparam integer TbCntW = {};\nlocalparam integer TbLineW = {};\n"
                  "localparam integer TbTxns = {};\n",
                  nullcache_tb_name(cfg), seed, law, idxw, cntw, linew, txns));
  return txns;
}

}  // namespace fusegen
