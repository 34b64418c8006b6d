// The two ways of sampling the challenger's opportunities (geometric gaps, the
// default; one draw per month, as the model is written) run the same
// equations and must agree in distribution. Independent seeds; each headline
// metric of each option is compared by a two-sample z-test whose threshold is
// Bonferroni-corrected over every comparison (family-wise false alarm 0.1%).
// The plain and conditional estimators likewise.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>
#include <tuple>

#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

using test::run_model;

// The two-sided z threshold for `comparisons` tests, family-wise false alarm 0.1%.
double bonferroni_z(std::size_t comparisons) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), 0.001 / (2.0 * comparisons)));
}

// Two independent estimates agree within z_max standard errors of their
// difference (`se`); equal when neither has an error. True when z-tested.
bool expect_agree(const sim::Estimate& a, const sim::Estimate& b, double se, double z_max, const std::string& what) {
  if (se == 0.0) {
    EXPECT_EQ(*a.value, *b.value) << what;
    return false;
  }
  EXPECT_LT(std::fabs(*a.value - *b.value) / se, z_max)
      << what << ": " << *a.value << " vs " << *b.value << " (SE " << se << ")";
  return true;
}

TEST(ModelKernels, GapsAndPerPeriodAgreeInDistribution) {
  // Frequent opportunities, so that attacks, wars and their outcomes are common.
  const auto scenario = model::load_scenario(std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml",
                                             {{"challenger.opportunity_rate", "0.03"}});
  const model::CredibilityModel gaps(scenario, {}, {model::OpportunitySampler::gaps});
  const model::CredibilityModel per_period(scenario, {}, {model::OpportunitySampler::per_period});
  const std::uint64_t n = 20000;
  const sim::RunResult a = run_model(gaps, 1, n), b = run_model(per_period, 2, n);
  const auto& layout = gaps.layout();
  std::size_t comparisons = 0;
  for (const auto& o : layout.options)
    for (const auto& m : o.metrics) comparisons += m.headline ? 1 : 0;
  const double z_max = bonferroni_z(comparisons);
  std::size_t compared = 0;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t m = 0; m < layout.options[o].metrics.size(); ++m) {
      const auto& spec = layout.options[o].metrics[m];
      if (!spec.headline) continue;
      const auto ea = sim::estimate_metric(spec, a.tally.metric[o][m]);
      const auto eb = sim::estimate_metric(spec, b.tally.metric[o][m]);
      ASSERT_TRUE(ea.value && eb.value) << layout.options[o].name << " " << spec.name;
      const double se = std::hypot(ea.std_error.value_or(0.0), eb.std_error.value_or(0.0));
      if (expect_agree(ea, eb, se, z_max, layout.options[o].name + " " + spec.name)) ++compared;
    }
  }
  EXPECT_GT(compared, layout.options.size() * 5);
}

// Conditional Monte Carlo records, for the deal, the acceptances, ratification,
// no attack through T and a major attack, their probability given the trial's
// other draws: the same expectation as the plain 0/1 outcome, for any scoring
// oversampling (1: the scoring months are the opportunities; 5: most are not).
// Independent seeds; every metric the two estimators both estimate is compared
// by a two-sample z-test, Bonferroni over all of them (family-wise false alarm 0.1%).
// The "given deal" metrics are ratios over every trial (docs/engine.md), so
// the single-war model, whose war is fought only under a deal, is run too.
class ConditionalAgreesWithPlain : public ::testing::TestWithParam<std::tuple<double, bool>> {};

std::string estimator_case_name(const ::testing::TestParamInfo<std::tuple<double, bool>>& case_info) {
  const auto [k, repeated] = case_info.param;
  return "k" + std::to_string(static_cast<int>(k)) + (repeated ? "_repeated" : "_single_war");
}

TEST_P(ConditionalAgreesWithPlain, WithinTheStandardError) {
  const auto [oversampling, repeated] = GetParam();
  const auto scenario = model::load_scenario(
      std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml",
      {{"challenger.opportunity_rate", "0.03"}, {"globals.repeated_attacks", repeated ? "true" : "false"}});
  const model::CredibilityModel plain(scenario, {}, {});
  const model::CredibilityModel conditional(
      scenario, {}, {.estimator = model::Estimator::conditional, .scoring_oversampling = oversampling});
  const std::uint64_t n = 20000;
  const sim::RunResult a = run_model(plain, 1, n), b = run_model(conditional, 2, n);
  const auto& layout = conditional.layout();
  std::size_t comparisons = 0;
  for (const auto& o : layout.options) comparisons += o.metrics.size();
  const double z_max = bonferroni_z(comparisons);
  std::size_t compared = 0, expected = 0;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t m = 0; m < layout.options[o].metrics.size(); ++m) {
      const auto& spec = layout.options[o].metrics[m];
      const auto ea = sim::estimate_metric(plain.layout().options[o].metrics[m], a.tally.metric[o][m]);
      const auto eb = sim::estimate_metric(spec, b.tally.metric[o][m]);
      if (!ea.value || !eb.value) continue;  // e.g. promise kept, never triggered
      expected += spec.expected ? 1 : 0;
      // The plain side's error from its Wilson interval, which stays positive
      // at k = n (a proportion's plug-in standard error is 0 there).
      const double se_plain = ea.ci ? ea.ci->half_width() / sim::kZ95 : 0.0;
      const double se = std::hypot(se_plain, eb.std_error.value_or(0.0));
      if (expect_agree(ea, eb, se, z_max, layout.options[o].name + " " + spec.name)) ++compared;
    }
  }
  EXPECT_EQ(expected, layout.options.size() * 8);  // the eight conditional metrics, in every option
  EXPECT_GT(compared, layout.options.size() * 10);
}

INSTANTIATE_TEST_SUITE_P(ModelEstimators, ConditionalAgreesWithPlain,
                         ::testing::Values(std::tuple{1.0, true}, std::tuple{2.0, true}, std::tuple{5.0, true},
                                           std::tuple{2.0, false}),
                         estimator_case_name);

// On the same seed the two estimators run the same trials: every metric the
// conditional estimator leaves as an outcome has the same tally (the scoring
// months include the opportunities, so the coins are the same); the ones it
// replaces have a smaller standard error (Rao-Blackwell) wherever the plain
// one is not already exact; and more scoring months shrink the error of no
// armed attack through T further (less of the variance of when opportunities
// come is left).
TEST(ModelEstimators, SameCoinsSmallerErrorsAndMoreScoringMonthsSmallerStill) {
  const auto scenario = model::load_scenario(std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml",
                                             {{"challenger.opportunity_rate", "0.03"}});
  const model::CredibilityModel plain(scenario, {}, {});
  const model::CredibilityModel conditional(scenario, {}, {.estimator = model::Estimator::conditional});
  const model::CredibilityModel every_month(
      scenario, {}, {.estimator = model::Estimator::conditional, .scoring_oversampling = 1e9});
  const sim::RunResult a = run_model(plain, 5, 10000), b = run_model(conditional, 5, 10000),
                       c = run_model(every_month, 5, 10000);
  const auto& layout = conditional.layout();
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t m = 0; m < layout.options[o].metrics.size(); ++m) {
      const auto& spec = layout.options[o].metrics[m];
      const std::string what = layout.options[o].name + " " + spec.name;
      const auto& ta = a.tally.metric[o][m];
      const auto& tb = b.tally.metric[o][m];
      if (!spec.expected) {
        if (spec.name == "deterrence_added") continue;  // a difference of conditional probabilities
        EXPECT_EQ(ta.proportion.n, tb.proportion.n) << what;
        EXPECT_EQ(ta.proportion.k, tb.proportion.k) << what;
        EXPECT_EQ(ta.moments.n, tb.moments.n) << what;
        EXPECT_EQ(ta.moments.mean, tb.moments.mean) << what;
        continue;
      }
      const auto ea = sim::estimate_metric(plain.layout().options[o].metrics[m], ta);
      const auto eb = sim::estimate_metric(spec, tb);
      if (ea.std_error && *ea.std_error > 0.0) {
        EXPECT_LT(*eb.std_error, *ea.std_error) << what;
      }
      if (spec.name == "p_no_armed_attack_all") {
        const auto ec = sim::estimate_metric(spec, c.tally.metric[o][m]);
        EXPECT_LT(*ec.std_error, *eb.std_error) << what;
      }
    }
    for (std::size_t k = 0; k < a.tally.survival[o].size(); ++k)
      EXPECT_EQ(a.tally.survival[o][k].events, b.tally.survival[o][k].events) << layout.options[o].name << "/" << k;
  }
}

}  // namespace
}  // namespace credsim
