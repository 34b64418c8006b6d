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

namespace credsim {
namespace {

std::string ukraine() { return std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml"; }

sim::RunResult run(const model::Scenario& s, const std::vector<std::string>& options, std::uint64_t trials) {
  const model::CredibilityModel m(s, options, {});
  sim::RunConfig config;
  config.seed = 53;
  config.trials = trials;
  return sim::run(m, config);
}

TEST(ModelStocks, AStockThatNeverRunsOutChangesNothing) {
  auto s = model::load_scenario(ukraine(), {{"challenger.opportunity_rate", "0.05"}});
  const auto plain = run(s, {}, 3000);
  for (auto& g : s.base.guarantors) {
    g.aid_stock = 1e300;
    g.aid_refill = 1.0;
  }
  const auto stocked = run(s, {}, 3000);
  for (std::size_t o = 0; o < plain.tally.metric.size(); ++o) {
    for (std::size_t m = 0; m < plain.tally.metric[o].size(); ++m) {
      EXPECT_EQ(plain.tally.metric[o][m].proportion.k, stocked.tally.metric[o][m].proportion.k);
      EXPECT_EQ(plain.tally.metric[o][m].moments.mean, stocked.tally.metric[o][m].moments.mean);
    }
  }
}

// Stocks that run dry within months (no refill) weaken the protégé the aid was
// building up and cap every surge: P(no armed attack | deal) of long-term arms
// supply falls by more than 5 standard errors of the difference.
TEST(ModelStocks, ASmallStockLowersTheChanceOfPeace) {
  std::vector<model::Override> dry = {{"challenger.opportunity_rate", "0.05"}};
  for (const std::string g : {"usa", "uk", "france", "germany", "poland", "eu"})
    dry.push_back({"guarantors." + g + ".aid_stock", "0.005"});
  const auto a = run(model::load_scenario(ukraine(), {{"challenger.opportunity_rate", "0.05"}}), {"israel_style"},
                     20000);
  const auto b = run(model::load_scenario(ukraine(), dry), {"israel_style"}, 20000);
  const model::CredibilityModel m(model::load_scenario(ukraine()), {"israel_style"}, {});
  const auto& spec = m.layout().options[0].metrics[model::kNoArmedAttack];
  const auto ea = sim::estimate_metric(spec, a.tally.metric[0][model::kNoArmedAttack]);
  const auto eb = sim::estimate_metric(spec, b.tally.metric[0][model::kNoArmedAttack]);
  const double se = std::hypot(ea.ci->half_width(), eb.ci->half_width()) / sim::kZ95;
  EXPECT_GT(*ea.value - *eb.value, 5.0 * se) << *ea.value << " vs " << *eb.value;
}

}  // namespace
}  // namespace credsim
