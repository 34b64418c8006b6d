// Sweeps: common random numbers across points, byte-identical results after
// a torn journal, for any thread count and across shards; key path errors;
// the Ukraine model through the model factory; the CLI killed and resumed.
#include <atomic>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>
#include <utility>

#include <oneapi/tbb/task_arena.h>

#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"
#include "sim/io/sweep_journal.hpp"
#include "sim/io/yaml_reader.hpp"
#include "sim/rng.hpp"
#include "sim/runner.hpp"
#include "sim/sweep_study.hpp"
#include "temp_dir.hpp"

namespace credsim::sim {
namespace {
namespace fs = std::filesystem;

// A toy model read from the scenario text: option "a" succeeds with
// probability p (halved when who is not usa), option "b" with p/2; a mean
// metric "v" = n * uniform.
class ToyModel : public TrialModel {
 public:
  ToyModel(double p, double n) : p_(p), n_(n) {
    for (const char* name : {"a", "b"}) {
      OptionLayout o;
      o.name = o.label = name;
      o.metrics = {{"y", "y", MetricKind::probability, "", true, "", ""}, {"v", "v", MetricKind::mean, "", false, "", ""}};
      layout_.options.push_back(o);
    }
    layout_.common_metrics = 2;
    layout_.horizon = 1;
  }
  const OutcomeLayout& layout() const override { return layout_; }
  std::unique_ptr<Workspace> make_workspace() const override { return std::make_unique<Workspace>(); }
  void run_trial(std::uint64_t seed, std::uint64_t trial, Workspace&, TrialRecord& out) const override {
    RngStream rng(seed, trial, Purpose::test);
    const double u = rng.uniform(), w = rng.uniform();
    out.set(0, 0, u < p_ ? 1.0 : 0.0);
    out.set(1, 0, u < p_ / 2 ? 1.0 : 0.0);
    out.set(0, 1, n_ * w);
    out.set(1, 1, n_ * w + 1);
  }

 private:
  double p_, n_;
  OutcomeLayout layout_;
};

ModelFactory toy_factory() {
  return [](const std::string& text) -> std::unique_ptr<TrialModel> {
    const auto doc = io::Document::from_text(text, "toy.yaml");
    const auto root = doc.root();
    const double half = root.required("who").as_string() == "usa" ? 1.0 : 0.5;
    return std::make_unique<ToyModel>(root.required("p").as_double() * half,
                                      static_cast<double>(root.required("n").as_integer(0, 100)));
  };
}

const char* kToyScenario = "p: 0.5\nwho: usa\nn: 3\nnested: {x: 1}\n";

std::string toy_sweep(const std::string& design = "design: {type: grid}\n") {
  return "credsim_sweep: 1\nscenario: toy.yaml\ntrials: 1500\nseed: 4\n"
         "factors:\n"
         "  - {path: p, range: [0.1, 0.9], steps: 5}\n"
         "  - {path: who, levels: [usa, uk]}\n"
         "  - {path: n, type: integer, range: [2, 3]}\n" +
         design + "robustness:\n  - {metric: y, threshold: 0.3}\n  - {metric: v, goal: minimize}\n";
}

StudyRequest toy_request(const test::TempDir& dir, const std::string& sweep_text, const fs::path& out) {
  test::write_text(dir / "toy.yaml", kToyScenario);
  test::write_text(dir / "sweep.yaml", sweep_text);
  StudyRequest r;
  r.file = read_sweep_file((dir / "sweep.yaml").string());
  r.scenario_sha256 = "toy";
  r.factory = toy_factory();
  r.out_dir = out;
  return r;
}

TEST(SweepCrn, IdenticalFactorValuesGiveIdenticalRows) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.7,usa,3\n0.4,uk,2\n");
  StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out");
  r.config.threads = 2;
  const StudyResult res = run_study(r);
  ASSERT_EQ(res.run.results.size(), 3u);
  const auto& a = res.run.results[0].rows;
  const auto& c = res.run.results[2].rows;
  ASSERT_EQ(a.size(), c.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].estimate.value, c[i].estimate.value);
    EXPECT_EQ(a[i].estimate.std_error, c[i].estimate.std_error);
  }
  // Same seed at every point: the uniforms are shared, so y(b) at p=0.7 equals y(a) at p=0.35.
}

TEST(SweepCrn, PointEqualsAPlainRunOfItsScenario) {
  test::TempDir dir;
  StudyRequest r = toy_request(dir, toy_sweep(), dir / "out");
  std::string design;
  const SweepPlan plan = make_plan(r, design);
  ASSERT_EQ(plan.points.size(), 5u * 2u * 2u);
  const auto model = r.factory(point_yaml(plan, 7));
  RunConfig c;
  c.seed = 4;
  c.trials = 1500;
  const RunResult run_result = run(*model, c);
  const PointResult p = run_point(plan, *model, 7);
  EXPECT_EQ(*p.rows[0].estimate.value, run_result.tally.metric[0][0].proportion.estimate());
  EXPECT_EQ(*p.rows[1].estimate.value, run_result.tally.metric[0][1].moments.mean);
}

// The widest arena any trial of a sweep ran in: --threads must bound the
// sweep's own arena (not a process-wide setting that leaves the arena wide).
std::atomic<int> widest_arena{0};
class ArenaProbe : public TrialModel {
 public:
  explicit ArenaProbe(std::unique_ptr<TrialModel> inner) : inner_(std::move(inner)) {}
  const OutcomeLayout& layout() const override { return inner_->layout(); }
  std::unique_ptr<Workspace> make_workspace() const override { return inner_->make_workspace(); }
  void run_trial(std::uint64_t seed, std::uint64_t trial, Workspace& ws, TrialRecord& out) const override {
    const int width = tbb::this_task_arena::max_concurrency();
    for (int seen = widest_arena.load(); width > seen && !widest_arena.compare_exchange_weak(seen, width);) {
    }
    inner_->run_trial(seed, trial, ws, out);
  }

 private:
  std::unique_ptr<TrialModel> inner_;
};

TEST(SweepThreads, OneThreadRunsEveryPointInAnArenaOfOne) {
  test::TempDir dir;
  StudyRequest r = toy_request(dir, toy_sweep(), dir / "out");
  const ModelFactory toy = r.factory;
  r.factory = [toy](const std::string& text) -> std::unique_ptr<TrialModel> {
    return std::make_unique<ArenaProbe>(toy(text));
  };
  r.config.threads = 1;
  widest_arena = 0;
  run_study(r);
  EXPECT_EQ(widest_arena.load(), 1);
}

// A stop during a point skips its remaining blocks: the point comes back empty
// (and is dropped), never merged from blocks that were not run.
TEST(SweepCancel, AStoppedPointComesBackEmpty) {
  test::TempDir dir;
  StudyRequest r = toy_request(dir, toy_sweep(), dir / "out");
  std::string design;
  const SweepPlan plan = make_plan(r, design);
  const auto model = r.factory(point_yaml(plan, 3));
  const std::atomic<bool> stop{true};
  EXPECT_TRUE(run_point(plan, *model, 3, &stop).rows.empty());
  const std::atomic<bool> go{false};
  EXPECT_FALSE(run_point(plan, *model, 3, &go).rows.empty());
}

TEST(SweepResume, TornJournalGivesTheSameBytes) {
  test::TempDir dir;
  StudyRequest r = toy_request(dir, toy_sweep(), dir / "full");
  r.config.threads = 1;
  run_study(r);
  const std::string full = test::read_text(dir / "full" / "sweep.csv");
  const std::string robust = test::read_text(dir / "full" / "robustness.csv");
  const std::string journal = test::read_text(dir / "full" / kJournalName);

  // A crash mid-record: the journal cut in the middle of a line.
  fs::create_directories(dir / "resumed");
  const auto cut = journal.find('\n', journal.size() / 2) - 10;
  test::write_text(dir / "resumed" / kJournalName, journal.substr(0, cut));
  r.out_dir = dir / "resumed";
  r.config.threads = 2;
  const StudyResult res = run_study(r);
  EXPECT_GT(res.run.points_run, 0u);
  EXPECT_LT(res.run.points_run, res.run.points);
  EXPECT_EQ(test::read_text(dir / "resumed" / "sweep.csv"), full);
  EXPECT_EQ(test::read_text(dir / "resumed" / "robustness.csv"), robust);

  // A finished sweep rerun runs nothing and writes the same bytes.
  const StudyResult again = run_study(r);
  EXPECT_EQ(again.run.points_run, 0u);
  EXPECT_EQ(test::read_text(dir / "resumed" / "sweep.csv"), full);
}

TEST(SweepResume, JournalOfAnotherSweepIsRefused) {
  test::TempDir dir;
  StudyRequest r = toy_request(dir, toy_sweep(), dir / "out");
  run_study(r);
  StudyRequest other = toy_request(dir, toy_sweep("design: {type: lhs, points: 4}\n"), dir / "out");
  EXPECT_THROW(run_study(other), RunError);
}

// Issue 18, item 1: the design's contents are part of the sweep's identity,
// so a CSV design edited between a kill and the resume is another sweep.
TEST(SweepResume, EditedCsvDesignIsAnotherSweep) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.7,usa,3\n");
  const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out");
  run_study(r);
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.2,usa,3\n");
  EXPECT_THROW(run_study(r), RunError);
}

TEST(SweepShard, ShardsOfDifferentCsvContentsDoNotMerge) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.7,usa,3\n");
  StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "shard1");
  r.config.shard = {1, 2};
  run_study(r);
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.2,usa,3\n");
  r.out_dir = dir / "shard2";
  r.config.shard = {2, 2};
  run_study(r);
  EXPECT_THROW(merge_shards({dir / "shard1", dir / "shard2"}, dir / "merged"), RunError);
}

// Issue 18, item 3: each record is bound to its sweep; one copied from the
// journal of another sweep (another seed) is refused, not resumed or merged.
TEST(SweepJournal, RecordOfAnotherSweepIsRefused) {
  test::TempDir dir;
  io::SweepJournal(dir / "a", "sweep with seed 1").append({"point 0 of seed 1"});
  io::SweepJournal(dir / "b", "sweep with seed 2").append({"point 1 of seed 2"});
  const std::string a = test::read_text(dir / "a");
  const std::string b = test::read_text(dir / "b");
  const auto a_records = a.find('\n') + 1, b_records = b.find('\n') + 1;
  test::write_text(dir / "b", b.substr(0, b_records) + a.substr(a_records) + b.substr(b_records));
  EXPECT_THROW(io::SweepJournal(dir / "b", "sweep with seed 2"), RunError);
  std::string header;
  EXPECT_THROW(io::SweepJournal::read(dir / "b", header), RunError);
}

// Issue 18, item 12: every point is checked before the first trial, so a bad
// point late in the design leaves no journal to block the corrected rerun.
TEST(SweepPlanCheck, InvalidPointPastTheFirstFailsBeforeAnyTrial) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.7,usa,500\n");
  const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out");
  EXPECT_THROW(run_study(r), ScenarioError);
  EXPECT_FALSE(fs::exists(dir / "out" / kJournalName));
  test::write_text(dir / "pts.csv", "p,who,n\n0.4,uk,2\n0.7,usa,50\n");
  EXPECT_EQ(run_study(r).run.points_run, 2u);
}

// Issue 18, item 11: input that used to be accepted without a word.
TEST(SweepPlanCheck, UnknownRobustnessMetricIsRefusedAtItsLine) {
  test::TempDir dir;
  std::string text = toy_sweep();
  text.replace(text.find("{metric: y,"), 11, "{metric: nope,");
  const StudyRequest r = toy_request(dir, text, dir / "out");
  try {
    run_study(r);
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("sweep.yaml:11:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos) << e.what();
  }
}

TEST(SweepPlanCheck, RepeatedCsvColumnIsRefused) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "p,who,n,p\n0.4,uk,2,0.9\n");
  const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out");
  EXPECT_THROW(run_study(r), ScenarioError);
}

TEST(SweepPlanCheck, IndexOutOfRangeInAKeyPathIsAScenarioError) {
  test::TempDir dir;
  std::string text = toy_sweep();
  text.replace(text.find("{path: n,"), 9, "{path: \"nested[99999999999999999999999]\", name: n,");
  const StudyRequest r = toy_request(dir, text, dir / "out");
  EXPECT_THROW(run_study(r), ScenarioError);
}

// Issue 18, item 8: a points file that never ends or blocks for ever.
TEST(SweepPlanCheck, PointsFileThatIsNotAPlainFileIsRefused) {
  test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo.csv").c_str(), 0600), 0);
  for (const std::string file : {"/dev/zero", "fifo.csv"}) {
    const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: " + file + "}\n"), dir / "out");
    EXPECT_THROW(run_study(r), ScenarioError) << file;
  }
}

// Issue 18, item 13: a header with a UTF-8 byte order mark (as spreadsheets write it).
TEST(SweepPlanCheck, CsvHeaderWithAByteOrderMarkIsRead) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "\xEF\xBB\xBFp,who,n\n0.4,uk,2\n");
  const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out");
  EXPECT_EQ(run_study(r).run.points_run, 1u);
}

// Issue 18, item 13: a points file saved with old Mac line endings was one
// header line: "column 'n\r0.4' is not a factor".
TEST(SweepPlanCheck, CsvWithLoneCrLineEndingsIsRefused) {
  test::TempDir dir;
  test::write_text(dir / "pts.csv", "p,who,n\r0.4,uk,2\r");
  const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out");
  try {
    run_study(r);
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "pts.csv").string() +
                                         ":1:8: design: has a line ending with CR alone (old Mac style), but lines "
                                         "must end with LF or CR LF");
  }
  test::write_text(dir / "pts.csv", "p,who,n\r\n0.4,uk,2\r\n");  // Windows line endings are fine
  EXPECT_EQ(run_study(toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out2")).run.points_run, 1u);
}

// Issue 18, item 13: `file: /etc/passwd` printed the file's first line as a column name.
TEST(SweepPlanCheck, APointsFileThatIsNotCsvIsNotEchoed) {
  test::TempDir dir;
  test::write_text(dir / "secret.txt", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin\n");
  const StudyRequest r = toy_request(dir, toy_sweep("design: {type: csv, file: secret.txt}\n"), dir / "out");
  try {
    run_study(r);
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find("root:x"), std::string::npos) << msg;
    EXPECT_NE(msg.find("secret.txt:1:1: design: column 1 is not named like a factor"), std::string::npos) << msg;
  }
  test::write_text(dir / "pts.csv", "p,whom,n\n0.4,uk,2\n");  // a typo is still shown, with a hint
  try {
    run_study(toy_request(dir, toy_sweep("design: {type: csv, file: pts.csv}\n"), dir / "out"));
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'whom' is not a factor; did you mean 'who'?"), std::string::npos)
        << e.what();
  }
}

TEST(SweepPlanCheck, MissingSweepFileSaysWhy) {
  test::TempDir dir;
  try {
    read_sweep_file((dir / "nope.yaml").string());
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
}

TEST(SweepShard, MergedShardsEqualOneRun) {
  test::TempDir dir;
  StudyRequest r = toy_request(dir, toy_sweep("design: {type: sobol, points: 10}\n"), dir / "single");
  run_study(r);
  std::vector<fs::path> shards;
  for (std::uint64_t i = 1; i <= 3; ++i) {
    r.out_dir = dir / ("shard" + std::to_string(i));
    r.config.shard = {i, 3};
    const auto res = run_study(r);
    EXPECT_EQ(res.run.points, i == 1 ? 4u : 3u);
    shards.push_back(r.out_dir);
  }
  EXPECT_NE(test::read_text(dir / "shard2" / "sweep.csv").find("# shard: 2/3"), std::string::npos);
  EXPECT_THROW(merge_shards({shards[0], shards[2]}, dir / "merged"), RunError);  // shard 2 missing
  merge_shards(shards, dir / "merged");
  EXPECT_EQ(test::read_text(dir / "merged" / "sweep.csv"), test::read_text(dir / "single" / "sweep.csv"));
  EXPECT_EQ(test::read_text(dir / "merged" / "robustness.csv"), test::read_text(dir / "single" / "robustness.csv"));
}

TEST(SweepKeyPath, MissingPathIsAnErrorAtTheFactorWithNearestPaths) {
  test::TempDir dir;
  const std::string text =
      "credsim_sweep: 1\nscenario: toy.yaml\ntrials: 10\nfactors:\n"
      "  - {path: p, range: [0.1, 0.9]}\n"
      "  - {path: nestd.x, range: [0, 1]}\n"
      "design: {type: lhs, points: 3}\n";
  StudyRequest r = toy_request(dir, text, dir / "out");
  try {
    run_study(r);
    FAIL();
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("sweep.yaml:6:5: nestd.x:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nearest valid key paths: nested.x"), std::string::npos) << msg;
  }
}

TEST(SweepKeyPath, TypoInTheLastKeyIsReportedAtTheFactor) {
  test::TempDir dir;
  const std::string src = CREDSIM_SOURCE_DIR;
  test::write_text(dir / "s.yaml", "credsim_sweep: 1\nscenario: " + src + "/scenarios/ukraine.yaml\ntrials: 10\n"
                                   "factors:\n  - {path: guarantors.usa.resolv, range: [0, 1]}\n"
                                   "design: {type: grid}\n");
  StudyRequest r;
  r.file = read_sweep_file((dir / "s.yaml").string());
  r.factory = model::make_model_factory("ukraine.yaml", src + "/scenarios", {});
  r.out_dir = dir / "out";
  try {
    run_study(r);
    FAIL();
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("s.yaml:5:5: guarantors.usa.resolv:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean 'resolve'"), std::string::npos) << msg;
  }
}

// The line in `file` where `text` first appears, and its column.
std::pair<int, int> line_and_column_of(const fs::path& file, const std::string& text) {
  std::istringstream in(test::read_text(file));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (const auto at = line.find(text); at != std::string::npos) return {n, static_cast<int>(at) + 1};
  return {0, 0};
}

// Issue 18, item 13: with `correlations: keep` the error pointed at line 893 of
// the 548-line ukraine.yaml (a line of the point's generated text).
TEST(SweepKeyPath, AnErrorInThePointsScenarioIsAtItsLineInTheScenarioFile) {
  test::TempDir dir;
  const std::string src = CREDSIM_SOURCE_DIR;
  test::write_text(dir / "s.yaml", "credsim_sweep: 1\nscenario: " + src + "/scenarios/ukraine.yaml\ntrials: 10\n"
                                   "correlations: keep\n"
                                   "factors:\n  - {path: guarantors.usa.resolve, range: [0, 1]}\n"
                                   "design: {type: grid}\n");
  StudyRequest r;
  r.file = read_sweep_file((dir / "s.yaml").string());
  r.factory = model::make_model_factory("ukraine.yaml", src + "/scenarios", {});
  r.out_dir = dir / "out";
  const auto [line, column] = line_and_column_of(src + "/scenarios/ukraine.yaml", "[guarantors.usa.resolve,");
  ASSERT_GT(line, 0);
  try {
    run_study(r);
    FAIL();
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("ukraine.yaml:" + std::to_string(line) + ":" + std::to_string(column + 1) +
                            ": correlations[0].between[0]: 'guarantors.usa.resolve' is a constant",
                        0),
              0u)
        << msg;
  }
}

TEST(SweepRobustness, MeanWorstRegretAndSatisficing) {
  RobustnessSpec spec{"y", true, 0.5, {}};
  const std::vector<std::vector<std::optional<double>>> v = {{0.6, 0.4}, {0.2, 0.7}, {0.5, std::nullopt}, {0.9, 0.8}};
  const auto rows = robustness({"a", "b"}, v, spec);
  EXPECT_EQ(rows[0].points, 3u);
  EXPECT_NEAR(rows[0].mean, (0.6 + 0.2 + 0.9) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(rows[0].worst, 0.2);
  EXPECT_NEAR(rows[0].regret_mean, 0.5 / 3, 1e-12);
  EXPECT_NEAR(rows[0].regret_p90, 0.5, 1e-12);
  EXPECT_NEAR(*rows[0].satisficing_share, 2.0 / 3, 1e-12);
  EXPECT_NEAR(rows[1].regret_mean, (0.2 + 0.1) / 3, 1e-12);
}

TEST(SweepUkraine, ModelFactoryWithDroppedCorrelation) {
  test::TempDir dir;
  const std::string src = CREDSIM_SOURCE_DIR;
  test::write_text(dir / "s.yaml",
                   "credsim_sweep: 1\nscenario: " + src + "/scenarios/ukraine.yaml\ntrials: 2000\n"
                   "options: [budapest, art5_style]\nmetrics: [p_no_armed_attack_all, p_deal]\n"
                   "factors:\n"
                   "  - {path: guarantors.usa.resolve, levels: [0.3, 3.0]}\n"
                   "  - path: options.art5_style.commitments[0].ambiguity\n    levels: [0, 0.5]\n"
                   "  - {path: guarantors.usa.elections.first, type: integer, range: [30, 31]}\n"
                   "design: {type: csv, file: p.csv}\n");
  test::write_text(dir / "p.csv", "guarantors.usa.resolve,options.art5_style.commitments[0].ambiguity,"
                                  "guarantors.usa.elections.first\n0.3,0,30\n3.0,0.5,31\n");
  StudyRequest r;
  r.file = read_sweep_file((dir / "s.yaml").string());
  r.scenario_sha256 = model::load_scenario(r.file.scenario_path).sha256;
  r.factory = model::make_model_factory("ukraine.yaml", src + "/scenarios", r.file.options);
  r.out_dir = dir / "out";
  const StudyResult res = run_study(r);
  const std::string csv = test::read_text(dir / "out" / "sweep.csv");
  EXPECT_NE(csv.find("# dropped_correlations: guarantors.usa.resolve~guarantors.uk.resolve\n"), std::string::npos);
  ASSERT_EQ(res.run.results.size(), 2u);
  EXPECT_EQ(res.run.results[0].rows.size(), 4u);  // 2 options x 2 metrics
  // Resolve moves P(deal and no armed attack) under the Article 5-style option.
  EXPECT_NE(res.run.results[0].rows[3].estimate.value, res.run.results[1].rows[3].estimate.value);
}

TEST(SensitivityStudy, WritesSobolAndMorrisTablesWithExactPointCounts) {
  test::TempDir dir;
  const std::string text =
      "credsim_sweep: 1\nscenario: toy.yaml\ntrials: 200\nmetrics: [v]\n"
      "factors:\n  - {path: p, range: [0.1, 0.9]}\n  - {path: n, type: integer, range: [1, 9]}\n"
      "  - {path: who, levels: [usa, uk]}\n"
      "sensitivity: {methods: [sobol, morris], samples: 32, bootstrap: 50, trajectories: 5}\n";
  StudyRequest r = toy_request(dir, text, dir / "out");
  r.kind = StudyKind::sensitivity;
  const StudyResult res = run_study(r);
  EXPECT_EQ(res.run.points, 32u * (3 + 2) + 5u * (3 + 1));
  const std::string sobol = test::read_text(dir / "out" / "sobol.csv");
  EXPECT_NE(sobol.find("\nfactor,option,metric,S1,S1_low,S1_high,ST,ST_low,ST_high\n"), std::string::npos);
  EXPECT_NE(test::read_text(dir / "out" / "morris.csv").find("\nfactor,option,metric,mu_star,sigma,mu\n"),
            std::string::npos);
  // v = n * uniform: n drives it, p and who do not.
  EXPECT_NE(res.summary.find("1. n "), std::string::npos) << res.summary;
}

#if defined(CREDSIM_CLI)
int run_cli(const std::vector<std::string>& args, bool kill_after_points, const fs::path& journal) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string cli = CREDSIM_CLI;
    argv.push_back(cli.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    execv(cli.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  if (kill_after_points) {
    // Poll the journal: kill once a few points (header + 3 lines) are in.
    for (int i = 0; i < 6000; ++i) {
      std::error_code ec;
      if (fs::exists(journal, ec)) {
        const std::string j = test::read_text(journal);
        if (std::count(j.begin(), j.end(), '\n') >= 4) break;
      }
      if (waitpid(pid, &status, WNOHANG) == pid) return WEXITSTATUS(status);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

TEST(SweepCli, KilledSweepResumesToTheSameBytes) {
  test::TempDir dir;
  const std::string src = CREDSIM_SOURCE_DIR;
  test::write_text(dir / "s.yaml",
                   "credsim_sweep: 1\nscenario: " + src + "/scenarios/ukraine.yaml\ntrials: 2000\n"
                   "options: [budapest, israel_style]\nmetrics: [p_no_armed_attack_all]\n"
                   "factors:\n  - {path: guarantors.usa.resolve, range: [0.2, 1.4], steps: 12}\n"
                   "design: {type: grid}\nrobustness: [{metric: p_no_armed_attack_all, threshold: 0.3}]\n");
  const std::string sweep = (dir / "s.yaml").string();
  ASSERT_EQ(run_cli({"sweep", sweep, "-q", "-t", "1", "-o", (dir / "full").string()}, false, {}), 0);
  const fs::path journal = dir / "killed" / kJournalName;
  const int killed = run_cli({"sweep", sweep, "-q", "-t", "1", "-o", (dir / "killed").string()}, true, journal);
  EXPECT_EQ(killed, -1) << "the sweep finished before it could be killed";
  ASSERT_EQ(run_cli({"sweep", sweep, "-q", "-t", "2", "-o", (dir / "killed").string()}, false, {}), 0);
  EXPECT_EQ(test::read_text(dir / "killed" / "sweep.csv"), test::read_text(dir / "full" / "sweep.csv"))
      << "first run " << (killed == -1 ? "was killed" : "finished before the kill");
  EXPECT_EQ(test::read_text(dir / "killed" / "robustness.csv"), test::read_text(dir / "full" / "robustness.csv"));
}
#endif

}  // namespace
}  // namespace credsim::sim
