#pragma once
// `credsim run`: load a scenario, run every option on common random numbers,
// print the table and write the result files.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace credsim::cli {

struct RunOptions {
  std::string scenario;
  std::uint64_t trials = 0;  // 0: not given
  double precision = 0.0;    // 0: not given
  std::uint64_t max_trials = 10'000'000;
  std::uint64_t seed = 1;
  int threads = 0;
  std::string out;  // "": results/<scenario name>
  std::string options;  // comma-separated option names; "": all
  bool trials_csv = false;
  bool quiet = false;
  std::string max_memory;  // "": half the physical memory
  std::vector<std::string> set;  // --set PATH=VALUE, in order
  std::uint64_t worlds = 0;      // --worlds M: plausible worlds (0: a plain run)
  std::string estimator = "plain";  // --estimator: plain or conditional (models/credibility_model.hpp)
};

inline constexpr std::uint64_t kDefaultTrials = 10'000;
inline constexpr std::uint64_t kDefaultTrialsPerWorld = 2'000;

CLI::App* add_run_command(CLI::App& app, RunOptions& options);

// Returns the exit code; lets the library's typed errors through to main.
int run_command(const RunOptions& options);

}  // namespace credsim::cli
