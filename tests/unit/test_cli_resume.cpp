// A run killed part-way (SIGKILL, or Ctrl-C) and started again with the same
// command resumes from <out>/.credsim-run.checkpoint and ends with files
// byte-identical to an uninterrupted run. The real command, really killed.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_process.hpp"
#include "temp_dir.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = CREDSIM_SOURCE_DIR "/scenarios/ukraine.yaml";
const char* const kCheckpoint = ".credsim-run.checkpoint";
const char* const kFiles[] = {"summary.json", "summary.csv", "paired.csv", "survival.csv"};
// The first checkpoint comes after the first round (16 blocks of 1024 trials),
// so the run is killed about 1/6 of the way through, whatever the machine's speed.
const std::string kTrials = "100000";

std::vector<std::string> run_args(const fs::path& out, const std::string& threads) {
  return {"run", kScenario, "--trials", kTrials, "--seed", "17", "--threads", threads, "--out", out.string(), "--quiet"};
}

// Starts the run, waits for its first checkpoint, sends `sig`, and returns how it ended.
test::CliResult interrupt_after_checkpoint(const fs::path& out, const fs::path& logs, int sig) {
  test::CliProcess p(run_args(out, "1"), logs, "interrupted");
  const bool saved = test::wait_for([&] { return fs::exists(out / kCheckpoint) || !p.running(); },
                                    std::chrono::seconds(300));
  EXPECT_TRUE(saved && fs::exists(out / kCheckpoint))
      << "no checkpoint while the run was going: raise kTrials so that the run lasts longer";
  p.send(sig);
  return p.wait();
}

void expect_same_files(const fs::path& a, const fs::path& b) {
  for (const char* f : kFiles) {
    const std::string x = test::read_text(a / f);
    ASSERT_FALSE(x.empty()) << f;
    EXPECT_TRUE(x == test::read_text(b / f)) << f << " differs from the uninterrupted run";
  }
}

class CliResume : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("credsim-resume");
    const test::CliResult r = test::run_cli(run_args(*dir_ / "reference", "2"), dir_->path(), "reference");
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_FALSE(fs::exists(*dir_ / "reference" / kCheckpoint)) << "checkpoint left after a complete run";
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static test::TempDir* dir_;
};
test::TempDir* CliResume::dir_ = nullptr;

TEST_F(CliResume, KilledRunResumesToByteIdenticalFiles) {
  const fs::path out = *dir_ / "killed";
  const test::CliResult killed = interrupt_after_checkpoint(out, dir_->path(), SIGKILL);
  ASSERT_EQ(killed.signal, SIGKILL) << "the run ended before it could be killed: raise kTrials";
  for (const char* f : kFiles) EXPECT_FALSE(fs::exists(out / f)) << f << " written by a killed run";

  const test::CliResult resumed = test::run_cli(run_args(out, "2"), dir_->path(), "resumed");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  expect_same_files(*dir_ / "reference", out);
  EXPECT_FALSE(fs::exists(out / kCheckpoint)) << "checkpoint left after the resumed run";
}

TEST_F(CliResume, CtrlCSavesProgressAndTheSameCommandResumes) {
  const fs::path out = *dir_ / "ctrl-c";
  const test::CliResult stopped = interrupt_after_checkpoint(out, dir_->path(), SIGINT);
  ASSERT_EQ(stopped.code, 130) << stopped.err;
  EXPECT_NE(stopped.err.find("progress saved"), std::string::npos) << stopped.err;
  EXPECT_TRUE(fs::exists(out / kCheckpoint));
  for (const char* f : kFiles) EXPECT_FALSE(fs::exists(out / f)) << f << " written by a stopped run";

  // Resumed with another thread count: the numbers do not depend on it.
  std::vector<std::string> args = run_args(out, "2");
  args.pop_back();  // not --quiet: the notice says it resumed
  const test::CliResult resumed = test::run_cli(args, dir_->path(), "resumed2");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming from"), std::string::npos) << resumed.err;
  expect_same_files(*dir_ / "reference", out);
  EXPECT_FALSE(fs::exists(out / kCheckpoint));
}

TEST(CliResumeChecks, ForeignOrBrokenCheckpointIsIgnoredWithANotice) {
  test::TempDir dir("credsim-resume");
  const fs::path out = dir / "o";
  fs::create_directories(out);
  test::write_text(out / kCheckpoint, "credsim-run-checkpoint 1\nscenario_sha256: abc\n");  // truncated
  const test::CliResult r = test::run_cli({"run", kScenario, "--trials", "2000", "--out", out.string()}, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("not resuming from"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unreadable"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / kCheckpoint));
  EXPECT_TRUE(fs::exists(out / "summary.json"));
}

TEST(CliResumeChecks, TrialsCsvRunsDoNotResume) {
  test::TempDir dir("credsim-resume");
  const fs::path out = dir / "o";
  fs::create_directories(out);
  test::write_text(out / kCheckpoint, "anything");
  const test::CliResult r =
      test::run_cli({"run", kScenario, "--trials", "2000", "--trials-csv", "--out", out.string()}, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("--trials-csv runs are not resumable"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(out / "trials.csv"));
}

}  // namespace
}  // namespace credsim
