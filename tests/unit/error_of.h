// Test helper: the message of the fusegen::Error a callable throws, "" if it throws none, so a
// test can assert the exact text a user sees.
#pragma once

#include <string>

#include "common/error.h"

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const fusegen::Error& e) {
    return e.what();
  }
  return "";
}
