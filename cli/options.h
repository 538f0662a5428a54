// Helpers shared by the subcommands for validating option values: every failure throws
// fusegen::Error naming the option, the bad value and what is allowed.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include <cxxopts.hpp>

#include "generator/flows.h"

namespace fusegen::cli {

// "64x64" or "16x32" -> (rows, cols), each in [lo, hi].
std::pair<int, int> parse_array_size(const std::string& option, const std::string& value,
                                     int lo = 1, int hi = 4096);

// Integer option within [lo, hi].
int64_t check_range(const std::string& option, int64_t value, int64_t lo, int64_t hi);

// Value must be one of `allowed`.
const std::string& check_choice(const std::string& option, const std::string& value,
                                std::initializer_list<const char*> allowed);

// Throws if a required option is missing.
void require(const cxxopts::ParseResult& r, const std::string& option);

// Parses argv; on --help prints the help text and returns false (the command then exits 0).
// Unknown options and stray positional arguments are errors; a value that does not parse as the
// option's type is an error naming the option and its allowed range (taken from the "A..B" in
// its description).
bool parse_or_help(cxxopts::Options& opts, int argc, char** argv, cxxopts::ParseResult& out);

// --liberty FILE and --clock-period NS, the options of the flow collateral every generator
// writes (generator/flows.h); `kind` ("array", "nullcache") picks the default period shown.
void add_flow_options(cxxopts::Options& opts, const std::string& kind);
// The resolved FlowOptions (the Liberty file read and checked); throws fusegen::Error naming the
// option on bad input.
FlowOptions read_flow_options(const cxxopts::ParseResult& r);

}  // namespace fusegen::cli
