// Vector dump for the null cache's Icarus replay (tb/icarus/nc_replay_tb.v, gate level or RTL):
// a seeded random transaction stream (tb/nc_stream.h) run through the golden model
// NullCacheModel, written as one stimulus word and one expected-response word per transaction.
// The expected words come from the golden results and the documented latencies (NcTiming,
// golden/nullcache.h), never from the RTL.
#pragma once

#include <cstdint>
#include <string>

#include "golden/nullcache_config.h"

namespace fusegen {

// Writes DIR/stim.hex, DIR/exp.hex and DIR/tb_params.vh (word layouts in tb_params.vh and
// nc_replay_tb.v). Returns the number of transactions written.
uint64_t nc_dump_replay(const NullCacheConfig& cfg, uint64_t seed, uint64_t txns,
                        const std::string& dir);

}  // namespace fusegen
