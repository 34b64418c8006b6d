#pragma once
// Reading results out of the sufficient statistics, and the terminal table.
// Every estimate comes with its uncertainty; what cannot be estimated (no
// trial met the condition) is absent rather than a made-up number.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/run_info.hpp"
#include "sim/stats.hpp"
#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

struct Estimate {
  std::uint64_t n = 0;              // trials the estimate is based on
  std::optional<double> value;      // absent when n = 0
  std::optional<double> std_error;  // absent when it cannot be estimated (n = 0, or a mean with n = 1)
  std::optional<Interval> ci;       // 95%; absent exactly when std_error is
};

// A probability: k/n, SE sqrt(p(1-p)/n), Wilson interval. A mean: the sample
// mean, SE s/sqrt(n), normal interval mean +- 1.96 SE. A ratio metric: the
// weighted ratio, its delta-method SE and the normal interval.
Estimate estimate_metric(const MetricSpec& spec, const MetricTally& tally);
// A paired difference (option minus baseline on the same trials) of a metric of
// kind `spec.kind`: the mean difference and its SE. The interval of a mean is
// normal; that of a probability is Agresti-Min's adjusted Wald interval for
// matched pairs, which stays honest when the pairs rarely or never disagree
// (where the normal interval would collapse to a point).
Estimate estimate_difference(const MetricSpec& spec, const Moments& differences);
// S(t) = P(no event by t) among the trials at risk, Wilson interval (S(0) = 1 exactly).
Estimate estimate_survival(const Survival& survival, int t);

// The table printed after a run: per option, its headline metrics with 95%
// intervals; then the paired differences against the baseline option. Fits in
// 100 columns (labels longer than 40 characters are shortened).
std::string format_report(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info);

// What the run's intervals cover, in one sentence: Monte Carlo error only, or,
// for a run pooled over plausible worlds, that they leave the spread between
// worlds out (it is reported apart). Shared by the console table and summary.json.
std::string intervals_meaning(const RunInfo& info);

// Every metric of the layout once (by name, first occurrence), for glossaries.
std::vector<MetricSpec> glossary(const OutcomeLayout& layout);
// The console's glossary: each headline metric's label, definition, unit and denominator.
std::string format_glossary(const OutcomeLayout& layout);

}  // namespace credsim::sim
