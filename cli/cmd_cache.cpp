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
#include "common/json.h"
#include "common/bits.h"
#include "common/error.h"
#include "golden/sparsecache.h"
#include "sim/cache_study.h"
#include "sim/din_trace.h"

namespace fusegen::cli {
namespace {

int cmd_cache(int argc, char** argv) {
  cxxopts::Options opts(argv[0], "Simulate a din trace on an L1 data cache with an optional SparseCache null cache");
  opts.add_options()
    ("trace", "din trace file", cxxopts::value<std::string>())
    ("memory", "memory image: a din file of label-5 (initialization) records applied before the "
               "trace; memory is zero elsewhere. Lets a trace without data values use the null cache",
     cxxopts::value<std::string>())
    ("l1", "L1 geometry SIZE,WAYS,LINE (SIZE in bytes or with K)", cxxopts::value<std::string>()->default_value("16K,4,32"))
    ("null-cache", "null-cache entries (1..1024), 'off', or 'auto' (128 if the trace carries data values, else off)",
     cxxopts::value<std::string>()->default_value("auto"))
    ("store-policy", "non-zero store into a covered line: invalidate or split",
     cxxopts::value<std::string>()->default_value("invalidate"))
    ("approx", "zero detector: off, int:T (|x| <= T) or float:E (biased exponent < E)",
     cxxopts::value<std::string>()->default_value("off"))
    ("elem-width", "approximator element width: 8, 16 or 32", cxxopts::value<int64_t>()->default_value("32"))
    ("addr-width", "byte-address width 8..64; wider trace addresses are an error",
     cxxopts::value<int64_t>()->default_value("64"))
    ("singleton-first", "null-cache replacement prefers evicting single-line entries")
    ("zero-first-victim", "L1 prefers a zero line as its victim")
    ("no-zero-victims", "do not insert zero L1 victims into the null cache")
    ("check-invariants", "check invariants I1-I3 every N accesses (0 = never)",
     cxxopts::value<uint64_t>()->default_value("0"))
    ("engine", "null-cache implementation", cxxopts::value<std::string>()->default_value("golden"))
    ("format", "table or json", cxxopts::value<std::string>()->default_value("table"));
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  require(r, "trace");
  const std::string trace = r["trace"].as<std::string>();
  const std::string format = check_choice("format", r["format"].as<std::string>(), {"table", "json"});

  SparseCacheConfig cfg;
  cfg.l1 = parse_l1(r["l1"].as<std::string>());
  cfg.addr_bits = static_cast<int>(check_range("addr-width", r["addr-width"].as<int64_t>(), 8, 64));
  const int elem_w = static_cast<int>(r["elem-width"].as<int64_t>());
  if (elem_w != 8 && elem_w != 16 && elem_w != 32)
    throw Error(fmt::format("--elem-width {} is not allowed: choose 8, 16 or 32", elem_w));
  cfg.nc.zda = parse_approx(r["approx"].as<std::string>(), elem_w);
  validate_zda(cfg.nc.zda, cfg.l1.line_bytes);
  cfg.l1.zda = cfg.nc.zda;
  cfg.l1.zero_first_victim = r.count("zero-first-victim") > 0;
  cfg.zero_victim_to_nc = r.count("no-zero-victims") == 0;
  cfg.nc.singleton_first = r.count("singleton-first") > 0;
  cfg.nc.policy = check_choice("store-policy", r["store-policy"].as<std::string>(), {"invalidate", "split"}) == "split"
                      ? StorePolicy::Split
                      : StorePolicy::Invalidate;
  const std::string engine = r["engine"].as<std::string>();
  auto& engines = null_cache_engines();
  if (!engines.count(engine)) {
    std::string names;
    for (const auto& [n, f] : engines) names += (names.empty() ? "" : ", ") + n;
    throw Error(fmt::format("--engine '{}' is not available: choose one of {}", engine, names));
  }
  const std::string ncopt = r["null-cache"].as<std::string>();
  std::string nc_note;
  if (ncopt == "off") {
    cfg.nc_enabled = false;
  } else {
    if (ncopt != "auto") {
      if (ncopt.empty() || ncopt.size() > 5 || ncopt.find_first_not_of("0123456789") != std::string::npos)
        throw Error(fmt::format("--null-cache '{}' is not allowed: entries 1..1024, off or auto", ncopt));
      cfg.nc.entries = static_cast<int>(check_range("null-cache", std::stoll(ncopt), 1, 1024));
    }
    const bool values = r.count("memory") || trace_has_values(trace, cfg.addr_bits);
    if (!values && ncopt != "auto")
      throw Error(fmt::format("trace '{}' carries no data values (no label-5 records, no DATAHEX): the null "
                              "cache cannot detect zero lines; give a memory image with --memory, or use "
                              "--null-cache off", trace));
    cfg.nc_enabled = values;
    if (!values) nc_note = "off (the trace carries no data values)";
  }
  validate(cfg);
  std::unique_ptr<NullCache> nc;
  if (cfg.nc_enabled) {
    NullCacheConfig ncc = cfg.nc;
    int shift = 0;
    while ((1 << shift) < cfg.l1.line_bytes) ++shift;
    ncc.line_bytes = cfg.l1.line_bytes;
    ncc.la_bits = cfg.addr_bits - shift;
    nc = engines.at(engine)(ncc);
  }
  SparseCache cache(cfg, std::move(nc));
  if (r.count("memory")) {
    const std::string image = r["memory"].as<std::string>();
    auto mem = DinReader::open(image, cfg.addr_bits);
    DinRecord rec;
    for (uint64_t n = 1; mem->next(rec); ++n) {
      if (rec.label != 5 || !rec.has_data)
        throw Error(fmt::format("memory image '{}': record {} is not a memory initialization: a memory "
                                "image holds only label-5 records with data (LABEL 5 ADDRESS SIZE DATAHEX)",
                                image, n));
      cache.init(rec.addr, rec.size, rec.data.data());
    }
  }
  CacheDriver drv({&cache}, r["check-invariants"].as<uint64_t>());
  auto rd = DinReader::open(trace, cfg.addr_bits);
  DinRecord rec;
  while (rd->next(rec)) drv.record(rec);
  const CacheStats& st = cache.stats();

  const std::string ncdesc =
      cfg.nc_enabled ? fmt::format("{} entries, {}, approx {}{}", cfg.nc.entries,
                                   cfg.nc.policy == StorePolicy::Split ? "split" : "invalidate",
                                   r["approx"].as<std::string>(), cfg.nc.singleton_first ? ", singleton-first" : "")
                     : (nc_note.empty() ? "off" : nc_note);
  if (format == "json") {
    nlohmann::ordered_json j;
    j["trace"] = trace;
    j["l1"] = {{"size_bytes", cfg.l1.size_bytes}, {"ways", cfg.l1.ways}, {"line_bytes", cfg.l1.line_bytes},
               {"zero_first_victim", cfg.l1.zero_first_victim}};
    if (cfg.nc_enabled)
      j["null_cache"] = {{"entries", cfg.nc.entries},
                         {"store_policy", cfg.nc.policy == StorePolicy::Split ? "split" : "invalidate"},
                         {"approx", r["approx"].as<std::string>()},
                         {"singleton_first", cfg.nc.singleton_first},
                         {"zero_victims", cfg.zero_victim_to_nc},
                         {"engine", engine}};
    else
      j["null_cache"] = nullptr;
    j["addr_width"] = cfg.addr_bits;
    j["stats"] = to_json(st);
    fmt::print("{}\n", json_dump(j, 2));
  } else {
    fmt::print("trace       {}\n", trace);
    fmt::print("L1          {} B, {}-way, {} B lines{}\n", cfg.l1.size_bytes, cfg.l1.ways, cfg.l1.line_bytes,
               cfg.l1.zero_first_victim ? ", zero-first victim" : "");
    fmt::print("null cache  {}\n", ncdesc);
    fmt::print("timing      1 cycle per instruction and per access, +100 cycles per miss\n\n");
    fmt::print("{}", to_table(st));
  }
  return 0;
}

}  // namespace
FUSEGEN_COMMAND("cache", "simulate a din trace on L1 + SparseCache null cache", cmd_cache);
}  // namespace fusegen::cli
