// CacheDriver (din records -> SparseCache calls), trace value detection and the three-way
// cache study over generated traces.
#include "sim/cache_study.h"


#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "common/progress.h"

namespace fusegen {

void CacheDriver::record(const DinRecord& r) {
  ++records_;
  const uint8_t* d = r.has_data ? r.data.data() : nullptr;
  for (SparseCache* c : caches_) {
    switch (r.label) {
      case 0: c->load(r.addr, r.size, d); break;
      case 1: c->store(r.addr, r.size, d); break;
      case 2: c->instr(r.size); break;
      case 5: c->init(r.addr, r.size, d); break;
      default: throw Error(fmt::format("record {}: label {} is not supported", records_, r.label));
    }
  }
  if (r.label == 0 || r.label == 1) {
    ++accesses_;
    if (check_every_ && accesses_ % check_every_ == 0)
      for (SparseCache* c : caches_)
        if (std::string e = c->check_invariants(); !e.empty())
          throw Error(fmt::format("record {}: invariant violated: {}", records_, e));
  }
}

bool trace_has_values(const std::string& path, int addr_bits) {
  auto rd = DinReader::open(path, addr_bits);
  DinRecord r;
  while (rd->next(r))
    if (r.label == 5 || r.has_data) return true;
  return false;
}

StudyWorkload default_workload(const std::string& network) {
  // Whole layers (no truncation), 7-20 M accesses per network, about 10 s for all four
  // (see docs/sparsecache.md).
  if (network == "lenet5") return {network, 1.0, 1.0, 0};
  if (network == "alexnet") return {network, 0.25, 0.25, 0};
  if (network == "vgg16") return {network, 0.125, 0.125, 0};
  if (network == "squeezenet") return {network, 0.25, 0.25, 0};
  trace_network_layers(network);  // throws naming the allowed networks
  return {network};
}

namespace {
SparseCacheConfig study_config(int64_t l1_bytes, int nc_entries) {
  SparseCacheConfig c;
  c.l1.size_bytes = l1_bytes;
  c.l1.ways = 4;
  c.l1.line_bytes = 32;
  c.addr_bits = 32;
  c.nc_enabled = nc_entries > 0;
  c.nc.entries = nc_entries > 0 ? nc_entries : 1;
  return c;
}
}  // namespace

std::vector<StudyRow> run_cache_study(const StudyOptions& o) {
  std::vector<std::string> nets = o.networks.empty() ? trace_networks() : o.networks;
  std::vector<StudyRow> rows;
  Progress progress("cache-study", static_cast<long>(nets.size()));
  for (const std::string& net : nets) {
    progress.step(net, static_cast<long>(rows.size()) + 1);
    StudyRow row;
    TraceGenOptions g = o.gen;
    g.network = net;
    row.workload = {net, g.scale, g.spatial, g.max_records};
    if (o.use_default_sizes) {
      row.workload = default_workload(net);
      g.scale = row.workload.scale;
      g.spatial = row.workload.spatial;
      g.max_records = row.workload.max_records;
    }
    SparseCache b16(study_config(16384, 0)), n16(study_config(16384, o.nc_entries)),
        b32(study_config(32768, 0));
    CacheDriver drv({&b16, &n16, &b32});
    for (const TraceLayerSummary& s : generate_trace(g, drv)) {
      row.records += s.records;
      row.macs += s.macs;
      row.truncated |= s.truncated;
    }
    row.base16 = b16.stats();
    row.nc16 = n16.stats();
    row.base32 = b32.stats();
    rows.push_back(row);
  }
  return rows;
}

std::string format_study(const std::vector<StudyRow>& rows, const StudyOptions& o) {
  auto red = [](double base, double v) { return base > 0 ? 100.0 * (base - v) / base : 0.0; };
  std::string s;
  s += fmt::format("SparseCache study: L1 16 KB 4-way 32 B vs + {}-entry null cache vs 32 KB 4-way 32 B\n",
                   o.nc_entries);
  s += fmt::format("workload: synthetic Caffe-style traces, dtype {}, keep {}, granularity {}, act-zero {}, "
                   "act-run {}, seed {}\n",
                   o.gen.int8 ? "i8" : "f32", o.gen.keep < 0 ? std::string("published") : fmt::format("{}", o.gen.keep),
                   o.gen.granularity, o.gen.act_zero, o.gen.act_run, o.gen.seed);
  s += fmt::format("{:<11} {:>6} {:>6} {:>9} | {:>7} {:>7} {:>7} | {:>8} {:>8} | {:>8} {:>8} | {:>7} {:>7}\n",
                   "network", "scale", "spat", "accesses", "miss16", "miss+NC", "miss32", "dMiss+NC",
                   "dMiss32", "dTime+NC", "dTime32", "ncHit%", "merges");
  for (const StudyRow& r : rows) {
    const double m16 = r.base16.miss_rate(), mnc = r.nc16.miss_rate(), m32 = r.base32.miss_rate();
    const double t16 = static_cast<double>(r.base16.est_cycles), tnc = static_cast<double>(r.nc16.est_cycles),
                 t32 = static_cast<double>(r.base32.est_cycles);
    const double nchit = r.nc16.accesses()
                             ? 100.0 * static_cast<double>(r.nc16.nc_load_hits + r.nc16.nc_store_hits) /
                                   static_cast<double>(r.nc16.accesses())
                             : 0.0;
    s += fmt::format("{:<11} {:>6.3f} {:>6.3f} {:>8}{} | {:>6.2f}% {:>6.2f}% {:>6.2f}% | {:>7.1f}% {:>7.1f}% | "
                     "{:>7.1f}% {:>7.1f}% | {:>6.2f}% {:>7}\n",
                     r.workload.network, r.workload.scale, r.workload.spatial, r.records, r.truncated ? "*" : " ",
                     100 * m16, 100 * mnc, 100 * m32, red(m16, mnc), red(m16, m32), red(t16, tnc), red(t16, t32),
                     nchit, r.nc16.merges);
  }
  s += "dMiss/dTime: reduction relative to the 16 KB L1 alone (positive = better). "
       "* = layers truncated at the per-layer record cap.\n";
  s += "thesis (DATE 2020): 5-28 % lower miss rate, 5-21 % lower execution time with a 1 KB null cache;\n"
       "16 KB + null cache about as good as 32 KB (AlexNet: 20 % fewer misses, 13 % faster than 32 KB).\n";
  return s;
}

}  // namespace fusegen
