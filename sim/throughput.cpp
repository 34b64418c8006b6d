#include "sim/throughput.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include "sim/errors.hpp"
#include "sim/runner.hpp"

namespace credsim::sim {

std::vector<ThroughputPoint> measure_throughput(const TrialModel& model, std::uint64_t trials,
                                                const std::vector<int>& thread_counts, std::uint64_t seed) {
  const double options = static_cast<double>(model.layout().options.size());
  RunConfig config;
  config.seed = seed;
  config.trials = std::max<std::uint64_t>(trials / 10, 1);
  run(model, config);  // warm-up: page in code and data, start the thread pool

  std::vector<ThroughputPoint> points;
  double single = 0.0;
  for (int threads : thread_counts) {
    config.trials = trials;
    config.threads = threads;
    const auto start = std::chrono::steady_clock::now();
    run(model, config);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ThroughputPoint p;
    p.threads = threads;
    p.trials = trials;
    p.seconds = seconds;
    p.trials_per_second = static_cast<double>(trials) / seconds;
    p.trial_options_per_second = p.trials_per_second * options;
    p.per_core = p.trial_options_per_second / threads;
    if (threads == 1) single = p.trial_options_per_second;
    p.efficiency = single > 0.0 ? p.trial_options_per_second / (single * threads) : 0.0;
    points.push_back(p);
  }
  return points;
}

std::vector<PrecisionPoint> measure_time_to_precision(const TrialModel& model, double half_width,
                                                      std::uint64_t max_trials, const std::vector<int>& thread_counts,
                                                      std::uint64_t seed) {
  const double options = static_cast<double>(model.layout().options.size());
  std::vector<PrecisionPoint> points;
  for (int threads : thread_counts) {
    RunConfig config;
    config.seed = seed;
    config.precision = half_width;
    config.max_trials = max_trials;
    config.threads = threads;
    PrecisionPoint p;
    p.threads = threads;
    // Precision is checked after each block, so the run stops where it is
    // reached; run() throws when the cap comes first: then the time is the cap's.
    const auto start = std::chrono::steady_clock::now();
    try {
      const RunResult r = run(model, config);
      p.reached = true;
      p.trials = r.tally.trials;
      p.widest = r.widest;
    } catch (const RunError&) {
      p.trials = max_trials;
    }
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    p.trial_options_per_second = static_cast<double>(p.trials) * options / p.seconds;
    points.push_back(p);
  }
  return points;
}

double peak_memory_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace credsim::sim
