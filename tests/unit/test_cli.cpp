// The credsim command, run as a separate process: reproducibility across
// thread counts, errors and exit codes, help, Ctrl-C.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

extern char** environ;

namespace credsim {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = CREDSIM_SOURCE_DIR "/scenarios/ukraine.yaml";

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `credsim <args>` with stdout and stderr captured in `dir`.
Outcome credsim(const std::vector<std::string>& args, const test::TempDir& dir) {
  std::string command = quoted(CREDSIM_CLI);
  for (const auto& a : args) {
    command += ' ';
    command += quoted(a);
  }
  command += " >";
  command += quoted((dir / "stdout").string());
  command += " 2>";
  command += quoted((dir / "stderr").string());
  const int status = std::system(command.c_str());
  Outcome o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = test::read_text(dir / "stdout");
  o.err = test::read_text(dir / "stderr");
  return o;
}

Outcome run_scenario(const test::TempDir& dir, const std::string& out, std::uint64_t seed, int threads,
                     std::uint64_t trials = 2000) {
  return credsim({"run", kScenario, "--trials", std::to_string(trials), "--seed", std::to_string(seed), "--threads",
                  std::to_string(threads), "--out", (dir / out).string(), "--quiet"},
                 dir);
}

const char* const kFiles[] = {"summary.json", "summary.csv", "paired.csv", "survival.csv"};

TEST(CliRun, SameSeedGivesByteIdenticalFilesForAnyThreadCount) {
  test::TempDir dir("credsim-cli");
  const Outcome one = run_scenario(dir, "t1", 11, 1);
  ASSERT_EQ(one.code, 0) << one.err;
  const Outcome two = run_scenario(dir, "t2", 11, 2);
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_TRUE(one.out.empty()) << "--quiet printed: " << one.out;
  for (const char* f : kFiles) {
    const std::string a = test::read_text(dir / "t1" / f);
    ASSERT_FALSE(a.empty()) << f;
    EXPECT_TRUE(a == test::read_text(dir / "t2" / f)) << f << " differs between 1 and 2 threads";
  }
  const std::string summary = test::read_text(dir / "t1" / "summary.csv");
  EXPECT_NE(summary.find("# seed: 11\n"), std::string::npos);
  EXPECT_NE(summary.find("# trials: 2000\n"), std::string::npos);
  EXPECT_NE(summary.find("# scenario_file: ukraine.yaml\n"), std::string::npos);
  EXPECT_TRUE(std::regex_search(summary, std::regex("# scenario_sha256: [0-9a-f]{64}\n")));
}

// The conditional estimator (tallies of probabilities, not coins) keeps the
// same guarantee, and says in summary.json which metrics it estimated so.
TEST(CliRun, ConditionalEstimatorGivesByteIdenticalFilesForAnyThreadCount) {
  test::TempDir dir("credsim-cli");
  for (const int threads : {1, 2}) {
    const Outcome o = credsim({"run", kScenario, "--trials", "2000", "--seed", "11", "--threads",
                               std::to_string(threads), "--estimator", "conditional", "--out",
                               (dir / ("c" + std::to_string(threads))).string(), "--quiet"},
                              dir);
    ASSERT_EQ(o.code, 0) << o.err;
  }
  for (const char* f : kFiles) {
    const std::string a = test::read_text(dir / "c1" / f);
    ASSERT_FALSE(a.empty()) << f;
    EXPECT_TRUE(a == test::read_text(dir / "c2" / f)) << f << " differs between 1 and 2 threads";
  }
  EXPECT_NE(test::read_text(dir / "c1" / "summary.json").find("\"estimated_by\""), std::string::npos);
  EXPECT_NE(test::read_text(dir / "c1" / "summary.csv").find("# conditional estimator:"), std::string::npos);
  const Outcome bad = credsim({"run", kScenario, "--estimator", "rao", "--out", (dir / "bad").string()}, dir);
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("--estimator"), std::string::npos) << bad.err;
}

// bench --precision times a run to the half-width for both estimators and
// reports, for each, a trial count that reached it (a loose target: seconds).
TEST(CliBench, PrecisionReportsBothEstimators) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"bench", kScenario, "--trials", "1000", "--threads", "1", "--precision", "0.05"}, dir);
  ASSERT_EQ(o.code, 0) << o.err;
  for (const char* estimator : {"plain", "conditional"}) {
    const std::regex row(std::string(" ") + estimator + " +1 +([0-9]+) +[0-9.]+ +[0-9.e+]+  0\\.0[0-5][0-9]* \\(");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(o.out, m, row)) << estimator << " row missing in:\n" << o.out;
    EXPECT_GE(std::stoull(m[1]), 1024u) << "precision is checked once per block of 1024 trials";
  }
  EXPECT_NE(o.out.find("peak memory:"), std::string::npos);
}

TEST(CliRun, DifferentSeedsGiveDifferentNumbers) {
  test::TempDir dir("credsim-cli");
  ASSERT_EQ(run_scenario(dir, "s1", 1, 2).code, 0);
  ASSERT_EQ(run_scenario(dir, "s2", 2, 2).code, 0);
  EXPECT_NE(test::read_text(dir / "s1" / "summary.json"), test::read_text(dir / "s2" / "summary.json"));
}

TEST(CliRun, PrintsTheTableAndWhereTheFilesWent) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"run", kScenario, "--trials", "1000", "--options", "budapest,nato_membership",
                             "--trials-csv", "--out", (dir / "o").string()},
                            dir);
  ASSERT_EQ(o.code, 0) << o.err;
  for (const char* text :
       {"[budapest]", "[nato_membership]", "P(deal and no armed attack)", "Paired differences", "trials.csv"})
    EXPECT_NE(o.out.find(text), std::string::npos) << text << "\n" << o.out;
  EXPECT_EQ(o.out.find("[israel_style]"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "o" / "trials.csv"));
  EXPECT_TRUE(o.err.empty()) << "no progress bar when stderr is not a terminal: " << o.err;
}

TEST(CliRun, BadTrialCountsAreRefusedWithAMessage) {
  test::TempDir dir("credsim-cli");
  for (const char* bad : {"0", "-5", "1e3", "1000000000001", "many"}) {
    const Outcome o = credsim({"run", kScenario, "--trials", bad, "--out", (dir / "o").string()}, dir);
    EXPECT_NE(o.code, 0) << bad;
    EXPECT_NE(o.err.find("--trials"), std::string::npos) << bad << ": " << o.err;
  }
  EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(CliRun, OtherBadValuesAreRefused) {
  test::TempDir dir("credsim-cli");
  const std::vector<std::vector<std::string>> cases = {
      {"--precision", "0"},  {"--precision", "0.5"}, {"--precision", "nan"}, {"--threads", "-1"},
      {"--seed", "-1"},      {"--trials", "10", "--precision", "0.01"},    {"--max-trials", "100"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"run", kScenario, "--out", (dir / "o").string()};
    args.insert(args.end(), c.begin(), c.end());
    const Outcome o = credsim(args, dir);
    EXPECT_NE(o.code, 0) << c[0] << " " << c[1];
    EXPECT_FALSE(o.err.empty()) << c[0];
  }
}

// Issue 18, item 11: an empty --options used to mean "all options".
TEST(CliRun, EmptyOptionListIsRefused) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"run", kScenario, "--trials", "10", "--options", "", "--out", (dir / "o").string()}, dir);
  EXPECT_NE(o.code, 0) << o.err;
  EXPECT_NE(o.err.find("--options"), std::string::npos) << o.err;
}

// Issue 18, item 13.
TEST(CliHelp, MistypedCommandGetsASuggestion) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"runn", kScenario}, dir);
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.err.find("did you mean 'run'"), std::string::npos) << o.err;
}

TEST(CliRun, UnknownOptionNameIsAnInputError) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"run", kScenario, "--trials", "10", "--options", "budapest,no_such_option", "--out",
                             (dir / "o").string()},
                            dir);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("error: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("no_such_option"), std::string::npos) << o.err;
}

TEST(CliRun, UnwritableOutputDirectoryFailsBeforeRunning) {
  test::TempDir dir("credsim-cli");
  test::write_text(dir / "plain_file", "x");
  const Outcome o = credsim({"run", kScenario, "--out", (dir / "plain_file" / "sub").string()}, dir);
  EXPECT_EQ(o.code, 3);
  EXPECT_NE(o.err.find("cannot write to output directory"), std::string::npos) << o.err;
}

TEST(CliRun, MissingScenarioFileIsAnInputError) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"run", (dir / "nope.yaml").string()}, dir);
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("nope.yaml"), std::string::npos) << o.err;
}

TEST(CliRun, CtrlCStopsCleanlyAndWritesNothing) {
  test::TempDir dir("credsim-cli");
  const fs::path out = dir / "o";
  const std::string cli = CREDSIM_CLI;
  // Long enough to be interrupted, small enough that trials.csv passes the up-front disk check.
  std::vector<std::string> args = {cli,   "run",   kScenario,     "--trials", "1000000", "--threads",
                                   "1",   "--out", out.string(), "--quiet",  "--trials-csv"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir / "stdout").c_str(), O_WRONLY | O_CREAT, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir / "stderr").c_str(), O_WRONLY | O_CREAT, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  // The temp trials file appears just before the run starts and the handler is installed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto started = [&] {
    std::error_code ec;
    if (!fs::is_directory(out, ec)) return false;
    for (const auto& e : fs::directory_iterator(out, ec))
      if (e.path().filename().string().rfind("trials.csv.tmp.", 0) == 0) return true;
    return false;
  };
  while (!started() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal instead of stopping cleanly";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_NE(test::read_text(dir / "stderr").find("stopped by the user"), std::string::npos)
      << test::read_text(dir / "stderr");
  EXPECT_TRUE(fs::is_empty(out)) << "files left behind";
}

TEST(CliValidate, GoodFileIsOk) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"validate", kScenario}, dir);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_TRUE(std::regex_search(o.out, std::regex(R"(ukraine\.yaml: ok \(\d+ options, \d+ uncertain parameters, \d+ provenance records\))")))
      << o.out;
}

TEST(CliValidate, BadFileFailsNamingLineAndColumn) {
  test::TempDir dir("credsim-cli");
  const fs::path bad = dir / "bad.yaml";
  test::write_text(bad, "credsim: 1\nname: bad\nhorizon: -5\nsettlement: {deal_value: 1, continue_value: 0}\n");
  const Outcome o = credsim({"validate", kScenario, bad.string()}, dir);
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.out.find("ukraine.yaml: ok"), std::string::npos) << "the good file is still reported";
  EXPECT_TRUE(std::regex_search(o.err, std::regex(R"(error: .*bad\.yaml:\d+:\d+: )"))) << o.err;
}

// Issue 18, item 13: validate stopped at the first error. Errors in
// independent top-level sections are all reported, in reading order.
TEST(CliValidate, ReportsTheErrorsOfEveryIndependentSection) {
  test::TempDir dir("credsim-cli");
  std::string text = test::read_text(kScenario);
  const auto set = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  set("\nhorizon: 120\n", "\nhorizon: -5\n");
  set("\nsettlement:\n", "\nsettlement:\n  deal_valu: 1\n");
  set("\nchallenger:\n", "\nchallenger:\n  strenght: 1\n");
  const fs::path bad = dir / "bad.yaml";
  test::write_text(bad, text);
  fs::copy_file(fs::path(kScenario).parent_path() / "instruments.yaml", dir / "instruments.yaml");
  const Outcome o = credsim({"validate", bad.string()}, dir);
  EXPECT_EQ(o.code, 1);
  const auto horizon = o.err.find(": horizon: is -5");
  const auto settlement = o.err.find(": settlement: unknown key 'deal_valu'");
  const auto challenger = o.err.find(": challenger: unknown key 'strenght'");
  EXPECT_NE(horizon, std::string::npos) << o.err;
  EXPECT_NE(settlement, std::string::npos) << o.err;
  EXPECT_NE(challenger, std::string::npos) << o.err;
  EXPECT_LT(horizon, settlement) << o.err;
  EXPECT_LT(settlement, challenger) << o.err;
}

// Issue 17: a quick run after the checks warns when a headline probability is
// exactly 0 or 1 for every option (here a unit slip: continue_value in
// thousandths), on stderr, without changing the exit code.
TEST(CliValidate, WarnsOnAHeadlineMetricStuckAtZeroForEveryOption) {
  test::TempDir dir("credsim-cli");
  std::string text = test::read_text(kScenario);
  const std::string from = "  continue_value:\n    dist: triangular\n    low: 2.0\n    mode: 3.5\n    high: 5.0\n";
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "  continue_value:\n    dist: triangular\n    low: 2000\n    mode: 3500\n    high: 5000\n");
  const fs::path slip = dir / "slip.yaml";
  test::write_text(slip, text);
  fs::copy_file(fs::path(kScenario).parent_path() / "instruments.yaml", dir / "instruments.yaml");

  const Outcome o = credsim({"validate", slip.string()}, dir);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("slip.yaml: ok"), std::string::npos) << o.out;
  EXPECT_TRUE(std::regex_search(o.err, std::regex(R"(warning: .*slip\.yaml: quick run \(2000 trials, seed 1\): )"
                                                  R"(p_deal \(P\(deal\)\) is exactly 0 for every option)")))
      << o.err;
  EXPECT_EQ(o.err.find("error"), std::string::npos) << o.err;

  const Outcome quiet = credsim({"validate", "--no-quick-run", slip.string()}, dir);
  EXPECT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "") << "--no-quick-run still ran";
}

// A value the scenario fixes is no warning sign: without the bargaining stage
// every trial has a deal, and without a nuclear-armed guarantor there is no
// great-power war (Czechoslovakia 1938 has neither); the run still happens.
TEST(CliValidate, NoWarningForWhatTheScenarioFixes) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({"validate", CREDSIM_SOURCE_DIR "/scenarios/historical/czechoslovakia_1938.yaml"}, dir);
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.err.find("warning"), std::string::npos) << o.err;
}

TEST(CliHelp, HelpAndVersionExitZero) {
  test::TempDir dir("credsim-cli");
  Outcome o = credsim({"--help"}, dir);
  EXPECT_EQ(o.code, 0);
  for (const char* text : {"run", "validate", "Start here", "credsim run scenarios/ukraine.yaml"})
    EXPECT_NE(o.out.find(text), std::string::npos) << text;
  o = credsim({"run", "--help"}, dir);
  EXPECT_EQ(o.code, 0);
  for (const char* text : {"--trials", "--precision", "--seed", "--threads", "--out", "--options", "summary.json"})
    EXPECT_NE(o.out.find(text), std::string::npos) << text;
  o = credsim({"--version"}, dir);
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("credsim "), std::string::npos);
}

TEST(CliHelp, NoArgumentsShowsHelpAndFails) {
  test::TempDir dir("credsim-cli");
  const Outcome o = credsim({}, dir);
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.out.find("Start here"), std::string::npos);
}

}  // namespace
}  // namespace credsim
