// Aid stocks (issue 12): aid and arms surges draw on a finite stock that
// refills at a rate. Properties: a stock too large to run out changes nothing
// bit for bit (the code path runs, every min() returns what was asked); a
// small stock lowers the arms-supply option's P(no armed attack | deal).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

using test::ukraine_path;

sim::RunResult run(const model::Scenario& s, const std::vector<std::string>& options, std::uint64_t trials) {
  return test::run_model(s, 53, trials, options);
}

TEST(ModelStocks, AStockThatNeverRunsOutChangesNothing) {
  auto s = model::load_scenario(ukraine_path(), {{"challenger.opportunity_rate", "0.05"}});
  const auto plain = run(s, {}, 3000);
  for (auto& g : s.base.guarantors) {
    g.aid_stock = 1e300;
    g.aid_refill = 1.0;
  }
  test::expect_same_tallies(plain, run(s, {}, 3000), s);
}

// Stocks that run dry within months (no refill) weaken the protégé the aid was
// building up and cap every surge: P(no armed attack | deal) of long-term arms
// supply falls by more than 5 standard errors of the difference.
TEST(ModelStocks, ASmallStockLowersTheChanceOfPeace) {
  std::vector<model::Override> dry = {{"challenger.opportunity_rate", "0.05"}};
  for (const std::string g : {"usa", "uk", "france", "germany", "poland", "eu"})
    dry.push_back({"guarantors." + g + ".aid_stock", "0.005"});
  const auto a = run(model::load_scenario(ukraine_path(), {{"challenger.opportunity_rate", "0.05"}}), {"israel_style"},
                     20000);
  const auto b = run(model::load_scenario(ukraine_path(), dry), {"israel_style"}, 20000);
  const model::CredibilityModel m(model::load_scenario(ukraine_path()), {"israel_style"}, {});
  const test::Gap g = test::probability_gap(m, model::kNoArmedAttack, a, b);
  EXPECT_GT(g.a - g.b, 5.0 * g.se) << g.a << " vs " << g.b;
}

}  // namespace
}  // namespace credsim
