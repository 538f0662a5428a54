// The one way fusegen turns JSON into text (printed summaries, manifests, testbench jobs):
// strings that are not valid UTF-8 (file names, layer names read from user files) are written
// with U+FFFD in place of the bad bytes instead of making nlohmann::json throw.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace fusegen {

// j.dump(indent) that never throws on invalid UTF-8 (works for json and ordered_json).
template <typename Json>
std::string json_dump(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// Whether `s` is valid UTF-8, so JSON can carry it unchanged (file names handed to a testbench
// in a JSON job must be).
inline bool is_valid_utf8(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore) ==
         nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace fusegen
