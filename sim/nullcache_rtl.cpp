// Null-cache RTL glue: config mapping, transaction text, scoreboard comparisons, testbench
// build, and the pipe client behind the `rtl` engine (see nullcache_rtl.h).
#include "sim/nullcache_rtl.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "generator/nullcache_emitter.h"
#include "golden/common.h"
#include "golden/sparsecache.h"
#include "sim/verilator_build.h"

namespace fs = std::filesystem;

namespace fusegen {

NullCacheConfig nc_golden_config(const NullCacheGenConfig& g) {
  g.validate();
  NullCacheConfig c;
  c.entries = g.entries;
  c.la_bits = g.la_w();
  c.line_bytes = g.line_bytes;
  c.policy = g.policy == NcStorePolicy::kSplit ? StorePolicy::Split : StorePolicy::Invalidate;
  c.singleton_first = g.singleton_first;
  c.zda.elem_w = g.elem_w;
  c.zda.mode = g.approx == NcApprox::kInt     ? ZdaConfig::Int
               : g.approx == NcApprox::kFloat ? ZdaConfig::Float
                                              : ZdaConfig::Exact;
  c.zda.thresh = g.approx == NcApprox::kInt ? g.int_thresh : 0;
  c.zda.exp_t = g.approx == NcApprox::kFloat ? g.exp_thresh : 0;
  return c;
}

NullCacheGenConfig nc_gen_config(const NullCacheConfig& c) {
  NullCacheGenConfig g;
  g.entries = c.entries;
  g.line_bytes = c.line_bytes;
  int shift = 0;
  while ((1 << shift) < c.line_bytes) ++shift;
  g.addr_w = c.la_bits + shift;
  if (g.addr_w > 64)
    throw Error(fmt::format("the RTL null cache needs line address + line offset <= 64 bits, "
                            "not {} + {}", c.la_bits, shift));
  g.policy = c.policy == StorePolicy::Split ? NcStorePolicy::kSplit : NcStorePolicy::kInvalidate;
  g.singleton_first = c.singleton_first;
  g.elem_w = c.zda.elem_w;
  g.approx = c.zda.mode == ZdaConfig::Int     ? NcApprox::kInt
             : c.zda.mode == ZdaConfig::Float ? NcApprox::kFloat
                                              : NcApprox::kOff;
  g.int_thresh = c.zda.thresh;
  g.exp_thresh = c.zda.exp_t;
  g.name = "nc";
  g.validate();
  return g;
}

const char* nc_op_name(NcTxn::Op op) {
  switch (op) {
    case NcTxn::kLookup: return "lookup";
    case NcTxn::kInsert: return "insert";
    case NcTxn::kFill: return "fill";
    case NcTxn::kStore: return "store";
    default: return "flush";
  }
}

namespace {

std::string hex_bytes(const std::vector<uint8_t>& v) {
  std::string s;
  for (uint8_t b : v) s += fmt::format("{:02x}", b);
  return s;
}

std::string insert_string(const NcInsert& i) {
  return fmt::format("covered={} entry={} merges_first={} merges_higher={} freed={} evicted={}",
                     int(i.already_covered), i.entry, i.merges_first, i.merges_higher, i.freed,
                     int(i.evicted));
}

bool same_insert(const NcInsert& a, const NcInsert& b) {
  return a.already_covered == b.already_covered && a.entry == b.entry &&
         a.merges_first == b.merges_first && a.merges_higher == b.merges_higher &&
         a.freed == b.freed && a.evicted == b.evicted;
}

std::string entry_string(const NcEntry& e) {
  if (!e.valid) return "invalid";
  return fmt::format("val={:#x} care={:#x}", e.val, e.care);
}

}  // namespace

std::string nc_txn_string(const NcTxn& t) {
  switch (t.op) {
    case NcTxn::kLookup: return fmt::format("lookup la={:#x} touch={}", t.la, int(t.touch));
    case NcTxn::kInsert: return fmt::format("insert la={:#x}", t.la);
    case NcTxn::kFill: return fmt::format("fill la={:#x} line={}", t.la, hex_bytes(t.line));
    case NcTxn::kStore: return fmt::format("store la={:#x} nonzero={}", t.la, int(t.nonzero));
    default: return "flush";
  }
}

std::string nc_result_string(NcTxn::Op op, const NcResult& r) {
  switch (op) {
    case NcTxn::kLookup: return fmt::format("hit={} entry={}", int(r.lookup.hit), r.lookup.entry);
    case NcTxn::kInsert: return insert_string(r.fill.insert);
    case NcTxn::kFill:
      return fmt::format("zero={} approximated={} {}", int(r.fill.zero), int(r.fill.approximated),
                         insert_string(r.fill.insert));
    case NcTxn::kStore:
      return fmt::format("covered={} invalidated={} split={} new_entries={}", int(r.store.covered),
                         r.store.invalidated, int(r.store.split), r.store.new_entries);
    default: return "-";
  }
}

NcResult nc_apply(NullCache& nc, const NcTxn& t) {
  NcResult r;
  switch (t.op) {
    case NcTxn::kLookup: r.lookup = nc.lookup(t.la, t.touch); break;
    case NcTxn::kInsert: r.fill.insert = nc.insert(t.la); break;
    case NcTxn::kFill: r.fill = nc.fill_check(t.la, t.line.data()); break;
    case NcTxn::kStore: r.store = nc.store(t.la, t.nonzero); break;
    case NcTxn::kFlush: nc.flush(); break;
  }
  return r;
}

std::string nc_compare_results(NcTxn::Op op, const NcResult& e, const NcResult& a) {
  bool same = true;
  switch (op) {
    case NcTxn::kLookup: same = e.lookup.hit == a.lookup.hit && e.lookup.entry == a.lookup.entry;
      break;
    case NcTxn::kInsert: same = same_insert(e.fill.insert, a.fill.insert); break;
    case NcTxn::kFill:
      same = e.fill.zero == a.fill.zero && e.fill.approximated == a.fill.approximated &&
             same_insert(e.fill.insert, a.fill.insert);
      break;
    case NcTxn::kStore:
      same = e.store.covered == a.store.covered && e.store.invalidated == a.store.invalidated &&
             e.store.split == a.store.split && e.store.new_entries == a.store.new_entries;
      break;
    case NcTxn::kFlush: break;
  }
  if (same) return "";
  return fmt::format("expected {}, actual {}", nc_result_string(op, e), nc_result_string(op, a));
}

std::string nc_compare_entries(const std::vector<NcEntry>& e, const std::vector<NcEntry>& a) {
  if (e.size() != a.size())
    return fmt::format("table sizes differ: expected {} entries, actual {}", e.size(), a.size());
  for (size_t i = 0; i < e.size(); ++i) {
    const bool same = e[i].valid == a[i].valid &&
                      (!e[i].valid || (e[i].val == a[i].val && e[i].care == a[i].care));
    if (!same)
      return fmt::format("entry {}: expected {}, actual {}", i, entry_string(e[i]),
                         entry_string(a[i]));
  }
  return "";
}

// ---------------------------------------------------------------- wire format

std::string nc_txn_encode(const NcTxn& t) {
  switch (t.op) {
    case NcTxn::kLookup: return fmt::format("L {:x} {}", t.la, int(t.touch));
    case NcTxn::kInsert: return fmt::format("I {:x}", t.la);
    case NcTxn::kFill: return fmt::format("F {:x} {}", t.la, hex_bytes(t.line));
    case NcTxn::kStore: return fmt::format("S {:x} {}", t.la, int(t.nonzero));
    default: return "X";
  }
}

NcTxn nc_txn_decode(const std::string& line, int line_bytes) {
  std::istringstream in(line);
  std::string op, la, arg;
  in >> op >> la >> arg;
  auto bad = [&] { return Error(fmt::format("malformed null-cache request '{}'", line)); };
  NcTxn t;
  auto num = [&](const std::string& s) {
    if (s.empty() || s.size() > 16 || s.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw bad();
    return std::stoull(s, nullptr, 16);
  };
  if (op == "X") {
    t.op = NcTxn::kFlush;
    return t;
  }
  t.la = num(la);
  if (op == "L") {
    t.op = NcTxn::kLookup;
    t.touch = arg == "1";
  } else if (op == "I") {
    t.op = NcTxn::kInsert;
  } else if (op == "S") {
    t.op = NcTxn::kStore;
    t.nonzero = arg == "1";
  } else if (op == "F") {
    t.op = NcTxn::kFill;
    if (static_cast<int>(arg.size()) != 2 * line_bytes) throw bad();
    t.line.resize(line_bytes);
    for (int i = 0; i < line_bytes; ++i) t.line[i] = static_cast<uint8_t>(num(arg.substr(2 * i, 2)));
  } else {
    throw bad();
  }
  return t;
}

std::string nc_result_encode(const NcResult& r) {
  const NcInsert& i = r.fill.insert;
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {}", int(r.lookup.hit),
                     r.lookup.entry, int(r.fill.zero), int(r.fill.approximated),
                     int(i.already_covered), i.entry, i.merges_first, i.merges_higher, i.freed,
                     int(i.evicted), int(r.store.covered), r.store.invalidated,
                     int(r.store.split), r.store.new_entries, 0);
}

NcResult nc_result_decode(const std::string& text) {
  std::istringstream in(text);
  int v[15];
  for (int& x : v)
    if (!(in >> x)) throw Error(fmt::format("malformed null-cache result '{}'", text));
  NcResult r;
  r.lookup.hit = v[0];
  r.lookup.entry = v[1];
  r.fill.zero = v[2];
  r.fill.approximated = v[3];
  NcInsert& i = r.fill.insert;
  i.already_covered = v[4];
  i.entry = v[5];
  i.merges_first = v[6];
  i.merges_higher = v[7];
  i.freed = v[8];
  i.evicted = v[9];
  r.store.covered = v[10];
  r.store.invalidated = v[11];
  r.store.split = v[12];
  r.store.new_entries = v[13];
  return r;
}

// ---------------------------------------------------------------- testbench build

std::vector<std::string> nc_tb_config_args(const NullCacheGenConfig& g) {
  return {"--entries", std::to_string(g.entries), "--addr-width", std::to_string(g.addr_w),
          "--line-bytes", std::to_string(g.line_bytes), "--store-policy", g.policy_string(),
          "--approx", g.approx_string(), "--elem-width", std::to_string(g.elem_w),
          "--singleton-first", g.singleton_first ? "1" : "0"};
}

std::string nullcache_tb_name(const NullCacheGenConfig& g) {
  std::string approx = g.approx_string();
  for (char& ch : approx)
    if (ch == ':') ch = '_';
  return fmt::format("nullcache_e{}_a{}_l{}_{}{}{}{}", g.entries, g.addr_w, g.line_bytes,
                     g.policy_string(), g.approx == NcApprox::kOff ? "" : "_" + approx,
                     g.approx == NcApprox::kOff ? "" : fmt::format("_w{}", g.elem_w),
                     g.singleton_first ? "_sf" : "");
}

std::string ensure_nullcache_tb(const NullCacheGenConfig& cfg) {
  NullCacheGenConfig g = cfg;
  g.name = "nc";  // one module prefix for every testbench build (the tb reads nc_top's state)
  g.validate();
  const std::string dir = fmt::format("{}/tmp/{}-{}", rtl_cache_dir(), nullcache_tb_name(g),
                                      ::getpid());
  std::error_code ec;
  fs::remove_all(dir, ec);
  OutputSet files = emit_nullcache(g);
  files.write_to(dir);
  VerilatorBuild b;
  b.name = nullcache_tb_name(g);
  b.top = g.top();
  for (const auto& f : nullcache_rtl_files(g)) b.rtl_files.push_back(dir + "/" + f);
  const std::string src = FUSEGEN_SOURCE_DIR;
  b.tb_sources = {src + "/tb/nullcache/nc_tb_main.cpp", src + "/tb/nullcache/nc_tb_app.cpp",
                  src + "/tb/nullcache/nc_driver.cpp", src + "/tb/nullcache/nc_stream.cpp"};
  b.verilator_flags = {"--prefix", "Vnc", "-Wno-UNOPTFLAT"};
  // The testbench compares the pseudo-LRU tree too; a 1-entry build has none.
  b.cflags = {fmt::format("-DNC_TREE_BITS={}", g.entries > 1 ? (1 << g.idx_w()) - 1 : 0)};
  std::string exe;
  try {
    exe = build_verilated(b);
  } catch (...) {
    fs::remove_all(dir, ec);
    throw;
  }
  fs::remove_all(dir, ec);
  return exe;
}

// ---------------------------------------------------------------- rtl engine

NullCacheRtl::NullCacheRtl(const NullCacheConfig& c) : cfg_(c) {
  validate(c);
  ::signal(SIGPIPE, SIG_IGN);  // a dead testbench is reported, not fatal
  const NullCacheGenConfig g = nc_gen_config(c);
  const std::string exe = ensure_nullcache_tb(g);
  entries_.assign(c.entries, NcEntry{});
  int down[2], up[2];
  if (::pipe(down) != 0 || ::pipe(up) != 0) throw Error("cannot create pipes for the RTL null cache");
  std::vector<std::string> args = {exe, "serve"};
  for (const auto& a : nc_tb_config_args(g)) args.push_back(a);
  pid_ = ::fork();
  if (pid_ < 0) throw Error("cannot start the RTL null-cache testbench");
  if (pid_ == 0) {
    ::dup2(down[0], 0);
    ::dup2(up[1], 1);
    ::close(down[0]);
    ::close(down[1]);
    ::close(up[0]);
    ::close(up[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    std::_Exit(127);
  }
  ::close(down[0]);
  ::close(up[1]);
  to_ = ::fdopen(down[1], "w");
  from_ = ::fdopen(up[0], "r");
}

NullCacheRtl::~NullCacheRtl() {
  if (to_) {
    std::fputs("Q\n", to_);
    std::fclose(to_);
  }
  if (from_) std::fclose(from_);
  if (pid_ > 0) {
    int st = 0;
    ::waitpid(pid_, &st, 0);
  }
}

NcResult NullCacheRtl::call(const NcTxn& t) {
  ++txns_;
  const std::string req = nc_txn_encode(t);
  if (std::fprintf(to_, "%s\n", req.c_str()) < 0 || std::fflush(to_) != 0)
    throw Error("the RTL null-cache testbench stopped accepting requests");
  std::string line;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, from_)) {
    line += buf;
    if (!line.empty() && line.back() == '\n') break;
  }
  if (line.empty())
    throw Error(fmt::format("the RTL null-cache testbench exited at transaction {} ({})", txns_,
                            nc_txn_string(t)));
  line.pop_back();
  if (line.rfind("ERR ", 0) == 0) throw Error(line.substr(4));
  if (line.rfind("OK ", 0) != 0) throw Error(fmt::format("RTL null cache: bad reply '{}'", line));
  // "OK <15 result fields> <ndiff> (<i> <valid> <val> <care>)*"
  std::istringstream in(line.substr(3));
  std::string fields;
  for (int k = 0; k < 15; ++k) {
    std::string f;
    in >> f;
    fields += f + " ";
  }
  NcResult r = nc_result_decode(fields);
  int ndiff = 0;
  in >> ndiff;
  for (int k = 0; k < ndiff; ++k) {
    int i = 0, valid = 0;
    std::string val, care;
    in >> i >> valid >> val >> care;
    if (!in || i < 0 || i >= cfg_.entries) throw Error(fmt::format("RTL null cache: bad reply '{}'", line));
    entries_[i] = valid ? NcEntry{true, std::stoull(val, nullptr, 16), std::stoull(care, nullptr, 16)}
                        : NcEntry{};
  }
  return r;
}

NcLookup NullCacheRtl::lookup(uint64_t la, bool touch) {
  NcTxn t;
  t.op = NcTxn::kLookup;
  t.la = la;
  t.touch = touch;
  return call(t).lookup;
}

NcFill NullCacheRtl::fill_check(uint64_t la, const uint8_t* line) {
  NcTxn t;
  t.op = NcTxn::kFill;
  t.la = la;
  t.line.assign(line, line + cfg_.line_bytes);
  return call(t).fill;
}

NcInsert NullCacheRtl::insert(uint64_t la) {
  NcTxn t;
  t.op = NcTxn::kInsert;
  t.la = la;
  return call(t).fill.insert;
}

NcStore NullCacheRtl::store(uint64_t la, bool nonzero) {
  NcTxn t;
  t.op = NcTxn::kStore;
  t.la = la;
  t.nonzero = nonzero;
  return call(t).store;
}

void NullCacheRtl::flush() {
  NcTxn t;
  t.op = NcTxn::kFlush;
  call(t);
}

void register_nullcache_rtl_engine() {
  null_cache_engines()["rtl"] = [](const NullCacheConfig& c) -> std::unique_ptr<NullCache> {
    return std::make_unique<NullCacheRtl>(c);
  };
}

}  // namespace fusegen
