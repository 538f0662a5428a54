// Streaming reader and writer of the Dinero "din" trace format of docs/cache.md
// (Traces): one record a line, `LABEL ADDRESS [SIZE [DATAHEX]]`, labels 0 (read), 1 (write),
// 2 (instruction fetch), 5 (memory initialization); ADDRESS hex without 0x (up to 64 bits);
// SIZE decimal bytes (default 4); DATAHEX the bytes at ADDRESS, ADDRESS+1, ... as hex pairs.
// Extension: blank lines and lines starting with '#' are comments (generated traces start
// with the fusegen header). Neither side ever holds more than one record in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "common/fileio.h"

namespace fusegen {

struct DinRecord {
  int label = 0;              // 0 read, 1 write, 2 instruction fetch, 5 memory initialization
  uint64_t addr = 0;          // byte address
  uint32_t size = 4;          // bytes
  bool has_data = false;      // DATAHEX present
  std::vector<uint8_t> data;  // `size` bytes when has_data
};

// Largest SIZE accepted for labels 0, 1 and 5 (one record never spans more than this), and
// for label 2 (an instruction-fetch record may stand for a block of instructions).
constexpr uint32_t kDinMaxDataSize = 4096;
constexpr uint32_t kDinMaxFetchSize = 1u << 24;

// Consumer of records (the trace generator writes into one; simulators read from one).
class DinSink {
 public:
  virtual ~DinSink() = default;
  virtual void record(const DinRecord& r) = 0;
};

class DinReader {
 public:
  // `name` is used in error messages ("NAME:LINE: ..."). addr_bits < 64 makes an address
  // (or address + size - 1) that does not fit an error naming the record.
  DinReader(std::istream& in, std::string name, int addr_bits = 64);
  // Opens a file; throws fusegen::Error naming the path if it cannot be opened.
  static std::unique_ptr<DinReader> open(const std::string& path, int addr_bits = 64);

  // Reads the next record into r; false at end of input. Malformed records throw
  // fusegen::Error "NAME:LINE: what is wrong (allowed ...)".
  bool next(DinRecord& r);
  uint64_t line_number() const { return line_no_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  // Next line of the input (without its newline) as [begin, end); false at end of input.
  bool next_line(const char*& begin, const char*& end);

  std::unique_ptr<std::istream> owned_;  // stream opened by open(), if any
  std::istream& in_;                     // input
  std::string name_;                     // for messages
  int addr_bits_;                        // allowed address width
  uint64_t line_no_ = 0;                 // current line (1-based)
  std::vector<char> buf_;                // input buffer
  size_t pos_ = 0, fill_ = 0;            // next unread byte, end of valid bytes in buf_
  bool eof_ = false;                     // the stream has no more bytes
};

// Writes records to PATH atomically: the text goes to a temporary sibling file that commit()
// renames into place; destroying an uncommitted writer removes the temporary file.
class DinWriter : public DinSink {
 public:
  explicit DinWriter(const std::string& path);
  ~DinWriter() override;
  DinWriter(const DinWriter&) = delete;
  DinWriter& operator=(const DinWriter&) = delete;

  void comment(const std::string& text);  // "# text" lines (text may hold several lines)
  void record(const DinRecord& r) override;
  void commit();                          // flush, close and rename into place
  uint64_t records() const { return records_; }

 private:
  void flush_buf();

  std::string path_, tmp_;  // final and temporary paths
  RemoveOnSignal guard_;    // removes tmp_ if the process is interrupted
  FILE* f_ = nullptr;       // open temporary file
  std::string buf_;         // pending text
  uint64_t records_ = 0;    // records written
};

// Formats one record as a din line (without newline).
std::string format_din(const DinRecord& r);

}  // namespace fusegen
