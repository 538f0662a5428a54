// Text helpers shared by every part of fusegen: ordered parameter lists, comma-separated lists,
// Verilog identifiers.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fusegen {

// Ordered (name, value) pairs describing a configuration, printed in file headers.
using ParamList = std::vector<std::pair<std::string, std::string>>;

// Splits "a,b,,c" at commas, trimming blanks around each item. Empty items are kept as "" so that
// callers can reject them; an empty string gives one empty item.
std::vector<std::string> split_list(const std::string& s);

// split_list for options: every item must be non-empty; an empty value or item is a
// fusegen::Error naming `what` (e.g. "--layers"), never "all".
std::vector<std::string> split_nonempty_list(const std::string& what, const std::string& s);

// Throws fusegen::Error unless `name` is a Verilog identifier usable as a module prefix:
// letters, digits and _, starting with a letter or _.
void require_verilog_identifier(const std::string& name);

}  // namespace fusegen
