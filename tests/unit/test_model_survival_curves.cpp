// The model's two survival curves (issue 12): no_armed_attack (the first
// limited or major attack) and no_major_attack, both over the trials with a
// deal. On the same trials a major attack is an armed attack, so the second
// curve is never below the first; in the single-war model a limited attack
// ends the trial, so it never reaches the no_major_attack curve.
#include <gtest/gtest.h>

#include <cstdint>

#include "model_runs.hpp"
#include "models/credibility_model.hpp"
#include "models/outcome_layout.hpp"
#include "models/scenario_loader.hpp"

namespace credsim {
namespace {

using model::kNoArmedAttackCurve;
using model::kNoMajorAttackCurve;

model::Scenario ukraine(bool repeated_attacks) {
  model::Scenario s = model::load_scenario(test::ukraine_path());
  s.base.globals.repeated_attacks = repeated_attacks;
  return s;
}

void expect_no_major_never_below_no_armed(bool repeated_attacks) {
  const model::CredibilityModel m(ukraine(repeated_attacks), {}, {});
  const sim::RunResult r = test::run_model(m, 5, 4000);
  for (std::size_t o = 0; o < m.layout().options.size(); ++o) {
    const sim::Survival& armed = r.tally.survival[o][kNoArmedAttackCurve];
    const sim::Survival& major = r.tally.survival[o][kNoMajorAttackCurve];
    ASSERT_EQ(major.at_risk, armed.at_risk) << m.layout().options[o].name;  // both: the trials with a deal
    for (int t = 0; t <= armed.horizon(); ++t)
      EXPECT_GE(major.survivors(t).k, armed.survivors(t).k) << m.layout().options[o].name << " t=" << t;
  }
}

TEST(ModelSurvivalCurves, NoMajorAttackIsNeverBelowNoArmedAttackSingleWar) { expect_no_major_never_below_no_armed(false); }
TEST(ModelSurvivalCurves, NoMajorAttackIsNeverBelowNoArmedAttackRepeated) { expect_no_major_never_below_no_armed(true); }

// Counts of trial-options with a deal by how their first armed attack and their major attack relate.
struct FirstAttacks {
  int limited_then_no_major = 0;    // first armed attack limited, no major attack
  int limited_then_major = 0;       // first armed attack limited, a major attack later
  int major_first = 0;              // the first armed attack was the major one
  int major_elsewhere = 0;          // a major attack at another month than the first armed, or without one
};

FirstAttacks first_attacks(bool repeated_attacks, std::uint64_t trials) {
  const model::CredibilityModel m(ukraine(repeated_attacks), {}, {});
  const auto& layout = m.layout();
  auto ws = m.make_workspace();
  sim::TrialRecord record(layout);
  FirstAttacks n;
  for (std::uint64_t t = 0; t < trials; ++t) {
    record.clear();
    m.run_trial(11, t, *ws, record);
    for (std::size_t o = 0; o < layout.options.size(); ++o) {
      if (!record.at_risk(o, kNoArmedAttackCurve)) continue;
      const int armed = record.event_time(o, kNoArmedAttackCurve);
      const int major = record.event_time(o, kNoMajorAttackCurve);
      if (armed == 0) {
        if (major != 0) ++n.major_elsewhere;
      } else if (major == armed) {
        ++n.major_first;
      } else if (major == 0) {
        ++n.limited_then_no_major;
      } else if (major > armed) {
        ++n.limited_then_major;
      } else {
        ++n.major_elsewhere;
      }
    }
  }
  return n;
}

TEST(ModelSurvivalCurves, SingleWarLimitedAttackLeavesTheNoMajorCurveUntouched) {
  const FirstAttacks n = first_attacks(false, 3000);
  EXPECT_GT(n.limited_then_no_major, 0);  // limited attacks happen, and count on the armed curve only
  EXPECT_GT(n.major_first, 0);
  EXPECT_EQ(n.limited_then_major, 0);
  EXPECT_EQ(n.major_elsewhere, 0);
}

TEST(ModelSurvivalCurves, RepeatedAttacksLetAMajorAttackFollowALimitedOne) {
  const FirstAttacks n = first_attacks(true, 3000);
  EXPECT_GT(n.limited_then_major, 0);
  EXPECT_EQ(n.major_elsewhere, 0);
}

}  // namespace
}  // namespace credsim
