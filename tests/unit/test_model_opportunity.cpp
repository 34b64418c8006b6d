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
#include "models/model_equations.hpp"
#include "models/scenario_loader.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"

namespace credsim {
namespace {

std::string ukraine() { return std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml"; }

sim::RunResult run(const model::Scenario& s, const std::vector<std::string>& options, std::uint64_t trials) {
  const model::CredibilityModel m(s, options, {});
  sim::RunConfig config;
  config.seed = 47;
  config.trials = trials;
  return sim::run(m, config);
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
  const auto base = model::load_scenario(ukraine(), {{"challenger.opportunity_rate", "0.03"}});
  const auto fortna = model::load_scenario(
      ukraine(), {{"challenger.opportunity_rate", "0.03"}, {"challenger.opportunity_half_life", "12"}});
  const auto a = run(base, {"budapest"}, 20000), b = run(fortna, {"budapest"}, 20000);
  const model::CredibilityModel m(base, {"budapest"}, {});
  const auto& spec = m.layout().options[0].metrics[model::kNoArmedAttack];
  const auto ea = sim::estimate_metric(spec, a.tally.metric[0][model::kNoArmedAttack]);
  const auto eb = sim::estimate_metric(spec, b.tally.metric[0][model::kNoArmedAttack]);
  const double se = std::hypot(ea.ci->half_width(), eb.ci->half_width()) / sim::kZ95;
  EXPECT_GT(*eb.value - *ea.value, 5.0 * se) << *ea.value << " vs " << *eb.value;
}

// A crisis in month 30 with twenty times the rate: more first attacks in month
// 30 than in month 29 by more than 5 Poisson standard errors.
TEST(ModelOpportunity, ACrisisConcentratesAttacksInItsMonth) {
  auto s = model::load_scenario(ukraine());
  s.base.crises = {30};
  s.base.challenger.crisis_multiplier = 20.0;
  const auto r = run(s, {"budapest"}, 20000);
  const double at = static_cast<double>(r.tally.survival[0].events[29]);
  const double before = static_cast<double>(r.tally.survival[0].events[28]);
  EXPECT_GT(at - before, 5.0 * std::sqrt(at + before)) << at << " vs " << before;
}

}  // namespace
}  // namespace credsim
