#pragma once
// A tiny TrialModel for the output, report and runner-facing tests, so they do
// not depend on the behavioural model: two coins tossed on the same uniform
// (common random numbers), a conditional mean, and a 3-period survival curve.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "sim/trial_model.hpp"

namespace credsim::test {

class CoinModel : public sim::TrialModel {
 public:
  enum Mode { normal, never_given, nan_value };

  explicit CoinModel(double p_second = 0.7, Mode mode = normal) : p_second_(p_second), mode_(mode) {
    using sim::MetricKind;
    const std::vector<sim::MetricSpec> common = {
        {"p_heads", "P(heads)", MetricKind::probability, "", true, "The coin lands heads", "probability"},
        {"score", "Score (| heads)", MetricKind::mean, "heads", true, "Ten times the second uniform", "points"},
        {"p_edge", "P(edge | landed on edge)", MetricKind::probability, "edge", false, "", "probability"},
    };
    layout_.options = {{"fair", "Fair coin", common}, {"biased", "Biased coin, \"heavy\", side", common}};
    layout_.options[1].metrics.push_back({"bonus", "Bonus", MetricKind::mean, "", false, "", "points"});
    layout_.common_metrics = common.size();
    layout_.baseline = 0;
    layout_.horizon = 3;
    // Two curves, so every path through the engine carries more than one.
    layout_.survival_curves = {{"any_event", "P(no event by t)", "The second uniform's period, if any", "always"},
                               {"heads_event", "P(no event by t | heads)", "The same, among heads", "heads"}};
  }

  const sim::OutcomeLayout& layout() const override { return layout_; }
  std::unique_ptr<sim::Workspace> make_workspace() const override { return std::make_unique<sim::Workspace>(); }

  void run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace&, sim::TrialRecord& out) const override {
    const double u = uniform(seed, trial, 1);
    const double v = uniform(seed, trial, 2);
    const double p[2] = {0.5, p_second_};
    for (std::size_t o = 0; o < 2; ++o) {
      const bool heads = u < p[o];
      out.set(o, 0, heads ? 1.0 : 0.0);
      if (heads) out.set(o, 1, mode_ == nan_value ? std::numeric_limits<double>::quiet_NaN() : 10.0 * v);
      if (mode_ != never_given && v < 0.01) out.set(o, 2, u < 0.5 ? 1.0 : 0.0);
      out.set_survival(o, 0, true, static_cast<int>(v * 4.0));  // 0 = no event; 1..3 = the period
      out.set_survival(o, 1, heads, static_cast<int>(v * 4.0));
    }
    out.set(1, 3, v);
  }

 private:
  static double uniform(std::uint64_t seed, std::uint64_t trial, std::uint64_t purpose) {
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + trial * 0xBF58476D1CE4E5B9ULL + purpose * 0x94D049BB133111EBULL;
    for (int i = 0; i < 2; ++i) {  // splitmix64 finaliser, twice
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      z ^= z >> 31;
    }
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }

  double p_second_;
  Mode mode_;
  sim::OutcomeLayout layout_;
};

}  // namespace credsim::test
