// CacheStats: derived values, JSON and table forms.
#include "golden/cache_stats.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

namespace fusegen {

double CacheStats::miss_rate() const {
  return accesses() ? static_cast<double>(misses()) / static_cast<double>(accesses()) : 0.0;
}

uint64_t estimate_cycles(const CacheStats& s, const TimingModel& t) {
  return s.instructions + s.accesses() * static_cast<uint64_t>(t.hit_cycles) +
         s.misses() * static_cast<uint64_t>(t.mem_cycles);
}

namespace {
std::vector<std::pair<const char*, uint64_t>> fields(const CacheStats& s) {
  return {{"loads", s.loads},
          {"stores", s.stores},
          {"instructions", s.instructions},
          {"l1_hits", s.l1_hits},
          {"l1_misses", s.l1_misses},
          {"nc_load_hits", s.nc_load_hits},
          {"nc_store_hits", s.nc_store_hits},
          {"load_misses", s.load_misses},
          {"store_misses", s.store_misses},
          {"mem_reads", s.mem_reads},
          {"mem_writes", s.mem_writes},
          {"merges_first", s.merges_first},
          {"merges_higher", s.merges_higher},
          {"merges", s.merges},
          {"store_invalidations", s.store_invalidations},
          {"splits", s.splits},
          {"nc_evictions", s.nc_evictions},
          {"zero_victims", s.zero_victims},
          {"approximated_lines", s.approximated_lines},
          {"read_mismatches", s.read_mismatches},
          {"l1_writebacks", s.l1_writebacks},
          {"est_cycles", s.est_cycles}};
}
}  // namespace

nlohmann::ordered_json to_json(const CacheStats& s) {
  nlohmann::ordered_json j;
  for (const auto& [k, v] : fields(s)) j[k] = v;
  j["accesses"] = s.accesses();
  j["miss_rate"] = s.miss_rate();
  return j;
}

std::string to_table(const CacheStats& s) {
  std::string out;
  for (const auto& [k, v] : fields(s)) out += fmt::format("{:<20} {:>14}\n", k, v);
  out += fmt::format("{:<20} {:>14}\n", "accesses", s.accesses());
  out += fmt::format("{:<20} {:>14.6f}\n", "miss_rate", s.miss_rate());
  return out;
}

}  // namespace fusegen
