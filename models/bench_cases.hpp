#pragma once
// The fixed workloads of the performance benchmarks (tests/benchmarks) and of
// the CLI's `credsim bench`: built in memory, so they need no scenario file.
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace credsim::model {

// A synthetic case of the size the engine must handle: 10 guarantors (3 of them
// nuclear, each with elections and turnover), 4 options of 20 commitments each
// (2 per guarantor: combat, aid surge, sanctions, tripwires, ambiguity, aid),
// and 16 uncertain parameters through a Gaussian copula with correlations.
Scenario large_case(int horizon = 120);

// The same scenario over another horizon (periods): elections keep their
// calendar, every per-period rate its value.
Scenario with_horizon(Scenario scenario, int horizon);

struct BenchCase {
  std::string name;  // e.g. "ukraine_10y"
  Scenario scenario;
};

// The benchmark set: the synthetic case over 10 and 30 years, and, when given,
// a loaded scenario (e.g. scenarios/ukraine.yaml under the name "ukraine") over
// 10 and 30 years.
std::vector<BenchCase> bench_cases(const Scenario* loaded = nullptr, const std::string& loaded_name = "ukraine");

}  // namespace credsim::model
