// Resource limits: a run that would not fit in memory (--max-memory) or whose
// trials.csv would not fit on the output disk is refused before any work, with
// a message giving both sizes; impossible trial counts are refused up front.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_process.hpp"
#include "model_fixture.hpp"
#include "models/credibility_model.hpp"
#include "sim/errors.hpp"
#include "sim/resource_limits.hpp"
#include "temp_dir.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = CREDSIM_SOURCE_DIR "/scenarios/ukraine.yaml";

bool has_result_files(const fs::path& out) {
  std::error_code ec;
  if (!fs::is_directory(out, ec)) return false;
  for (const auto& e : fs::directory_iterator(out, ec))
    if (e.path().filename().string().find(".csv") != std::string::npos ||
        e.path().filename().string().find(".json") != std::string::npos)
      return true;
  return false;
}

TEST(ResourceLimits, ByteSizesParseOrAreRefused) {
  EXPECT_EQ(sim::parse_byte_size("4000000000"), 4000000000ULL);
  EXPECT_EQ(sim::parse_byte_size("512m"), 512ULL << 20);
  EXPECT_EQ(sim::parse_byte_size("8G"), 8ULL << 30);
  EXPECT_EQ(sim::parse_byte_size("8gb"), 8ULL << 30);
  EXPECT_EQ(sim::parse_byte_size("1.5k"), 1536ULL);
  EXPECT_EQ(sim::parse_byte_size("2t"), 2ULL << 40);
  for (const char* bad : {"", "0", "-1", "m", "1.2.3", "12x", "1e3", "nan", "99999999999999999999t"})
    EXPECT_THROW(sim::parse_byte_size(bad), sim::RunError) << bad;
}

TEST(ResourceLimits, SizesAndCountsReadWell) {
  EXPECT_EQ(sim::format_bytes(9.3e12), "9.3 TB");
  EXPECT_EQ(sim::format_bytes(80e9), "80 GB");
  EXPECT_EQ(sim::format_bytes(12), "12 bytes");
  EXPECT_EQ(sim::format_trials(10'000'000'000ULL), "10^10");
  EXPECT_EQ(sim::format_trials(2'500'000), "2500000");
  EXPECT_EQ(sim::format_trials(1000), "1000");
}

TEST(ResourceLimits, EstimatesGrowWithThreadsAndTrials) {
  const model::CredibilityModel m(test::small_scenario());
  const auto& layout = m.layout();
  EXPECT_LT(sim::estimate_run_memory(layout, 1, false), sim::estimate_run_memory(layout, 64, false));
  EXPECT_LT(sim::estimate_run_memory(layout, 1, false), sim::estimate_run_memory(layout, 1, true));
  EXPECT_EQ(sim::estimate_trials_csv_bytes(layout, 10) < sim::estimate_trials_csv_bytes(layout, 10'000), true);
  EXPECT_GT(sim::default_memory_limit(), 0u);
}

TEST(CliLimits, MemoryLimitRefusesUpFront) {
  test::TempDir dir("credsim-limits");
  const fs::path out = dir / "o";
  const test::CliResult r =
      test::run_cli({"run", kScenario, "--trials", "1000", "--max-memory", "100k", "--out", out.string()}, dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("of memory, more than the limit of 102 kB"), std::string::npos) << r.err;
  EXPECT_FALSE(has_result_files(out));
}

TEST(CliLimits, BufferedTrialRowsCountAgainstTheLimit) {
  test::TempDir dir("credsim-limits");
  const fs::path out = dir / "o";
  // 4096 threads buffer 16384 blocks of rows per round: gigabytes.
  const test::CliResult r = test::run_cli({"run", kScenario, "--trials", "1000", "--threads", "4096", "--trials-csv",
                                           "--max-memory", "1g", "--out", out.string()},
                                          dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("trials.csv rows are buffered"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fewer --threads"), std::string::npos) << r.err;
  EXPECT_FALSE(has_result_files(out));
}

// Issue 18, item 7: sweep had no --max-memory. Its estimate counts the points
// run at once (two per thread), each with a round of block tallies.
TEST(CliLimits, SweepMemoryLimitRefusesBeforeTheFirstTrial) {
  test::TempDir dir("credsim-limits");
  const fs::path out = dir / "o";
  test::write_text(dir / "s.yaml", "credsim_sweep: 1\nscenario: " + kScenario + "\ntrials: 1000000\n"
                                   "factors:\n  - {path: guarantors.usa.resolve, range: [0.5, 1], steps: 20}\n"
                                   "design: {type: grid}\n");
  const test::CliResult r = test::run_cli(
      {"sweep", (dir / "s.yaml").string(), "-t", "4", "--max-memory", "100k", "--out", out.string()}, dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("this sweep would need about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("of memory (8 points at a time), more than the limit of 102 kB"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "sweep.journal"));
  EXPECT_FALSE(has_result_files(out));
}

TEST(ResourceLimits, SweepEstimateGrowsWithThePointsAtOnce) {
  const model::CredibilityModel m(test::small_scenario());
  EXPECT_LT(sim::estimate_sweep_memory(m.layout(), 1, 2, 256), sim::estimate_sweep_memory(m.layout(), 1, 8, 256));
  EXPECT_LT(sim::estimate_sweep_memory(m.layout(), 1, 2, 1), sim::estimate_sweep_memory(m.layout(), 1, 2, 256));
}

TEST(CliLimits, BadMemorySizeIsRefused) {
  test::TempDir dir("credsim-limits");
  const test::CliResult r = test::run_cli(
      {"run", kScenario, "--trials", "10", "--max-memory", "lots", "--out", (dir / "o").string()}, dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--max-memory is 'lots'"), std::string::npos) << r.err;
}

TEST(CliLimits, GenerousMemoryLimitRuns) {
  test::TempDir dir("credsim-limits");
  const test::CliResult r = test::run_cli(
      {"run", kScenario, "--trials", "1000", "--max-memory", "8g", "--quiet", "--out", (dir / "o").string()},
      dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "o" / "summary.json"));
}

TEST(CliLimits, TrialsCsvLargerThanTheDiskIsRefusedUpFront) {
  test::TempDir dir("credsim-limits");
  const fs::path out = dir / "o";
  const test::CliResult r = test::run_cli(
      {"run", kScenario, "--trials", "1000000000000", "--trials-csv", "--out", out.string()}, dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("trials.csv for 10^12 trials would need about "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("B, but the output disk"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" free"), std::string::npos) << r.err;
  ASSERT_TRUE(fs::is_directory(out));
  EXPECT_TRUE(fs::is_empty(out)) << "left a file behind";
}

TEST(CliLimits, TrialCountsOutsideTheRangeAreRefused) {
  test::TempDir dir("credsim-limits");
  for (const char* bad : {"0", "1000000000000000"}) {  // 0 and 10^15
    const test::CliResult r =
        test::run_cli({"run", kScenario, "--trials", bad, "--out", (dir / "o").string()}, dir.path());
    EXPECT_NE(r.code, 0) << bad;
    EXPECT_NE(r.err.find("--trials"), std::string::npos) << bad << ": " << r.err;
  }
  // In precision mode the cap is checked the same way.
  const test::CliResult r = test::run_cli(
      {"run", kScenario, "--precision", "0.01", "--max-trials", "1000000000000000", "--out", (dir / "o").string()},
      dir.path());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--max-trials"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "o"));
}

}  // namespace
}  // namespace credsim
