// Model v2 dynamics (issue 12): repeated attacks of three types and learning.
// Properties of docs/model-v2 section 3: the repeated-attacks model with
// learning rate 0 and only major attacks possible is the single-war model bit
// for bit; the conditional estimator stays unbiased where it claims an exact
// probability and records the coin where it cannot; learning moves the
// challenger's perception the way it saw the guarantors act.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/model_equations.hpp"
#include "models/scenario_loader.hpp"
#include "model_fixture.hpp"
#include "sim/errors.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

using test::run_model;
using test::ukraine_path;

// Frequent opportunities, grey attacks switched on (cheap, small stakes, a
// little territory): many attacks per trial.
std::vector<model::Override> grey_campaign(const std::string& learning_rate) {
  return {{"challenger.opportunity_rate", "0.05"}, {"globals.repeated_attacks", "true"},
          {"challenger.stakes.grey", "1.0"},       {"challenger.war_cost.grey", "0.1"},
          {"globals.territory_loss.grey", "0.005"}, {"challenger.learning_rate", learning_rate}};
}

using test::expect_same_tallies;

// Learning rate 0 and only major attacks possible: a major attack ends the
// trial in both models, so the repeated-attacks model is the single-war one.
TEST(ModelDynamics, RepeatedAttacksWithOnlyMajorAndNoLearningIsTheSingleWarModel) {
  for (const auto estimator : {model::Estimator::plain, model::Estimator::conditional}) {
    auto single = model::load_scenario(ukraine_path(), {{"challenger.opportunity_rate", "0.05"}});
    single.base.challenger.possible[model::kLimited] = false;
    auto repeated = single;
    repeated.base.globals.repeated_attacks = true;
    const model::CredibilityModel a(single, {}, {.estimator = estimator});
    const model::CredibilityModel b(repeated, {}, {.estimator = estimator});
    expect_same_tallies(run_model(a, 3, 4000), run_model(b, 3, 4000), a.layout());
  }
}

// Repeated attacks without learning: the states along a trial do not depend on
// the attacks, so the conditional estimator's products are exact; it must
// agree with the coins within the standard error (independent seeds, Bonferroni
// over the compared metrics, family-wise false alarm 0.1%).
TEST(ModelDynamics, ConditionalAgreesWithPlainUnderRepeatedAttacks) {
  const auto scenario = model::load_scenario(ukraine_path(), grey_campaign("0"));
  const model::CredibilityModel plain(scenario, {}, {});
  const model::CredibilityModel conditional(scenario, {}, {.estimator = model::Estimator::conditional});
  const sim::RunResult a = run_model(plain, 1, 20000), b = run_model(conditional, 2, 20000);
  const auto& layout = conditional.layout();
  std::size_t comparisons = 0;
  for (const auto& o : layout.options)
    for (const auto& m : o.metrics) comparisons += m.expected ? 1 : 0;
  const double z_max =
      boost::math::quantile(boost::math::complement(boost::math::normal(), 0.001 / (2.0 * comparisons)));
  std::size_t compared = 0;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t m = 0; m < layout.options[o].metrics.size(); ++m) {
      const auto& spec = layout.options[o].metrics[m];
      if (!spec.expected) continue;
      const auto ea = sim::estimate_metric(plain.layout().options[o].metrics[m], a.tally.metric[o][m]);
      const auto eb = sim::estimate_metric(spec, b.tally.metric[o][m]);
      ASSERT_TRUE(ea.value && eb.value) << layout.options[o].name << " " << spec.name;
      const double se = std::hypot(ea.ci ? ea.ci->half_width() / sim::kZ95 : 0.0, eb.std_error.value_or(0.0));
      if (se == 0.0) {
        EXPECT_EQ(*ea.value, *eb.value);
        continue;
      }
      EXPECT_LT(std::fabs(*ea.value - *eb.value) / se, z_max)
          << layout.options[o].name << " " << spec.name << ": " << *ea.value << " vs " << *eb.value;
      ++compared;
    }
  }
  EXPECT_GT(compared, layout.options.size() * 6);
}

// With learning the next attack's odds depend on the last war's responses:
// the conditional estimator has no exact probability and records the coins,
// so on the same seed it gives the plain estimator's tallies.
TEST(ModelDynamics, ConditionalFallsBackToTheCoinWhenTheChallengerLearns) {
  const auto scenario = model::load_scenario(ukraine_path(), grey_campaign("0.5"));
  const model::CredibilityModel plain(scenario, {}, {});
  const model::CredibilityModel conditional(scenario, {}, {.estimator = model::Estimator::conditional});
  const sim::RunResult a = run_model(plain, 7, 3000), b = run_model(conditional, 7, 3000);
  const auto& layout = plain.layout();
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (const std::size_t m : {model::kNoArmedAttack, model::kMajorAttack, model::kNoAttackAny,
                                model::kGreyAttacks, model::kLimitedAttacks, model::kTerritoryLostDeal}) {
      const auto& ta = a.tally.metric[o][m];
      const auto& tb = b.tally.metric[o][m];
      const double plain_mean = ta.moments.n > 0 ? ta.moments.mean : static_cast<double>(ta.proportion.k) /
                                                                         static_cast<double>(ta.proportion.n);
      // The conditional side keeps a running mean of the same 0/1 values: equal up to its rounding.
      EXPECT_NEAR(plain_mean,
                  tb.moments.n > 0 ? tb.moments.mean
                                   : static_cast<double>(tb.proportion.k) / static_cast<double>(tb.proportion.n),
                  1e-12)
          << layout.options[o].name << " " << layout.options[o].metrics[m].name;
    }
  }
}

// A grey campaign shows up: grey attacks are counted, some trials see an
// attack of some kind but no armed attack, and the first attack of any kind
// comes no later on average than the first armed one.
TEST(ModelDynamics, GreyAttacksAreCountedAndPrecedeArmedOnes) {
  const auto scenario = model::load_scenario(ukraine_path(), grey_campaign("0"));
  const model::CredibilityModel m(scenario, {"budapest"}, {});
  const sim::RunResult r = run_model(m, 11, 4000);
  const auto& spec = m.layout().options[0].metrics;
  const auto est = [&](std::size_t k) { return *sim::estimate_metric(spec[k], r.tally.metric[0][k]).value; };
  EXPECT_GT(est(model::kGreyAttacks), 0.0);
  EXPECT_FALSE(spec[model::kGreyAttacks].fixed_by_scenario);
  EXPECT_LT(est(model::kNoAttackAny), est(model::kNoArmedAttack));
  EXPECT_LE(est(model::kFirstAttackMonth), est(model::kAttackMonth));
}

// Without stakes for grey attacks there are none, by design: the layout says
// so (the console then prints "(by design)", not an interval of zeros).
TEST(ModelDynamics, NoGreyStakesMeansGreyAttacksAreFixedByTheScenario) {
  const model::CredibilityModel m(model::load_scenario(ukraine_path()), {"budapest"}, {});
  const auto& spec = m.layout().options[0].metrics;
  EXPECT_TRUE(spec[model::kGreyAttacks].fixed_by_scenario);
  const sim::RunResult r = run_model(m, 11, 1000);
  EXPECT_EQ(*sim::estimate_metric(spec[model::kGreyAttacks], r.tally.metric[0][model::kGreyAttacks]).value, 0.0);
}

// Same bytes for any thread count, with repeated attacks and learning on.
TEST(ModelDynamics, SameTalliesForAnyThreadCount) {
  const auto scenario = model::load_scenario(ukraine_path(), grey_campaign("0.5"));
  const model::CredibilityModel m(scenario, {}, {});
  expect_same_tallies(run_model(m, 13, 3000, 1), run_model(m, 13, 3000, 2), m.layout());
}

// learning_step: below the promise lowers the perceived resolve, above raises
// it, on the promise (or rate 0) leaves it.
TEST(ModelDynamics, LearningMovesPerceptionTowardsWhatWasSeen) {
  model::Challenger c;
  c.learning_rate = 0.3;
  const double r = model::perceived_resolve(c, 1.0, 0.2, 0.0);
  const auto after = [&](int response, int promised) {
    return model::perceived_resolve(c, 1.0, 0.2, model::learning_step(c, 0.0, response, promised));
  };
  EXPECT_LT(after(1, 3), r);
  EXPECT_GT(after(3, 1), r);
  EXPECT_EQ(after(2, 2), r);
  c.learning_rate = 0.0;
  EXPECT_EQ(after(0, 3), r);
}

// Watching a guarantor fall short makes the challenger bolder: one guarantor
// promising combat (so every response is at or below the promise and learning
// can only lower its perceived resolve), repeated limited attacks. With
// learning a major attack (the one that ends the trial) comes more often after
// the first war than without (same seed; the difference's standard error from
// the two runs' Wilson intervals, conservative for positively correlated runs;
// 5 SE). (The number of limited attacks may fall: a major attack ends the trial.)
TEST(ModelDynamics, LearningFromShortfallsInvitesMoreAttacks) {
  model::Scenario s = test::small_scenario();
  s.base.settlement.enabled = false;
  s.base.globals.repeated_attacks = true;
  s.base.challenger.opportunity_rate = 0.2;
  const model::CredibilityModel a(s, {"combat"}, {});
  s.base.challenger.learning_rate = 1.0;
  const model::CredibilityModel b(s, {"combat"}, {});
  const sim::RunResult ra = run_model(a, 17, 20000), rb = run_model(b, 17, 20000);
  const test::Gap g = test::probability_gap(a, model::kMajorAttack, ra, rb);
  EXPECT_GT(g.b - g.a, 5.0 * g.se) << g.a << " vs " << g.b << " (SE " << g.se << ")";
}

TEST(ModelDynamics, GreyStakesNeedRepeatedAttacks) {
  // The Ukraine case with repeated attacks switched off (it has them on).
  std::ifstream in(ukraine_path());
  std::ostringstream text;
  text << in.rdbuf();
  std::string single = text.str();
  const std::string on = "repeated_attacks: true";
  ASSERT_NE(single.find(on), std::string::npos);
  single.replace(single.find(on), on.size(), "repeated_attacks: false");
  const std::string scenarios = std::string(CREDSIM_SOURCE_DIR) + "/scenarios";
  ASSERT_NO_THROW(model::load_scenario_text(single, "ukraine_single_war.yaml", scenarios));
  const std::string stakes = "\n  stakes:\n";
  ASSERT_NE(single.find(stakes), std::string::npos);
  single.insert(single.find(stakes) + stakes.size(), "    grey: {value: 1.0, assumption: \"test\"}\n");
  try {
    model::load_scenario_text(single, "ukraine_single_war.yaml", scenarios);
    FAIL() << "expected an error";
  } catch (const sim::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("repeated_attacks"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace credsim
