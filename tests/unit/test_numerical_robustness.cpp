// Numerical robustness: extreme but legal parameters (costs near 1e300, zero
// strengths, resolve 0, lambda up to 1e300, decision noise 1e-300, opportunity
// rate 0 or 0.5, tiny or huge troop scales, large contest exponents) give
// finite probabilities in [0, 1], never NaN, in the equations and in whole
// trials; ordinary parameters give exactly what the plain formulas give.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "model_fixture.hpp"
#include "models/credibility_model.hpp"
#include "models/model_equations.hpp"
#include "sim/runner.hpp"
#include "sim/tally.hpp"

namespace credsim {
namespace {

using model::Parameters;
constexpr double kInf = std::numeric_limits<double>::infinity();

bool is_probability(double x) { return std::isfinite(x) && x >= 0.0 && x <= 1.0; }

// Values at the edges of the legal ranges, plus a few ordinary ones.
rc::Gen<double> extreme_non_negative() {
  return rc::gen::element(0.0, 1e-300, 1e-12, 0.3, 1.0, 7.0, 1e12, 1e150, 1e300);
}
rc::Gen<double> extreme_positive() { return rc::gen::element(1e-300, 1e-12, 0.3, 1.0, 7.0, 1e12, 1e300); }
rc::Gen<double> extreme_real() {
  return rc::gen::element(-1e300, -1e12, -1.0, 0.0, 1e-300, 1.0, 1e12, 1e300);
}

// The small in-memory scenario with every numeric parameter pushed to an extreme.
model::Scenario extreme_scenario() {
  model::Scenario s = test::small_scenario();
  Parameters& p = s.base;
  auto& gl = p.globals;
  gl.decision_noise = *rc::gen::element(1e-300, 1e-12, 1.0, 1e300);
  gl.troop_scale = *rc::gen::element(1e-300, 1e-12, 1.0, 5000.0, 1e300);
  gl.contest_exponent = *rc::gen::element(1e-300, 0.5, 1.0, 50.0, 1e3, 1e300);
  gl.blood_price = *extreme_non_negative();
  gl.weak_reading_weight = *rc::gen::element(0.0, 0.25, 1.0);
  auto& c = p.challenger;
  c.strength = *extreme_positive();
  c.strength_max = std::max(c.strength, *extreme_positive());
  c.growth = *rc::gen::element(0.0, 0.01, 1e300);
  c.stakes = {*extreme_non_negative(), *extreme_non_negative()};
  c.war_cost = {*extreme_non_negative(), *extreme_non_negative()};
  c.cost_per_power = *extreme_non_negative();
  c.nuclear_war_cost = *extreme_non_negative();
  c.perception_bias = *rc::gen::element(-700.0, -1.0, 0.0, 1.0, 700.0);
  c.perception_noise = *rc::gen::element(0.0, 0.3, 50.0, 1e300);
  c.precision = *rc::gen::element(0.0, 1e-300, 1.0, 1e12, 1e300);
  c.opportunity_rate = *rc::gen::element(0.0, 0.05, 0.5);
  p.settlement.deal_value = *extreme_real();
  p.settlement.continue_value = *extreme_real();
  p.protege.strength = *extreme_positive();
  p.protege.growth = *rc::gen::element(0.0, 0.01, 1e300);
  p.protege.fortification = *extreme_non_negative();
  p.protege.aid_efficiency = *extreme_non_negative();
  auto& g = p.guarantors[0];
  g.capability = *extreme_non_negative();
  g.interest = *extreme_non_negative();
  g.resolve = *extreme_non_negative();
  g.war_cost = *extreme_non_negative();
  g.escalation_aversion = *extreme_non_negative();
  g.reputation = *extreme_real();
  auto& cm = p.options[0].commitments[0];
  cm.response = *rc::gen::element(model::Response::combat, model::Response::aid_surge, model::Response::sanctions);
  cm.audience_cost = *extreme_non_negative();
  cm.ambiguity = *rc::gen::element(0.0, 0.5, 1.0);
  cm.share = *rc::gen::element(0.0, 0.5, 1.0);
  cm.sanctions = *extreme_non_negative();
  cm.red_line = *extreme_non_negative();
  cm.troops = *extreme_non_negative();
  cm.exposure = {*rc::gen::element(0.0, 1.0), *rc::gen::element(0.0, 1.0)};
  cm.troop_power = *extreme_non_negative();
  cm.aid = *extreme_non_negative();
  // A second, identical-guarantor commitment, so sums over commitments can overflow.
  p.options[0].commitments.push_back(cm);
  return s;
}

TEST(RobustnessEquations, LogisticOfInfinitiesAndExtremes) {
  EXPECT_EQ(model::logistic(kInf), 1.0);
  EXPECT_EQ(model::logistic(-kInf), 0.0);
  EXPECT_EQ(model::logistic(0.0), 0.5);
  EXPECT_EQ(model::logistic(1e300), 1.0);
  EXPECT_EQ(model::logistic(-1e300), 0.0);
}

TEST(RobustnessEquations, ContestWithOverflowingOrVanishingPowers) {
  model::Globals gl;
  gl.contest_exponent = 1e3;
  EXPECT_EQ(model::win_probability(gl, 1e10, 1e10), 0.5);   // inf / (inf + inf) before
  EXPECT_EQ(model::win_probability(gl, 2e10, 1e10), 1.0);
  EXPECT_EQ(model::win_probability(gl, 1e-10, 1e-10), 0.5);  // 0 / 0 before
  EXPECT_NEAR(model::win_probability(gl, 1e-10 * (1 + 1e-3), 1e-10), model::logistic(1e3 * std::log1p(1e-3)), 1e-12);
  EXPECT_EQ(model::win_probability(gl, 0.0, 0.0), 0.5);
  EXPECT_EQ(model::win_probability(gl, 0.0, 1.0), 0.0);
  EXPECT_EQ(model::win_probability(gl, kInf, 1.0), 1.0);
  EXPECT_EQ(model::win_probability(gl, kInf, kInf), 0.5);
  gl.contest_exponent = 1e300;
  EXPECT_EQ(model::win_probability(gl, 3.0, 2.0), 1.0);
  EXPECT_EQ(model::win_probability(gl, 0.5, 0.25), 1.0);
}

// The NaN guards change nothing for ordinary parameters: the same bits as the plain formulas.
RC_GTEST_PROP(RobustnessEquations, OrdinaryParametersGiveThePlainFormulasBitForBit, ()) {
  const double s_c = *rc::gen::inRange(1, 1000) / 100.0;
  const double s_d = *rc::gen::inRange(0, 1000) / 100.0;
  const double gamma = *rc::gen::inRange(1, 400) / 100.0;
  model::Globals gl;
  gl.contest_exponent = gamma;
  const double a = std::pow(s_c, gamma), d = std::pow(s_d, gamma);
  RC_ASSERT(model::win_probability(gl, s_c, s_d) == a / (a + d));

  Parameters p = test::small_scenario().base;
  const auto& c = p.options[0].commitments[0];
  const auto& g = p.guarantors[0];
  const double r = *rc::gen::inRange(0, 300) / 100.0;
  const double plain_u = r * g.interest + g.reputation + c.audience_cost + 0.0 -
                         g.war_cost * (1.0 + g.escalation_aversion * 1.0);
  RC_ASSERT(model::honour_utility(p, c, r, false, false) == plain_u);
  const double z = *rc::gen::inRange(-300, 300) / 100.0;
  RC_ASSERT(model::perceived_resolve(p.challenger, r, z) ==
            r * std::exp(p.challenger.perception_bias + p.challenger.perception_noise * z));
}

RC_GTEST_PROP(RobustnessEquations, ExtremeParametersGiveProbabilities, ()) {
  const model::Scenario s = extreme_scenario();
  const Parameters& p = s.base;
  const auto& opt = p.options[0];
  const double resolve = *extreme_non_negative();
  const double z = *rc::gen::element(-40.0, -1.0, 0.0, 1.0, 40.0);
  const double r_hat = model::perceived_resolve(p.challenger, resolve, z);
  RC_ASSERT(!std::isnan(r_hat));
  RC_ASSERT(r_hat >= 0.0);
  RC_ASSERT(is_probability(model::deal_acceptance(p, opt)));
  for (int a = 0; a < model::kAttackTypes; ++a) {
    model::PerceivedDefence seen;
    for (const auto& c : opt.commitments) {
      RC_ASSERT(is_probability(model::engagement_probability(p.globals, c, a)));
      for (int weak = 0; weak <= 1; ++weak)
        for (int engaged = 0; engaged <= 1; ++engaged)
          RC_ASSERT(is_probability(model::honour_probability(p, c, r_hat, weak != 0, engaged != 0)));
      const double q = model::expected_honour(p, c, a, r_hat);
      RC_ASSERT(is_probability(q));
      seen.add(p, c, a, q);
    }
    const double s_c = *rc::gen::element(0.0, 1e-300, 1.0, 1e300);
    const double s_p = *rc::gen::element(0.0, 1e-300, 1.0, 1e300, kInf);
    RC_ASSERT(is_probability(model::win_probability(p.globals, s_c, s_p)));
    RC_ASSERT(!std::isnan(model::attack_utility(p, a, s_c, s_p, seen)));
    const double p_a = model::attack_probability(p, a, s_c, s_p, seen);
    RC_ASSERT(is_probability(p_a));
    RC_ASSERT(p_a <= p.challenger.opportunity_rate);
  }
}

// Whole trials: every recorded value finite, every probability metric in [0, 1],
// and the tally of a few hundred trials has finite means.
RC_GTEST_PROP(RobustnessTrials, ExtremeScenariosGiveFiniteOutcomes, ()) {
  const model::CredibilityModel m(extreme_scenario());
  const auto& layout = m.layout();
  auto ws = m.make_workspace();
  sim::TrialRecord record(layout);
  const std::uint64_t seed = *rc::gen::inRange<std::uint64_t>(0, 1000);
  for (std::uint64_t t = 0; t < 32; ++t) {
    record.clear();
    m.run_trial(seed, t, *ws, record);
    for (std::size_t o = 0; o < layout.options.size(); ++o) {
      const auto& metrics = layout.options[o].metrics;
      for (std::size_t k = 0; k < metrics.size(); ++k) {
        if (!record.present(o, k)) continue;
        const double v = record.value(o, k);
        RC_ASSERT(std::isfinite(v));
        if (metrics[k].kind == sim::MetricKind::probability) RC_ASSERT(v >= 0.0 && v <= 1.0);
      }
      RC_ASSERT(record.event_time(o) >= 0 && record.event_time(o) <= layout.horizon);
    }
  }
  sim::RunConfig config;
  config.seed = seed;
  config.trials = 300;
  config.threads = 1;
  const sim::Tally tally = sim::run(m, config).tally;
  for (const auto& option : tally.metric)
    for (const auto& metric : option) {
      RC_ASSERT(std::isfinite(metric.moments.mean));
      RC_ASSERT(std::isfinite(metric.moments.m2));
      RC_ASSERT(is_probability(metric.proportion.estimate()));
    }
}

}  // namespace
}  // namespace credsim
