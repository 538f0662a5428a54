// SCALE-Sim topology CSV reader: strips each line, skips the header and blank lines, drops what
// follows a row's last comma (as SCALE-Sim's `row.split(',')[:-1]`), checks every value, and
// builds LayerDescs with SCALE-Sim's output size and depthwise meaning.
#include "golden/topology.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {

constexpr std::array<const char*, 9> kFields = {
    "Layer name",   "IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
    "Channels",     "Num Filter",   "Strides",     "Stride Width"};
constexpr std::array<const char*, 4> kGemmFields = {"Layer", "M", "N", "K"};
const char* const kConvRow =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
    "Strides[, Stride Width],";

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// All comma-separated pieces of a line, trimmed (none dropped).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> f;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    f.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos
                                                                     : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return f;
}

void drop_trailing_empty(std::vector<std::string>& f) {
  while (!f.empty() && f.back().empty()) f.pop_back();
}

bool is_uint(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

// "N:M" with digits on both sides (SCALE-Sim's sparsity ratio field).
bool is_sparsity_ratio(const std::string& s) {
  const size_t colon = s.find(':');
  return colon != std::string::npos && is_uint(s.substr(0, colon)) &&
         is_uint(s.substr(colon + 1));
}
bool is_positive(const std::string& s) { return is_uint(s) && std::stoll(s) >= 1; }

std::string join_fields(const char* const* names, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (i ? ", " : "") + std::string(names[i]);
  return s;
}

}  // namespace

TopologyFormat parse_topology_format(const std::string& s) {
  if (s == "auto") return TopologyFormat::Auto;
  if (s == "conv") return TopologyFormat::Conv;
  if (s == "gemm") return TopologyFormat::Gemm;
  throw Error(fmt::format("--topology-format '{}' is not allowed: choose auto, conv or gemm", s));
}

OutputSize parse_output_size(const std::string& s) {
  if (s == "ceil") return OutputSize::Ceil;
  if (s == "floor") return OutputSize::Floor;
  throw Error(fmt::format("--output-size '{}' is not allowed: choose ceil (SCALE-Sim: "
                          "ceil((H-K+S)/S)) or floor (floor((H-K)/S)+1)", s));
}

std::vector<LayerDesc> parse_topology(const std::string& text, const std::string& file,
                                      const TopologyOptions& opt) {
  std::vector<LayerDesc> layers;
  bool header_seen = false;
  TopologyFormat format = opt.format;
  size_t lineno = 0, pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    const std::string line =
        trim(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++lineno;
    if (line.empty()) continue;
    auto fail = [&](const std::string& what) {
      return Error(fmt::format("{}:{}: {}", file, lineno, what));
    };
    std::vector<std::string> f = split(line);
    if (!header_seen) {
      // SCALE-Sim skips the first row; insist it is a header so a data row is not lost.
      if (f.size() >= 2 && is_uint(f[1]))
        throw fail(fmt::format("expected the header row ({}, ...), found a layer row",
                               format == TopologyFormat::Gemm ? kGemmFields[0] : kFields[0]));
      header_seen = true;
      if (format == TopologyFormat::Auto) {
        drop_trailing_empty(f);
        format = f.size() == 4 ? TopologyFormat::Gemm : TopologyFormat::Conv;
      }
      continue;
    }

    if (format == TopologyFormat::Gemm) {
      // load_arrays_gemm: the first four fields (a trailing comma is fine; extra fields are
      // ignored, as there).
      drop_trailing_empty(f);
      if (f.size() < 4)
        throw fail(fmt::format("expected 4 fields ({}), found {}",
                               join_fields(kGemmFields.data(), 4), f.size()));
      if (f[0].empty()) throw fail("field 'Layer' is empty");
      std::array<int64_t, 4> v{};
      for (size_t i = 1; i < 4; ++i) {
        if (!is_positive(f[i]))
          throw fail(fmt::format("field '{}' of layer '{}' is '{}': expected a positive integer",
                                 kGemmFields[i], f[0], f[i]));
        v[i] = std::stoll(f[i]);
      }
      LayerDesc d = fc_layer(f[0], v[3], v[2], v[1]);  // in = K, out = N, batch = M
      d.pad_h = d.pad_w = 0;
      layers.push_back(std::move(d));
      continue;
    }

    if (f.size() == 1)
      throw fail(fmt::format("no comma in the row: SCALE-Sim fields are separated by commas "
                             "({})", kConvRow));
    // load_arrays_conv: whatever follows the last comma is dropped.
    const std::string dropped = f.back();
    f.pop_back();
    // SCALE-Sim fails on an empty field (int('')); fusegen allows extra trailing commas.
    drop_trailing_empty(f);
    // A row without its trailing comma: SCALE-Sim would drop the Strides and fail (IndexError);
    // fusegen takes the last number as the Strides.
    if (f.size() == 7 && is_positive(dropped)) f.push_back(dropped);
    if (f.size() < 8)
      throw fail(fmt::format("expected 8 or 9 fields ({}), found {}{}", kConvRow, f.size(),
                             dropped.empty() ? ""
                                             : fmt::format(" (the text after the last comma, "
                                                           "'{}', is ignored as in SCALE-Sim)",
                                                           dropped)));
    if (f[0].empty()) throw fail(fmt::format("field '{}' is empty", kFields[0]));
    // SCALE-Sim's sparsity topologies put an N:M sparsity ratio in the 9th field; its reader
    // then uses the Stride Height for both axes. fusegen costs the dense layer (the ratio does
    // not change the array's schedule here), as documented in docs/networks.md.
    if (f.size() >= 9 && is_sparsity_ratio(f[8])) f[8] = f[7];
    std::array<int64_t, 9> v{};
    for (size_t i = 1; i < f.size(); ++i) {
      const std::string name = i < kFields.size() ? fmt::format("'{}'", kFields[i])
                                                  : fmt::format("{}", i + 1);
      if (i >= kFields.size()) {
        // SCALE-Sim converts extra fields with int() and ignores them.
        if (!is_uint(f[i]))
          throw fail(fmt::format("field {} of layer '{}' is '{}': SCALE-Sim reads fields past "
                                 "Stride Width as integers (and ignores them)",
                                 name, f[0], f[i]));
        continue;
      }
      if (!is_positive(f[i]))
        throw fail(fmt::format("field {} of layer '{}' is '{}': expected a positive integer",
                               name, f[0], f[i]));
      v[i] = std::stoll(f[i]);
    }
    const int64_t h = v[1], w = v[2], kh = v[3], kw = v[4], c = v[5], m = v[6], s = v[7];
    const int64_t sw = f.size() >= 9 ? v[8] : s;
    if (sw != s)
      throw fail(fmt::format("layer '{}' has Stride Height {} and Stride Width {}: fusegen "
                             "layers have one stride for both axes", f[0], s, sw));
    if (kh > h)
      throw fail(fmt::format("field 'Filter Height' of layer '{}' is {}: larger than the IFMAP "
                             "height {} (give padded sizes)", f[0], kh, h));
    if (kw > w)
      throw fail(fmt::format("field 'Filter Width' of layer '{}' is {}: larger than the IFMAP "
                             "width {} (give padded sizes)", f[0], kw, w));
    LayerDesc d;
    d.name = f[0];
    d.n = 1;
    d.cin = c;
    d.kh = kh;
    d.kw = kw;
    d.stride = s;
    d.pad_h = d.pad_w = 0;
    if (opt.output_size == OutputSize::Ceil) {
      // ceil((H - K + S) / S) outputs read (Ho - 1) * S + K input rows: the input is extended
      // by the (< S) zero rows / columns the last window reaches past the edge.
      const int64_t ho = (h - kh + s + s - 1) / s, wo = (w - kw + s + s - 1) / s;
      d.h = (ho - 1) * s + kh;
      d.w = (wo - 1) * s + kw;
    } else {
      d.h = h;
      d.w = w;
    }
    if (d.name.find("DP") == std::string::npos) {
      d.cout = m;
      d.op = (kh == 1 && kw == 1) ? OpKind::Pointwise : OpKind::Conv;
      layers.push_back(std::move(d));
    } else if (m == 1) {
      d.cout = c;
      d.op = (kh == 1 && kw > 1) ? OpKind::Row
             : (kw == 1 && kh > 1) ? OpKind::Col
                                   : OpKind::Depthwise;
      layers.push_back(std::move(d));
    } else {
      // SCALE-Sim expands a DP row into one layer per channel, "<name>Channel_<i>", each with
      // 1 channel and all Num Filter filters: a depthwise conv with channel multiplier m.
      for (int64_t i = 0; i < c; ++i) {
        LayerDesc e = d;
        e.name = fmt::format("{}Channel_{}", d.name, i);
        e.cin = 1;
        e.cout = m;
        e.op = (kh == 1 && kw == 1) ? OpKind::Pointwise : OpKind::Conv;
        layers.push_back(std::move(e));
      }
    }
  }
  if (layers.empty()) throw Error(fmt::format("{}: no layer rows (after the header row)", file));
  return layers;
}

std::vector<LayerDesc> read_topology(const std::string& path, const TopologyOptions& opt) {
  return parse_topology(read_file(path), path, opt);
}

std::string topology_name(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base;
}

std::vector<LayerDesc> fuse_half_topology(const std::vector<LayerDesc>& layers) {
  std::vector<LayerDesc> out;
  for (const auto& l : layers) {
    const int64_t k = l.kh;
    if (l.op != OpKind::Depthwise || l.kw != k || k % 2 == 0 || l.cin % 2 != 0 ||
        l.pad_h != 0 || l.pad_w != 0) {
      out.push_back(l);
      continue;
    }
    const int64_t h0 = l.h - (k - 1), w0 = l.w - (k - 1), half = l.cin / 2;
    out.push_back(row_layer(l.name + ".row", half, h0, w0, k, l.stride, l.n));
    out.push_back(col_layer(l.name + ".col", half, h0, w0, k, l.stride, l.n));
  }
  return out;
}

}  // namespace fusegen
