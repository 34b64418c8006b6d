// Scheduled events (issue 12, `events:`): a scenario may set any field at a
// month, applied and validated as `--set` applies an override. Properties:
// an event at month 1 is the field set from the start; an event that sets a
// field to its value changes nothing (the trial's draws carry over); an event
// at month m leaves every month before m as it was; bad events are refused
// with file:line:column.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "models/credibility_model.hpp"
#include "models/outcome_layout.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

std::string scenarios_dir() { return std::string(CREDSIM_SOURCE_DIR) + "/scenarios"; }

std::string ukraine_text() {
  std::ifstream in(scenarios_dir() + "/ukraine.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// ukraine.yaml with `events` appended (a top-level list).
model::Scenario with_events(const std::string& events) {
  return model::load_scenario_text(ukraine_text() + "\nevents:\n" + events, "ukraine_events.yaml", scenarios_dir());
}

sim::RunResult run(const model::Scenario& s, std::uint64_t trials = 3000) { return test::run_model(s, 31, trials); }

std::string error_of(const std::string& events) {
  try {
    with_events(events);
  } catch (const sim::ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelEvents, AnEventAtMonthOneIsTheFieldSetFromTheStart) {
  const auto evented = with_events(
      "  - month: 1\n    set: {guarantors.usa.interest: 4.0, guarantors.uk.nuclear: false}\n"
      "    assumption: test\n");
  const auto set = model::load_scenario(scenarios_dir() + "/ukraine.yaml",
                                        {{"guarantors.usa.interest", "4.0"}, {"guarantors.uk.nuclear", "false"}});
  test::expect_same_tallies(run(evented), run(set), set);
  EXPECT_FALSE(evented.events.front().params.guarantors[1].nuclear);
}

TEST(ModelEvents, AnEventThatKeepsEveryValueChangesNothing) {
  // interest 2.5 is the file's value; the uncertain fields keep their draws.
  const auto evented =
      with_events("  - month: 30\n    set: {guarantors.usa.interest: 2.5}\n    assumption: test\n");
  ASSERT_FALSE(evented.events.front().draws.empty());
  test::expect_same_tallies(run(evented), run(model::load_scenario(scenarios_dir() + "/ukraine.yaml")), evented);
}

TEST(ModelEvents, AnEventChangesOnlyTheMonthsFromItsOwnOn) {
  const int month = 60;
  const auto evented = with_events("  - month: 60\n    set: {guarantors.usa.interest: 0, \"options.art5_style.commitments[0].troops\": 0}\n"
                                   "    assumption: test\n");
  const sim::RunResult a = run(evented, 20000), b = run(model::load_scenario(scenarios_dir() + "/ukraine.yaml"), 20000);
  bool later_differs = false;
  for (std::size_t o = 0; o < a.tally.survival.size(); ++o) {
    const auto& ea = a.tally.survival[o][model::kNoArmedAttackCurve].events;
    const auto& eb = b.tally.survival[o][model::kNoArmedAttackCurve].events;
    for (int t = 1; t < month; ++t) EXPECT_EQ(ea[t - 1], eb[t - 1]) << "option " << o << " month " << t;
    for (std::size_t t = month; t <= ea.size(); ++t) later_differs = later_differs || ea[t - 1] != eb[t - 1];
  }
  EXPECT_TRUE(later_differs);
}

// A nuclear power from a month on (issue 12, item 7: the Soviet test inside a
// historical case's window): `nuclear` is read month by month (the guarantors'
// cost of combat against a nuclear challenger), so an event may set it after
// month 1, and it changes the months from its own on only.
TEST(ModelEvents, ANuclearPowerFromAMonthOnIsAnEvent) {
  const std::string no_weapon = "  - month: 1\n    set: {challenger.nuclear: false}\n    assumption: test\n";
  const auto later = with_events(no_weapon + "  - month: 40\n    set: {challenger.nuclear: true}\n    assumption: test\n");
  ASSERT_EQ(later.events.size(), 2u);
  EXPECT_FALSE(later.events[0].params.challenger.nuclear);
  EXPECT_TRUE(later.events[1].params.challenger.nuclear);
  const auto a = run(later, 20000), b = run(with_events(no_weapon), 20000);
  bool later_differs = false;
  for (std::size_t o = 0; o < a.tally.survival.size(); ++o) {
    const auto& ea = a.tally.survival[o][model::kNoArmedAttackCurve].events;
    const auto& eb = b.tally.survival[o][model::kNoArmedAttackCurve].events;
    for (int t = 1; t < 40; ++t) EXPECT_EQ(ea[t - 1], eb[t - 1]) << "option " << o << " month " << t;
    for (std::size_t t = 40; t <= ea.size(); ++t) later_differs = later_differs || ea[t - 1] != eb[t - 1];
  }
  EXPECT_TRUE(later_differs);
}

// Timing by an event: an accession that takes effect at month 36, the
// declaration standing in before it, as an event that swaps the commitment's
// instrument. Before month 36 nothing changes; the deal (made at the start, on
// the month-1 instrument only) is the same. (`effective_from` and `interim`,
// tests/unit/test_model_timing.cpp, also let the deal see the later instrument.)
TEST(ModelEvents, AnInstrumentTakingEffectLaterIsAnEvent) {
  const auto evented = with_events(
      "  - month: 36\n    set: {\"options.budapest.commitments[0].instrument\": membership}\n"
      "    assumption: test\n");
  EXPECT_EQ(evented.events.front().params.options[0].commitments[0].instrument, "membership");
  EXPECT_EQ(evented.base.options[0].commitments[0].instrument, "political_assurance");
  const auto a = run(evented, 20000), b = run(model::load_scenario(scenarios_dir() + "/ukraine.yaml"), 20000);
  EXPECT_EQ(a.tally.metric[0][model::kDeal].proportion.k, b.tally.metric[0][model::kDeal].proportion.k);
  for (int t = 1; t < 36; ++t) EXPECT_EQ(a.tally.survival[0][model::kNoArmedAttackCurve].events[t - 1], b.tally.survival[0][model::kNoArmedAttackCurve].events[t - 1]);
  // Membership from month 36 on raises P(no armed attack | deal) by more than
  // 5 standard errors of the difference (Wilson errors of the two runs).
  const test::Gap g = test::probability_gap(model::CredibilityModel(evented, {}, {}), model::kNoArmedAttack, a, b);
  EXPECT_GT(g.a - g.b, 5.0 * g.se) << g.a << " vs " << g.b;
}

TEST(ModelEvents, BadEventsAreRefusedWithTheirPlace) {
  const std::string bad_path =
      error_of("  - month: 12\n    set: {guarantors.usa.intrest: 1}\n    assumption: test\n");
  EXPECT_NE(bad_path.find("ukraine_events.yaml:5"), std::string::npos) << bad_path;
  EXPECT_NE(bad_path.find("did you mean 'interest'"), std::string::npos) << bad_path;
  const std::string bad_value =
      error_of("  - month: 12\n    set: {guarantors.usa.capability: -1}\n    assumption: test\n");
  EXPECT_NE(bad_value.find("ukraine_events.yaml:5"), std::string::npos) << bad_value;
  EXPECT_NE(bad_value.find("month 12"), std::string::npos) << bad_value;
  const std::string too_late =
      error_of("  - month: 12\n    set: {challenger.opportunity_rate: 0.1}\n    assumption: test\n");
  EXPECT_NE(too_late.find("only at month 1"), std::string::npos) << too_late;
  const std::string past_horizon = error_of("  - month: 500\n    set: {guarantors.usa.interest: 1}\n    assumption: t\n");
  EXPECT_NE(past_horizon.find("month"), std::string::npos) << past_horizon;
  const std::string unsourced = error_of("  - month: 12\n    set: {guarantors.usa.interest: 1}\n");
  EXPECT_NE(unsourced.find("assumption"), std::string::npos) << unsourced;
}

}  // namespace
}  // namespace credsim
