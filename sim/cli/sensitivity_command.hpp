#pragma once
// `credsim sensitivity`: Sobol' indices (Saltelli sampling) and Morris
// elementary effects of every reported metric with respect to a sweep file's factors.
#include <CLI/CLI.hpp>

#include "sim/cli/sweep_command.hpp"

namespace credsim::cli {

CLI::App* add_sensitivity_command(CLI::App& app, SweepOptions& options);
int sensitivity_command(const SweepOptions& options);

}  // namespace credsim::cli
