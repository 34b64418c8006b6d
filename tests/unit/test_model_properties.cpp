// The checkable properties of the v2 model (shared/design/model-v2.md,
// section 3; models/README.md). Each comparative static is checked on paired
// draws: the same seed and trial index under two parameter values, so the
// difference carries only the effect. The tolerance is the difference's own
// standard error: a property holds when the mean paired difference is more
// than kZ standard errors on the right side of 0 (one-sided, fixed seed).
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/model_equations.hpp"
#include "models/outcome_layout.hpp"
#include "models/scenario_loader.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "tests/unit/model_fixture.hpp"

namespace credsim {
namespace {

using model::CredibilityModel;
using model::Override;

constexpr double kZ = 3.0;  // one-sided, per property: false alarm < 0.14%

std::string ukraine() { return std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml"; }

std::size_t metric_index(const sim::OptionLayout& o, const std::string& name) {
  for (std::size_t m = 0; m < o.metrics.size(); ++m)
    if (o.metrics[m].name == name) return m;
  ADD_FAILURE() << "no metric " << name << " in option " << o.name;
  return 0;
}

struct PairedDifference {
  double mean = 0.0, se = 0.0;
  std::size_t n = 0;
};

// Metric `metric` of option `option` under model b minus under model a, trial
// by trial on the same draws, over the trials where both have a value.
PairedDifference paired(const CredibilityModel& a, const CredibilityModel& b, const std::string& option,
                        const std::string& metric, std::uint64_t trials, std::uint64_t seed = 11) {
  const auto find = [&](const sim::OutcomeLayout& l) {
    for (std::size_t o = 0; o < l.options.size(); ++o)
      if (l.options[o].name == option) return o;
    ADD_FAILURE() << "no option " << option;
    return std::size_t{0};
  };
  const std::size_t oa = find(a.layout()), ob = find(b.layout());
  const std::size_t ma = metric_index(a.layout().options[oa], metric);
  const std::size_t mb = metric_index(b.layout().options[ob], metric);
  auto wa = a.make_workspace(), wb = b.make_workspace();
  sim::TrialRecord ra(a.layout()), rb(b.layout());
  double sum = 0.0, sum2 = 0.0;
  std::size_t n = 0;
  for (std::uint64_t k = 0; k < trials; ++k) {
    ra.clear();
    rb.clear();
    a.run_trial(seed, k, *wa, ra);
    b.run_trial(seed, k, *wb, rb);
    if (!ra.present(oa, ma) || !rb.present(ob, mb)) continue;
    const double d = rb.value(ob, mb) - ra.value(oa, ma);
    sum += d;
    sum2 += d * d;
    ++n;
  }
  PairedDifference r;
  r.n = n;
  if (n < 2) return r;
  r.mean = sum / static_cast<double>(n);
  r.se = std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - r.mean * r.mean) / static_cast<double>(n - 1));
  return r;
}

CredibilityModel ukraine_with(const std::vector<Override>& overrides, const std::vector<std::string>& options) {
  return CredibilityModel(model::load_scenario(ukraine(), overrides), options);
}

void expect_up(const PairedDifference& d, const std::string& what) {
  EXPECT_GT(d.mean, kZ * d.se) << what << ": mean paired difference " << d.mean << " (SE " << d.se << ", n " << d.n
                               << ") should be > 0";
}
void expect_down(const PairedDifference& d, const std::string& what) {
  EXPECT_LT(d.mean, -kZ * d.se) << what << ": mean paired difference " << d.mean << " (SE " << d.se << ", n "
                                << d.n << ") should be < 0";
}

// A stronger commitment: the challenger sees more armed defence, accepts the
// deal less often, and attacks less once it is made.
struct Strengthening {
  const char* name;
  std::vector<Override> weak, strong;
};

// gtest names a failing case by this, not by the struct's bytes.
void PrintTo(const Strengthening& s, std::ostream* os) { *os << s.name; }

class StrongerCommitment : public ::testing::TestWithParam<Strengthening> {};

TEST_P(StrongerCommitment, LowersAcceptanceAndRaisesDeterrence) {
  const Strengthening& s = GetParam();
  const std::vector<std::string> options = {"nato_membership"};
  const CredibilityModel weak = ukraine_with(s.weak, options), strong = ukraine_with(s.strong, options);
  expect_up(paired(weak, strong, "nato_membership", "p_armed_defence_perceived", 400), "perceived armed defence");
  expect_down(paired(weak, strong, "nato_membership", "p_challenger_accepts", 20000), "challenger accepts");
  expect_up(paired(weak, strong, "nato_membership", "p_no_armed_attack", 20000), "no armed attack | deal");
}

// `field` = `value` in each of the first `count` commitments of `option`.
std::vector<Override> each_commitment(const std::string& option, int count, const std::string& field,
                                      const std::string& value) {
  std::vector<Override> out;
  for (int j = 0; j < count; ++j)
    out.push_back({"options." + option + ".commitments[" + std::to_string(j) + "]." + field, value});
  return out;
}
std::vector<Override> all_members(const std::string& field, const std::string& value) {
  return each_commitment("nato_membership", 5, field, value);
}

INSTANTIATE_TEST_SUITE_P(
    Membership, StrongerCommitment,
    ::testing::Values(Strengthening{"audience_cost", all_members("audience_cost", "0.5"),
                                    all_members("audience_cost", "4")},
                      Strengthening{"share", all_members("share", "0.25"), all_members("share", "0.9")},
                      Strengthening{"resolve",
                                    {{"guarantors.usa.resolve.mean", "0.2"}, {"guarantors.poland.resolve.mean", "0.3"}},
                                    {{"guarantors.usa.resolve.mean", "1.4"}, {"guarantors.poland.resolve.mean", "1.9"}}},
                      Strengthening{"interest", {{"guarantors.usa.interest", "1"}}, {{"guarantors.usa.interest", "8"}}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ModelProperties, LowerAmbiguityRaisesArmedDefence) {
  const std::vector<std::string> options = {"art5_style"};
  const CredibilityModel a = ukraine_with(each_commitment("art5_style", 5, "ambiguity", "0.95"), options);
  const CredibilityModel b = ukraine_with(each_commitment("art5_style", 5, "ambiguity", "0.05"), options);
  expect_up(paired(a, b, "art5_style", "p_armed_defence", 400), "armed defence");
  // A weak effect on a coin (about 0.1 points): enough trials for it to stand out.
  expect_down(paired(a, b, "art5_style", "p_challenger_accepts", 60000), "challenger accepts");
}

TEST(ModelProperties, TroopsRaiseArmedDefenceAndLowerAcceptance) {
  const std::vector<std::string> options = {"european_troops"};
  const CredibilityModel a = ukraine_with(each_commitment("european_troops", 4, "troops", "500"), options);
  const CredibilityModel b = ukraine_with(each_commitment("european_troops", 4, "troops", "20000"), options);
  expect_up(paired(a, b, "european_troops", "p_armed_defence", 400), "armed defence");
  expect_down(paired(a, b, "european_troops", "p_challenger_accepts", 20000), "challenger accepts");
}

TEST(ModelProperties, DeclarationIsNoMoreArmedDefenceThanNoGuarantee) {
  // A declaration promises sanctions: its promise raises that rung only.
  const CredibilityModel m(model::load_scenario(ukraine()), {"budapest", "no_guarantee", "nato_membership"});
  auto ws = m.make_workspace();
  sim::TrialRecord r(m.layout());
  const std::size_t ad = metric_index(m.layout().options[0], "p_armed_defence");
  double budapest = 0.0, nato = 0.0;
  for (std::uint64_t k = 0; k < 300; ++k) {
    r.clear();
    m.run_trial(11, k, *ws, r);
    EXPECT_LE(r.value(0, ad), r.value(1, ad) + 1e-12) << "trial " << k;
    budapest += r.value(0, ad);
    nato += r.value(2, ad);
  }
  EXPECT_LT(budapest, nato);
}

TEST(ModelProperties, SanctionsCostLowersPromiseKeptOfASanctionsPromise) {
  // Many attacks: a high opportunity rate and a challenger that expects little resistance.
  const std::vector<Override> base = {{"challenger.opportunity_rate", "0.5"}, {"challenger.stakes.major", "30"}};
  auto cheap = base, dear = base;
  cheap.push_back({"guarantors.usa.sanctions_cost", "0"});
  dear.push_back({"guarantors.usa.sanctions_cost", "3"});
  const std::vector<std::string> options = {"budapest"};
  expect_down(paired(ukraine_with(cheap, options), ukraine_with(dear, options), "budapest", "p_promise_kept_usa", 3000),
              "promise kept");
}

TEST(ModelProperties, FollowZeroIsIndependentAndLargeFollowCopiesTheLeader) {
  model::Parameters p = test::small_scenario().base;
  model::GuarantorStance st;
  st.combat_power = 2.0;
  st.own_defence = 1.0;
  st.bonus[1] = 1.0;
  const model::Guarantor& g = p.guarantors[0];
  p.guarantors[0].follow = 0.0;
  const auto alone = model::rung_probabilities(p, g, st, 1.0, -1);
  for (int leader = 0; leader < model::kResponses; ++leader) {
    EXPECT_EQ(model::rung_probabilities(p, g, st, 1.0, leader), alone) << "leader took " << leader;
  }
  p.guarantors[0].follow = 1e6;
  for (int leader = 0; leader < model::kResponses; ++leader) {
    const auto rung = model::rung_probabilities(p, p.guarantors[0], st, 1.0, leader);
    for (int k = 1; k < model::kResponses; ++k) EXPECT_NEAR(rung[k], k <= leader ? 1.0 : 0.0, 1e-12);
  }
}

TEST(ModelProperties, NoGuaranteeAddsNoDeterrence) {
  const CredibilityModel m(model::load_scenario(ukraine()), {"no_guarantee"});
  sim::RunConfig config;
  config.seed = 3;
  config.trials = 2000;
  const sim::RunResult r = sim::run(m, config);
  const std::size_t da = metric_index(m.layout().options[0], "deterrence_added");
  const auto e = sim::estimate_metric(m.layout().options[0].metrics[da], r.tally.metric[0][da]);
  ASSERT_TRUE(e.value);
  EXPECT_EQ(*e.value, 0.0);
}

TEST(ModelProperties, AnOptionRefusedInEveryTrialSaysSo) {
  // Kyiv wants certainty of armed defence and decides sharply: no deal ever.
  const CredibilityModel m = ukraine_with(
      {{"protege.reservation", "1"}, {"protege.precision", "1e6"}}, {"budapest", "nato_membership"});
  sim::RunConfig config;
  config.seed = 3;
  config.trials = 500;
  const sim::RunResult r = sim::run(m, config);
  const auto& opt = m.layout().options[0];
  const auto get = [&](const std::string& name) {
    const std::size_t i = metric_index(opt, name);
    return sim::estimate_metric(opt.metrics[i], r.tally.metric[0][i]);
  };
  EXPECT_EQ(*get("p_deal").value, 0.0);
  EXPECT_EQ(*get("p_no_armed_attack_all").value, 0.0);
  EXPECT_FALSE(get("p_no_armed_attack").value);
  sim::RunInfo info;
  const std::string report = sim::format_report(m.layout(), r.tally, info);
  EXPECT_NE(report.find("(no deal in any trial)"), std::string::npos) << report;
}

TEST(ModelProperties, AStrongerGuaranteeLowersTheInclusiveValue) {
  // The mechanism behind acceptance: IV_C falls as every EU_a falls, and the
  // acceptance probability with it.
  model::Parameters p = test::small_scenario().base;
  const std::array<double, model::kAttackTypes> weak{2.0, 0.5}, strong{1.0, 0.2};
  EXPECT_LT(model::inclusive_value(p.challenger, strong), model::inclusive_value(p.challenger, weak));
  EXPECT_LT(model::challenger_acceptance(p, 0.0, 1.0, model::inclusive_value(p.challenger, strong)),
            model::challenger_acceptance(p, 0.0, 1.0, model::inclusive_value(p.challenger, weak)));
}

TEST(ModelProperties, EscalationGrowsWithTheNuclearPowerEngaged) {
  model::Challenger c = test::small_scenario().base.challenger;
  EXPECT_LT(model::great_power_war_probability(c, model::kMajor, 0.02), 0.02);  // a patrol's skirmish
  EXPECT_GT(model::great_power_war_probability(c, model::kMajor, 2.0),
            10 * model::great_power_war_probability(c, model::kMajor, 0.02));
  model::Globals gl;
  EXPECT_GT(model::nuclear_use_probability(gl, 0.1), model::nuclear_use_probability(gl, 0.9));
}

}  // namespace
}  // namespace credsim
