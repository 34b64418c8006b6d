#pragma once
// The sufficient statistics of a set of trials, for every option and metric.
#include <cstdint>
#include <vector>

#include "sim/stats.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

struct MetricTally {
  Proportion proportion;  // used for probability metrics
  Moments moments;        // used for every metric
  WeightedMean weighted;  // used for ratio metrics (MetricSpec::ratio)
  MetricTally& operator+=(const MetricTally& o) {
    proportion += o.proportion;
    moments += o.moments;
    weighted += o.weighted;
    return *this;
  }
};

class Tally {
 public:
  Tally() = default;
  explicit Tally(const OutcomeLayout& layout);

  void add(const OutcomeLayout& layout, const TrialRecord& record);
  Tally& operator+=(const Tally& other);

  std::uint64_t trials = 0;
  std::vector<std::vector<MetricTally>> metric;  // [option][metric]
  std::vector<std::vector<Survival>> survival;   // [option][survival curve]
  std::vector<std::vector<Moments>> paired;      // [option][common metric]: option minus baseline, same trial
};

// Largest 95% half-width among the headline probabilities of every option.
struct WidestInterval {
  double half_width = 0.0;
  std::size_t option = 0;
  std::size_t metric = 0;
};
WidestInterval widest_headline_interval(const OutcomeLayout& layout, const Tally& tally);

}  // namespace credsim::sim
