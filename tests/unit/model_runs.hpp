#pragma once
// Whole runs of the behavioural model for its property tests: the Ukraine
// case's path, one run, bit-for-bit equality of two runs, and the gap of a
// probability between two runs with the standard error of that gap.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "models/credibility_model.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"

namespace credsim::test {

inline std::string ukraine_path() { return std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml"; }

inline sim::RunResult run_model(const sim::TrialModel& m, std::uint64_t seed, std::uint64_t trials, int threads = 1) {
  sim::RunConfig config;
  config.seed = seed;
  config.trials = trials;
  config.threads = threads;
  return sim::run(m, config);
}

inline sim::RunResult run_model(const model::Scenario& s, std::uint64_t seed, std::uint64_t trials,
                                const std::vector<std::string>& options = {}, int threads = 1) {
  return run_model(model::CredibilityModel(s, options, {}), seed, trials, threads);
}

// Every metric's tally and every survival count of the two runs are the same
// bits; a difference is named by the layout's option and metric names.
inline void expect_same_tallies(const sim::RunResult& a, const sim::RunResult& b, const sim::OutcomeLayout& layout) {
  ASSERT_EQ(a.tally.metric.size(), layout.options.size());
  ASSERT_EQ(b.tally.metric.size(), layout.options.size());
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t m = 0; m < layout.options[o].metrics.size(); ++m) {
      const std::string what = layout.options[o].name + " " + layout.options[o].metrics[m].name;
      const auto& ta = a.tally.metric[o][m];
      const auto& tb = b.tally.metric[o][m];
      EXPECT_EQ(ta.proportion.n, tb.proportion.n) << what;
      EXPECT_EQ(ta.proportion.k, tb.proportion.k) << what;
      EXPECT_EQ(ta.moments.n, tb.moments.n) << what;
      EXPECT_EQ(ta.moments.mean, tb.moments.mean) << what;
      EXPECT_EQ(ta.moments.m2, tb.moments.m2) << what;
    }
    for (std::size_t c = 0; c < a.tally.survival[o].size(); ++c)
      EXPECT_EQ(a.tally.survival[o][c].events, b.tally.survival[o][c].events) << layout.options[o].name << "/" << c;
  }
}
inline void expect_same_tallies(const sim::RunResult& a, const sim::RunResult& b, const model::Scenario& s) {
  expect_same_tallies(a, b, model::CredibilityModel(s, {}, {}).layout());
}

// Probability `metric` of the first option in runs a and b of `m`'s layout,
// and the standard error of b - a: the two runs' Wilson errors in quadrature.
struct Gap {
  double a = 0.0, b = 0.0, se = 0.0;
};
inline Gap probability_gap(const sim::TrialModel& m, std::size_t metric, const sim::RunResult& a,
                           const sim::RunResult& b) {
  const auto& spec = m.layout().options[0].metrics[metric];
  const auto ea = sim::estimate_metric(spec, a.tally.metric[0][metric]);
  const auto eb = sim::estimate_metric(spec, b.tally.metric[0][metric]);
  return {*ea.value, *eb.value, std::hypot(ea.ci->half_width(), eb.ci->half_width()) / sim::kZ95};
}

}  // namespace credsim::test
