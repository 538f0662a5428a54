// RTL null-cache driver: request/response handshake on nc_top, latency check against the
// documented timing, and the entry table read through the TCAM's public state.
#include "tb/nullcache/nc_driver.h"

#include <fmt/format.h>

#include "Vnc.h"
#include "Vnc___024root.h"
#include "tb/common/port_bits.h"
#include "tb/common/sim_ctrl.h"

namespace nctb {

namespace {
constexpr int kOpLookup = 0, kOpInsert = 1, kOpFill = 2, kOpStore = 3, kOpFlush = 4;
constexpr uint64_t kMaxCyclesPerTxn = 4096;  // a transaction never takes this long
}  // namespace

RtlNullCache::RtlNullCache(const fusegen::NullCacheConfig& c, int argc, char** argv,
                           const std::string& trace_path)
    : cfg_(c) {
  full_ = c.la_mask();
  sim_ = std::make_unique<tb::SimCtrl<Vnc>>(argc, argv, trace_path, ~uint64_t{0} >> 1);
  Vnc& t = sim_->top();
  t.req_valid_i = 0;
  t.req_op_i = 0;
  t.req_la_i = 0;
  t.req_touch_i = 0;
  t.req_nonzero_i = 0;
  sim_->reset(2);
  read_table();
}

RtlNullCache::~RtlNullCache() = default;

uint64_t RtlNullCache::cycles() const { return sim_->cycles(); }

RtlRsp RtlNullCache::issue(int op, uint64_t la, bool touch, bool nonzero, const uint8_t* line) {
  Vnc& t = sim_->top();
  t.req_valid_i = 1;
  t.req_op_i = op;
  t.req_la_i = la & full_;
  t.req_touch_i = touch;
  t.req_nonzero_i = nonzero;
  if (line)
    for (int b = 0; b < cfg_.line_bytes; ++b) tb::put_bits(t.req_line_i, 8 * b, 8, line[b]);
  sim_->settle();
  if (!t.req_ready_o) throw std::runtime_error("nc_top is not ready after its last response");
  sim_->tick();  // accepting edge
  t.req_valid_i = 0;
  sim_->settle();
  RtlRsp r;
  r.latency = 1;
  while (!t.rsp_valid_o) {
    if (r.latency > static_cast<int>(kMaxCyclesPerTxn))
      throw std::runtime_error("nc_top gave no response (timeout)");
    sim_->tick();
    ++r.latency;
  }
  if (!t.req_ready_o) throw std::runtime_error("nc_top responded while not ready");
  r.hit = t.rsp_hit_o;
  r.idx = t.rsp_idx_o;
  r.zero = t.rsp_zero_o;
  r.approx = t.rsp_approx_o;
  r.merged = t.rsp_merged_o;
  r.cascade = t.rsp_cascade_o;
  r.evicted = t.rsp_evicted_o;
  r.inval = t.rsp_inval_o;
  r.split = t.rsp_split_o;
  r.new_entries = t.rsp_new_o;
  last_ = r;
  read_table();
  return r;
}

void RtlNullCache::read_table() {
  const auto* root = sim_->top().rootp;
  const int w = cfg_.la_w();
  entries_.assign(cfg_.entries, fusegen::NcEntry{});
  for (int i = 0; i < cfg_.entries; ++i) {
    fusegen::NcEntry& e = entries_[i];
    e.valid = tb::get_bits(root->nc_top__DOT__u_tcam__DOT__valid_q, i, 1);
    if (!e.valid) continue;
    e.val = tb::get_bits(root->nc_top__DOT__u_tcam__DOT__val_q, i * w, w);
    e.care = tb::get_bits(root->nc_top__DOT__u_tcam__DOT__care_q, i * w, w);
  }
}

std::vector<uint8_t> RtlNullCache::plru_bits() const {
  std::vector<uint8_t> bits;
#if NC_TREE_BITS > 0
  const auto* root = sim_->top().rootp;
  for (int k = 0; k < NC_TREE_BITS; ++k)
    bits.push_back(static_cast<uint8_t>(
        tb::get_bits(root->nc_top__DOT__u_repl__DOT__g_tree__DOT__tree_q, k, 1)));
#endif
  return bits;
}

void RtlNullCache::check_latency(int op, int expected) {
  timing_error_.clear();
  if (last_.latency != expected)
    timing_error_ = fmt::format("op {} took {} cycles, docs/nullcache_rtl.md says {}", op,
                                last_.latency, expected);
}

fusegen::NcLookup RtlNullCache::lookup(uint64_t la, bool touch) {
  const RtlRsp r = issue(kOpLookup, la, touch, false, nullptr);
  check_latency(kOpLookup, fusegen::NcTiming::kExec);
  return {r.hit, r.hit ? r.idx : -1};
}

namespace {
fusegen::NcInsert to_insert(const RtlRsp& r) {
  fusegen::NcInsert i;
  i.already_covered = r.hit;
  i.entry = r.idx;
  i.merges_first = r.merged;
  i.merges_higher = r.cascade;
  i.freed = r.cascade;
  i.evicted = r.evicted;
  return i;
}
}  // namespace

fusegen::NcInsert RtlNullCache::insert(uint64_t la) {
  const RtlRsp r = issue(kOpInsert, la, false, false, nullptr);
  const fusegen::NcInsert i = to_insert(r);
  check_latency(kOpInsert, fusegen::nc_insert_latency(cfg_, i));
  return i;
}

fusegen::NcFill RtlNullCache::fill_check(uint64_t la, const uint8_t* line) {
  const RtlRsp r = issue(kOpFill, la, false, false, line);
  fusegen::NcFill f;
  f.zero = r.zero;
  f.approximated = r.approx;
  if (r.zero) f.insert = to_insert(r);
  check_latency(kOpFill, fusegen::nc_fill_latency(cfg_, f));
  return f;
}

fusegen::NcStore RtlNullCache::store(uint64_t la, bool nonzero) {
  const RtlRsp r = issue(kOpStore, la, false, nonzero, nullptr);
  fusegen::NcStore s;
  s.covered = r.hit;
  s.invalidated = r.inval ? 1 : 0;
  s.split = r.split;
  s.new_entries = r.new_entries;
  check_latency(kOpStore, fusegen::nc_store_latency(cfg_, s));
  return s;
}

void RtlNullCache::flush() {
  issue(kOpFlush, 0, false, false, nullptr);
  check_latency(kOpFlush, fusegen::NcTiming::kExec);
}

}  // namespace nctb
