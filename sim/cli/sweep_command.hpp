#pragma once
// `credsim sweep` and `credsim sensitivity`: run a sweep file's design (or its
// Saltelli/Morris samples) over a scenario, resumably, and write the tables.
#include <CLI/CLI.hpp>

#include <string>

#include "sim/sweep.hpp"

namespace credsim::cli {

struct SweepOptions {
  std::string sweep_file;
  std::string out;  // "": results/sweeps/<sweep file stem>
  int threads = 0;
  std::string shard;  // "i/N"
  bool quiet = false;
  std::string max_memory;  // "": half the RAM
};

CLI::App* add_sweep_command(CLI::App& app, SweepOptions& options);
int sweep_command(const SweepOptions& options);

// Shared by sweep and sensitivity: "i/N" -> Shard (CLI11 has checked the form).
sim::Shard parse_shard(const std::string& text);
CLI::Validator shard_validator();
// --max-memory SIZE, as credsim run's.
void add_max_memory_option(CLI::App& cmd, std::string& max_memory);
// Runs a study of either kind with the progress bar, Ctrl-C and MPI when built.
int run_study_command(const SweepOptions& options, bool sensitivity);

}  // namespace credsim::cli
