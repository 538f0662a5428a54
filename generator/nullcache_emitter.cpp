// Null-cache emitter: renders rtl_templates/nullcache/*.v with the configuration's parameters
// and template flags (SPLIT, SINGLETON), then writes the file list, the JSON manifest, the
// Yosys script and a README describing ports and protocol.
#include "generator/nullcache_emitter.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "generator/collateral.h"
#include "generator/templates.h"

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

struct Port {
  const char* name;   // port name
  const char* dir;    // "input" / "output"
  std::string width;  // bits, as a number
  const char* what;   // meaning
};

std::vector<Port> ports(const NullCacheConfig& c) {
  const std::string la = std::to_string(c.la_w()), idx = std::to_string(c.idx_w());
  const std::string cnt = std::to_string(nullcache_cnt_w(c));
  return {
      {"clk_i", "input", "1", "clock, rising edge"},
      {"rst_ni", "input", "1", "asynchronous active-low reset: all entries invalid, tree cleared"},
      {"req_valid_i", "input", "1", "a request is presented"},
      {"req_ready_o", "output", "1", "the request is taken at this edge (low while busy)"},
      {"req_op_i", "input", "3", "0 lookup, 1 insert, 2 fill, 3 store, 4 flush"},
      {"req_la_i", "input", la, "line address = byte address >> log2(line bytes)"},
      {"req_touch_i", "input", "1", "lookup: a hit touches the pseudo-LRU tree"},
      {"req_nonzero_i", "input", "1", "store: the written data is not all zero"},
      {"req_line_i", "input", std::to_string(c.line_w()),
       "fill: the line read from memory, byte b at [8b +: 8]"},
      {"rsp_valid_o", "output", "1", "one-cycle pulse: the oldest request's response"},
      {"rsp_hit_o", "output", "1", "the line was covered before the operation"},
      {"rsp_idx_o", "output", idx, "matching entry (lookup, store) or covering entry (insert)"},
      {"rsp_zero_o", "output", "1", "fill: the zero detector counted the line as zero"},
      {"rsp_approx_o", "output", "1", "fill: zero only by approximation (some bit is 1)"},
      {"rsp_merged_o", "output", "1", "insert: first-order merge into an existing entry"},
      {"rsp_cascade_o", "output", cnt, "insert: higher-order merge steps (= entries freed)"},
      {"rsp_evicted_o", "output", "1", "insert: a valid entry was replaced"},
      {"rsp_inval_o", "output", "1", "store: the covering entry was invalidated"},
      {"rsp_split_o", "output", "1", "store: the covering entry was split"},
      {"rsp_new_o", "output", cnt, "store: entries allocated by the split"},
  };
}

std::string file_list(const NullCacheConfig& c) {
  std::string s = generated_header("//", "file list of the null-cache RTL (use -F)", c.params());
  for (const auto& f : nullcache_rtl_files(c)) s += f + "\n";
  return s;
}

std::string manifest(const NullCacheConfig& c) {
  nlohmann::ordered_json j;
  j["generated"] = generated_header("", "null-cache RTL manifest", c.params());
  j["name"] = c.name;
  j["top"] = c.top();
  j["files"] = nullcache_rtl_files(c);
  nlohmann::ordered_json p;
  for (const auto& [k, v] : c.params()) p[k] = v;
  p["IdxW"] = c.idx_w();
  p["LineW"] = c.line_w();
  p["CntW"] = nullcache_cnt_w(c);
  j["parameters"] = p;
  nlohmann::ordered_json ps = nlohmann::ordered_json::array();
  for (const Port& x : ports(c))
    ps.push_back({{"name", x.name}, {"dir", x.dir}, {"width", std::stoi(x.width)},
                  {"meaning", x.what}});
  j["ports"] = ps;
  j["ops"] = {{"lookup", 0}, {"insert", 1}, {"fill", 2}, {"store", 3}, {"flush", 4}};
  j["latency_cycles"] = {
      {"lookup", "1 (pipelined: one per cycle)"},
      {"insert", "1 without merge; 2 + cascade steps after a first-order merge"},
      {"fill", "1 for a non-zero line, else as insert"},
      {"store", c.policy == StorePolicy::kSplit ? "1; k for a split into k cubes" : "1"},
      {"flush", "1"}};
  j["yosys_script"] = c.name + ".ys";
  return j.dump(2) + "\n";
}

std::string yosys_script(const NullCacheConfig& c) {
  std::string s = generated_header("#", "Yosys synthesis script of the null cache", c.params());
  s += "# Generic-cell synthesis for area estimates (cells, CMOS transistor count): these are\n";
  s += "# estimates, not sign-off numbers. Run from this directory: yosys -q " + c.name + ".ys\n";
  for (const auto& f : nullcache_rtl_files(c)) s += "read_verilog " + f + "\n";
  s += fmt::format("hierarchy -check -top {}\n", c.top());
  s += fmt::format("synth -flatten -top {}\n", c.top());
  s += "# No latches anywhere (the RTL has none by construction).\n";
  s += "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*\n";
  s += "tee -o " + c.name + "_stat.txt stat\n";
  s += "tee -a " + c.name + "_stat.txt stat -tech cmos\n";
  s += "write_verilog -noattr " + c.name + "_netlist.v\n";
  return s;
}

std::string readme(const NullCacheConfig& c) {
  std::string s = "<!--\n" + generated_header("  ", "README of the null-cache RTL", c.params()) +
                  "-->\n";
  s += fmt::format("# {}: SparseCache null cache ({} entries, {}-bit line addresses)\n\n",
                   c.top(), c.entries, c.la_w());
  s += fmt::format(
      "A TCAM of zero-line addresses with don't-care bits, a zero detector ({}), an address\n"
      "merger (same-mask distance-one merges with cascade) and free-first then tree pseudo-LRU\n"
      "replacement{}. Non-zero stores into a covered line: policy `{}`.\nByte addresses are {} "
      "bits, lines {} bytes: the line address is `addr[{}:{}]`.\n\n",
      c.zda.mode == ApproxMode::kOff ? "exact" : "approximate, " + c.zda.approx_string(),
      c.singleton_first ? " (single-line entries are evicted first)" : "", c.policy_string(),
      c.addr_w, c.line_bytes, c.addr_w - 1, c.line_shift());
  s += "Files:\n\n";
  for (const auto& f : nullcache_rtl_files(c)) s += "- `" + f + "`: one module\n";
  s += fmt::format("- `{0}.f`: file list (use `-F`)\n- `{0}.json`: manifest\n"
                   "- `{0}.ys`: Yosys script (area estimates, not sign-off: `yosys -q {0}.ys`)\n\n",
                   c.name);
  s += "## Ports\n\n| port | dir | width | meaning |\n| --- | --- | --- | --- |\n";
  for (const Port& p : ports(c))
    s += fmt::format("| `{}` | {} | {} | {} |\n", p.name, p.dir, p.width, p.what);
  s += R"(
## Protocol

A request is taken at a rising edge where `req_valid_i && req_ready_o`. Each request produces
exactly one response, in order: `rsp_valid_o` is high for one cycle and the `rsp_*` fields are
meaningful only then. Requests hold no data after the accepting edge. "Latency n" means the
response is visible n cycles after the cycle in which the request was taken.

| op | code | effect | latency |
| --- | --- | --- | --- |
| lookup | 0 | `rsp_hit_o`, `rsp_idx_o` (lowest matching entry); a hit with `req_touch_i` touches the tree | 1, one per cycle |
| insert | 1 | covered: nothing (`rsp_hit_o`). Else merge into the lowest same-mask distance-one entry and cascade (`rsp_merged_o`, `rsp_cascade_o`), else take the lowest free entry or the victim (`rsp_evicted_o`) | 1; 2 + cascade steps after a merge |
| fill | 2 | zero detector on `req_line_i` (`rsp_zero_o`, `rsp_approx_o`); a zero line is inserted | 1 for a non-zero line, else as insert |
| store | 3 | covered and zero data: touch. Covered and non-zero data: invalidate, or split into k cubes (split policy, when k-1 entries are free) | 1; k for a split |
| flush | 4 | all entries invalid, tree cleared | 1 |

`req_ready_o` is low while a multi-cycle operation runs; it rises in the cycle where that
operation's response is valid, so a new request can be taken in the same cycle.

### Timing example

A lookup hit, an insert that merges once and cascades once, then a lookup:

```
cycle          0       1       2       3       4       5
req_valid_i    1       1       0       0       1       0
req_op_i       lookup  insert  -       -       lookup  -
req_ready_o    1       1       0       0       1       1
TCAM write     -       merge   cascade -       -       -
rsp_valid_o    0       1       0       0       1       1
rsp fields     -       lookup  -       -       insert  lookup
```

The insert taken in cycle 1 writes the first-order merge at the end of cycle 1, finds and
absorbs a partner in cycle 2, finds none in cycle 3 and answers in cycle 4 (2 + 1 cascade
step after cycle 1), when `req_ready_o` is high again.
)";
  return s;
}

}  // namespace

int nullcache_cnt_w(const NullCacheConfig& cfg) {
  int w = 1;
  while ((1 << w) < cfg.la_w() + 1) ++w;
  return w;
}

std::vector<std::string> nullcache_rtl_files(const NullCacheConfig& cfg) {
  std::vector<std::string> v;
  for (const char* m : kModules) v.push_back(fmt::format("{}_{}.v", cfg.name, m));
  return v;
}

OutputSet emit_nullcache(const NullCacheConfig& cfg) {
  cfg.validate();
  const TemplateContext ctx = context(cfg);
  OutputSet out;
  for (const char* m : kModules) {
    const std::string body =
        render_template(template_text(fmt::format("nullcache/{}.v", m)), ctx);
    out.add(fmt::format("{}_{}.v", cfg.name, m),
            generated_header("//", fmt::format("null-cache module {}_{}", cfg.name, m),
                             cfg.params()) + body);
  }
  out.add(cfg.name + ".f", file_list(cfg));
  out.add(cfg.name + ".json", manifest(cfg));
  out.add(cfg.name + ".ys", yosys_script(cfg));
  out.add("README.md", readme(cfg));
  return out;
}

}  // namespace fusegen
