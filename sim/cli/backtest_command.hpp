#pragma once
// `credsim backtest DIR`: run every historical case in DIR (scenarios with an
// `observed:` section, docs/scenario-format.md) and score the model's
// predictions against what happened, next to naive baselines.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace credsim::cli {

struct BacktestOptions {
  std::string dir;
  std::uint64_t trials = 4000;  // per case: a few seconds for the whole library
  std::uint64_t seed = 1;
  int threads = 0;
  std::string out;  // "": results/backtest
  double log_floor = 0.01;
  bool quiet = false;
  // Cross-validation (credsim_analysis.backtest_cv): "" = none, "loo", or a number of folds.
  std::string cv;
  std::uint64_t draws = 1024;     // draws of the calibrated constants, each run on every case
  std::uint64_t cv_trials = 500;   // trials per case and draw
  std::string calibration;         // "": the analysis package's docs/calibration.json
};

CLI::App* add_backtest_command(CLI::App& app, BacktestOptions& options);

// Returns the exit code; lets the library's typed errors through to main.
int backtest_command(const BacktestOptions& options);

}  // namespace credsim::cli
