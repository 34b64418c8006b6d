// The fast model against the reference (its oracle): the same law, the same
// layout, and the engine's guarantees (bitwise reproducibility, exact common
// random numbers).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "model_fixture.hpp"
#include "models/bench_cases.hpp"
#include "models/credibility_model.hpp"
#include "models/fast_model.hpp"
#include "models/model_equations.hpp"
#include "sim/errors.hpp"
#include "sim/runner.hpp"

namespace credsim {
namespace {

using model::AttackSampler;
using model::CredibilityModel;
using model::FastCredibilityModel;
using model::Response;

// Tolerance of every fast-vs-reference comparison, in standard errors of the
// difference of two independent estimates (z = (a - b) / sqrt(se_a^2 + se_b^2)).
// P(|z| > 4.5) = 6.8e-6 for one comparison; one test makes at most ~300 of
// them (options x (13 metrics + 5 survival points) x 2 samplers), so by
// Bonferroni the chance that a correct implementation fails a test is below
// 300 x 6.8e-6 = 2e-3, while a real difference of a few SE still shows.
constexpr double kTolerance = 4.5;
constexpr std::uint64_t kMinConditioned = 30;

struct Estimate {
  double mean = 0.0;
  double se = 0.0;
  std::uint64_t n = 0;
};

Estimate metric(const sim::Tally& t, std::size_t o, std::size_t m) {
  const auto& mo = t.metric[o][m].moments;
  return {mo.mean, mo.std_error(), mo.n};
}

Estimate survival(const sim::Tally& t, std::size_t o, int time) {
  const auto& s = t.survival[o];
  const sim::Proportion p = s.survivors(time);
  const double q = p.estimate();
  return {q, p.n ? std::sqrt(q * (1.0 - q) / static_cast<double>(p.n)) : 0.0, p.n};
}

void expect_same_law(const Estimate& a, const Estimate& b, const std::string& what) {
  // The z-test needs the normal approximation: below ~30 trials in the
  // condition (e.g. an attack that hardly ever happens) neither the mean nor
  // its standard error is normal enough to compare, so skip.
  if (a.n < kMinConditioned || b.n < kMinConditioned) return;
  const double se = std::sqrt(a.se * a.se + b.se * b.se);
  if (se == 0.0) {
    EXPECT_EQ(a.mean, b.mean) << what;  // a constant, e.g. credibility with constant parameters
    return;
  }
  EXPECT_LT(std::fabs(a.mean - b.mean) / se, kTolerance)
      << what << ": reference " << a.mean << " +- " << a.se << " (n " << a.n << "), fast " << b.mean << " +- " << b.se << " (n " << b.n << ")";
}

// Every common metric of every option and the survival curve at five points,
// reference (seed 101) vs fast with both samplers (seeds 202, 303): independent seeds.
void expect_agreement(const model::Scenario& s, std::uint64_t trials) {
  CredibilityModel ref(s);
  sim::RunConfig config;
  config.trials = trials;
  config.seed = 101;
  const auto r = sim::run(ref, config);
  std::uint64_t seed = 202;
  for (AttackSampler sampler : {AttackSampler::thinning, AttackSampler::hazard_inversion}) {
    FastCredibilityModel fast(s, {}, {sampler});
    config.seed = seed++;
    const auto f = sim::run(fast, config);
    const std::string tag = sampler == AttackSampler::thinning ? "thinning " : "hazard inversion ";
    const auto& layout = ref.layout();
    for (std::size_t o = 0; o < layout.options.size(); ++o) {
      const std::string opt = tag + layout.options[o].name + ".";
      for (std::size_t m = 0; m < model::kCommonMetrics; ++m)
        expect_same_law(metric(r.tally, o, m), metric(f.tally, o, m), opt + layout.options[o].metrics[m].name);
      for (std::size_t m = model::kCommonMetrics; m < layout.options[o].metrics.size(); ++m)
        expect_same_law(metric(r.tally, o, m), metric(f.tally, o, m), opt + layout.options[o].metrics[m].name);
      const int T = layout.horizon;
      for (int t : {1, T / 4, T / 2, 3 * T / 4, T})
        expect_same_law(survival(r.tally, o, t), survival(f.tally, o, t), opt + "S(" + std::to_string(t) + ")");
    }
  }
}

// Turnover, elections, a successor distribution, perception noise, ambiguity,
// tripwires, aid, a limited-only commitment and a non-nuclear guarantor.
model::Scenario rich_scenario() {
  model::Scenario s = test::small_scenario();
  auto& p = s.base;
  p.horizon = 36;
  p.challenger.opportunity_rate = 0.04;
  auto& g = p.guarantors[0];
  g.turnover_hazard = 0.03;
  g.successor_resolve = sim::Distribution::uniform(0.2, 1.5);
  g.elections = {true, 6, 12, 0.4};
  model::Guarantor g2 = g;
  g2.id = "h";
  g2.name = "H";
  g2.nuclear = false;
  g2.capability = 1.0;
  g2.turnover_hazard = 0.05;
  g2.elections = {true, 1, 10, 0.5};  // an election in period 1
  g2.successor_resolve = sim::Distribution::truncated_normal(0.8, 0.5, 0.0, 2.0);
  p.guarantors.push_back(g2);

  model::Commitment tripwire = test::commitment(0, Response::sanctions);
  tripwire.troops = 4000;
  tripwire.exposure = {0.8, 0.4};
  tripwire.troop_power = 0.3;
  tripwire.ambiguity = 0.5;
  model::Commitment aid = test::commitment(1, Response::aid_surge);
  aid.aid = 0.02;
  aid.ambiguity = 0.3;
  model::Commitment limited_only = test::commitment(1, Response::combat);
  limited_only.covers = {false, true};
  limited_only.troops = 1500;
  limited_only.exposure = {0.2, 0.9};
  limited_only.troop_power = 0.2;
  p.options.push_back({"tripwire", "Tripwire", {tripwire}});
  p.options.push_back({"aid_and_limited", "Aid and a limited-only guarantee", {aid, limited_only}});
  p.options.push_back({"all", "Everything", {test::commitment(0, Response::combat), tripwire, aid, limited_only}});
  p.options.push_back({"none", "No commitment", {}});
  return s;
}

TEST(FastModelAgreement, FixtureScenarioWithPolitics) { expect_agreement(rich_scenario(), 40'000); }

TEST(FastModelAgreement, FixtureWithoutSettlementOrNoise) {
  model::Scenario s = rich_scenario();
  s.base.settlement.enabled = false;
  s.base.challenger.perception_noise = 0.0;
  s.base.protege.decay = 0.0;  // linear strength path: the closed form's edge
  s.base.protege.growth = -0.05;  // and the floor at 0
  s.base.globals.contest_exponent = 1.5;  // the general Tullock contest
  expect_agreement(s, 30'000);
}

// Uncertain parameters through the copula, one of them feeding two
// commitments (a preset field), one the protégé's decay (the strength tables)
// and one the aid (the per-trial commitment constants).
model::Scenario uncertain_scenario() {
  model::Scenario s = rich_scenario();
  auto add = [&](const std::string& key, sim::Distribution d,
                 std::vector<std::function<void(model::Parameters&, double)>> targets) {
    model::UncertainParameter u{key, std::move(d), std::move(targets)};
    for (auto& t : u.targets) t(s.base, u.distribution.mean());
    s.uncertain.push_back(std::move(u));
  };
  add("challenger.strength", sim::Distribution::triangular(1.5, 2.0, 2.8),
      {[](model::Parameters& p, double x) { p.challenger.strength = x; }});
  add("challenger.opportunity_rate", sim::Distribution::uniform(0.01, 0.08),
      {[](model::Parameters& p, double x) { p.challenger.opportunity_rate = x; }});
  add("guarantors.g.resolve", sim::Distribution::truncated_normal(1.0, 0.3, 0.0, 2.0),
      {[](model::Parameters& p, double x) { p.guarantors[0].resolve = x; }});
  add("presets.tripwire.audience_cost", sim::Distribution::beta(2, 3, 0, 4),
      {[](model::Parameters& p, double x) { p.options[1].commitments[0].audience_cost = x; },
       [](model::Parameters& p, double x) { p.options[3].commitments[1].audience_cost = x; }});
  add("protege.decay", sim::Distribution::uniform(0.0, 0.03),
      {[](model::Parameters& p, double x) { p.protege.decay = x; }});
  add("aid", sim::Distribution::lognormal(std::log(0.02), 0.5),
      {[](model::Parameters& p, double x) { p.options[2].commitments[0].aid = x; }});
  s.copula = sim::Copula(s.uncertain.size(), {{0, 1, 0.5}, {2, 3, -0.3}});
  return s;
}

TEST(FastModelAgreement, UncertainParameters) { expect_agreement(uncertain_scenario(), 30'000); }

TEST(FastModelAgreement, LargeBenchCase) { expect_agreement(model::large_case(48), 6'000); }

TEST(FastModel, SameLayoutAsReference) {
  const model::Scenario s = rich_scenario();
  CredibilityModel ref(s, {"all", "tripwire"});
  FastCredibilityModel fast(s, {"all", "tripwire"});
  const auto& a = ref.layout();
  const auto& b = fast.layout();
  ASSERT_EQ(a.options.size(), b.options.size());
  EXPECT_EQ(a.baseline, b.baseline);
  EXPECT_EQ(a.horizon, b.horizon);
  EXPECT_EQ(a.common_metrics, b.common_metrics);
  EXPECT_EQ(a.survival_given, b.survival_given);
  for (std::size_t o = 0; o < a.options.size(); ++o) {
    EXPECT_EQ(a.options[o].name, b.options[o].name);
    ASSERT_EQ(a.options[o].metrics.size(), b.options[o].metrics.size());
    for (std::size_t m = 0; m < a.options[o].metrics.size(); ++m) {
      EXPECT_EQ(a.options[o].metrics[m].name, b.options[o].metrics[m].name);
      EXPECT_EQ(a.options[o].metrics[m].given, b.options[o].metrics[m].given);
    }
  }
  EXPECT_THROW(FastCredibilityModel(s, {"nope"}), sim::RunError);
}

// The parameter draw is the reference's: the credibility metrics (functions of
// the parameters and of politics at t = 1) and the deal are identical trial by
// trial as long as no government changes at t = 1. (Per-commitment metrics
// come in threes from kCommonMetrics: honour, credibility, perceived.)
TEST(FastModel, SameParametersAsReference) {
  model::Scenario s = uncertain_scenario();
  s.base.guarantors[1].elections.scheduled = false;
  for (auto& g : s.base.guarantors) g.turnover_hazard = 0.0;
  s.base.challenger.perception_noise = 0.0;
  CredibilityModel ref(s);
  FastCredibilityModel fast(s);
  auto ws_r = ref.make_workspace();
  auto ws_f = fast.make_workspace();
  sim::TrialRecord a(ref.layout()), b(fast.layout());
  for (std::uint64_t trial = 0; trial < 200; ++trial) {
    a.clear();
    b.clear();
    ref.run_trial(9, trial, *ws_r, a);
    fast.run_trial(9, trial, *ws_f, b);
    for (std::size_t o = 0; o < ref.layout().options.size(); ++o) {
      // Same parameters, same draws at t = 1 and the same arithmetic: the same bits.
      EXPECT_EQ(a.value(o, model::kDeal), b.value(o, model::kDeal));
      EXPECT_EQ(a.value(o, model::kCredibility), b.value(o, model::kCredibility));
      EXPECT_EQ(a.value(o, model::kPerceived), b.value(o, model::kPerceived));
      for (std::size_t m = model::kCommonMetrics; m < ref.layout().options[o].metrics.size(); ++m) {
        if ((m - model::kCommonMetrics) % 3 == 0) continue;  // P(honour | attack): not comparable trial by trial
        EXPECT_EQ(a.value(o, m), b.value(o, m)) << ref.layout().options[o].metrics[m].name;
      }
    }
  }
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

TEST(FastModel, BitwiseIdenticalForAnyThreadCount) {
  for (AttackSampler sampler : {AttackSampler::thinning, AttackSampler::hazard_inversion}) {
    FastCredibilityModel m(uncertain_scenario(), {}, {sampler});
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
}

TEST(FastModel, IdenticalOptionsDifferByExactlyZero) {
  model::Scenario s = uncertain_scenario();
  s.base.options.push_back(s.base.options[4]);  // "all"
  s.base.options.back().name = "all_copy";
  s.baseline = 4;
  for (AttackSampler sampler : {AttackSampler::thinning, AttackSampler::hazard_inversion}) {
    FastCredibilityModel m(s, {}, {sampler});
    sim::RunConfig config;
    config.trials = 3000;
    const auto r = sim::run(m, config);
    const std::size_t copy = s.base.options.size() - 1;
    for (std::size_t metric = 0; metric < model::kCommonMetrics; ++metric) {
      const auto& d = r.tally.paired[copy][metric];
      EXPECT_EQ(d.mean, 0.0) << m.layout().options[0].metrics[metric].name;
      EXPECT_EQ(d.m2, 0.0);
    }
    EXPECT_EQ(r.tally.survival[4].events, r.tally.survival[copy].events);
  }
}

// The lazy draws and caches do not depend on which options run: an option's
// outcomes are the same alone or with the others (common random numbers).
TEST(FastModel, OptionSubsetKeepsTheSameDraws) {
  const model::Scenario s = uncertain_scenario();
  for (AttackSampler sampler : {AttackSampler::thinning, AttackSampler::hazard_inversion}) {
    FastCredibilityModel all(s, {}, {sampler});
    FastCredibilityModel only(s, {"aid_and_limited"}, {sampler});
    sim::RunConfig config;
    config.trials = 3000;
    const auto a = sim::run(all, config);
    const auto b = sim::run(only, config);
    EXPECT_EQ(a.tally.survival[2].events, b.tally.survival[0].events);
    for (std::size_t m = 0; m < model::kCommonMetrics; ++m)
      EXPECT_TRUE(same_bits(a.tally.metric[2][m].moments.mean, b.tally.metric[0][m].moments.mean));
  }
}

TEST(FastModel, NoOpportunityMeansNoAttack) {
  model::Scenario s = rich_scenario();
  s.base.challenger.opportunity_rate = 0.0;
  for (AttackSampler sampler : {AttackSampler::thinning, AttackSampler::hazard_inversion}) {
    FastCredibilityModel m(s, {}, {sampler});
    sim::RunConfig config;
    config.trials = 5000;
    const auto result = sim::run(m, config);
    for (std::size_t o = 0; o < m.layout().options.size(); ++o) {
      const auto& deterred = result.tally.metric[o][model::kDeterred].proportion;
      ASSERT_GT(deterred.n, 0u);
      EXPECT_EQ(deterred.k, deterred.n);
      EXPECT_EQ(result.tally.metric[o][model::kHonour].proportion.n, 0u);
    }
  }
}

// As ModelProperties.SurvivalMatchesClosedForm, for the fast model.
TEST(FastModel, SurvivalMatchesClosedForm) {
  model::Scenario s = test::small_scenario();
  model::Parameters& p = s.base;
  p.challenger.perception_noise = 0.0;
  p.challenger.perception_bias = 0.0;
  p.settlement.enabled = false;
  p.challenger.opportunity_rate = 0.08;

  const auto& g = p.guarantors[0];
  const auto& c = p.options[0].commitments[0];
  const double u_honour =
      g.resolve * g.interest + g.reputation + c.audience_cost - g.war_cost * (1 + g.escalation_aversion);
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
      const double eu = p_win * p.challenger.stakes[a] - p.challenger.war_cost[a] -
                        p.challenger.cost_per_power * q * power - q * c.sanctions -
                        p.challenger.nuclear_war_cost * p.challenger.escalation[a] * q;
      p_total += p.challenger.opportunity_rate / (1.0 + std::exp(-p.challenger.precision * eu));
    }
    expected[t] = expected[t - 1] * (1.0 - p_total);
  }

  for (AttackSampler sampler : {AttackSampler::thinning, AttackSampler::hazard_inversion}) {
    FastCredibilityModel m(s, {}, {sampler});
    sim::RunConfig config;
    config.trials = 40000;
    config.seed = 20261123;
    const auto result = sim::run(m, config);
    const auto& surv = result.tally.survival[0];
    ASSERT_EQ(surv.at_risk, config.trials);
    for (int t = 1; t <= p.horizon; ++t) {
      const double observed = surv.survivors(t).estimate();
      const double se = std::sqrt(expected[t] * (1 - expected[t]) / static_cast<double>(config.trials));
      // 4.5 SE per point: over 2 x 24 correlated points the family-wise false alarm stays below 1e-3.
      EXPECT_NEAR(observed, expected[t], 4.5 * se) << "t = " << t;
    }
  }
}

// The geometric sampler of the turnover times: the first event after 0 of a
// Bernoulli(h) process has P(T = t) = (1 - h)^(t-1) h. Chi-square over the
// cells 1..K and "> K", from 200,000 draws.
TEST(FastModelSampler, FirstTurnoverIsGeometric) {
  for (double h : {0.003, 0.05, 0.3, 0.9}) {
    const int horizon = 60;
    const int n = 200'000;
    const double log_stay = std::log1p(-h);
    std::vector<double> observed(horizon + 2, 0.0);
    sim::RngStream rng(12345, 0, sim::Purpose::test, static_cast<std::uint32_t>(h * 1000));
    for (int i = 0; i < n; ++i) {
      const int t = model::next_event(rng.uniform(), log_stay, 0, horizon);
      ASSERT_GE(t, 1);
      observed[t == model::kNoEvent ? horizon + 1 : static_cast<std::size_t>(t)] += 1.0;
    }
    // Cells with an expected count below 5 are pooled into the "beyond" cell.
    double chi2 = 0.0, pooled_obs = observed[horizon + 1], pooled_exp = n * std::pow(1.0 - h, horizon);
    int cells = 0;
    for (int t = 1; t <= horizon; ++t) {
      const double e = n * std::pow(1.0 - h, t - 1) * h;
      if (e < 5.0) {
        pooled_obs += observed[t];
        pooled_exp += e;
        continue;
      }
      chi2 += (observed[t] - e) * (observed[t] - e) / e;
      ++cells;
    }
    if (pooled_exp > 0.0) {
      chi2 += (pooled_obs - pooled_exp) * (pooled_obs - pooled_exp) / pooled_exp;
      ++cells;
    }
    // dof = cells - 1 <= 60: the 1 - 1e-5 quantile of chi2(60) is about 117;
    // use a bound that scales with the dof (mean dof, sd sqrt(2 dof), 6 sd).
    const double dof = cells - 1;
    EXPECT_LT(chi2, dof + 6.0 * std::sqrt(2.0 * dof) + 10.0) << "h = " << h << ", " << cells << " cells";
  }
  // h = 0 never changes; the gap is at least one period.
  EXPECT_EQ(model::next_event(0.5, std::log1p(-0.0), 0, 100), model::kNoEvent);
  EXPECT_EQ(model::next_event(0.999999, std::log1p(-0.999), 10, 100), 11);
}

// The event-driven politics of the model itself: with resolve 1 until the
// first turnover and 0 after it, and a guarantee that deters fully only while
// resolve lasts, P(deterred through t) follows the turnover law. Compared with
// the reference, which draws a coin every period.
TEST(FastModelSampler, TurnoverTimingMatchesReference) {
  model::Scenario s = test::small_scenario();
  auto& p = s.base;
  p.horizon = 48;
  p.settlement.enabled = false;
  p.challenger.perception_noise = 0.0;
  p.guarantors[0].turnover_hazard = 0.04;
  p.guarantors[0].elections = {true, 10, 12, 0.3};
  p.guarantors[0].successor_resolve = sim::Distribution::constant(-20.0);
  p.challenger.opportunity_rate = 0.2;
  expect_agreement(s, 30'000);
}

}  // namespace
}  // namespace credsim
