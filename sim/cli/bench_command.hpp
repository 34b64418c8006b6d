#pragma once
// `credsim bench`: throughput of the real run path, single-threaded and on all
// cores. Figures are wall-clock and never enter result files.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace credsim::cli {

struct BenchOptions {
  std::string scenario = "scenarios/ukraine.yaml";
  std::uint64_t trials = 100'000;
  int max_threads = 0;  // 0 = all cores
  std::string model = "fast";
  double precision = 0.0;  // > 0: also the time to this 95% half-width, for both estimators
  std::uint64_t max_trials = 10'000'000;
};

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options);
int bench_command(const BenchOptions& options);

}  // namespace credsim::cli
