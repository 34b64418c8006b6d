// Erosion of interest (issue 12): a guarantor's interest decays towards a floor
// with a half-life in months since the last crisis. Properties: an infinite
// half-life (the default) is constant interest; a floor equal to the interest
// leaves nothing to erode, so the model is unchanged bit for bit; more erosion
// (a shorter half-life, a lower floor) never raises interest at any month, and
// in the model lowers P(no armed attack | deal).
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
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

using test::ukraine_path;
const std::vector<std::string> kGuarantors = {"usa", "uk", "france", "germany", "poland", "eu"};

sim::RunResult run(const model::Scenario& s, std::uint64_t trials) { return test::run_model(s, 41, trials); }

TEST(ModelErosion, InfiniteHalfLifeIsConstantInterest) {
  const double inf = std::numeric_limits<double>::infinity();
  for (int m = 0; m < 240; m += 7) EXPECT_EQ(model::eroded_interest(2.5, 0.3, inf, m), 2.5);
}

TEST(ModelErosion, MoreErosionNeverRaisesInterest) {
  for (int m = 0; m < 240; ++m) {
    for (const double h : {1.0, 6.0, 24.0, 120.0}) {
      EXPECT_LE(model::eroded_interest(2.5, 0.5, h, m), model::eroded_interest(2.5, 0.5, 2 * h, m));
      EXPECT_LE(model::eroded_interest(2.5, 0.2, h, m), model::eroded_interest(2.5, 0.5, h, m));
      EXPECT_LE(model::eroded_interest(2.5, 0.5, h, m + 1), model::eroded_interest(2.5, 0.5, h, m));
      EXPECT_GE(model::eroded_interest(2.5, 0.5, h, m), 0.5);
    }
  }
}

// A floor equal to the interest: the erosion code runs every month and changes nothing.
TEST(ModelErosion, AFloorAtTheInterestChangesNothing) {
  auto s = model::load_scenario(ukraine_path(), {{"challenger.opportunity_rate", "0.05"}});
  const sim::RunResult plain = run(s, 3000);
  for (auto& g : s.base.guarantors) {
    g.interest_half_life = 6.0;
    g.interest_floor = g.interest;
  }
  test::expect_same_tallies(plain, run(s, 3000), s);
}

// Interest eroding to nothing within a year or two invites attacks: P(no armed
// attack | deal) of NATO-style membership falls by more than 5 standard errors
// of the difference (Wilson errors of the two runs, same seed).
TEST(ModelErosion, ErosionLowersTheChanceOfPeace) {
  std::vector<model::Override> fast = {{"challenger.opportunity_rate", "0.05"}};
  for (const auto& g : kGuarantors) {
    fast.push_back({"guarantors." + g + ".interest_half_life", "6"});
    fast.push_back({"guarantors." + g + ".interest_floor", "0"});
  }
  const model::CredibilityModel a(model::load_scenario(ukraine_path(), {{"challenger.opportunity_rate", "0.05"}}),
                                  {"art5_style"}, {});
  const model::CredibilityModel b(model::load_scenario(ukraine_path(), fast), {"art5_style"}, {});
  const test::Gap g =
      test::probability_gap(a, model::kNoArmedAttack, test::run_model(a, 43, 20000), test::run_model(b, 43, 20000));
  EXPECT_GT(g.a - g.b, 5.0 * g.se) << g.a << " vs " << g.b;
}

}  // namespace
}  // namespace credsim
