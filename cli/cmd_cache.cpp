// `fusegen cache`: runs a din trace through the golden SparseCache (L1 + null cache + flat
// memory) and prints the counters of docs/cache.md as a table or JSON. The null
// cache comes from an engine registered in null_cache_engines() ("golden" built in).
// A trace without data values (no label-5 records, no DATAHEX) cannot tell zero lines from
// others: the null cache is then off by default, and asking for one is an error, unless a
// memory image (--memory: a din file of label-5 records, applied before the trace) supplies
// the contents of memory.
#include <string>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/json.h"
#include "golden/sparsecache.h"
#include "sim/cache_study.h"
#include "sim/din_trace.h"
#include "tb/nc_options.h"

namespace fusegen::cli {
namespace {

// What to simulate: the options of one `fusegen cache` run, checked.
struct CacheJob {
  std::string trace;      // din trace file
  std::string memory;     // memory image ("" = none)
  SparseCacheConfig cfg;  // validated; nc_enabled decided (auto: the trace carries values)
  std::string engine;     // null-cache engine name (null_cache_engines())
  std::string nc_note;    // why the null cache is off when it was not asked off ("" = on/asked)
  uint64_t check_every;   // invariant check period in accesses (0 = never)
};

// The outcome of running a job: the counters of docs/cache.md.
struct CacheResult {
  CacheJob job;    // what ran
  CacheStats st;   // counters, est_cycles up to date
};

CacheJob cache_job(const cxxopts::ParseResult& r) {
  require(r, "trace");
  CacheJob job;
  job.trace = r["trace"].as<std::string>();
  if (r.count("memory")) job.memory = r["memory"].as<std::string>();
  job.check_every = r["check-invariants"].as<uint64_t>();
  SparseCacheConfig& cfg = job.cfg;
  cfg.l1 = parse_l1(r["l1"].as<std::string>());
  cfg.addr_bits = r["addr-width"].as<int>();
  read_nullcache_options(r, kNcBehaviour, cfg.nc);
  cfg.l1.zda = cfg.nc.zda;
  cfg.l1.zero_first_victim = r.count("zero-first-victim") > 0;
  cfg.zero_victim_to_nc = r.count("no-zero-victims") == 0;
  job.engine = r["engine"].as<std::string>();
  const auto& engines = null_cache_engines();
  if (!engines.count(job.engine)) {
    std::string names;
    for (const auto& [n, f] : engines) names += (names.empty() ? "" : ", ") + n;
    throw Error(fmt::format("--engine '{}' is not available: choose one of {}", job.engine,
                            names));
  }
  const std::string ncopt = r["null-cache"].as<std::string>();
  if (ncopt != "off" && ncopt != "auto") {
    if (ncopt.empty() || ncopt.size() > 5 ||
        ncopt.find_first_not_of("0123456789") != std::string::npos)
      throw Error(fmt::format("--null-cache '{}' is not allowed: entries 1..{}, off or auto",
                              ncopt, NullCacheConfig::kMaxEntries));
    cfg.nc.entries = std::stoi(ncopt);
  }
  validate(cfg);
  cfg.nc_enabled = ncopt != "off";
  if (cfg.nc_enabled) {
    const bool values = !job.memory.empty() || trace_has_values(job.trace, cfg.addr_bits);
    if (!values && ncopt != "auto")
      throw Error(fmt::format("trace '{}' carries no data values (no label-5 records, no "
                              "DATAHEX): the null cache cannot detect zero lines; give a memory "
                              "image with --memory, or use --null-cache off", job.trace));
    cfg.nc_enabled = values;
    if (!values) job.nc_note = "off (the trace carries no data values)";
  }
  return job;
}

CacheResult run_cache(const CacheJob& job) {
  const SparseCacheConfig& cfg = job.cfg;
  std::unique_ptr<NullCache> nc;
  if (cfg.nc_enabled) nc = null_cache_engines().at(job.engine)(cfg.null_cache());
  SparseCache cache(cfg, std::move(nc));
  if (!job.memory.empty()) {
    auto mem = DinReader::open(job.memory, cfg.addr_bits);
    DinRecord rec;
    for (uint64_t n = 1; mem->next(rec); ++n) {
      if (rec.label != 5 || !rec.has_data)
        throw Error(fmt::format("memory image '{}': record {} is not a memory initialization: a "
                                "memory image holds only label-5 records with data (LABEL 5 "
                                "ADDRESS SIZE DATAHEX)", job.memory, n));
      cache.init(rec.addr, rec.size, rec.data.data());
    }
  }
  CacheDriver drv({&cache}, job.check_every);
  auto rd = DinReader::open(job.trace, cfg.addr_bits);
  DinRecord rec;
  while (rd->next(rec)) drv.record(rec);
  return {job, cache.stats()};
}

void print_cache(const CacheResult& res, const std::string& format) {
  const SparseCacheConfig& cfg = res.job.cfg;
  const NullCacheConfig& nc = cfg.nc;
  if (format == "json") {
    nlohmann::ordered_json j;
    j["trace"] = res.job.trace;
    j["l1"] = {{"size_bytes", cfg.l1.size_bytes}, {"ways", cfg.l1.ways},
               {"line_bytes", cfg.l1.line_bytes}, {"zero_first_victim", cfg.l1.zero_first_victim}};
    if (cfg.nc_enabled)
      j["null_cache"] = {{"entries", nc.entries},
                         {"store_policy", nc.policy_string()},
                         {"approx", nc.zda.approx_string()},
                         {"singleton_first", nc.singleton_first},
                         {"zero_victims", cfg.zero_victim_to_nc},
                         {"engine", res.job.engine}};
    else
      j["null_cache"] = nullptr;
    j["addr_width"] = cfg.addr_bits;
    j["stats"] = to_json(res.st);
    fmt::print("{}\n", json_dump(j, 2));
    return;
  }
  const std::string ncdesc =
      cfg.nc_enabled ? fmt::format("{} entries, {}, approx {}{}", nc.entries, nc.policy_string(),
                                   nc.zda.approx_string(),
                                   nc.singleton_first ? ", singleton-first" : "")
                     : (res.job.nc_note.empty() ? "off" : res.job.nc_note);
  fmt::print("trace       {}\n", res.job.trace);
  fmt::print("L1          {} B, {}-way, {} B lines{}\n", cfg.l1.size_bytes, cfg.l1.ways,
             cfg.l1.line_bytes, cfg.l1.zero_first_victim ? ", zero-first victim" : "");
  fmt::print("null cache  {}\n", ncdesc);
  fmt::print("timing      1 cycle per instruction and per access, +100 cycles per miss\n\n");
  fmt::print("{}", to_table(res.st));
}

int cmd_cache(int argc, char** argv) {
  cxxopts::Options opts(argv[0], "Simulate a din trace on an L1 data cache with an optional "
                                 "SparseCache null cache");
  opts.add_options()
    ("trace", "din trace file", cxxopts::value<std::string>())
    ("memory", "memory image: a din file of label-5 (initialization) records applied before the "
               "trace; memory is zero elsewhere. Lets a trace without data values use the null "
               "cache", cxxopts::value<std::string>())
    ("l1", "L1 geometry SIZE,WAYS,LINE (SIZE in bytes or with K)",
     cxxopts::value<std::string>()->default_value("16K,4,32"))
    ("null-cache", "null-cache entries (1..1024), 'off', or 'auto' (128 if the trace carries "
                   "data values, else off)", cxxopts::value<std::string>()->default_value("auto"))
    ("addr-width", "byte-address width 8..64; wider trace addresses are an error",
     cxxopts::value<int>()->default_value("64"))
    ("zero-first-victim", "L1 prefers a zero line as its victim")
    ("no-zero-victims", "do not insert zero L1 victims into the null cache")
    ("check-invariants", "check invariants I1-I3 every N accesses (0 = never)",
     cxxopts::value<uint64_t>()->default_value("0"))
    ("engine", "null-cache implementation", cxxopts::value<std::string>()->default_value("golden"))
    ("format", "table or json", cxxopts::value<std::string>()->default_value("table"));
  add_nullcache_options(opts, kNcBehaviour, NullCacheConfig{});
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  const std::string format = check_choice("format", r["format"].as<std::string>(),
                                          {"table", "json"});
  print_cache(run_cache(cache_job(r)), format);
  return 0;
}

}  // namespace
FUSEGEN_COMMAND("cache", "simulate a din trace on L1 + SparseCache null cache", cmd_cache);
}  // namespace fusegen::cli
