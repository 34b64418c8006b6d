// Plausible worlds (sim/worlds.hpp, `credsim run --worlds`): epistemic fields
// fixed within a world, a world's numbers independent of the number of worlds
// and of threads, rank probabilities that sum to 1, and without epistemic
// fields the same trials as a plain run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "loader_test_support.hpp"
#include "models/credibility_model.hpp"
#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"
#include "sim/runner.hpp"
#include "sim/worlds.hpp"

namespace credsim {
namespace {

constexpr std::uint64_t kSeed = 20261202;

model::Scenario ukraine() { return model::load_scenario((test::source_dir() / "scenarios" / "ukraine.yaml").string()); }

sim::WorldsResult run_worlds(const model::Scenario& s, std::uint64_t worlds, std::uint64_t per_world, int threads) {
  const auto models = model::make_world_models(s, {"budapest", "art5_style", "israel_style"});
  sim::WorldsConfig config;
  config.seed = kSeed;
  config.worlds = worlds;
  config.trials_per_world = per_world;
  config.threads = threads;
  return sim::run_worlds(*models, config);
}

void expect_same_tally(const sim::Tally& a, const sim::Tally& b) {
  ASSERT_EQ(a.trials, b.trials);
  for (std::size_t o = 0; o < a.metric.size(); ++o) {
    for (std::size_t m = 0; m < a.metric[o].size(); ++m) {
      EXPECT_EQ(a.metric[o][m].proportion.n, b.metric[o][m].proportion.n) << o << "," << m;
      EXPECT_EQ(a.metric[o][m].proportion.k, b.metric[o][m].proportion.k) << o << "," << m;
      EXPECT_EQ(a.metric[o][m].moments.mean, b.metric[o][m].moments.mean) << o << "," << m;
      EXPECT_EQ(a.metric[o][m].moments.m2, b.metric[o][m].moments.m2) << o << "," << m;
    }
  }
}

TEST(Worlds, EpistemicFieldsAreFixedWithinAWorldAndDifferAcrossWorlds) {
  const model::Scenario s = ukraine();
  std::vector<std::size_t> epistemic, aleatory;
  for (std::size_t i = 0; i < s.uncertain.size(); ++i) (s.uncertain[i].epistemic ? epistemic : aleatory).push_back(i);
  ASSERT_FALSE(epistemic.empty());
  ASSERT_FALSE(aleatory.empty());
  const model::Scenario w0 = model::in_world(s, kSeed, 0), w1 = model::in_world(s, kSeed, 1);
  std::vector<double> u, a0, b0, a1;
  model::draw_uncertain(w0, kSeed, 5, u, a0);
  model::draw_uncertain(w0, kSeed, 6, u, b0);
  model::draw_uncertain(w1, kSeed, 5, u, a1);
  for (const std::size_t i : epistemic) {
    EXPECT_EQ(a0[i], b0[i]) << s.uncertain[i].key_path;  // shared by the world's trials
    EXPECT_NE(a0[i], a1[i]) << s.uncertain[i].key_path;  // another world, another value
  }
  for (const std::size_t i : aleatory) {
    EXPECT_NE(a0[i], b0[i]) << s.uncertain[i].key_path;  // drawn per trial
    EXPECT_EQ(a0[i], a1[i]) << s.uncertain[i].key_path;  // the same trial key: the same per-trial draw
  }
}

TEST(Worlds, AWorldsNumbersDependOnNeitherTheNumberOfWorldsNorThreads) {
  const model::Scenario s = ukraine();
  const sim::WorldsResult two = run_worlds(s, 2, 300, 1);
  const sim::WorldsResult four = run_worlds(s, 4, 300, 2);
  ASSERT_EQ(two.tallies.size(), 2u);
  ASSERT_EQ(four.tallies.size(), 4u);
  for (std::size_t w = 0; w < 2; ++w) {
    expect_same_tally(two.tallies[w], four.tallies[w]);
    EXPECT_EQ(two.values[w], four.values[w]);
  }
}

TEST(Worlds, WithoutEpistemicFieldsTheWorldsAreAPlainRunOfAllTheirTrials) {
  model::Scenario s = ukraine();
  for (auto& u : s.uncertain) u.epistemic = false;
  // Blocks of 1,024 trials: the worlds' tallies merge the same blocks as one run,
  // only grouped differently, so counts agree exactly and means to rounding.
  const sim::WorldsResult worlds = run_worlds(s, 3, sim::kBlockTrials, 2);
  EXPECT_TRUE(worlds.fields.empty());
  const auto plain = model::make_model(s, {"budapest", "art5_style", "israel_style"});
  sim::RunConfig config;
  config.seed = kSeed;
  config.trials = 3 * sim::kBlockTrials;
  config.threads = 2;
  const sim::Tally one = sim::run(*plain, config).tally;
  ASSERT_EQ(worlds.pooled.trials, one.trials);
  for (std::size_t o = 0; o < one.metric.size(); ++o) {
    for (std::size_t m = 0; m < one.metric[o].size(); ++m) {
      const auto& a = worlds.pooled.metric[o][m];
      const auto& b = one.metric[o][m];
      EXPECT_EQ(a.proportion.k, b.proportion.k);
      EXPECT_EQ(a.moments.n, b.moments.n);
      EXPECT_NEAR(a.moments.mean, b.moments.mean, 1e-12 * (1.0 + std::abs(b.moments.mean)));
    }
  }
}

TEST(Worlds, RankProbabilitiesSumToOneAndMeanRanksToTheirTotal) {
  const sim::WorldsResult r = run_worlds(ukraine(), 6, 200, 2);
  const std::vector<sim::Ranking> rankings = sim::rank_options(r);
  ASSERT_FALSE(rankings.empty());
  const double k = static_cast<double>(r.layout.options.size());
  for (const sim::Ranking& ranking : rankings) {
    const auto& spec = r.layout.options[0].metrics[ranking.metric];
    EXPECT_NE(spec.better, 0) << spec.name;
    EXPECT_TRUE(spec.given.empty()) << spec.name << ": only metrics over every trial are ranked";
    EXPECT_NEAR(std::accumulate(ranking.p_first.begin(), ranking.p_first.end(), 0.0), 1.0, 1e-12) << spec.name;
    EXPECT_NEAR(std::accumulate(ranking.mean_rank.begin(), ranking.mean_rank.end(), 0.0), k * (k + 1) / 2, 1e-9);
    ASSERT_EQ(ranking.decisive.size(), r.fields.size());
    for (const double rho : ranking.decisive) EXPECT_TRUE(rho >= 0.0 && rho <= 1.0 + 1e-12);
  }
}

TEST(Worlds, SpreadAcrossWorldsIsTheQuantilesOfTheWorldsEstimates) {
  const sim::WorldsResult r = run_worlds(ukraine(), 5, 200, 1);
  const auto& spec = r.layout.options[1].metrics[model::kDeal];
  std::vector<double> estimates;
  double variance = 0.0;
  for (const sim::Tally& t : r.tallies) {
    const auto& p = t.metric[1][model::kDeal].proportion;
    const double e = static_cast<double>(p.k) / static_cast<double>(p.n);
    estimates.push_back(e);
    variance += e * (1.0 - e) / static_cast<double>(p.n);
  }
  const sim::AcrossWorlds a = sim::across_worlds(r, 1, model::kDeal);
  ASSERT_TRUE(a.mean && a.world_low && a.world_high && a.mc_error) << spec.name;
  EXPECT_EQ(a.worlds, 5u);
  EXPECT_NEAR(*a.mean, std::accumulate(estimates.begin(), estimates.end(), 0.0) / 5.0, 1e-15);
  std::sort(estimates.begin(), estimates.end());
  // Type-7 quantiles of 5 values: 5% is 20% of the way from the 1st to the 2nd.
  EXPECT_NEAR(*a.world_low, estimates[0] + 0.2 * (estimates[1] - estimates[0]), 1e-15);
  EXPECT_NEAR(*a.world_high, estimates[3] + 0.8 * (estimates[4] - estimates[3]), 1e-15);
  EXPECT_NEAR(*a.mc_error, std::sqrt(variance) / 5.0, 1e-15);
}

TEST(Worlds, FewerThanTwoWorldsIsRefused) {
  EXPECT_THROW(run_worlds(ukraine(), 1, 100, 1), sim::RunError);
}

TEST(WorldsStatistics, SpearmanAndQuantiles) {
  EXPECT_DOUBLE_EQ(sim::spearman({1, 2, 3, 4}, {10, 20, 25, 100}), 1.0);  // monotone, not linear
  EXPECT_DOUBLE_EQ(sim::spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  EXPECT_EQ(sim::spearman({1, 2, 3}, {5, 5, 5}), 0.0);  // a constant decides nothing
  EXPECT_DOUBLE_EQ(sim::quantile_sorted({0, 10}, 0.25), 2.5);
  EXPECT_DOUBLE_EQ(sim::quantile_sorted({3}, 0.95), 3.0);
}

// The loader's `epistemic:` list.
class LoaderEpistemic : public ::testing::Test {
 protected:
  model::Scenario load(const std::string& extra) const {
    const std::string text = test::read_text(kMinimal) + extra;
    return model::load_scenario_text(text, "minimal.yaml", kMinimal.parent_path().string());
  }
  std::string error_of(const std::string& extra) const {
    try {
      load(extra);
    } catch (const sim::ScenarioError& e) {
      return e.what();
    }
    return "(no error)";
  }
  const std::filesystem::path kMinimal = test::source_dir() / "tests" / "data" / "valid" / "minimal.yaml";
  test::ScopedSeeds seeds_;
};

TEST_F(LoaderEpistemic, MarksTheListedUncertainFields) {
  const model::Scenario s = load("epistemic: [guarantors.uk.resolve]\n");
  for (const auto& u : s.uncertain) EXPECT_EQ(u.epistemic, u.key_path == "guarantors.uk.resolve") << u.key_path;
}

TEST_F(LoaderEpistemic, AConstantIsKeptAsTheSameInEveryWorld) {
  const model::Scenario s = load("epistemic: [guarantors.uk.capability]\n");
  EXPECT_EQ(s.epistemic_constants, std::vector<std::string>{"guarantors.uk.capability"});
  for (const auto& u : s.uncertain) EXPECT_FALSE(u.epistemic);
}

TEST_F(LoaderEpistemic, BadListsAreRefusedAtTheirLine) {
  EXPECT_NE(error_of("epistemic: [guarantors.uk.resolv]\n").find("did you mean"), std::string::npos);
  EXPECT_NE(error_of("epistemic: [guarantors.uk.resolve, guarantors.uk.resolve]\n").find("repeats"),
            std::string::npos);
  // usa.resolve is correlated with membership.audience_cost: one per world, one per trial cannot be.
  EXPECT_NE(error_of("epistemic: [guarantors.usa.resolve]\n").find("epistemic field with a per-trial one"),
            std::string::npos);
  EXPECT_NE(error_of("epistemic: guarantors.uk.resolve\n").find("minimal.yaml:"), std::string::npos);
}

}  // namespace
}  // namespace credsim
