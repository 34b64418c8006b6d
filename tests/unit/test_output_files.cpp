// Result files: atomic writes, the output directory check, and the texts of
// summary.json / summary.csv / paired.csv / survival.csv / trials.csv.
#include <gtest/gtest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>
#include <sstream>
#include <vector>

#include "coin_model.hpp"
#include "sim/errors.hpp"
#include "sim/io/output_files.hpp"
#include "sim/runner.hpp"
#include "temp_dir.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;
using sim::io::write_file_atomically;

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t fields(const std::string& csv_line) {  // our rows never quote commas in names
  return static_cast<std::size_t>(std::count(csv_line.begin(), csv_line.end(), ',')) + 1;
}

sim::RunInfo coin_info(std::uint64_t trials) {
  sim::RunInfo info;
  info.scenario_name = "coins";
  info.scenario_file = "coins.yaml";
  info.scenario_sha256 = std::string(64, 'a');
  info.seed = 42;
  info.trials = trials;
  info.parameters_provenance.push_back({{"key_path", "coin.p"}, {"assumption", "a fair coin"}});
  return info;
}

sim::RunResult run_coins(const sim::TrialModel& model, std::uint64_t trials, int threads = 1,
                         sim::TrialSink* sink = nullptr) {
  sim::RunConfig config;
  config.seed = 42;
  config.trials = trials;
  config.threads = threads;
  config.sink = sink;
  return sim::run(model, config);
}

void expect_no_nonfinite(const std::string& text) {
  // Whole words only: "provenance" contains "nan".
  static const std::regex bad(R"(\b-?(nan|inf|infinity)\b)", std::regex::icase);
  std::smatch m;
  EXPECT_FALSE(std::regex_search(text, m, bad)) << "found '" << m.str() << "'";
}

TEST(OutputAtomicWrite, WritesTheBytesAndLeavesNoTempFile) {
  test::TempDir dir;
  write_file_atomically(dir / "a.txt", "hello\n");
  EXPECT_EQ(test::read_text(dir / "a.txt"), "hello\n");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"a.txt"});
}

TEST(OutputAtomicWrite, ReplacesAnExistingFile) {
  test::TempDir dir;
  test::write_text(dir / "a.txt", "an older and longer content\n");
  write_file_atomically(dir / "a.txt", "new");
  EXPECT_EQ(test::read_text(dir / "a.txt"), "new");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"a.txt"});
}

TEST(OutputAtomicWrite, UnwritableDirectoryThrowsOutputErrorNamingThePath) {
  test::TempDir dir;
  test::write_text(dir / "plain_file", "x");
  // A path "under" a regular file cannot be created, even by root.
  const fs::path target = dir / "plain_file" / "summary.json";
  try {
    write_file_atomically(target, "{}");
    FAIL() << "no exception";
  } catch (const sim::OutputError& e) {
    EXPECT_NE(std::string(e.what()).find(target.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"plain_file"});
}

TEST(OutputDirectory, IsCreatedWithItsParents) {
  test::TempDir dir;
  const fs::path out = dir / "results" / "ukraine";
  sim::io::ensure_output_dir(out);
  EXPECT_TRUE(fs::is_directory(out));
  EXPECT_TRUE(fs::is_empty(out));  // the probe file is gone
}

TEST(OutputDirectory, UnusableDirectoryIsReportedBeforeTheRun) {
  test::TempDir dir;
  test::write_text(dir / "plain_file", "x");
  for (const fs::path& bad : {dir / "plain_file", dir / "plain_file" / "sub"}) {
    try {
      sim::io::ensure_output_dir(bad);
      FAIL() << "no exception for " << bad;
    } catch (const sim::OutputError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot write to output directory '" + bad.string() + "': "),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(OutputSummary, JsonIsValidAndCarriesProvenanceAndIntervals) {
  const test::CoinModel model;
  const auto result = run_coins(model, 3000);
  const std::string text = sim::io::summary_json(model.layout(), result.tally, coin_info(3000));
  expect_no_nonfinite(text);
  const auto j = nlohmann::json::parse(text);

  const auto& prov = j.at("provenance");
  EXPECT_EQ(prov.at("scenario"), "coins");
  EXPECT_EQ(prov.at("scenario_file"), "coins.yaml");
  EXPECT_EQ(prov.at("scenario_sha256"), std::string(64, 'a'));
  EXPECT_EQ(prov.at("seed"), 42);
  EXPECT_EQ(prov.at("trials"), 3000);
  EXPECT_EQ(prov.at("version"), kVersion);
  EXPECT_EQ(prov.at("parameters").at(0).at("key_path"), "coin.p");

  ASSERT_EQ(j.at("options").size(), 2u);
  EXPECT_EQ(j.at("baseline"), "fair");
  const auto& biased = j.at("options").at(1);
  EXPECT_EQ(biased.at("name"), "biased");
  ASSERT_EQ(biased.at("metrics").size(), 4u);
  for (const auto& m : biased.at("metrics")) {
    for (const char* key : {"name", "label", "kind", "given", "n", "estimate", "std_error", "ci_low", "ci_high"})
      EXPECT_TRUE(m.contains(key)) << key;
    ASSERT_TRUE(m.at("estimate").is_number()) << m.dump();
    EXPECT_LE(m.at("ci_low").get<double>(), m.at("estimate").get<double>());
    EXPECT_GE(m.at("ci_high").get<double>(), m.at("estimate").get<double>());
  }
  const auto& p_heads = biased.at("metrics").at(0);
  EXPECT_EQ(p_heads.at("kind"), "probability");
  EXPECT_NEAR(p_heads.at("estimate").get<double>(), 0.7, 0.05);

  ASSERT_EQ(biased.at("survival").size(), 2u);  // the two curves, in layout order
  const auto& survival = biased.at("survival").at(0);
  EXPECT_EQ(survival.at("name"), "any_event");
  EXPECT_EQ(survival.at("given"), "always");
  EXPECT_EQ(survival.at("at_risk"), 3000);
  EXPECT_EQ(survival.at("survival").size(), 4u);  // t = 0..3
  EXPECT_EQ(survival.at("survival").at(0), 1.0);

  ASSERT_EQ(j.at("paired_differences").size(), 1u);
  const auto& diff = j.at("paired_differences").at(0);
  EXPECT_EQ(diff.at("option"), "biased");
  EXPECT_EQ(diff.at("metrics").size(), 3u);  // the common metrics only
  EXPECT_NEAR(diff.at("metrics").at(0).at("estimate").get<double>(), 0.2, 0.03);
}

TEST(OutputSummary, CsvHasProvenanceCommentsAndOneRowPerOptionAndMetric) {
  const test::CoinModel model;
  const auto result = run_coins(model, 2000);
  const std::string text = sim::io::summary_csv(model.layout(), result.tally, coin_info(2000));
  expect_no_nonfinite(text);
  const auto rows = lines(text);
  std::string comments;
  std::size_t i = 0;
  for (; i < rows.size() && rows[i].rfind("#", 0) == 0; ++i) comments += rows[i] + "\n";
  for (const char* line : {"# scenario: coins\n", "# scenario_file: coins.yaml\n", "# seed: 42\n",
                           "# trials: 2000\n", "# precision_target: 0\n"})
    EXPECT_NE(comments.find(line), std::string::npos) << line;
  EXPECT_NE(comments.find("# scenario_sha256: " + std::string(64, 'a') + "\n"), std::string::npos);
  EXPECT_NE(comments.find(std::string("# version: ") + kVersion + "\n"), std::string::npos);

  ASSERT_LT(i, rows.size());
  EXPECT_EQ(rows[i], "option,metric,kind,given,n,estimate,std_error,ci_low,ci_high");
  EXPECT_EQ(rows.size() - i - 1, 3u + 4u);
  for (std::size_t r = i + 1; r < rows.size(); ++r) EXPECT_EQ(fields(rows[r]), 9u) << rows[r];
  EXPECT_EQ(rows[i + 1].rfind("fair,p_heads,probability,,2000,", 0), 0u) << rows[i + 1];
}

TEST(OutputSummary, PairedAndSurvivalCsvHaveTheirShape) {
  const test::CoinModel model;
  const auto result = run_coins(model, 2000);
  const auto paired = lines(sim::io::paired_csv(model.layout(), result.tally, coin_info(2000)));
  const auto header = std::find(paired.begin(), paired.end(),
                                "option,baseline,metric,kind,given,n,estimate,std_error,ci_low,ci_high");
  ASSERT_NE(header, paired.end());
  EXPECT_EQ(paired.end() - header - 1, 3);
  EXPECT_EQ((header + 1)->rfind("biased,fair,p_heads,probability,,2000,", 0), 0u);

  const std::string survival_text = sim::io::survival_csv(model.layout(), result.tally, coin_info(2000));
  expect_no_nonfinite(survival_text);
  const auto survival = lines(survival_text);
  const auto sh =
      std::find(survival.begin(), survival.end(), "option,curve,t,at_risk,survivors,survival,ci_low,ci_high");
  ASSERT_NE(sh, survival.end());
  EXPECT_EQ(survival.end() - sh - 1, 2 * 2 * 4);  // options x curves x (t = 0..3)
  EXPECT_EQ(*(sh + 1), "fair,any_event,0,2000,2000,1,1,1");
  EXPECT_EQ(sh[5].rfind("fair,heads_event,0,", 0), 0u) << sh[5];
  // One comment line per curve says what it is.
  EXPECT_NE(survival_text.find("# curve heads_event: P(no event by t | heads); The same, among heads\n"),
            std::string::npos);
}

TEST(OutputSummary, WhatCannotBeEstimatedIsEmptyOrNullNeverNan) {
  const test::CoinModel model(0.7, test::CoinModel::never_given);
  const auto result = run_coins(model, 500);
  const std::string json = sim::io::summary_json(model.layout(), result.tally, coin_info(500));
  expect_no_nonfinite(json);
  const auto edge = nlohmann::json::parse(json).at("options").at(0).at("metrics").at(2);
  EXPECT_EQ(edge.at("n"), 0);
  EXPECT_TRUE(edge.at("estimate").is_null());
  EXPECT_TRUE(edge.at("ci_low").is_null());
  const std::string csv = sim::io::summary_csv(model.layout(), result.tally, coin_info(500));
  EXPECT_NE(csv.find("\nfair,p_edge,probability,edge,0,,,,\n"), std::string::npos);
}

TEST(OutputSummary, NonFiniteValueIsRefused) {
  const test::CoinModel model(0.7, test::CoinModel::nan_value);
  const auto result = run_coins(model, 200);
  EXPECT_THROW(sim::io::summary_json(model.layout(), result.tally, coin_info(200)), sim::OutputError);
  EXPECT_THROW(sim::io::summary_csv(model.layout(), result.tally, coin_info(200)), sim::OutputError);
}

TEST(OutputSummary, FilesAreByteIdenticalAcrossThreadCounts) {
  const test::CoinModel model;
  const auto one = run_coins(model, 5000, 1);
  const auto two = run_coins(model, 5000, 2);
  const auto info = coin_info(5000);
  EXPECT_EQ(sim::io::summary_json(model.layout(), one.tally, info),
            sim::io::summary_json(model.layout(), two.tally, info));
  EXPECT_EQ(sim::io::summary_csv(model.layout(), one.tally, info),
            sim::io::summary_csv(model.layout(), two.tally, info));
}

TEST(OutputSummary, WriteSummaryFilesWritesFourFiles) {
  test::TempDir dir;
  const test::CoinModel model;
  const auto result = run_coins(model, 300);
  const auto written = sim::io::write_summary_files(dir.path(), model.layout(), result.tally, coin_info(300));
  EXPECT_EQ(written.size(), 4u);
  EXPECT_EQ(entries(dir.path()),
            (std::vector<std::string>{"paired.csv", "summary.csv", "summary.json", "survival.csv"}));
}

// Issue 18, item 4: a failure part-way through writing a set (a full disk)
// leaves the previous set whole, never some files of each run.
struct PreviousSet {
  test::TempDir dir;
  const test::CoinModel model;
  const sim::RunResult result = run_coins(model, 300);
  std::string summary;  // its summary.json

  PreviousSet() {
    sim::io::write_summary_files(dir.path(), model.layout(), result.tally, coin_info(300));
    summary = test::read_text(dir / "summary.json");
  }
  void write_another() const {
    auto info = coin_info(300);
    info.seed = 43;
    sim::io::write_summary_files(dir.path(), model.layout(), result.tally, info);
  }
  bool intact() const { return test::read_text(dir / "summary.json") == summary; }
};

TEST(OutputResultSet, FailureWhileWritingKeepsTheWholePreviousSet) {
  const PreviousSet set;
  // survival.csv, the last of the set, cannot be written: its temp name is taken.
  fs::create_directory(set.dir / ("survival.csv.tmp." + std::to_string(::getpid())));
  EXPECT_THROW(set.write_another(), sim::OutputError);
  EXPECT_TRUE(set.intact()) << "summary.json is of the new run";
}

TEST(OutputResultSet, DestinationThatIsADirectoryChangesNothing) {
  const PreviousSet set;
  fs::remove(set.dir / "survival.csv");
  fs::create_directory(set.dir / "survival.csv");
  EXPECT_THROW(set.write_another(), sim::OutputError);
  EXPECT_TRUE(set.intact()) << "summary.json is of the new run";
  for (const auto& name : entries(set.dir.path())) EXPECT_EQ(name.find(".tmp."), std::string::npos) << name;
}

TEST(OutputTrialsCsv, StreamsEveryTrialAndRecordsTheCountOnCommit) {
  test::TempDir dir;
  const test::CoinModel model;
  auto info = coin_info(0);  // as in precision mode: unknown until the end
  {
    sim::io::TrialsCsvWriter writer(dir / "trials.csv", model.layout(), info);
    const auto result = run_coins(model, 1500, 2, &writer);
    writer.commit(result.tally.trials);
  }
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"trials.csv"});
  const std::string text = test::read_text(dir / "trials.csv");
  expect_no_nonfinite(text);
  const auto rows = lines(text);
  EXPECT_NE(text.find("\n# trials: 1500 "), std::string::npos);
  // The first curve's columns keep their plain names; the second's carry its name.
  const auto header = std::find(rows.begin(), rows.end(),
                                "trial,option,at_risk,event_time,at_risk_heads_event,event_time_heads_event,"
                                "p_heads,score,p_edge");
  ASSERT_NE(header, rows.end());
  EXPECT_EQ(rows.end() - header - 1, 1500 * 2);
  EXPECT_EQ((header + 1)->rfind("0,fair,1,", 0), 0u);
  EXPECT_EQ((header + 2)->rfind("0,biased,1,", 0), 0u);
  EXPECT_EQ(rows.back().rfind("1499,biased,", 0), 0u);
  for (auto r = header + 1; r != rows.end(); ++r) EXPECT_EQ(fields(*r), 9u) << *r;
}

TEST(OutputTrialsCsv, IsRemovedWhenTheRunDoesNotFinish) {
  test::TempDir dir;
  const test::CoinModel model;
  {
    sim::io::TrialsCsvWriter writer(dir / "trials.csv", model.layout(), coin_info(100));
    run_coins(model, 100, 1, &writer);
  }  // no commit: as when the run is cancelled or fails
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace credsim
