#pragma once
// The outcome layout of the v1 model: which metrics every option reports, in
// which order. Shared by the reference model (credibility_model) and the fast
// one (fast_model) so that their tallies line up entry by entry.
#include <cstddef>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"  // CommonMetric
#include "models/scenario.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

// Per-commitment metrics follow the common ones, three per commitment.
enum CommitmentMetric : std::size_t { kCommitHonour = 0, kCommitCredibility, kCommitPerceived, kPerCommitment };

// Index of metric `m` of an option's commitment `j` in its metrics list.
constexpr std::size_t commitment_metric(std::size_t j, CommitmentMetric m) {
  return kCommonMetrics + j * kPerCommitment + m;
}

// The kCommonMetrics metrics every option reports, in CommonMetric order.
std::vector<sim::MetricSpec> common_metrics();

// One option's metrics: the common ones, then three per commitment.
sim::OptionLayout option_layout(const Option& option, const std::vector<Guarantor>& guarantors);

// Scenario option indices of the named options, in that order (empty = all).
// Throws sim::RunError for an unknown name.
std::vector<std::size_t> select_options(const Scenario& scenario, const std::vector<std::string>& names);

// The whole layout for the selected options (baseline, horizon, survival).
sim::OutcomeLayout outcome_layout(const Scenario& scenario, const std::vector<std::size_t>& selected);

}  // namespace credsim::model
