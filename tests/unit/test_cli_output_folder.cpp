// The output folder belongs to one run at a time (issue 18, items 5 and 6):
// a second run into a folder in use fails at once, and temp files left by
// killed runs are cleaned up by the next one. The real command.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_process.hpp"
#include "temp_dir.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = CREDSIM_SOURCE_DIR "/scenarios/ukraine.yaml";

std::vector<std::string> run_args(const fs::path& out, const std::string& trials) {
  return {"run", kScenario, "--trials", trials, "--seed", "3", "--threads", "1", "--out", out.string(), "--quiet"};
}

// The id of a process that has ended.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

TEST(CliOutputFolder, SecondRunIntoAFolderInUseFailsAtOnce) {
  test::TempDir dir("credsim-out");
  const fs::path out = dir / "o";
  test::CliProcess first(run_args(out, "100000000"), dir.path(), "first");
  ASSERT_TRUE(test::wait_for([&] { return fs::exists(out / ".credsim-run.checkpoint") || !first.running(); },
                             std::chrono::seconds(300)));
  const test::CliResult second = test::run_cli(run_args(out, "2000"), dir.path(), "second");
  EXPECT_EQ(second.code, 3) << second.err;
  EXPECT_NE(second.err.find("in use by another credsim"), std::string::npos) << second.err;
  EXPECT_FALSE(fs::exists(out / "summary.json"));
}

TEST(CliOutputFolder, TempFilesOfDeadRunsAreRemoved) {
  test::TempDir dir("credsim-out");
  const fs::path out = dir / "o";
  fs::create_directories(out);
  const std::string dead = std::to_string(dead_pid());
  for (const char* name : {"trials.csv.tmp.", "summary.json.tmp."}) test::write_text(out / (name + dead), "x");
  test::write_text(out / "trials.csv.tmp.1", "x");  // process 1 is alive: not ours to remove
  const test::CliResult r = test::run_cli(run_args(out, "2000"), dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out / ("trials.csv.tmp." + dead)));
  EXPECT_FALSE(fs::exists(out / ("summary.json.tmp." + dead)));
  EXPECT_TRUE(fs::exists(out / "trials.csv.tmp.1"));
}

}  // namespace
}  // namespace credsim
