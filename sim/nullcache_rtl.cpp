// Null-cache RTL glue: testbench build and the pipe client behind the `rtl` engine (see
// nullcache_rtl.h).
#include "sim/nullcache_rtl.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "generator/nullcache_emitter.h"
#include "common/bits.h"
#include "common/error.h"
#include "golden/sparsecache.h"
#include "sim/verilator_build.h"
#include "tb/nc_options.h"

namespace fs = std::filesystem;

namespace fusegen {

std::string ensure_nullcache_tb(const NullCacheConfig& cfg) {
  NullCacheConfig g = cfg;
  g.name = "nc";  // one module prefix for every testbench build (the tb reads nc_top's state)
  g.validate();
  VerilatorBuild b;
  b.name = nullcache_tb_name(g);
  b.top = g.top();
  const std::string src = FUSEGEN_SOURCE_DIR;
  b.rtl_files.push_back(src + "/tb/nullcache/nc_tb.vlt");  // tb-readable state (public_flat_rd)
  b.tb_sources = {src + "/tb/nullcache/nc_tb_main.cpp", src + "/tb/nullcache/nc_tb_app.cpp",
                  src + "/tb/nullcache/nc_driver.cpp"};
  b.verilator_flags = {"--prefix", "Vnc", "-Wno-UNOPTFLAT"};
  // The testbench compares the pseudo-LRU tree too; a 1-entry build has none.
  b.cflags = {fmt::format("-DNC_TREE_BITS={}", g.entries > 1 ? (1 << g.idx_w()) - 1 : 0)};
  return build_generated(emit_nullcache(g), nullcache_rtl_files(g), b);
}

// ---------------------------------------------------------------- rtl engine

NullCacheRtl::NullCacheRtl(const NullCacheConfig& c) : cfg_(c) {
  c.validate();
  ::signal(SIGPIPE, SIG_IGN);  // a dead testbench is reported, not fatal
  const std::string exe = ensure_nullcache_tb(c);
  entries_.assign(c.entries, NcEntry{});
  int down[2], up[2];
  if (::pipe(down) != 0 || ::pipe(up) != 0) throw Error("cannot create pipes for the RTL null cache");
  std::vector<std::string> args = {exe, "serve"};
  for (const auto& a : nullcache_option_args(c)) args.push_back(a);
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

