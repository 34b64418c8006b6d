#pragma once
// Throughput of the real run path (sim::run) at several thread counts, for the
// benchmark command. Wall-clock figures, never part of result files.
#include <cstdint>
#include <vector>

#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

struct ThroughputPoint {
  int threads = 0;
  std::uint64_t trials = 0;
  double seconds = 0.0;
  double trials_per_second = 0.0;
  double trial_options_per_second = 0.0;  // trials x options per second
  double per_core = 0.0;                  // trial-options per second per thread
  double efficiency = 0.0;                // speed-up over 1 thread / threads
};

// Runs `trials` trials once per thread count (after one warm-up run) and times each.
std::vector<ThroughputPoint> measure_throughput(const TrialModel& model, std::uint64_t trials,
                                                const std::vector<int>& thread_counts, std::uint64_t seed = 1);

// Time to a precision: one run with `RunConfig::precision` = half_width at each
// thread count, until every headline probability's 95% half-width is at most
// half_width (or max_trials, then reached = false).
struct PrecisionPoint {
  int threads = 0;
  bool reached = false;
  std::uint64_t trials = 0;  // trials it took
  double seconds = 0.0;
  double trial_options_per_second = 0.0;
  WidestInterval widest;  // at the end
};
std::vector<PrecisionPoint> measure_time_to_precision(const TrialModel& model, double half_width,
                                                      std::uint64_t max_trials, const std::vector<int>& thread_counts,
                                                      std::uint64_t seed = 1);

// Peak resident memory of this process so far, in MiB.
double peak_memory_mib();

}  // namespace credsim::sim
