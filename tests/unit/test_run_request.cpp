// sim::run_request, the one call behind `credsim run` and credsim.run: it
// writes the summary files, keeps a checkpoint while it runs, resumes from it
// to the same bytes, says why it does not, and writes nothing without a folder.
// (The CLI's own behaviour: test_cli*.cpp; Python's: test_run_checkpoint.py.)
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "coin_model.hpp"
#include "model_fixture.hpp"
#include "models/run_request.hpp"
#include "sim/errors.hpp"
#include "sim/io/output_files.hpp"
#include "sim/run_request.hpp"
#include "temp_dir.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;

const char* const kFiles[] = {"summary.json", "summary.csv", "paired.csv", "survival.csv"};
// 100 blocks; with one thread a round is 16 blocks, so a stop after the first
// round leaves most of the run to do.
constexpr std::uint64_t kTrials = 100 * sim::kBlockTrials;

// A request for the coin model that records its notices in `notices`.
sim::RunRequest coin_request(const fs::path& out, std::vector<std::string>& notices, int threads = 1) {
  sim::RunRequest request;
  request.model = std::make_shared<test::CoinModel>();
  request.info.scenario_name = "coins";
  request.info.scenario_file = "coins.yaml";
  request.info.scenario_sha256 = "c0ffee";
  request.config.seed = 11;
  request.config.trials = kTrials;
  request.config.threads = threads;
  request.out_dir = out;
  request.notice = [&notices](const std::string& line) { notices.push_back(line); };
  return request;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& line : lines)
    if (line.find(part) != std::string::npos) return true;
  return false;
}

TEST(RunRequest, WritesTheSummaryFilesOfItsOutcomeAndLeavesNoCheckpoint) {
  test::TempDir dir("credsim-run-request");
  std::vector<std::string> notices;
  const sim::RunOutcome outcome = sim::run_request(coin_request(dir / "out", notices));
  ASSERT_EQ(outcome.written.size(), 4u);
  const auto texts = sim::io::summary_texts(outcome.layout(), outcome.tally, outcome.info);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(outcome.written[i], dir / "out" / kFiles[i]);
    EXPECT_EQ(test::read_text(outcome.written[i]), texts[i].second) << kFiles[i];
  }
  EXPECT_EQ(outcome.info.trials, kTrials);
  EXPECT_EQ(outcome.info.seed, 11u);
  EXPECT_FALSE(fs::exists(dir / "out" / sim::kRunCheckpointName));
  EXPECT_TRUE(notices.empty()) << notices.front();
}

TEST(RunRequest, StoppedRunKeepsACheckpointAndTheSameRequestResumesToTheSameBytes) {
  test::TempDir dir("credsim-run-request");
  std::vector<std::string> notices;
  sim::run_request(coin_request(dir / "reference", notices, 2));

  sim::RunRequest request = coin_request(dir / "stopped", notices);
  std::atomic<bool> stop{false};
  request.config.cancel = &stop;
  request.config.progress = [&stop](std::uint64_t, std::uint64_t) { stop = true; };  // after the first round
  EXPECT_THROW(sim::run_request(request), sim::Cancelled);
  const fs::path checkpoint = dir / "stopped" / sim::kRunCheckpointName;
  ASSERT_TRUE(fs::exists(checkpoint));
  EXPECT_TRUE(any_contains(notices, "progress saved in " + checkpoint.string())) << notices.size();
  for (const char* f : kFiles) EXPECT_FALSE(fs::exists(dir / "stopped" / f)) << f;

  notices.clear();
  stop = false;
  request.config.progress = nullptr;
  request.config.threads = 2;  // the numbers do not depend on it
  sim::run_request(request);
  EXPECT_TRUE(any_contains(notices, "note: resuming from " + checkpoint.string() + " (16384 trials done)"))
      << (notices.empty() ? "no notice" : notices.front());
  for (const char* f : kFiles)
    EXPECT_EQ(test::read_text(dir / "stopped" / f), test::read_text(dir / "reference" / f)) << f;
  EXPECT_FALSE(fs::exists(checkpoint));
}

// Runs `request` until its first checkpoint and stops it there.
void stop_after_first_round(sim::RunRequest request) {
  std::atomic<bool> stop{false};
  request.config.cancel = &stop;
  request.config.progress = [&stop](std::uint64_t, std::uint64_t) { stop = true; };
  EXPECT_THROW(sim::run_request(request), sim::Cancelled);
  ASSERT_TRUE(fs::exists(request.out_dir / sim::kRunCheckpointName));
}

TEST(RunRequest, CheckpointOfAnotherRequestIsNotResumedAndQuietSilencesTheNote) {
  test::TempDir dir("credsim-run-request");
  std::vector<std::string> notices;
  sim::RunRequest request = coin_request(dir / "out", notices);
  stop_after_first_round(request);
  request.config.seed = 12;
  notices.clear();
  EXPECT_EQ(sim::run_request(request).tally.trials, kTrials);
  EXPECT_TRUE(any_contains(notices, "it is for another request (the seed differs); starting over"))
      << (notices.empty() ? "no notice" : notices.front());

  request.config.seed = 11;
  stop_after_first_round(request);
  request.config.seed = 12;
  request.quiet = true;
  notices.clear();
  sim::run_request(request);
  EXPECT_TRUE(notices.empty()) << notices.front();
}

// Per-trial rows cannot resume (the trials before the checkpoint are not replayed).
class CountingSink : public sim::TrialSink {
 public:
  void write(std::uint64_t, const sim::TrialRecord&) override { ++rows; }
  std::uint64_t rows = 0;
};

TEST(RunRequest, RunsKeepingPerTrialRowsNeitherResumeNorCheckpoint) {
  test::TempDir dir("credsim-run-request");
  fs::create_directories(dir / "out");
  test::write_text(dir / "out" / sim::kRunCheckpointName, "anything");
  std::vector<std::string> notices;
  sim::RunRequest request = coin_request(dir / "out", notices);
  CountingSink rows;
  request.config.sink = &rows;
  bool checkpoint_seen = false;
  request.config.progress = [&](std::uint64_t, std::uint64_t) {
    checkpoint_seen = checkpoint_seen || test::read_text(dir / "out" / sim::kRunCheckpointName) != "anything";
  };
  sim::run_request(request);
  EXPECT_EQ(rows.rows, kTrials);  // every trial, from the first
  EXPECT_FALSE(checkpoint_seen);
  EXPECT_TRUE(any_contains(notices, "runs that keep per-trial rows are not resumable"))
      << (notices.empty() ? "no notice" : notices.front());
  EXPECT_FALSE(fs::exists(dir / "out" / sim::kRunCheckpointName));  // the results are complete
}

TEST(RunRequest, WithoutAnOutputFolderNothingIsWritten) {
  std::vector<std::string> notices;
  const sim::RunOutcome outcome = sim::run_request(coin_request({}, notices));
  EXPECT_TRUE(outcome.written.empty());
  EXPECT_EQ(outcome.tally.trials, kTrials);
  sim::RunRequest csv = coin_request({}, notices);
  csv.trials_csv = true;
  EXPECT_THROW(sim::run_request(csv), sim::RunError);
}

TEST(RunRequest, FromAScenarioRecordsItsProvenanceAndRunsTheChosenOptions) {
  model::Scenario scenario = test::small_scenario();
  scenario.sha256 = "abc123";
  const sim::RunRequest request = model::make_run_request(scenario, "small.yaml", {"guarantors.G.resolve=1"},
                                                          {"combat"}, model::Estimator::plain);
  EXPECT_EQ(request.info.scenario_name, "small");
  EXPECT_EQ(request.info.scenario_file, "small.yaml");
  EXPECT_EQ(request.info.scenario_sha256, "abc123");
  EXPECT_EQ(request.info.overrides, std::vector<std::string>{"guarantors.G.resolve=1"});
  ASSERT_EQ(request.model->layout().options.size(), 1u);
  EXPECT_EQ(request.model->layout().options[0].name, "combat");
}

}  // namespace
}  // namespace credsim
