// P(armed defence | major attack in month t) (globals.credibility_months):
// the month-1 computation on the trial's state at month t. Properties: with
// nothing that changes the state, month t is month 1 (exactly when the state
// is constant, in law when governments change but resolve does not); more
// erosion never raises it; an event at month 36 moves month 48, not month 24;
// the same numbers for 1 and 2 threads; bad lists refused with their place.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "model_fixture.hpp"
#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"
#include "sim/runner.hpp"
#include "sim/stats.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

// Layout indices of month k's metrics (k: position in credibility_months).
std::size_t truth(std::size_t k) { return model::kCommonMetrics + 2 * k; }
std::size_t seen(std::size_t k) { return model::kCommonMetrics + 2 * k + 1; }

sim::RunResult run(const model::Scenario& s, std::uint64_t trials, int threads = 1) {
  return test::run_model(s, 53, trials, {}, threads);
}

const sim::Moments& at(const sim::RunResult& r, std::size_t metric) { return r.tally.metric[0][metric].moments; }

// SE of a difference of two means, without their covariance: an upper bound
// when they are positively correlated (the same trials, common random numbers).
double se_of_difference(const sim::Moments& a, const sim::Moments& b) {
  return std::hypot(a.std_error(), b.std_error());
}

// The fixture scenario with a state that does not move: no growth of either
// side, no challenger opportunity, no bargaining stage (every trial has a deal
// and runs to the horizon, so month t's denominator is month 1's: all trials).
model::Scenario still_scenario() {
  model::Scenario s = test::small_scenario();
  s.base.settlement.enabled = false;
  s.base.challenger.opportunity_rate = 0.0;
  s.base.protege.growth = 0.0;
  s.base.protege.decay = 0.0;
  s.credibility_months = {1, 12, 24};
  return s;
}

TEST(ModelCredibilityMonths, AConstantStateGivesMonthOneExactly) {
  const sim::RunResult r = run(still_scenario(), 2000);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(at(r, truth(k)).n, 2000u);
    EXPECT_EQ(at(r, truth(k)).mean, at(r, model::kArmedDefence).mean) << k;
    EXPECT_EQ(at(r, seen(k)).mean, at(r, model::kArmedDefencePerceived).mean) << k;
  }
}

// Governments change (a new perception error each time) but resolve does not:
// the true value is month 1's exactly, the perceived one in law.
TEST(ModelCredibilityMonths, TurnoverWithTheSameResolveGivesMonthOneInLaw) {
  model::Scenario s = still_scenario();
  s.base.guarantors[0].turnover_hazard = 0.1;
  s.base.guarantors[0].successor_resolve = sim::Distribution::constant(s.base.guarantors[0].resolve);
  const sim::RunResult r = run(s, 20000);
  for (std::size_t k = 1; k < 3; ++k) {
    EXPECT_EQ(at(r, truth(k)).mean, at(r, model::kArmedDefence).mean) << k;
    const sim::Moments& m1 = at(r, model::kArmedDefencePerceived);
    const sim::Moments& mt = at(r, seen(k));
    EXPECT_LE(std::abs(mt.mean - m1.mean), 4.0 * se_of_difference(mt, m1)) << k << ": " << mt.mean << " vs " << m1.mean;
  }
}

// Without attacks the state at month t depends on erosion alone, so on the
// same draws a shorter half-life lowers (never raises) every trial's value,
// hence the mean; with attacks (which month a trial stops running depends on
// erosion) the means agree with that within standard errors.
TEST(ModelCredibilityMonths, MoreErosionNeverRaisesIt) {
  for (const double opportunity : {0.0, 0.05}) {
    model::Scenario slow = still_scenario();
    slow.base.challenger.opportunity_rate = opportunity;
    slow.base.guarantors[0].interest_floor = 0.3;
    model::Scenario fast = slow;
    slow.base.guarantors[0].interest_half_life = 48.0;
    fast.base.guarantors[0].interest_half_life = 12.0;
    const sim::RunResult a = run(slow, 6000);
    const sim::RunResult b = run(fast, 6000);
    for (std::size_t k = 0; k < 3; ++k) {
      for (const std::size_t metric : {truth(k), seen(k)}) {
        const sim::Moments& ma = at(a, metric);
        const sim::Moments& mb = at(b, metric);
        if (k == 0) {
          EXPECT_EQ(mb.mean, ma.mean) << "month 1 is before any erosion";
        } else if (opportunity == 0.0) {
          EXPECT_LE(mb.mean, ma.mean) << k;
          EXPECT_GT(ma.mean - mb.mean, 4.0 * se_of_difference(ma, mb)) << k << ": the test must bite";
        } else {
          EXPECT_LE(mb.mean - ma.mean, 4.0 * se_of_difference(ma, mb)) << k;
        }
      }
    }
  }
}

std::string baltic_text() {
  std::ifstream in(std::string(CREDSIM_SOURCE_DIR) + "/scenarios/examples/baltic_grey_zone.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

model::Scenario baltic(const std::string& text) {
  return model::load_scenario_text(text, "baltic.yaml", std::string(CREDSIM_SOURCE_DIR) + "/scenarios/examples");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::size_t month_index(const model::Scenario& s, int month) {
  for (std::size_t k = 0; k < s.credibility_months.size(); ++k)
    if (s.credibility_months[k] == month) return k;
  ADD_FAILURE() << "month " << month << " is not in the example's credibility_months";
  return 0;
}

// The example's month-36 event lowers US interest (2.0 -> 1.2); the same event
// keeping 2.0 is the counterfactual. Month 24 is before it: the same draws give
// the same numbers; month 48 is after it: lower by more than 4 SE.
TEST(ModelCredibilityMonths, AnEventAtMonth36MovesMonth48NotMonth24) {
  const std::string text = baltic_text();
  const model::Scenario lowered = baltic(text);
  const model::Scenario kept = baltic(replaced(text, "guarantors.usa.interest: 1.2", "guarantors.usa.interest: 2.0"));
  const sim::RunResult a = run(kept, 6000);
  const sim::RunResult b = run(lowered, 6000);
  const std::size_t m24 = month_index(lowered, 24), m48 = month_index(lowered, 48);
  for (const std::size_t metric : {truth(m24), seen(m24)}) {
    EXPECT_EQ(at(a, metric).n, at(b, metric).n);
    EXPECT_EQ(at(a, metric).mean, at(b, metric).mean);
  }
  for (const std::size_t metric : {truth(m48), seen(m48)}) {
    const sim::Moments& ma = at(a, metric);
    const sim::Moments& mb = at(b, metric);
    EXPECT_GT(ma.mean - mb.mean, 4.0 * se_of_difference(ma, mb)) << ma.mean << " vs " << mb.mean;
  }
}

TEST(ModelCredibilityMonths, OneAndTwoThreadsGiveTheSameNumbers) {
  const model::Scenario s = baltic(baltic_text());
  const sim::RunResult a = run(s, 3000, 1);
  const sim::RunResult b = run(s, 3000, 2);
  ASSERT_EQ(a.tally.metric.size(), b.tally.metric.size());
  for (std::size_t o = 0; o < a.tally.metric.size(); ++o) {
    for (std::size_t k = 0; k < s.credibility_months.size(); ++k) {
      for (const std::size_t metric : {truth(k), seen(k)}) {
        const sim::Moments& ma = a.tally.metric[o][metric].moments;
        const sim::Moments& mb = b.tally.metric[o][metric].moments;
        EXPECT_EQ(ma.n, mb.n);
        EXPECT_EQ(ma.mean, mb.mean);
        EXPECT_EQ(ma.m2, mb.m2);
      }
    }
  }
}

std::string error_of(const std::string& months) {
  try {
    baltic(replaced(baltic_text(), "  credibility_months: [1, 12, 24, 30, 42, 48, 60, 72, 84, 96, 108, 120]",
                    "  credibility_months: " + months));
  } catch (const sim::ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelCredibilityMonths, BadListsAreRefusedWithTheirPlace) {
  const std::string unsorted = error_of("[12, 6]");
  EXPECT_NE(unsorted.find("baltic.yaml:"), std::string::npos) << unsorted;
  EXPECT_NE(unsorted.find("increasing"), std::string::npos) << unsorted;
  const std::string repeated = error_of("[12, 12]");
  EXPECT_NE(repeated.find("increasing"), std::string::npos) << repeated;
  const std::string beyond = error_of("[12, 121]");
  EXPECT_NE(beyond.find("[1, 120]"), std::string::npos) << beyond;
  const std::string zero = error_of("[0]");
  EXPECT_NE(zero.find("[1, 120]"), std::string::npos) << zero;
  std::string many = "[";
  for (int t = 1; t <= 25; ++t) many += std::to_string(t) + (t < 25 ? ", " : "]");
  const std::string too_many = error_of(many);
  EXPECT_NE(too_many.find("at most 24"), std::string::npos) << too_many;
  const std::string not_a_list = error_of("12");
  EXPECT_NE(not_a_list.find("baltic.yaml:"), std::string::npos) << not_a_list;
  std::string by_event;
  try {
    baltic(replaced(baltic_text(), "set: {guarantors.usa.interest: 1.2}", "set: {\"globals.credibility_months[0]\": 6}"));
  } catch (const sim::ScenarioError& e) {
    by_event = e.what();
  }
  EXPECT_NE(by_event.find("baltic.yaml:"), std::string::npos) << by_event;
  EXPECT_NE(by_event.find("globals.credibility_months"), std::string::npos) << by_event;
}

// The plain estimator stops a single-war trial at its attack, the conditional
// one runs on: both measure month t on the same trials with the same state.
TEST(ModelCredibilityMonths, BothEstimatorsGiveTheSameNumbers) {
  model::Scenario s = test::small_scenario();
  s.base.challenger.opportunity_rate = 0.1;
  s.credibility_months = {1, 6, 12, 24};
  sim::RunConfig config;
  config.seed = 53;
  config.trials = 3000;
  config.threads = 1;
  const sim::RunResult a = sim::run(model::CredibilityModel(s, {}, {}), config);
  model::ModelConfig conditional;
  conditional.estimator = model::Estimator::conditional;
  const sim::RunResult b = sim::run(model::CredibilityModel(s, {}, conditional), config);
  for (std::size_t k = 0; k < s.credibility_months.size(); ++k) {
    for (const std::size_t metric : {truth(k), seen(k)}) {
      EXPECT_EQ(at(a, metric).n, at(b, metric).n) << k;
      EXPECT_EQ(at(a, metric).mean, at(b, metric).mean) << k;
    }
  }
  EXPECT_LT(at(a, truth(3)).n, at(a, truth(0)).n) << "some trials must have stopped running, or the test is idle";
}

TEST(ModelCredibilityMonths, NoListAddsNoMetric) {
  model::Scenario s = still_scenario();
  s.credibility_months.clear();
  const model::CredibilityModel m(s, {}, {});
  EXPECT_EQ(m.layout().common_metrics, model::kCommonMetrics);
  EXPECT_EQ(m.layout().options[0].metrics.size(), model::kCommonMetrics + 1);  // + its promise-kept metric
  EXPECT_EQ(m.layout().options[0].metrics[model::kCommonMetrics].name, "p_promise_kept_g");
}

}  // namespace
}  // namespace credsim
