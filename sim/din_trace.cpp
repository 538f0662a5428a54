// din trace reader (buffered line splitting and a hand-written field scanner: the format is
// four whitespace-separated fields, and traces run to hundreds of millions of lines) and atomic streaming writer.
#include "sim/din_trace.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {
int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
}  // namespace

DinReader::DinReader(std::istream& in, std::string name, int addr_bits)
    : in_(in), name_(std::move(name)), addr_bits_(addr_bits), buf_(size_t{1} << 20) {}

std::unique_ptr<DinReader> DinReader::open(const std::string& path, int addr_bits) {
  auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*f) throw Error(fmt::format("cannot open trace '{}': {}", path, std::strerror(errno)));
  auto r = std::make_unique<DinReader>(*f, path, addr_bits);
  r->owned_ = std::move(f);
  return r;
}

void DinReader::fail(const std::string& what) const {
  throw Error(fmt::format("{}:{}: {}", name_, line_no_, what));
}

bool DinReader::next_line(const char*& begin, const char*& end) {
  for (;;) {
    const char* nl = static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', fill_ - pos_));
    if (nl) {
      begin = buf_.data() + pos_;
      end = nl;
      pos_ = static_cast<size_t>(nl - buf_.data()) + 1;
      return true;
    }
    if (eof_) {
      if (pos_ == fill_) return false;
      begin = buf_.data() + pos_;  // last line without a newline
      end = buf_.data() + fill_;
      pos_ = fill_;
      return true;
    }
    // Keep the partial line, refill behind it (growing the buffer for very long lines).
    std::memmove(buf_.data(), buf_.data() + pos_, fill_ - pos_);
    fill_ -= pos_;
    pos_ = 0;
    if (buf_.size() - fill_ < (1u << 16)) buf_.resize(buf_.size() * 2);
    in_.read(buf_.data() + fill_, static_cast<std::streamsize>(buf_.size() - fill_));
    fill_ += static_cast<size_t>(in_.gcount());
    if (in_.bad()) fail("read error");
    if (!in_) eof_ = true;
  }
}

bool DinReader::next(DinRecord& r) {
  const char* p = nullptr;
  const char* end = nullptr;
  while (next_line(p, end)) {
    ++line_no_;
    while (p < end && is_space(*p)) ++p;
    if (p == end || *p == '#') continue;
    // Fields.
    const char* f[5];
    size_t len[5];
    int nf = 0;
    while (p < end) {
      if (nf == 4) fail("too many fields: expected LABEL ADDRESS [SIZE [DATAHEX]]");
      f[nf] = p;
      while (p < end && !is_space(*p)) ++p;
      len[nf] = static_cast<size_t>(p - f[nf]);
      ++nf;
      while (p < end && is_space(*p)) ++p;
    }
    if (nf < 2) fail("missing ADDRESS: expected LABEL ADDRESS [SIZE [DATAHEX]]");
    if (len[0] == 1 && (f[0][0] == '0' || f[0][0] == '1' || f[0][0] == '2' || f[0][0] == '5'))
      r.label = f[0][0] - '0';
    else
      fail(fmt::format("label '{}' is not supported: allowed 0 (read), 1 (write), 2 (instruction "
                       "fetch), 5 (memory initialization)", std::string(f[0], len[0])));
    if (len[1] > 16 && std::string(f[1], len[1]).find_first_not_of('0') < len[1] - 16)
      fail(fmt::format("address '{}' does not fit in 64 bits", std::string(f[1], len[1])));
    uint64_t a = 0;
    for (size_t i = 0; i < len[1]; ++i) {
      const int v = hexval(f[1][i]);
      if (v < 0) fail(fmt::format("address '{}' is not hexadecimal (write it without 0x)", std::string(f[1], len[1])));
      a = (a << 4) | static_cast<uint64_t>(v);
    }
    r.addr = a;
    r.size = 4;
    if (nf >= 3) {
      const uint32_t lim = r.label == 2 ? kDinMaxFetchSize : kDinMaxDataSize;
      uint64_t v = 0;
      bool ok = len[2] >= 1 && len[2] <= 9;
      for (size_t i = 0; ok && i < len[2]; ++i) {
        ok = f[2][i] >= '0' && f[2][i] <= '9';
        v = v * 10 + static_cast<uint64_t>(f[2][i] - '0');
      }
      if (!ok || v < 1 || v > lim)
        fail(fmt::format("size '{}' is not allowed: a decimal byte count in 1..{}", std::string(f[2], len[2]), lim));
      r.size = static_cast<uint32_t>(v);
    }
    r.has_data = nf >= 4;
    if (r.has_data) {
      if (r.label == 2) fail("an instruction fetch (label 2) carries no data");
      if (len[3] != 2 * size_t{r.size})
        fail(fmt::format("data has {} hex digits but size {} needs {}", len[3], r.size, 2 * r.size));
      r.data.resize(r.size);
      for (uint32_t i = 0; i < r.size; ++i) {
        const int hi = hexval(f[3][2 * i]), lo = hexval(f[3][2 * i + 1]);
        if (hi < 0 || lo < 0) fail("data is not hexadecimal");
        r.data[i] = static_cast<uint8_t>(hi << 4 | lo);
      }
    } else if (r.label == 5) {
      fail("a memory initialization (label 5) needs SIZE and DATAHEX");
    }
    if (r.label != 2) {
      const bool wraps = r.addr + (r.size - 1) < r.addr;
      const bool wide = addr_bits_ < 64 && (r.addr >> addr_bits_ || (r.addr + r.size - 1) >> addr_bits_);
      if (wraps || wide)
        fail(fmt::format("address {:x} + {} bytes does not fit in the {}-bit address width (--addr-width)",
                         r.addr, r.size, addr_bits_));
    }
    return true;
  }
  return false;
}

// ------------------------------------------------------------------------------ writer
std::string format_din(const DinRecord& r) {
  std::string s = fmt::format("{} {:x} {}", r.label, r.addr, r.size);
  if (r.has_data) {
    static const char* hex = "0123456789abcdef";
    s.push_back(' ');
    for (uint32_t i = 0; i < r.size; ++i) {
      s.push_back(hex[r.data[i] >> 4]);
      s.push_back(hex[r.data[i] & 15]);
    }
  }
  return s;
}

DinWriter::DinWriter(const std::string& path)
    : path_(path), tmp_(fmt::format("{}.tmp.{}", path, static_cast<long>(getpid()))), guard_(tmp_) {
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (!f_) throw Error(fmt::format("cannot write trace '{}': {}", path, std::strerror(errno)));
  buf_.reserve(1 << 20);
}

DinWriter::~DinWriter() {
  if (f_) {
    std::fclose(f_);
    std::remove(tmp_.c_str());
  }
}

void DinWriter::flush_buf() {
  if (buf_.empty()) return;
  if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
    throw Error(fmt::format("cannot write trace '{}': {}", tmp_, std::strerror(errno)));
  buf_.clear();
}

void DinWriter::comment(const std::string& text) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string ln = text.substr(start, nl - start);
    if (!(nl == text.size() && ln.empty())) {
      if (ln.rfind("#", 0) != 0) buf_ += "# ";
      buf_ += ln;
      buf_ += '\n';
    }
    start = nl + 1;
  }
}

void DinWriter::record(const DinRecord& r) {
  static const char* hex = "0123456789abcdef";
  buf_ += static_cast<char>('0' + r.label);
  buf_ += ' ';
  char tmp[40];
  int n = 0;
  uint64_t a = r.addr;
  do {
    tmp[n++] = hex[a & 15];
    a >>= 4;
  } while (a);
  while (n) buf_ += tmp[--n];
  buf_ += ' ';
  buf_ += std::to_string(r.size);
  if (r.has_data) {
    buf_ += ' ';
    for (uint32_t i = 0; i < r.size; ++i) {
      buf_ += hex[r.data[i] >> 4];
      buf_ += hex[r.data[i] & 15];
    }
  }
  buf_ += '\n';
  ++records_;
  if (buf_.size() > (1u << 20)) flush_buf();
}

void DinWriter::commit() {
  flush_buf();
  if (std::fclose(f_) != 0) {
    f_ = nullptr;
    std::remove(tmp_.c_str());
    throw Error(fmt::format("cannot write trace '{}': {}", path_, std::strerror(errno)));
  }
  f_ = nullptr;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    throw Error(fmt::format("cannot move trace into '{}': {}", path_, std::strerror(errno)));
  }
}

}  // namespace fusegen
