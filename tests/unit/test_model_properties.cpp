// The checkable properties of the reference model (model.md, section 4).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "model_fixture.hpp"
#include "models/credibility_model.hpp"
#include "models/model_equations.hpp"
#include "sim/errors.hpp"
#include "sim/runner.hpp"

namespace credsim {
namespace {

using model::CredibilityModel;
using model::kMajor;
using model::Parameters;
using model::Response;

double credibility(const Parameters& p, const model::Commitment& c) {
  return model::expected_honour(p, c, kMajor, p.guarantors[c.guarantor].resolve);
}

// Each row: a field, and whether raising it may never lower (+1) or never raise (-1) credibility.
struct Monotone {
  const char* name;
  int direction;
  void (*raise)(Parameters&, model::Commitment&, double);
};

const Monotone kMonotone[] = {
    {"audience_cost", +1, [](Parameters&, model::Commitment& c, double x) { c.audience_cost = x; }},
    {"interest", +1, [](Parameters& p, model::Commitment&, double x) { p.guarantors[0].interest = x; }},
    {"reputation", +1, [](Parameters& p, model::Commitment&, double x) { p.guarantors[0].reputation = x; }},
    {"troops", +1, [](Parameters&, model::Commitment& c, double x) { c.troops = 2000.0 * x; }},
    {"war_cost", -1, [](Parameters& p, model::Commitment&, double x) { p.guarantors[0].war_cost = x; }},
    {"escalation_aversion", -1,
     [](Parameters& p, model::Commitment&, double x) { p.guarantors[0].escalation_aversion = x; }},
};

TEST(ModelProperties, CredibilityIsMonotoneInEachDriver) {
  for (const auto& row : kMonotone) {
    for (Response response : {Response::combat, Response::aid_surge, Response::sanctions}) {
      for (double ambiguity : {0.0, 0.4, 1.0}) {
        Parameters p = test::small_scenario().base;
        model::Commitment c = test::commitment(0, response);
        c.ambiguity = ambiguity;
        c.exposure = {0.7, 0.3};
        double previous = row.direction > 0 ? -1.0 : 2.0;
        for (double x = 0.0; x <= 8.0; x += 0.25) {
          row.raise(p, c, x);
          const double q = credibility(p, c);
          if (row.direction > 0)
            EXPECT_GE(q, previous) << row.name << " = " << x;
          else
            EXPECT_LE(q, previous) << row.name << " = " << x;
          previous = q;
        }
      }
    }
  }
}

TEST(ModelProperties, FullAmbiguityWithZeroWeightEqualsNoAudienceCost) {
  Parameters p = test::small_scenario().base;
  p.globals.weak_reading_weight = 0.0;
  for (double audience : {0.0, 1.0, 5.0, 40.0}) {
    model::Commitment ambiguous = test::commitment(0, Response::combat);
    ambiguous.audience_cost = audience;
    ambiguous.ambiguity = 1.0;
    model::Commitment without = ambiguous;
    without.audience_cost = 0.0;
    without.ambiguity = 0.0;
    for (int a = 0; a < model::kAttackTypes; ++a)
      EXPECT_EQ(model::expected_honour(p, ambiguous, a, 0.8), model::expected_honour(p, without, a, 0.8));
  }
}

TEST(ModelProperties, NoOpportunityMeansNoAttack) {
  model::Scenario s = test::small_scenario();
  s.base.challenger.opportunity_rate = 0.0;
  s.base.guarantors[0].turnover_hazard = 0.1;
  CredibilityModel m(s);
  sim::RunConfig config;
  config.trials = 5000;
  const auto result = sim::run(m, config);
  const auto& deterred = result.tally.metric[0][model::kDeterred].proportion;
  ASSERT_GT(deterred.n, 0u);
  EXPECT_EQ(deterred.k, deterred.n);
  EXPECT_EQ(result.tally.metric[0][model::kHonour].proportion.n, 0u);
}

// P(no attack by t) against the product of the per-period probabilities,
// worked out by hand for one commitment with constant parameters and no
// perception noise: the attack probabilities then follow the strength path only.
TEST(ModelProperties, SurvivalMatchesClosedForm) {
  model::Scenario s = test::small_scenario();
  Parameters& p = s.base;
  p.challenger.perception_noise = 0.0;
  p.challenger.perception_bias = 0.0;
  p.settlement.enabled = false;
  p.challenger.opportunity_rate = 0.08;

  // By hand: U = r I + R + A - K (1 + e) for combat (no troops, strong reading).
  const auto& g = p.guarantors[0];
  const auto& c = p.options[0].commitments[0];
  const double u_honour = g.resolve * g.interest + g.reputation + c.audience_cost - g.war_cost * (1 + g.escalation_aversion);
  const double q = 1.0 / (1.0 + std::exp(-u_honour / p.globals.decision_noise));
  const double power = c.share * g.capability;
  std::vector<double> expected(p.horizon + 1, 1.0);
  double s_c = p.challenger.strength, s_p = p.protege.strength;
  for (int t = 1; t <= p.horizon; ++t) {
    s_c = std::min(p.challenger.strength_max, s_c + p.challenger.growth);
    s_p = s_p * (1 - p.protege.decay) + p.protege.growth;
    double p_total = 0.0;
    for (int a = 0; a < 2; ++a) {
      const double s_d = p.protege.fortification * s_p + q * power;
      const double p_win = s_c / (s_c + s_d);
      const double eu = p_win * p.challenger.stakes[a] - p.challenger.war_cost[a] - p.challenger.cost_per_power * q * power -
                        q * c.sanctions - p.challenger.nuclear_war_cost * p.challenger.escalation[a] * q;
      p_total += p.challenger.opportunity_rate / (1.0 + std::exp(-p.challenger.precision * eu));
    }
    expected[t] = expected[t - 1] * (1.0 - p_total);
  }

  CredibilityModel m(s);
  sim::RunConfig config;
  config.trials = 40000;
  config.seed = 20261123;
  const auto result = sim::run(m, config);
  const auto& survival = result.tally.survival[0];
  ASSERT_EQ(survival.at_risk, config.trials);
  for (int t = 1; t <= p.horizon; ++t) {
    const double observed = survival.survivors(t).estimate();
    const double se = std::sqrt(expected[t] * (1 - expected[t]) / static_cast<double>(config.trials));
    // 4.5 SE per point: over 24 correlated points the family-wise false alarm stays below 1e-4.
    EXPECT_NEAR(observed, expected[t], 4.5 * se) << "t = " << t;
  }
  EXPECT_LT(expected[p.horizon], 0.9) << "the case should see attacks, or the test shows nothing";
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_identical(const sim::Tally& a, const sim::Tally& b) {
  ASSERT_EQ(a.trials, b.trials);
  for (std::size_t o = 0; o < a.metric.size(); ++o) {
    for (std::size_t m = 0; m < a.metric[o].size(); ++m) {
      EXPECT_EQ(a.metric[o][m].proportion.k, b.metric[o][m].proportion.k);
      EXPECT_EQ(a.metric[o][m].moments.n, b.metric[o][m].moments.n);
      EXPECT_TRUE(same_bits(a.metric[o][m].moments.mean, b.metric[o][m].moments.mean));
      EXPECT_TRUE(same_bits(a.metric[o][m].moments.m2, b.metric[o][m].moments.m2));
    }
    EXPECT_EQ(a.survival[o].events, b.survival[o].events);
    for (std::size_t m = 0; m < a.paired[o].size(); ++m) {
      EXPECT_TRUE(same_bits(a.paired[o][m].mean, b.paired[o][m].mean));
      EXPECT_TRUE(same_bits(a.paired[o][m].m2, b.paired[o][m].m2));
    }
  }
}

model::Scenario two_option_scenario() {
  model::Scenario s = test::small_scenario();
  auto& p = s.base;
  p.guarantors[0].turnover_hazard = 0.02;
  p.guarantors[0].successor_resolve = sim::Distribution::uniform(0.2, 1.5);
  p.guarantors[0].elections = {true, 6, 12, 0.4};
  model::Commitment tripwire = test::commitment(0, Response::sanctions);
  tripwire.troops = 4000;
  tripwire.exposure = {0.8, 0.4};
  tripwire.troop_power = 0.3;
  tripwire.ambiguity = 0.5;
  p.options.push_back({"tripwire", "Tripwire", {tripwire}});
  return s;
}

TEST(ModelProperties, BitwiseIdenticalForAnyThreadCount) {
  CredibilityModel m(two_option_scenario());
  sim::RunConfig config;
  config.trials = 10'000;  // not a multiple of the block size: the last block is partial
  config.seed = 7;
  config.threads = 1;
  const auto one = sim::run(m, config);
  for (int threads : {2, 8}) {
    config.threads = threads;
    expect_identical(one.tally, sim::run(m, config).tally);
  }
}

TEST(ModelProperties, IdenticalOptionsDifferByExactlyZero) {
  model::Scenario s = two_option_scenario();
  s.base.options.push_back(s.base.options[1]);
  s.base.options.back().name = "tripwire_copy";
  s.baseline = 1;
  CredibilityModel m(s);
  sim::RunConfig config;
  config.trials = 3000;
  const auto r = sim::run(m, config);
  for (std::size_t metric = 0; metric < model::kCommonMetrics; ++metric) {
    const auto& d = r.tally.paired[2][metric];
    EXPECT_EQ(d.mean, 0.0) << m.layout().options[0].metrics[metric].name;
    EXPECT_EQ(d.m2, 0.0);
  }
}

TEST(ModelProperties, DifferentSeedsGiveDifferentDraws) {
  CredibilityModel m(two_option_scenario());
  sim::RunConfig config;
  config.trials = 2000;
  config.seed = 1;
  const auto a = sim::run(m, config);
  config.seed = 2;
  const auto b = sim::run(m, config);
  EXPECT_NE(a.tally.survival[0].events, b.tally.survival[0].events);
}

TEST(ModelProperties, OptionSubsetKeepsTheSameDrawsAndBaseline) {
  model::Scenario s = two_option_scenario();
  CredibilityModel all(s);
  CredibilityModel only(s, {"tripwire"});
  ASSERT_EQ(only.layout().options.size(), 1u);
  sim::RunConfig config;
  config.trials = 2000;
  const auto a = sim::run(all, config);
  const auto b = sim::run(only, config);
  EXPECT_EQ(a.tally.survival[1].events, b.tally.survival[0].events);
  EXPECT_THROW(CredibilityModel(s, {"nope"}), sim::RunError);
}

}  // namespace
}  // namespace credsim
