// Null-cache testbench protocol (see nc_protocol.h).
#include "tb/nc_protocol.h"

#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

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

std::string nullcache_tb_name(const NullCacheConfig& c) {
  const bool approx = c.zda.mode != ApproxMode::kOff;
  std::string a = c.zda.approx_string();
  for (char& ch : a)
    if (ch == ':') ch = '_';
  return fmt::format("nullcache_e{}_a{}_l{}_{}{}{}{}", c.entries, c.addr_w, c.line_bytes,
                     c.policy_string(), approx ? "_" + a : "",
                     approx ? fmt::format("_w{}", c.zda.elem_w) : "",
                     c.singleton_first ? "_sf" : "");
}

}  // namespace fusegen
