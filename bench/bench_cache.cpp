// Benchmark of the SparseCache tooling: golden simulator speed (accesses/s) for the L1 alone
// and L1 + null cache on a generated DNN trace held in memory, trace generation speed (into
// memory and into a din file) and din parsing speed. Prints a table; asserts nothing.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/sparsecache.h"
#include "sim/cache_study.h"
#include "sim/din_trace.h"
#include "sim/trace_gen.h"

using namespace fusegen;

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

struct Keep : DinSink {
  std::vector<DinRecord> recs;
  void record(const DinRecord& r) override { recs.push_back(r); }
};
struct Count : DinSink {
  uint64_t n = 0;
  void record(const DinRecord&) override { ++n; }
};
}  // namespace

int main() {
  TraceGenOptions o;
  o.network = "alexnet";
  o.layers = {"conv3", "fc7"};
  o.scale = 0.125;
  o.spatial = 0.5;
  Keep trace;
  generate_trace(o, trace);
  uint64_t accesses = 0;
  for (const auto& r : trace.recs) accesses += r.label == 0 || r.label == 1;

  fmt::print("{:<44} {:>12} {:>10} {:>14}\n", "benchmark", "items", "seconds", "items/s");
  auto row = [](const std::string& name, uint64_t items, double s) {
    fmt::print("{:<44} {:>12} {:>10.3f} {:>14.0f}\n", name, items, s, s > 0 ? items / s : 0.0);
  };
  struct Cfg { const char* name; bool nc; int entries; };
  for (const Cfg& c : {Cfg{"golden L1 16K/4/32 alone (accesses)", false, 1},
                       Cfg{"golden L1 + null cache 128 (accesses)", true, 128},
                       Cfg{"golden L1 + null cache 1024 (accesses)", true, 1024}}) {
    SparseCacheConfig cfg;
    cfg.addr_bits = 32;
    cfg.nc_enabled = c.nc;
    cfg.nc.entries = c.entries;
    SparseCache cache(cfg);
    CacheDriver drv({&cache});
    const auto t0 = Clock::now();
    for (const auto& r : trace.recs) drv.record(r);
    row(c.name, accesses, secs(t0));
  }
  {
    Count cnt;
    const auto t0 = Clock::now();
    generate_trace(o, cnt);
    row("trace generation into memory (records)", cnt.n, secs(t0));
  }
  const std::string path = (std::filesystem::temp_directory_path() / "fusegen_bench_cache.din").string();
  {
    DinWriter w(path);
    const auto t0 = Clock::now();
    generate_trace(o, w);
    w.commit();
    row("trace generation into a din file (records)", w.records(), secs(t0));
  }
  {
    auto rd = DinReader::open(path, 32);
    DinRecord r;
    uint64_t n = 0;
    const auto t0 = Clock::now();
    while (rd->next(r)) ++n;
    row("din parsing (records)", n, secs(t0));
  }
  fmt::print("trace file: {:.1f} MB for {} records\n", std::filesystem::file_size(path) / 1e6, trace.recs.size());
  std::filesystem::remove(path);
  return 0;
}
