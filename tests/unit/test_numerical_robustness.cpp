// Numerical robustness: extreme but legal parameters (costs near 1e300, zero
// strengths, resolve 0, lambda up to 1e300, decision noise 1e-300, opportunity
// rate 0 or 0.5, tiny or huge troop scales, large contest exponents) give
// finite probabilities in [0, 1], never NaN, in the equations and in whole
// trials; ordinary parameters give exactly what the plain formulas give.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
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

// What a guarantor brings against attack type a under its commitments `mine`
// (models/README.md, stage 5), commitment i read the weak way when bit i of
// `weak` is set: each promised rung gains the audience cost (a w share of it
// under the weak reading), the highest also the reputation; it brings its
// largest share of capability, at least the unprompted share.
model::GuarantorStance stance(const Parameters& p, std::size_t guarantor,
                              const std::vector<model::Commitment>& mine, int a, unsigned weak, bool engaged,
                              double troop_power, double s_p) {
  const model::Guarantor& g = p.guarantors[guarantor];
  model::GuarantorStance st;
  double share = p.globals.unprompted_share;
  st.bite = g.sanctions_bite;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    const model::Commitment& c = mine[i];
    share = std::max(share, c.share);
    st.bite = std::max(st.bite, c.sanctions);
    if (!c.covers[a]) continue;
    const bool w = (weak >> i) & 1u;
    const int promised = static_cast<int>(w ? c.weak_response : c.response);
    st.bonus[promised] += w ? model::weighted(p.globals.weak_reading_weight, c.audience_cost) : c.audience_cost;
    st.promised = std::max(st.promised, promised);
  }
  if (st.promised > 0) st.bonus[st.promised] += g.reputation;
  st.combat_power = model::weighted(share, g.capability);
  st.engaged = engaged;
  st.troop_power = engaged ? troop_power : 0.0;
  st.own_defence = model::weighted(p.protege.fortification, s_p);
  return st;
}

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
  gl.aid_surge_share = *rc::gen::element(0.0, 0.3, 1.0);
  gl.unprompted_share = *rc::gen::element(0.0, 0.25, 1.0);
  gl.war_territory_rate = *rc::gen::element(0.0, 0.01, 1.0);
  gl.nuclear_use_prob = *rc::gen::element(0.0, 0.05, 1.0);
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
  p.protege.has_reservation = *rc::gen::arbitrary<bool>();
  p.protege.reservation = *rc::gen::element(0.0, 0.5, 1.0);
  p.protege.precision = *rc::gen::element(0.0, 1e-300, 10.0, 1e300);
  auto& g = p.guarantors[0];
  g.capability = *extreme_non_negative();
  g.interest = *extreme_non_negative();
  g.resolve = *extreme_non_negative();
  g.war_cost = *extreme_non_negative();
  g.escalation_aversion = *extreme_non_negative();
  g.reputation = *extreme_real();
  g.sanctions_cost = *extreme_non_negative();
  g.surge_cost = *extreme_non_negative();
  g.sanctions_bite = *extreme_non_negative();
  g.follow = *extreme_non_negative();
  auto& cm = p.options[0].commitments[0];
  const auto response = rc::gen::element(model::Response::none, model::Response::sanctions,
                                         model::Response::arms_surge, model::Response::combat);
  cm.response = *response;
  cm.weak_response = *response;
  cm.ratification = *rc::gen::element(0.0, 0.5, 1.0);
  cm.audience_cost = *extreme_non_negative();
  cm.ambiguity = *rc::gen::element(0.0, 0.5, 1.0);
  cm.share = *rc::gen::element(0.0, 0.5, 1.0);
  cm.sanctions = *extreme_non_negative();
  cm.red_line = *extreme_non_negative();
  cm.troops = *extreme_non_negative();
  cm.exposure = {*rc::gen::element(0.0, 1.0), *rc::gen::element(0.0, 1.0)};
  cm.troop_power = *extreme_non_negative();
  cm.aid = *extreme_non_negative();
  const model::Commitment extreme = cm;  // (cm dangles once the list grows)
  // A second, identical-guarantor commitment, so sums over commitments can overflow.
  p.options[0].commitments.push_back(extreme);
  // What each becomes when not ratified: the same promise weakened to sanctions.
  for (model::Commitment f : p.options[0].commitments) {
    f.response = f.weak_response = model::Response::sanctions;
    f.ratification = 1.0;
    p.options[0].fallbacks.push_back(f);
  }
  // A second guarantor that follows the first: the coalition's joint choice.
  model::Guarantor follower = g;
  follower.id = "f";
  follower.nuclear = false;
  p.guarantors.push_back(follower);
  model::Commitment fc = extreme;
  fc.guarantor = 1;
  fc.ratification = 1.0;
  p.options[0].commitments.push_back(fc);
  p.options[0].fallbacks.push_back(fc);
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
  // The combat rung of a combat promise, not engaged, no leader to follow:
  // v = r I effect + (A + R) - K (1 + e nuc), effect = P / (P + f S_P).
  const model::GuarantorStance st = stance(p, 0, {c}, 0, 0u, false, 0.0, p.protege.strength);
  const double power = c.share * g.capability;
  const double effect = power / (power + p.protege.fortification * p.protege.strength);
  const double plain_v = r * g.interest * effect + (c.audience_cost + g.reputation) -
                         g.war_cost * (1.0 + g.escalation_aversion * 1.0);
  const auto rung = model::rung_probabilities(p, g, st, r, -1);
  RC_ASSERT(rung[static_cast<int>(model::Response::combat)] == model::logistic(plain_v / p.globals.decision_noise));
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
  const double s_c = *rc::gen::element(0.0, 1e-300, 1.0, 1e300);
  const double s_p = *rc::gen::element(0.0, 1e-300, 1.0, 1e300, kInf);
  RC_ASSERT(is_probability(model::win_probability(p.globals, s_c, s_p)));
  std::array<double, model::kAttackTypes> eu{};
  for (int a = 0; a < model::kAttackTypes; ++a) {
    // Each guarantor's states: the readings of its commitments x engaged or not,
    // weighted as the model weighs them (weights summing to 1).
    std::vector<model::CoalitionMember> members(p.guarantors.size());
    for (std::size_t g = 0; g < p.guarantors.size(); ++g) {
      std::vector<model::Commitment> mine;
      for (const auto& c : opt.commitments) {
        if (c.guarantor == g) mine.push_back(c);
      }
      double p_none = 1.0, troops = 0.0;
      for (const auto& c : mine) {
        const double e = model::engagement_probability(p.globals, c, a);
        RC_ASSERT(is_probability(e));
        p_none *= 1.0 - e;
        troops += e * c.troop_power;
      }
      const double p_engaged = 1.0 - p_none;
      const double troop_power = p_engaged > 0.0 ? troops / p_engaged : 0.0;
      auto& m = members[g];
      m.guarantor = g;
      m.resolve = r_hat;
      for (unsigned weak = 0; weak < (1u << mine.size()); ++weak) {
        double w = 1.0;
        for (std::size_t i = 0; i < mine.size(); ++i) {
          w *= ((weak >> i) & 1u) ? mine[i].ambiguity : 1.0 - mine[i].ambiguity;
        }
        for (int engaged = 0; engaged <= 1; ++engaged) {
          const model::GuarantorStance st = stance(p, g, mine, a, weak, engaged != 0, troop_power, s_p);
          for (int leader = -1; leader < model::kResponses; ++leader) {
            const auto rung = model::rung_probabilities(p, p.guarantors[g], st, r_hat, leader);
            for (int k = 1; k < model::kResponses; ++k) RC_ASSERT(is_probability(rung[k]));
            const auto dist = model::response_distribution(rung);
            double total = 0.0;
            for (const double q : dist) {
              RC_ASSERT(is_probability(q));
              total += q;
            }
            RC_ASSERT(std::abs(total - 1.0) < 1e-9);
          }
          RC_ASSERT(!std::isnan(model::response_power(p.globals, st, static_cast<int>(model::Response::combat))));
          const double weight = w * (engaged ? p_engaged : p_none);
          if (weight > 0.0) m.states.push_back({weight, st});
        }
      }
    }
    const model::ExpectedDefence d = model::expected_defence(p, members, opt.leader);
    RC_ASSERT(is_probability(d.p_armed));
    RC_ASSERT(is_probability(d.p_great_power));
    RC_ASSERT(!std::isnan(d.power) && d.power >= 0.0);
    RC_ASSERT(!std::isnan(d.bite) && d.bite >= 0.0);
    for (const double q : d.leader) RC_ASSERT(is_probability(q));
    eu[a] = model::attack_utility(p, a, s_c, s_p, d);
    RC_ASSERT(!std::isnan(eu[a]));
    RC_ASSERT(is_probability(model::great_power_war_probability(p.challenger, a, d.power)));
  }
  // At an opportunity: attack probabilities that sum to at most 1.
  const auto choice = model::attack_choice(p.challenger, eu);
  RC_ASSERT(is_probability(choice[model::kMajor]));
  RC_ASSERT(is_probability(choice[model::kLimited]));
  RC_ASSERT(choice[model::kMajor] + choice[model::kLimited] <= 1.0 + 1e-12);
  // Settlement: both parties' acceptance is a probability.
  const double iv = model::inclusive_value(p.challenger, eu);
  RC_ASSERT(!std::isnan(iv));
  const double red_lines = opt.commitments[0].red_line + opt.commitments[1].red_line;
  const double omega = p.challenger.opportunity_rate * p.horizon;
  RC_ASSERT(is_probability(model::challenger_acceptance(p, red_lines, omega, iv)));
  RC_ASSERT(is_probability(model::protege_acceptance(p.protege, *rc::gen::element(0.0, 0.5, 1.0))));
  RC_ASSERT(is_probability(model::nuclear_use_probability(p.globals, *rc::gen::element(0.0, 0.5, 1.0))));
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
      for (std::size_t c = 0; c < layout.survival_curves.size(); ++c)
        RC_ASSERT(record.event_time(o, c) >= 0 && record.event_time(o, c) <= layout.horizon);
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
