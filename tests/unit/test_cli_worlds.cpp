// `credsim run --worlds M` as a user runs it: the same bytes for any thread
// count, the worlds files with their provenance, the table naming each kind
// of uncertainty, and the options it cannot be combined with.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_process.hpp"
#include "temp_dir.hpp"

namespace credsim {
namespace {

const std::string kScenario = CREDSIM_SOURCE_DIR "/scenarios/ukraine.yaml";

test::CliResult run_worlds(const test::TempDir& dir, const std::string& out, int threads, bool quiet = true) {
  std::vector<std::string> args = {"run", kScenario, "--worlds", "4", "--trials", "300", "--seed", "5",
                                   "--threads", std::to_string(threads), "--out", (dir / out).string(),
                                   "--options", "budapest,art5_style,ratified_treaty"};
  if (quiet) args.push_back("--quiet");
  return test::run_cli(args, dir.path(), out);
}

TEST(CliWorlds, SameSeedGivesByteIdenticalFilesForAnyThreadCount) {
  test::TempDir dir("credsim-worlds");
  const auto one = run_worlds(dir, "t1", 1);
  ASSERT_EQ(one.code, 0) << one.err;
  const auto two = run_worlds(dir, "t2", 2);
  ASSERT_EQ(two.code, 0) << two.err;
  for (const char* f : {"summary.csv", "worlds.csv", "across_worlds.csv", "ranks.csv", "decisive_fields.csv"}) {
    const std::string a = test::read_text(dir / "t1" / f);
    ASSERT_FALSE(a.empty()) << f;
    EXPECT_TRUE(a == test::read_text(dir / "t2" / f)) << f << " differs between 1 and 2 threads";
    EXPECT_NE(a.find("# worlds: 4\n# trials_per_world: 300\n"), std::string::npos) << f;
    EXPECT_NE(a.find("# trials: 1200\n"), std::string::npos) << f;
  }
  // One row per world, option and metric of worlds.csv carries the world's epistemic values.
  const std::string worlds = test::read_text(dir / "t1" / "worlds.csv");
  EXPECT_NE(worlds.find("world,settlement.deal_value,"), std::string::npos);
  EXPECT_NE(worlds.find("\n3,"), std::string::npos);
}

TEST(CliWorlds, TheTableNamesEachKindOfUncertainty) {
  test::TempDir dir("credsim-worlds");
  const auto r = run_worlds(dir, "table", 2, false);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Across 4 plausible worlds"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("worlds 5-95% = spread of plausible worlds"), std::string::npos);
  EXPECT_NE(r.out.find("MC SE = Monte Carlo error of the mean"), std::string::npos);
  EXPECT_NE(r.out.find("P(first)"), std::string::npos);
  // The pooled table above it must not claim its intervals are all the uncertainty there is.
  EXPECT_EQ(r.out.find("Monte Carlo error only"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Pooled over 4 plausible worlds"), std::string::npos) << r.out;
  const std::string json = test::read_text(dir / "table" / "summary.json");
  EXPECT_NE(json.find("\"uncertainty\": \"Pooled over 4 plausible worlds"), std::string::npos);
}

TEST(CliWorlds, CannotBeCombinedWithPrecisionOrTrialRows) {
  test::TempDir dir("credsim-worlds");
  const auto a = test::run_cli({"run", kScenario, "--worlds", "3", "--precision", "0.01"}, dir.path(), "a");
  EXPECT_NE(a.code, 0);
  EXPECT_NE(a.err.find("--worlds"), std::string::npos) << a.err;
  const auto b = test::run_cli({"run", kScenario, "--worlds", "1"}, dir.path(), "b");
  EXPECT_NE(b.code, 0);
  const auto c = test::run_cli({"run", kScenario, "--worlds", "3", "--trials-csv"}, dir.path(), "c");
  EXPECT_NE(c.code, 0);
}

}  // namespace
}  // namespace credsim
