// ArrayConfig validation and derived values.
#include "golden/array_config.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void ArrayConfig::validate() const {
  if (rows < 1 || rows > 256) throw Error(fmt::format("rows {} is out of range: allowed 1..256", rows));
  if (cols < 1 || cols > 256) throw Error(fmt::format("cols {} is out of range: allowed 1..256", cols));
  if (data_w < 2 || data_w > 16)
    throw Error(fmt::format("data width {} is out of range: allowed 2..16", data_w));
  if (acc_w < 8 || acc_w > 64)
    throw Error(fmt::format("accumulator width {} is out of range: allowed 8..64", acc_w));
  if (acc_w < 2 * data_w)
    throw Error(fmt::format("accumulator width {} is too small for data width {}: it must be at "
                            "least 2 x data width ({})", acc_w, data_w, 2 * data_w));
  require_verilog_identifier(name);
}

ParamList ArrayConfig::params() const {
  return {{"Name", name},
          {"Rows", std::to_string(rows)},
          {"Cols", std::to_string(cols)},
          {"DataW", std::to_string(data_w)},
          {"AccW", std::to_string(acc_w)},
          {"Stos", stos ? "1" : "0"}};
}

int ArrayConfig::row_index_w() const {
  int w = 1;
  while ((1 << w) < rows) ++w;
  return w;
}

}  // namespace fusegen
