#pragma once
// Where a set of results came from: written at the top of every output file.
// Deliberately holds nothing that varies between runs of the same request
// (no thread count, wall time or date), so outputs are byte-identical.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credsim/version.hpp"

namespace credsim::sim {

struct RunInfo {
  std::string scenario_name;
  std::string scenario_file;    // file name only: outputs must not depend on where the checkout lives
  std::string scenario_sha256;  // of the scenario and preset files' bytes
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;      // actually run
  double precision_target = 0.0;  // 0 when a fixed trial count was asked
  std::uint64_t worlds = 0;            // plausible worlds (--worlds), 0 for a plain run
  std::uint64_t trials_per_world = 0;  // with worlds: trials = worlds x trials_per_world
  std::string version = kVersion;
  std::vector<std::string> overrides;  // --set PATH=VALUE applied to the scenario file, in order
  // One object per parameter source, filled by the model side (sim/ does not
  // know the model). Ordered keys keep the files stable and readable.
  nlohmann::ordered_json parameters_provenance = nlohmann::ordered_json::array();
};

}  // namespace credsim::sim
