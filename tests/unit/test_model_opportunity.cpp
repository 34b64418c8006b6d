// Opportunity over time (issue 12): the challenger's opportunity rate may fall
// with the length of the peace (Fortna) and jump at scheduled crises.
// Properties: the defaults are the constant rate; a falling rate makes peace
// more likely; a crisis concentrates attacks in its month.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/outcome_layout.hpp"
#include "models/model_equations.hpp"
#include "models/scenario_loader.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

using test::ukraine_path;

sim::RunResult run(const model::Scenario& s, const std::vector<std::string>& options, std::uint64_t trials) {
  return test::run_model(s, 47, trials, options);
}

TEST(ModelOpportunity, DefaultsAreTheConstantRate) {
  model::Challenger c;
  c.opportunity_rate = 0.01;
  const std::vector<int> crises = {12};
  EXPECT_FALSE(model::opportunity_varies(c, crises));
  for (int t = 1; t <= 120; ++t) EXPECT_EQ(model::opportunity_probability(c, crises, t), 0.01);
  c.opportunity_half_life = 24.0;
  EXPECT_TRUE(model::opportunity_varies(c, crises));
  EXPECT_EQ(model::opportunity_probability(c, crises, 25), 0.005);
  for (int t = 1; t < 120; ++t)
    EXPECT_LE(model::opportunity_probability(c, {}, t + 1), model::opportunity_probability(c, {}, t));
}

// Fortna: a ceasefire that grows more durable. A rate halving every year
// raises P(no armed attack | deal) by more than 5 standard errors of the
// difference (Wilson errors of the two runs, same seed).
TEST(ModelOpportunity, AFallingRateMakesPeaceMoreLikely) {
  const auto base = model::load_scenario(ukraine_path(), {{"challenger.opportunity_rate", "0.03"}});
  const auto fortna = model::load_scenario(
      ukraine_path(), {{"challenger.opportunity_rate", "0.03"}, {"challenger.opportunity_half_life", "12"}});
  const auto a = run(base, {"budapest"}, 20000), b = run(fortna, {"budapest"}, 20000);
  const test::Gap g = test::probability_gap(model::CredibilityModel(base, {"budapest"}, {}), model::kNoArmedAttack, a, b);
  EXPECT_GT(g.b - g.a, 5.0 * g.se) << g.a << " vs " << g.b;
}

// A crisis in month 30 with twenty times the rate: more first attacks in month
// 30 than in month 29 by more than 5 Poisson standard errors.
TEST(ModelOpportunity, ACrisisConcentratesAttacksInItsMonth) {
  auto s = model::load_scenario(ukraine_path());
  s.base.crises = {30};
  s.base.challenger.crisis_multiplier = 20.0;
  const auto r = run(s, {"budapest"}, 20000);
  const double at = static_cast<double>(r.tally.survival[0][model::kNoArmedAttackCurve].events[29]);
  const double before = static_cast<double>(r.tally.survival[0][model::kNoArmedAttackCurve].events[28]);
  EXPECT_GT(at - before, 5.0 * std::sqrt(at + before)) << at << " vs " << before;
}

}  // namespace
}  // namespace credsim
