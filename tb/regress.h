// Random layer generator for the array regression: a valid `fusegen run` invocation (op,
// parameters, tensors) of a given kind, sized for a given array so that channel and spatial
// sizes are usually not multiples of the array, with extreme operand values mixed in.
// Deterministic: the same (op, seed, array) always gives the same case.
#pragma once

#include <cstdint>
#include <string>

#include "golden/array_config.h"
#include "golden/op_request.h"

namespace fusegen {

struct RandomCase {
  OpParams params;       // op, stride, padding, requantization, widths (those of the array)
  OpTensors tensors;     // input and weights, values in the DATA_W range
  std::string describe;  // one line: op, shapes, K, stride, seed
};

// Which values to draw: uniform over the DATA_W range with extremes mixed in, or every value
// at an extreme (-2^(DataW-1) or 2^(DataW-1)-1) to provoke accumulator wrap-around.
enum class ValueMix { Mixed, Extreme };

RandomCase random_case(OpCode op, uint64_t seed, const ArrayConfig& cfg,
                       ValueMix mix = ValueMix::Mixed);

}  // namespace fusegen
