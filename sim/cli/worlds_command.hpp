#pragma once
// credsim run --worlds M: the plausible-worlds run (sim/worlds.hpp).
#include <filesystem>

#include "models/scenario.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/run_info.hpp"

namespace credsim::cli {

// `info` carries the scenario's provenance, as run_command filled it. Returns the exit code.
int run_worlds_command(const RunOptions& options, model::Scenario scenario, sim::RunInfo info,
                       const std::filesystem::path& out_dir);

}  // namespace credsim::cli
