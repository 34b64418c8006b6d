// The terminal table and the estimates it (and the files) are read from.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "coin_model.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"

namespace credsim {
namespace {

sim::RunResult run_coins(const sim::TrialModel& model, std::uint64_t trials) {
  sim::RunConfig config;
  config.seed = 7;
  config.trials = trials;
  config.threads = 1;
  return sim::run(model, config);
}

sim::RunInfo info_for(std::uint64_t trials) {
  sim::RunInfo info;
  info.scenario_name = "coins";
  info.scenario_file = "coins.yaml";
  info.seed = 7;
  info.trials = trials;
  return info;
}

std::size_t columns(const std::string& line) {
  std::size_t n = 0;
  for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TEST(ReportTable, ShowsEveryOptionWithIntervalsAndFitsIn100Columns) {
  const test::CoinModel model;
  const auto result = run_coins(model, 4000);
  const std::string table = sim::format_report(model.layout(), result.tally, info_for(4000));
  for (const char* text : {"Fair coin", "[fair]", "[biased]", "P(heads)", "Score (| heads)", "seed 7",
                           "4,000 trials", "Paired differences", "95% interval"})
    EXPECT_NE(table.find(text), std::string::npos) << text << "\n" << table;
  EXPECT_EQ(table.find("P(edge"), std::string::npos) << "a non-headline metric is shown";
  EXPECT_EQ(table.find("nan"), std::string::npos);

  // The estimate and interval of P(heads) for the fair coin, as printed.
  const sim::Estimate e = sim::estimate_metric(model.layout().options[0].metrics[0], result.tally.metric[0][0]);
  char interval[64];
  std::snprintf(interval, sizeof interval, "[%.4f, %.4f]", e.ci->low, e.ci->high);
  EXPECT_NE(table.find(interval), std::string::npos) << interval << "\n" << table;

  std::istringstream in(table);
  for (std::string line; std::getline(in, line);) EXPECT_LE(columns(line), 100u) << line;
}

// A non-headline metric with a `table` is shown in that secondary table, one
// row per option with its estimate and 95% interval, and gets its glossary line.
TEST(ReportTable, SecondaryTableShowsItsMetricsOnePerOptionRow) {
  const test::CoinModel model;
  const auto result = run_coins(model, 4000);
  sim::OutcomeLayout layout = model.layout();
  for (auto& option : layout.options) {
    option.metrics[2].table = "Edges";
    option.metrics[2].definition = "The coin lands on its edge";
  }
  const std::string table = sim::format_report(layout, result.tally, info_for(4000));
  const auto at = table.find("\nEdges (95% intervals as above; summary.csv has n):\n");
  ASSERT_NE(at, std::string::npos) << table;
  EXPECT_LT(table.find("Paired differences"), at);  // after the main tables
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const sim::Estimate e = sim::estimate_metric(layout.options[o].metrics[2], result.tally.metric[o][2]);
    char value[64];
    std::snprintf(value, sizeof value, "%.4f [%.4f, %.4f]\n", *e.value, e.ci->low, e.ci->high);
    const auto row = table.find("\n  " + layout.options[o].name + " ", at);
    ASSERT_NE(row, std::string::npos) << layout.options[o].name << "\n" << table;
    EXPECT_EQ(table.substr(row, table.find('\n', row + 1) - row + 1).find(value) != std::string::npos, true)
        << value << "\n" << table;
  }
  EXPECT_NE(table.find("  P(edge | landed on edge): The coin lands on its edge"), std::string::npos) << table;
  // Without a table it stays out, as before.
  EXPECT_EQ(sim::format_report(model.layout(), result.tally, info_for(4000)).find("Edges"), std::string::npos);
}

// A value the scenario fixes (e.g. no grey attacks without stakes for them)
// says so in place of an interval, which would read as a measured 0.
TEST(ReportTable, SecondaryTableSaysAValueIsFixedByDesign) {
  const test::CoinModel model;
  const auto result = run_coins(model, 4000);
  sim::OutcomeLayout layout = model.layout();
  for (auto& option : layout.options) {
    option.metrics[0].headline = false;
    option.metrics[0].table = "Heads";
    option.metrics[0].fixed_by_scenario = true;
  }
  const std::string table = sim::format_report(layout, result.tally, info_for(4000));
  const auto at = table.find("\nHeads (95% intervals as above; summary.csv has n):\n");
  ASSERT_NE(at, std::string::npos) << table;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const sim::Estimate e = sim::estimate_metric(layout.options[o].metrics[0], result.tally.metric[o][0]);
    char value[64];
    std::snprintf(value, sizeof value, "%.4f (by design)\n", *e.value);
    const auto row = table.find("\n  " + layout.options[o].name + " ", at);
    ASSERT_NE(row, std::string::npos) << table;
    EXPECT_NE(table.substr(row, table.find('\n', row + 1) - row + 1).find(value), std::string::npos) << table;
  }
}

TEST(ReportTable, MarksDifferencesWhoseIntervalExcludesZero) {
  const test::CoinModel model(0.9);
  const auto result = run_coins(model, 4000);
  const std::string table = sim::format_report(model.layout(), result.tally, info_for(4000));
  const auto paired = table.find("Paired differences");
  ASSERT_NE(paired, std::string::npos);
  const auto row = table.find("P(heads)", paired);
  ASSERT_NE(row, std::string::npos);
  const std::string line = table.substr(row, table.find('\n', row) - row);
  EXPECT_EQ(line.back(), '*') << line;
}

TEST(ReportTable, SingleOptionHasNoPairedSection) {
  test::CoinModel coins;
  sim::OutcomeLayout layout = coins.layout();
  layout.options.resize(1);
  sim::Tally tally(layout);
  const std::string table = sim::format_report(layout, tally, info_for(0));
  EXPECT_EQ(table.find("Paired differences"), std::string::npos);
  EXPECT_NE(table.find("(no trials)"), std::string::npos) << table;
}

TEST(ReportEstimates, ProbabilityHasWilsonIntervalAndBinomialStandardError) {
  sim::MetricSpec spec{"p", "P", sim::MetricKind::probability, "", true, "", ""};
  sim::MetricTally t;
  t.proportion = {100, 30};
  const sim::Estimate e = sim::estimate_metric(spec, t);
  EXPECT_EQ(e.n, 100u);
  EXPECT_DOUBLE_EQ(*e.value, 0.3);
  EXPECT_DOUBLE_EQ(*e.std_error, std::sqrt(0.3 * 0.7 / 100));
  EXPECT_DOUBLE_EQ(e.ci->low, t.proportion.wilson().low);
  EXPECT_DOUBLE_EQ(e.ci->high, t.proportion.wilson().high);
}

TEST(ReportEstimates, NothingIsMadeUpWithoutData) {
  sim::MetricSpec mean{"m", "M", sim::MetricKind::mean, "", true, "", ""};
  sim::MetricTally t;
  sim::Estimate e = sim::estimate_metric(mean, t);
  EXPECT_FALSE(e.value);
  EXPECT_FALSE(e.ci);
  t.moments.add(2.5);
  e = sim::estimate_metric(mean, t);
  EXPECT_DOUBLE_EQ(*e.value, 2.5);
  EXPECT_FALSE(e.std_error);  // one observation: no spread
  EXPECT_FALSE(e.ci);
}

TEST(ReportEstimates, PairedProbabilityDifferenceNeverCollapsesToAPoint) {
  sim::MetricSpec spec{"p", "P", sim::MetricKind::probability, "", true, "", ""};
  sim::Moments agree;  // 28 pairs, all equal: the normal interval would be [0, 0]
  for (int i = 0; i < 28; ++i) agree.add(0.0);
  const sim::Estimate e = sim::estimate_difference(spec, agree);
  EXPECT_DOUBLE_EQ(*e.value, 0.0);
  ASSERT_TRUE(e.ci);
  EXPECT_LT(e.ci->low, -0.05);
  EXPECT_GT(e.ci->high, 0.05);

  // Agresti-Min: b = 30, c = 10 discordant pairs out of 200, plus 1/2 per cell.
  sim::Moments d;
  for (int i = 0; i < 30; ++i) d.add(1.0);
  for (int i = 0; i < 10; ++i) d.add(-1.0);
  for (int i = 0; i < 160; ++i) d.add(0.0);
  const sim::Estimate f = sim::estimate_difference(spec, d);
  EXPECT_NEAR(*f.value, 0.1, 1e-12);
  const double b = 30.5, c = 10.5, n = 202.0;
  const double half = sim::kZ95 * std::sqrt((b + c) - (b - c) * (b - c) / n) / n;
  EXPECT_NEAR(f.ci->low, (b - c) / n - half, 1e-12);
  EXPECT_NEAR(f.ci->high, (b - c) / n + half, 1e-12);

  sim::MetricSpec mean{"m", "M", sim::MetricKind::mean, "", true, "", ""};
  const sim::Estimate g = sim::estimate_difference(mean, d);  // a mean: the normal interval
  EXPECT_NEAR(g.ci->low, d.interval().low, 1e-15);
}

}  // namespace
}  // namespace credsim
