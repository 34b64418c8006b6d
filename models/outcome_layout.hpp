#pragma once
// The outcome layout of the model: which metrics every option reports, in
// which order, with the plain-English glossary every table and file carries.
#include <cstddef>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"  // CommonMetric
#include "models/scenario.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

// The option every comparison includes (added by the loader when a scenario has none).
inline constexpr const char* kNoGuaranteeOption = "no_guarantee";

// The kCommonMetrics metrics every option reports, in CommonMetric order.
std::vector<sim::MetricSpec> common_metrics();

// The guarantors with a commitment in the option, in the order of their first
// commitment: one `p_promise_kept_<guarantor>` metric each, after the common ones.
std::vector<std::size_t> committed_guarantors(const Option& option);

// The two metrics of each month of globals.credibility_months (true, then
// perceived): common metrics, after the kCommonMetrics.
std::vector<sim::MetricSpec> credibility_metrics(const std::vector<int>& months);

// One option's metrics: the common ones (with the credibility months'), then
// one per committed guarantor.
sim::OptionLayout option_layout(const Option& option, const std::vector<Guarantor>& guarantors,
                                const std::vector<int>& credibility_months = {});

// Scenario option indices of the named options, in that order (empty = all).
// Throws sim::RunError for an unknown name.
std::vector<std::size_t> select_options(const Scenario& scenario, const std::vector<std::string>& names);

// The survival curves every option reports, in this order.
enum SurvivalCurve : std::size_t { kNoArmedAttackCurve, kNoMajorAttackCurve, kSurvivalCurves };

// Their specs; the definitions say what the single-war model (repeated attacks
// off) cannot show.
std::vector<sim::SurvivalSpec> survival_curves(bool repeated_attacks);

// The whole layout for the selected options (baseline, horizon, survival).
sim::OutcomeLayout outcome_layout(const Scenario& scenario, const std::vector<std::size_t>& selected);

}  // namespace credsim::model
