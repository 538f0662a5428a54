// Text helpers (see text.h).
#include "common/text.h"

#include <cctype>

#include <fmt/format.h>

#include "common/error.h"

namespace fusegen {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = s.find(',', start);
    std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t b = item.find_first_not_of(" \t");
    const size_t e = item.find_last_not_of(" \t");
    out.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> split_nonempty_list(const std::string& what, const std::string& s) {
  std::vector<std::string> items = split_list(s);
  for (const auto& item : items)
    if (item.empty())
      throw Error(fmt::format("{} '{}' has an empty item: give a comma-separated list of names, "
                              "e.g. a,b", what, s));
  return items;
}

void require_verilog_identifier(const std::string& name) {
  bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char ch : name) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
  if (!ok)
    throw Error(fmt::format("name '{}' is not a Verilog identifier: use letters, digits and _, "
                            "starting with a letter", name));
}

}  // namespace fusegen
