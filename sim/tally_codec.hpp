#pragma once
// A Tally as text and back, exactly (doubles round-trip): lets processes
// (MPI ranks) send block tallies to rank 0, which merges them in block order.
#include <string>

#include "sim/tally.hpp"

namespace credsim::sim {

std::string encode_tally(const Tally& tally);
Tally decode_tally(const std::string& text);

}  // namespace credsim::sim
