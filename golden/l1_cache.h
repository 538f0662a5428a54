// Golden set-associative L1 data cache: write-back, write-allocate, true LRU, holding line data.
// The caller (SparseCache) drives fills, write-backs and evictions; this class only keeps the
// array state: lookup, LRU touch, victim choice (invalid way first, then optionally the least
// recently used zero line, then the LRU line) and install.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/zda.h"

namespace fusegen {

struct L1Config {
  int64_t size_bytes = 16384;      // capacity
  int ways = 4;                    // associativity, 1..64
  int line_bytes = 32;             // power of two, 4..256
  bool zero_first_victim = false;  // prefer a zero line (per `zda`) as the victim, else LRU
  ZdaConfig zda;                   // zero rule for zero_first_victim
  int sets() const { return static_cast<int>(size_bytes / (int64_t{ways} * line_bytes)); }
};

// Throws fusegen::Error naming the bad field: the set count must be a power of two >= 1.
void validate(const L1Config& c);

// "16384,4,32" or "16K,4,32" (--l1 SIZE,WAYS,LINE) -> config. Throws fusegen::Error.
L1Config parse_l1(const std::string& value);

class L1Cache {
 public:
  explicit L1Cache(const L1Config& c);

  // Slot (set * ways + way) holding line address la, or -1.
  int find(uint64_t la) const;
  // Marks the slot most recently used.
  void touch(int slot) { stamp_[slot] = ++clock_; }
  // Slot the next install of la will use (does not change state).
  int victim_slot(uint64_t la) const;
  // Installs la with `line` into victim_slot(la); the previous content (if any) is copied
  // to evicted_*() before it is overwritten. The new line is clean and most recently used.
  int install(uint64_t la, const uint8_t* line);

  bool valid(int slot) const { return valid_[slot]; }
  bool dirty(int slot) const { return dirty_[slot]; }
  void set_dirty(int slot) { dirty_[slot] = 1; }
  uint64_t line_addr(int slot) const { return la_[slot]; }
  uint8_t* data(int slot) { return &data_[static_cast<size_t>(slot) * cfg_.line_bytes]; }
  const uint8_t* data(int slot) const { return &data_[static_cast<size_t>(slot) * cfg_.line_bytes]; }
  int slots() const { return static_cast<int>(valid_.size()); }

  // Result of the last install(): whether it evicted a valid line, and that line.
  bool evicted_valid() const { return ev_valid_; }
  bool evicted_dirty() const { return ev_dirty_; }
  uint64_t evicted_la() const { return ev_la_; }
  const uint8_t* evicted_data() const { return ev_data_.data(); }

  const L1Config& config() const { return cfg_; }

 private:
  L1Config cfg_;                 // validated configuration
  int set_mask_ = 0;             // sets - 1
  uint64_t clock_ = 0;           // LRU time stamp source
  std::vector<uint8_t> valid_;   // per slot
  std::vector<uint8_t> dirty_;   // per slot
  std::vector<uint64_t> la_;     // per slot: full line address
  std::vector<uint64_t> stamp_;  // per slot: last use time
  std::vector<uint8_t> data_;    // per slot: line bytes
  bool ev_valid_ = false;        // last install evicted a valid line
  bool ev_dirty_ = false;        // ... which was dirty
  uint64_t ev_la_ = 0;           // ... at this line address
  std::vector<uint8_t> ev_data_; // ... holding these bytes
};

}  // namespace fusegen
