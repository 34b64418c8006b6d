#pragma once
// The backtest's table and files (backtest.csv, backtest.json). Every output
// names each case's scenario sha256, the seed, the trials per case and the version.
#include <cstdint>
#include <string>
#include <vector>

#include "models/backtest.hpp"

namespace credsim::model {

struct BacktestInfo {
  std::string cases_dir;  // as given on the command line
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;  // per case
  std::string version;
};

// sha256 of the cases' sha256s, in order: one hash for the whole case library.
std::string cases_sha256(const std::vector<CaseResult>& cases);

std::string backtest_table(const std::vector<CaseResult>& cases, const BacktestSummary& summary);

// One row per case ("attack") and per commitment ("honour"): predicted,
// interval, observed and the baselines' forecasts, so that every score in
// backtest.json can be recomputed from it.
std::string backtest_csv(const std::vector<CaseResult>& cases, const BacktestSummary& summary,
                         const BacktestInfo& info);

std::string backtest_json(const std::vector<CaseResult>& cases, const BacktestSummary& summary,
                          const BacktestInfo& info);

}  // namespace credsim::model
