// Null-cache emitter: describes one configuration as a CollateralSpec (modules, ports,
// latencies, README sections) and lets emit_block() render rtl_templates/nullcache/*.v with
// the configuration's parameters and template flags (SPLIT, SINGLETON) and write the shared
// collateral (file list, JSON manifest, Yosys script, README).
#include "generator/nullcache_emitter.h"

#include <fmt/format.h>
#include <iterator>
#include <nlohmann/json.hpp>

#include "generator/collateral.h"
#include "generator/templates.h"
#include "golden/nullcache.h"

namespace fusegen {

namespace {

// Template modules in dependency order.
const char* const kModules[] = {"prio_enc", "tcam", "zda", "merger", "repl", "top"};

int zda_mode(const NullCacheConfig& c) {
  return c.zda.mode == ApproxMode::kInt ? 1 : c.zda.mode == ApproxMode::kFloat ? 2 : 0;
}

TemplateContext context(const NullCacheConfig& c) {
  TemplateContext ctx;
  ctx.vars = {{"Name", c.name},
              {"Entries", std::to_string(c.entries)},
              {"LaW", std::to_string(c.la_w())},
              {"IdxW", std::to_string(c.idx_w())},
              {"LineW", std::to_string(c.line_w())},
              {"ElemW", std::to_string(c.zda.elem_w)},
              {"ZdaMode", std::to_string(zda_mode(c))},
              {"ZdaThresh", std::to_string(c.zda.mode == ApproxMode::kInt ? c.zda.thresh : 0)},
              {"ZdaExpThresh", std::to_string(c.zda.mode == ApproxMode::kFloat ? c.zda.thresh : 0)},
              {"CntW", std::to_string(nullcache_cnt_w(c))}};
  if (c.policy == StorePolicy::kSplit) ctx.flags.insert("SPLIT");
  if (c.singleton_first) ctx.flags.insert("SINGLETON");
  return ctx;
}

std::vector<CollateralPort> ports(const NullCacheConfig& c) {
  const int la = c.la_w(), idx = c.idx_w(), cnt = nullcache_cnt_w(c);
  return {
      {"clk_i", "input", 1, "1", "clock, rising edge"},
      {"rst_ni", "input", 1, "1", "asynchronous active-low reset: all entries invalid, tree cleared"},
      {"req_valid_i", "input", 1, "1", "a request is presented"},
      {"req_ready_o", "output", 1, "1", "the request is taken at this edge (low while busy)"},
      {"req_op_i", "input", 3, "3", "0 lookup, 1 insert, 2 fill, 3 store, 4 flush"},
      {"req_la_i", "input", la, "LaW", "line address = byte address >> log2(line bytes)"},
      {"req_touch_i", "input", 1, "1", "lookup: a hit touches the pseudo-LRU tree"},
      {"req_nonzero_i", "input", 1, "1", "store: the written data is not all zero"},
      {"req_line_i", "input", c.line_w(), "LineW",
       "fill: the line read from memory, byte b at [8b +: 8]"},
      {"rsp_valid_o", "output", 1, "1", "one-cycle pulse: the oldest request's response"},
      {"rsp_hit_o", "output", 1, "1", "the line was covered before the operation"},
      {"rsp_idx_o", "output", idx, "IdxW",
       "matching entry (lookup, store) or covering entry (insert)"},
      {"rsp_zero_o", "output", 1, "1", "fill: the zero detector counted the line as zero"},
      {"rsp_approx_o", "output", 1, "1", "fill: zero only by approximation (some bit is 1)"},
      {"rsp_merged_o", "output", 1, "1", "insert: first-order merge into an existing entry"},
      {"rsp_cascade_o", "output", cnt, "CntW", "insert: higher-order merge steps (= entries freed)"},
      {"rsp_evicted_o", "output", 1, "1", "insert: a valid entry was replaced"},
      {"rsp_inval_o", "output", 1, "1", "store: the covering entry was invalidated"},
      {"rsp_split_o", "output", 1, "1", "store: the covering entry was split"},
      {"rsp_new_o", "output", cnt, "CntW", "store: entries allocated by the split"},
  };
}

std::string readme_intro(const NullCacheConfig& c) {
  return fmt::format(
      "A TCAM of zero-line addresses with don't-care bits, a zero detector ({}), an address\n"
      "merger (same-mask distance-one merges with cascade) and free-first then tree pseudo-LRU\n"
      "replacement{}. Non-zero stores into a covered line: policy `{}`.\nByte addresses are {} "
      "bits, lines {} bytes: the line address is `addr[{}:{}]`.\n",
      c.zda.mode == ApproxMode::kOff ? "exact" : "approximate, " + c.zda.approx_string(),
      c.singleton_first ? " (single-line entries are evicted first)" : "", c.policy_string(),
      c.addr_w, c.line_bytes, c.addr_w - 1, c.line_shift());
}

std::string readme_protocol(const NullCacheConfig& c) {
  using T = NcTiming;
  const bool split = c.policy == StorePolicy::kSplit;
  std::string s = fmt::format(R"(## Protocol

A request is taken at a rising edge where `req_valid_i && req_ready_o` and captured in the
request register there; the request fields are not needed after that edge. Each request
produces exactly one response, in order: `rsp_valid_o` is high for one cycle and the `rsp_*`
fields are meaningful only then. "Latency n" means the response is visible n cycles after the
cycle in which the request was taken.

| op | code | effect | latency |
| --- | --- | --- | --- |
| lookup | 0 | `rsp_hit_o`, `rsp_idx_o` (lowest matching entry); a hit with `req_touch_i` touches the tree | {0}, one per cycle |
| insert | 1 | covered: nothing (`rsp_hit_o`). Else merge into the lowest same-mask distance-one entry and cascade (`rsp_merged_o`, `rsp_cascade_o` = h), else take the lowest free entry or the victim (`rsp_evicted_o`) | covered {0}; allocate {1}; merge {2} + {3}h |
| fill | 2 | zero detector on `req_line_i` (`rsp_zero_o`, `rsp_approx_o`); a zero line is inserted | {0} for a non-zero line, else as insert |
| store | 3 | covered and zero data: touch. Covered and non-zero data: {4} | {5} |
| flush | 4 | all entries invalid, tree cleared | {0}, one per cycle |

`req_ready_o` stays high while a lookup, flush or reserved op (5..7) is being answered, so those
stream at one per cycle. Any other op holds it low from the cycle after it was taken until the
cycle in which its response is visible, when a new request can be taken.

### Timing example

A lookup hit, an insert that merges once and cascades once, then a lookup:

```
cycle          0       1       2       3       4       5       6       7       8       9
req_valid_i    1       1       0       0       0       0       0       1       0       0
req_op_i       lookup  insert  -       -       -       -       -       lookup  -       -
req_ready_o    1       1       0       0       0       0       0       1       1       1
stage          -       Exec    Exec    Ins     CasFind CasStep CasFind -       Exec    -
TCAM write     -       -       -       merge   -       cascade -       -       -       -
rsp_valid_o    0       0       1       0       0       0       0       1       0       1
rsp fields     -       -       lookup  -       -       -       -       insert  -       lookup
```

The lookup taken in cycle 0 is answered from Exec in cycle 1 (visible in cycle 2); the insert
taken in cycle 1 (the lookup streams, so `req_ready_o` is high) searches in cycle 2, writes the
first-order merge at the end of cycle 3, finds a partner in cycle 4, absorbs it in cycle 5,
finds none in cycle 6 and answers in cycle 7 ({2} + {3} x 1 cycles after cycle 1), when
`req_ready_o` is high again.

The TCAM's entries are pairwise disjoint (invariant I3), so at most one entry matches a
searched address; several matches are a protocol violation and stop the simulation.

)",
      T::kExec, T::kAlloc, T::kMerge, T::kPerCascade,
      split ? "split into k cubes when k - 1 entries are free, else invalidate"
            : "invalidate the covering entry",
      split ? fmt::format("{}; split {} + k; invalidate {}", T::kExec, T::kSplit, T::kSplit + 1)
            : std::to_string(T::kExec));
  return s;
}

std::vector<CollateralLatency> latencies(const NullCacheConfig& c) {
  using T = NcTiming;
  const bool split = c.policy == StorePolicy::kSplit;
  std::vector<CollateralLatency> v = {
      {"lookup", std::to_string(T::kExec), T::kExec, "pipelined: one lookup per cycle"},
      {"insert", fmt::format("{} | {} | {} + {} * cascade steps", T::kExec, T::kAlloc, T::kMerge,
                             T::kPerCascade),
       T::kAlloc,
       fmt::format("{} when covered; {} allocating; {} + {} per cascade step after a first-order "
                   "merge (value: allocating)",
                   T::kExec, T::kAlloc, T::kMerge, T::kPerCascade)},
      {"fill", fmt::format("{} | as insert", T::kExec), T::kExec,
       fmt::format("{} for a non-zero line, else as insert", T::kExec)},
      {"store",
       split ? fmt::format("{} | {} + k | {}", T::kExec, T::kSplit, T::kSplit + 1)
             : std::to_string(T::kExec),
       T::kExec,
       split ? fmt::format("{} for a miss, zero data; {} + k for a split into k cubes; {} for an "
                           "invalidation",
                           T::kExec, T::kSplit, T::kSplit + 1)
             : fmt::format("{} (miss, zero data, invalidation)", T::kExec)},
      {"flush", std::to_string(T::kExec), T::kExec, "all entries invalid; pipelined like lookup"}};
  return v;
}

CollateralSpec collateral_spec(const NullCacheConfig& c) {
  CollateralSpec s;
  s.kind = "nullcache";
  s.name = c.name;
  s.title = fmt::format("SparseCache null cache ({} entries, {}-bit line addresses)", c.entries,
                        c.la_w());
  s.header_params = c.params();
  s.parameters = {{"name", c.name},
                  {"entries", c.entries},
                  {"addr_w", c.addr_w},
                  {"line_bytes", c.line_bytes},
                  {"store_policy", c.policy_string()},
                  {"approx", c.zda.approx_string()},
                  {"elem_w", c.zda.elem_w},
                  {"singleton_first", c.singleton_first},
                  {"la_w", c.la_w()},
                  {"idx_w", c.idx_w()},
                  {"line_w", c.line_w()},
                  {"cnt_w", nullcache_cnt_w(c)}};
  const char* what[] = {"priority encoder (lowest set request)", "ternary CAM of line addresses",
                        "zero detector / approximator", "address merger's partner search",
                        "replacement: free entry first, else tree pseudo-LRU",
                        "top level (the ports below)"};
  for (size_t i = 0; i < std::size(kModules); ++i) s.modules.push_back({kModules[i], what[i]});
  s.ports = ports(c);
  s.latencies = latencies(c);
  s.readme_intro = readme_intro(c);
  s.readme_protocol = readme_protocol(c);
  s.override_note = fmt::format(
      "The sizes of `{0}` (Entries = {1}, LaW = {2}, IdxW = {3}, LineW = {4}, CntW = {5}) are\n"
      "`localparam`s and the port widths are numbers, so they cannot be overridden: Verilator\n"
      "rejects `-GEntries=16` (\"Parameters from the command line were not found in the\n"
      "design\"), Icarus warns that the parameter is not found and ignores `-PEntries=16`.\n"
      "Regenerate with `fusegen nullcache` for another size.",
      c.top(), c.entries, c.la_w(), c.idx_w(), c.line_w(), nullcache_cnt_w(c));
  return s;
}

}  // namespace

int nullcache_cnt_w(const NullCacheConfig& cfg) { return cfg.cnt_w(); }

std::vector<std::string> nullcache_rtl_files(const NullCacheConfig& cfg) {
  return collateral_rtl_files(collateral_spec(cfg));
}

OutputSet emit_nullcache(const NullCacheConfig& cfg, const FlowOptions& flow) {
  cfg.validate();
  return emit_block(collateral_spec(cfg), context(cfg), flow);
}

}  // namespace fusegen
