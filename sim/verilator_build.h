// Verilator build cache: builds a Verilated testbench executable from generated RTL and C++
// testbench sources once, and reuses it while nothing that affects the binary changes.
//
// Algorithm: a 128-bit hash over the top name, RTL texts, testbench sources (and the headers
// next to them), flags, the libraries a testbench links (tb, golden, common) and the Verilator
// version names the entry rtl_cache_dir()/<name>-<hash>. A per-entry flock serializes concurrent builders; the
// build runs in a temporary sibling directory that is renamed into place only on success.
#pragma once

#include <string>
#include <vector>

#include "common/fileio.h"

namespace fusegen {

struct VerilatorBuild {
  std::string name;                          // human-readable cache entry name, e.g. "array_4x4_d8_a32"
  std::string top;                           // top module
  std::vector<std::string> rtl_files;        // generated Verilog (absolute paths)
  std::vector<std::string> tb_sources;       // testbench C++ sources (absolute paths)
  std::vector<std::string> cflags;           // extra C++ flags for the tb (e.g. -DTB_ROWS=4)
  std::vector<std::string> verilator_flags;  // extra verilator flags
};

// Builds, or reuses, the Verilated testbench executable and returns its path. Entries live in
// rtl_cache_dir()/<name>-<hash>, hash over everything that affects the binary (RTL text, tb
// sources, flags, the tb/golden/common libraries, verilator version); concurrent callers are
// serialized with flock; a failed build leaves no entry and throws fusegen::Error with the
// log's tail.
std::string build_verilated(const VerilatorBuild& b);

// build_verilated() of generated RTL: writes `files` to a private directory under
// rtl_cache_dir()/tmp, puts its files `rtl_names` (in that order) before b.rtl_files, builds or
// reuses the testbench and removes the directory, also on failure.
std::string build_generated(const OutputSet& files, const std::vector<std::string>& rtl_names,
                            VerilatorBuild b);

// $FUSEGEN_CACHE if set, else $XDG_CACHE_HOME/fusegen, else ~/.cache/fusegen (made absolute).
std::string rtl_cache_dir();

// The Verilator executable this build was configured with; throws fusegen::Error if none.
std::string verilator_path();
// "Verilator 5.006 2023-01-22 rev ..." (first line of `verilator --version`).
std::string verilator_version();

// Quotes one argument for /bin/sh.
std::string shell_quote(const std::string& s);
// Runs a /bin/sh command line; returns its exit status (or -1 if it could not run / signalled).
int run_shell(const std::string& cmd);

}  // namespace fusegen
