// Null-cache testbench modes: random lockstep streams and the stdin/stdout serve loop.
#include "tb/nullcache/nc_tb_app.h"

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/bits.h"
#include "common/error.h"
#include "tb/nc_options.h"
#include "tb/nullcache/nc_driver.h"
#include "tb/nc_stream.h"

namespace nctb {

namespace {

uint64_t parse_u64(const std::string& opt, const std::string& v) {
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
    throw fusegen::Error(fmt::format("{} '{}' is not a non-negative integer", opt, v));
  return std::stoull(v);
}

// Per-run coverage counters: evidence that the stream exercised every mechanism.
struct Coverage {
  uint64_t ops[5] = {0, 0, 0, 0, 0};  // per op
  uint64_t hits = 0;           // lookups, stores and inserts that found the line covered
  uint64_t merges_first = 0;   // first-order merges
  uint64_t merges_higher = 0;  // cascade steps
  uint64_t evictions = 0;      // replacements of a valid entry
  uint64_t invalidations = 0;  // entries invalidated by non-zero stores
  uint64_t splits = 0;         // entries split by non-zero stores
  uint64_t approximated = 0;   // zero fills that were not all-zero
  uint64_t zero_fills = 0;     // fills the ZDA counted as zero

  void add(const fusegen::NcTxn& t, const fusegen::NcResult& r) {
    ++ops[t.op];
    const fusegen::NcInsert& i = r.fill.insert;
    hits += r.lookup.hit || r.store.covered || i.already_covered;
    merges_first += i.merges_first;
    merges_higher += i.merges_higher;
    evictions += i.evicted;
    invalidations += r.store.invalidated;
    splits += r.store.split;
    approximated += r.fill.approximated;
    zero_fills += r.fill.zero;
  }
};

// "" when the trees agree, else the first differing node.
std::string compare_plru(const std::vector<uint8_t>& expected, const std::vector<uint8_t>& actual) {
  if (expected.size() != actual.size())
    return fmt::format("pseudo-LRU tree: expected {} node bits, actual {}", expected.size(),
                       actual.size());
  for (size_t k = 0; k < expected.size(); ++k)
    if (expected[k] != actual[k])
      return fmt::format("pseudo-LRU tree node {}: expected {}, actual {}", k + 1,
                         int(expected[k]), int(actual[k]));
  return "";
}

// The lockstep check after one transaction: its results, the RTL's latency, the whole entry
// table and the pseudo-LRU tree. "" when the RTL agrees with the golden model, else the first
// difference.
std::string compare_step(const fusegen::NullCacheModel& gold, const RtlNullCache& rtl,
                         fusegen::NcTxn::Op op, const fusegen::NcResult& exp,
                         const fusegen::NcResult& act) {
  std::string diff = fusegen::nc_compare_results(op, exp, act);
  if (diff.empty() && !rtl.timing_error().empty()) diff = rtl.timing_error();
  if (diff.empty()) {
    const std::string td = fusegen::nc_compare_entries(gold.entries(), rtl.entries());
    if (!td.empty()) diff = "entry table after the transaction: " + td;
  }
  if (diff.empty()) diff = compare_plru(gold.plru_bits(), rtl.plru_bits());
  return diff;
}

}  // namespace

NcTbApp::NcTbApp(int argc, char** argv) : argc_(argc), argv_(argv) {
  try {
    if (argc < 2) throw fusegen::Error("usage: tb random|serve --entries N ... (see nc_tb_app.h)");
    opt_.mode = argv[1];
    if (opt_.mode != "random" && opt_.mode != "serve")
      throw fusegen::Error(fmt::format("mode '{}' is not allowed: choose random or serve",
                                       opt_.mode));
    std::vector<const char*> args = {argv[0]};
    for (int i = 2; i < argc; ++i)
      if (argv[i][0] != '+') args.push_back(argv[i]);  // +plusargs are Verilator's
    cxxopts::Options o(argv[0], "Verilated null-cache testbench");
    fusegen::add_nullcache_options(o, fusegen::kNcAllOptions, opt_.cfg);
    o.add_options()
        ("seeds", "random: seeds A or A-B", cxxopts::value<std::string>()->default_value("1"))
        ("txns", "random: transactions per seed", cxxopts::value<uint64_t>()->default_value("1000"))
        ("window", "random: log2 of the dense address window (default: from entries)",
         cxxopts::value<int>())
        ("trace", "FST trace file", cxxopts::value<std::string>()->default_value(""))
        ("inject-fault", "random: feed the RTL a wrong address once (the run must fail)")
        ("json", "random: print the summary as JSON");
    const cxxopts::ParseResult r =
        fusegen::parse_tb_args(o, static_cast<int>(args.size()), args.data());
    fusegen::read_nullcache_options(r, fusegen::kNcAllOptions, opt_.cfg);
    opt_.cfg.validate();
    const std::string s = r["seeds"].as<std::string>();
    const size_t dash = s.find('-');
    opt_.seed_lo = parse_u64("--seeds", s.substr(0, dash));
    opt_.seed_hi =
        dash == std::string::npos ? opt_.seed_lo : parse_u64("--seeds", s.substr(dash + 1));
    if (opt_.seed_hi < opt_.seed_lo) throw fusegen::Error("--seeds A-B needs A <= B");
    opt_.txns = r["txns"].as<uint64_t>();
    if (r.count("window")) opt_.window_bits = r["window"].as<int>();
    opt_.trace = r["trace"].as<std::string>();
    opt_.inject_fault = r.count("inject-fault") > 0;
    opt_.json = r.count("json") > 0;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

int NcTbApp::run() {
  if (!error_.empty()) {
    std::fprintf(stderr, "nc_tb: error: %s\n", error_.c_str());
    return 2;
  }
  try {
    return opt_.mode == "serve" ? run_serve() : run_random();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nc_tb: error: %s\n", e.what());
    if (opt_.mode == "serve") std::printf("ERR RTL null-cache testbench error: %s\n", e.what());
    return 2;
  }
}

int NcTbApp::run_random() {
  const fusegen::NullCacheConfig& cfg = opt_.cfg;
  int window = opt_.window_bits;
  if (window < 0) {  // about four lines per entry: the table fills, merges and evicts
    window = 2;
    while ((1 << window) < 4 * cfg.entries) ++window;
  }
  const std::vector<std::string> cfg_args = fusegen::nullcache_option_args(cfg);
  std::string replay_cfg;
  for (const auto& s : cfg_args) replay_cfg += " " + s;
  Coverage cov;
  uint64_t total = 0, cycles = 0;
  for (uint64_t seed = opt_.seed_lo; seed <= opt_.seed_hi; ++seed) {
    RtlNullCache rtl(cfg, argc_, argv_, opt_.trace);
    fusegen::NullCacheModel gold(cfg);
    TxnStream stream(cfg, seed, window);
    bool fault_done = false;
    for (uint64_t n = 1; n <= opt_.txns; ++n) {
      const fusegen::NcTxn t = stream.next();
      fusegen::NcTxn to_rtl = t;
      if (opt_.inject_fault && !fault_done && n > opt_.txns / 2 &&
          t.op == fusegen::NcTxn::kInsert) {
        to_rtl.la ^= 1;  // a corrupted address: the scoreboard must notice
        fault_done = true;
      }
      const fusegen::NcResult exp = fusegen::nc_apply(gold, t);
      const fusegen::NcResult act = fusegen::nc_apply(rtl, to_rtl);
      std::string diff = compare_step(gold, rtl, t.op, exp, act);
      if (diff.empty() && n % 64 == 0) {
        const std::string i3 = fusegen::check_i3(rtl.entries(), cfg.la_w());
        if (!i3.empty()) diff = i3;
      }
      if (!diff.empty()) {
        std::printf("MISMATCH seed=%llu txn=%llu op=%s (%s) cycle=%llu: %s\n",
                    static_cast<unsigned long long>(seed), static_cast<unsigned long long>(n),
                    fusegen::nc_op_name(t.op), fusegen::nc_txn_string(t).c_str(),
                    static_cast<unsigned long long>(rtl.cycles()), diff.c_str());
        std::printf("replay: %s random%s --seeds %llu --txns %llu%s --trace nc.fst\n", argv_[0],
                    replay_cfg.c_str(), static_cast<unsigned long long>(seed),
                    static_cast<unsigned long long>(n),
                    opt_.window_bits >= 0 ? fmt::format(" --window {}", opt_.window_bits).c_str()
                                          : "");
        return 1;
      }
      cov.add(t, act);
    }
    total += opt_.txns;
    cycles += rtl.cycles();
  }
  if (opt_.json) {
    nlohmann::ordered_json j;
    j["config"] = fusegen::nullcache_tb_name(cfg);
    j["seeds"] = fmt::format("{}-{}", opt_.seed_lo, opt_.seed_hi);
    j["transactions"] = total;
    j["cycles"] = cycles;
    j["ops"] = {{"lookup", cov.ops[0]}, {"insert", cov.ops[1]}, {"fill", cov.ops[2]},
                {"store", cov.ops[3]}, {"flush", cov.ops[4]}};
    j["hits"] = cov.hits;
    j["merges_first"] = cov.merges_first;
    j["merges_higher"] = cov.merges_higher;
    j["evictions"] = cov.evictions;
    j["invalidations"] = cov.invalidations;
    j["splits"] = cov.splits;
    j["zero_fills"] = cov.zero_fills;
    j["approximated"] = cov.approximated;
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("PASS %s seeds %llu-%llu: %llu transactions, %llu cycles; hits %llu, merges "
                "%llu+%llu, evictions %llu, invalidations %llu, splits %llu, zero fills %llu "
                "(%llu approximated)\n",
                fusegen::nullcache_tb_name(cfg).c_str(),
                static_cast<unsigned long long>(opt_.seed_lo),
                static_cast<unsigned long long>(opt_.seed_hi),
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(cycles),
                static_cast<unsigned long long>(cov.hits),
                static_cast<unsigned long long>(cov.merges_first),
                static_cast<unsigned long long>(cov.merges_higher),
                static_cast<unsigned long long>(cov.evictions),
                static_cast<unsigned long long>(cov.invalidations),
                static_cast<unsigned long long>(cov.splits),
                static_cast<unsigned long long>(cov.zero_fills),
                static_cast<unsigned long long>(cov.approximated));
  }
  return 0;
}

int NcTbApp::run_serve() {
  const fusegen::NullCacheConfig& cfg = opt_.cfg;
  RtlNullCache rtl(cfg, argc_, argv_, opt_.trace);
  fusegen::NullCacheModel gold(cfg);
  std::vector<fusegen::NcEntry> prev = rtl.entries();
  std::string line;
  uint64_t n = 0;
  while (std::getline(std::cin, line)) {
    if (line == "Q") break;
    ++n;
    const fusegen::NcTxn t = fusegen::nc_txn_decode(line, cfg.line_bytes);
    const fusegen::NcResult exp = fusegen::nc_apply(gold, t);
    const fusegen::NcResult act = fusegen::nc_apply(rtl, t);
    const std::string diff = compare_step(gold, rtl, t.op, exp, act);
    if (!diff.empty()) {
      std::printf("ERR the RTL null cache differs from the golden model at null-cache "
                  "transaction %llu (%s, cycle %llu): %s\n",
                  static_cast<unsigned long long>(n), fusegen::nc_txn_string(t).c_str(),
                  static_cast<unsigned long long>(rtl.cycles()), diff.c_str());
      std::fflush(stdout);
      return 1;
    }
    std::string out = "OK " + fusegen::nc_result_encode(act);
    std::string diffs;
    int nd = 0;
    const auto& cur = rtl.entries();
    for (size_t i = 0; i < cur.size(); ++i) {
      if (cur[i] == prev[i]) continue;
      ++nd;
      diffs += fmt::format(" {} {} {:x} {:x}", i, int(cur[i].valid), cur[i].val, cur[i].care);
    }
    prev = cur;
    std::printf("%s %d%s\n", out.c_str(), nd, diffs.c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace nctb
