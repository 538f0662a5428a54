// Stream beats as hex text, the form the accelerator testbench's job and result files use
// (sim/accel_rtl.cpp writes and reads them, tb/accel/accel_tb.cpp reads and writes them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fusegen {

// A beat of bus_width bits in 32-bit chunks, chunk 0 = bits 31:0 (golden/accel_model.h Beat).
// Hex text: most significant digit first, ceil(bus_width/4) digits; missing chunks read as 0.
std::string beat_hex(const std::vector<uint32_t>& b, int bus_width);
// The inverse; digits beyond bus_width are ignored.
std::vector<uint32_t> hex_beat(const std::string& hex, int bus_width);

}  // namespace fusegen
