// `credsim backtest`: the historical case library loads with its recorded
// outcomes, and the command's files hold one row per case and committed guarantor
// whose numbers reproduce every score it reports.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_process.hpp"
#include "loader_test_support.hpp"
#include "models/backtest.hpp"
#include "models/outcome_layout.hpp"
#include "models/scenario_loader.hpp"
#include "tests/unit/model_runs.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kCases = test::source_dir() / "scenarios" / "historical";

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kCases)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(HistoricalCases, EveryCaseLoadsWithOneOptionAndARecordedOutcome) {
  const auto files = case_files();
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& f : files) {
    const model::Scenario s = model::load_scenario(f.string());
    ASSERT_TRUE(s.observed.has_value()) << f;
    // The case's one option, then `no_guarantee` (added by the loader).
    ASSERT_EQ(s.base.options.size(), 2u) << f;
    EXPECT_EQ(s.base.options[1].name, "no_guarantee") << f;
    EXPECT_EQ(model::committed_guarantors(s.base.options[0]).size(), s.base.options[0].commitments.size())
        << f << ": one commitment per guarantor";
    EXPECT_FALSE(s.base.settlement.enabled) << f << ": a historical case starts from the instrument, not a deal";
    const model::Observation& ob = *s.observed;
    EXPECT_FALSE(ob.provenance.assumption.empty() && ob.provenance.quote.empty()) << f;
    if (ob.attacked) {
      EXPECT_GE(ob.attack_month, 1) << f;
      EXPECT_LE(ob.attack_month, s.base.horizon) << f;
      EXPECT_EQ(ob.honoured.size() + ob.not_triggered.size(), s.base.options[0].commitments.size()) << f;
    } else {
      EXPECT_TRUE(ob.honoured.empty()) << f;
    }
  }
}

TEST(HistoricalCases, PolandRecordsBothGuarantorsHonouring) {
  const model::Scenario s = model::load_scenario((kCases / "poland_1939.yaml").string());
  ASSERT_TRUE(s.observed.has_value());
  EXPECT_TRUE(s.observed->attacked);
  EXPECT_EQ(s.observed->attack_month, 6);
  ASSERT_EQ(s.observed->honoured.size(), 2u);
  EXPECT_EQ(s.observed->honoured[0], (std::pair<std::string, bool>{"uk", true}));
  EXPECT_EQ(s.observed->honoured[1], (std::pair<std::string, bool>{"france", true}));
  EXPECT_EQ(s.observed->provenance.key_path, "observed");
}

// An attack of a type an assurance does not cover (the test preset's covers only
// major attacks) leaves it "not triggered": no honour is recorded or scored.
TEST(HistoricalCases, AnAttackACommitmentDoesNotCoverIsNotTriggered) {
  const fs::path bad = test::source_dir() / "tests" / "bad_inputs" / "observed_honoured_not_triggered.yaml";
  std::string text = test::read_text(bad);
  text = std::regex_replace(text, std::regex("  honoured: \\{usa: false, uk: false\\}\n"), "");
  const model::Scenario s = model::load_scenario_text(text, bad.string(), bad.parent_path().string());
  ASSERT_TRUE(s.observed.has_value());
  EXPECT_EQ(s.observed->attack_type, std::optional<int>(model::kLimited));
  EXPECT_TRUE(s.observed->honoured.empty());
  EXPECT_EQ(s.observed->not_triggered, (std::vector<std::string>{"usa", "uk"}));
}

// A case whose challenger may make grey attacks (the Philippines 1992: Mischief
// Reef) is scored on an attack of any kind, p_no_attack_any, never below its
// armed attacks' share (per trial, no attack of any kind implies no armed one);
// the grey attack leaves the US treaty (covers major and limited) not triggered.
TEST(HistoricalCases, AGreyCaseIsScoredOnAnAttackOfAnyKind) {
  const model::Scenario s = model::load_scenario((kCases / "philippines_bases_1992.yaml").string());
  ASSERT_TRUE(s.observed.has_value());
  EXPECT_EQ(s.observed->attack_type, std::optional<int>(model::kGrey));
  EXPECT_TRUE(s.observed->honoured.empty());
  EXPECT_EQ(s.observed->not_triggered, (std::vector<std::string>{"usa"}));
  const model::CredibilityModel m(s, {}, {});
  const sim::RunResult run = test::run_model(m, 3, 2000);
  const model::CaseResult c = model::evaluate_case(s, m.layout(), run.tally);
  EXPECT_TRUE(c.any_kind);
  const auto estimate = [&](std::size_t metric) {
    return *sim::estimate_metric(m.layout().options[0].metrics[metric], run.tally.metric[0][metric]).value;
  };
  EXPECT_DOUBLE_EQ(c.p_attack, 1.0 - estimate(model::kNoAttackAny));
  EXPECT_GT(c.p_attack, 1.0 - estimate(model::kNoArmedAttack)) << "grey attacks add to the armed ones";
  EXPECT_LE(c.p_attack_ci.low, c.p_attack);
  EXPECT_GE(c.p_attack_ci.high, c.p_attack);

  // A case without grey stakes is scored on the armed attack: the survival curve's.
  const model::Scenario k = model::load_scenario((kCases / "kuwait_1961.yaml").string());
  const model::CredibilityModel mk(k, {}, {});
  const sim::RunResult rk = test::run_model(mk, 3, 2000);
  const model::CaseResult ck = model::evaluate_case(k, mk.layout(), rk.tally);
  EXPECT_FALSE(ck.any_kind);
  EXPECT_DOUBLE_EQ(ck.p_attack, 1.0 - rk.tally.survival[0][model::kNoArmedAttackCurve].survivors(k.base.horizon).estimate());
}

// --- the command -------------------------------------------------------------

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  return cells;
}

struct Csv {
  std::vector<std::string> comments;
  std::vector<std::map<std::string, std::string>> rows;
};

Csv read_csv(const std::string& text) {
  Csv csv;
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0) {
      csv.comments.push_back(line);
    } else if (header.empty()) {
      header = split(line);
    } else {
      const auto cells = split(line);
      EXPECT_EQ(cells.size(), header.size()) << line;
      std::map<std::string, std::string> row;
      for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
      csv.rows.push_back(row);
    }
  }
  return csv;
}

// Scores recomputed from the rows, by their definitions (independently of sim/scoring).
struct Recomputed {
  double brier = 0, log_loss = 0;
  double auc = 0;
};

Recomputed recompute(const std::vector<double>& p, const std::vector<bool>& y, double floor) {
  Recomputed r;
  double pairs = 0, wins = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double yi = y[i] ? 1.0 : 0.0;
    r.brier += (p[i] - yi) * (p[i] - yi) / static_cast<double>(p.size());
    const double q = std::min(std::max(p[i], floor), 1.0 - floor);
    r.log_loss -= std::log(y[i] ? q : 1.0 - q) / static_cast<double>(p.size());
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (!y[i] || y[j]) continue;
      pairs += 1;
      wins += p[i] > p[j] ? 1.0 : p[i] == p[j] ? 0.5 : 0.0;
    }
  }
  r.auc = pairs > 0 ? wins / pairs : std::nan("");
  return r;
}

const Json& forecast(const Json& list, const std::string& name) {
  for (const Json& f : list) {
    if (f["name"] == name) return f;
  }
  throw std::runtime_error("no forecast " + name);
}

void expect_scores(const Json& reported, const Recomputed& r, const std::string& what) {
  // The files print shortest round-trip numbers: only summation order can differ.
  EXPECT_NEAR(reported["brier"].get<double>(), r.brier, 1e-12) << what;
  EXPECT_NEAR(reported["log_loss"].get<double>(), r.log_loss, 1e-12) << what;
  if (std::isnan(r.auc)) {
    EXPECT_TRUE(reported["auc"].is_null()) << what;
  } else {
    EXPECT_NEAR(reported["auc"].get<double>(), r.auc, 1e-12) << what;
  }
}

class BacktestCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("credsim-backtest");
    result_ = new test::CliResult(test::run_cli(
        {"backtest", kCases.string(), "--trials", "1500", "--seed", "5", "--threads", "2", "--out",
         (dir_->path() / "out").string()},
        dir_->path(), "backtest"));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static test::TempDir* dir_;
  static test::CliResult* result_;
};
test::TempDir* BacktestCli::dir_ = nullptr;
test::CliResult* BacktestCli::result_ = nullptr;

TEST_F(BacktestCli, WritesOneAttackRowPerCaseAndOneHonourRowPerCommittedGuarantor) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const Csv csv = read_csv(test::read_text(dir_->path() / "out" / "backtest.csv"));
  const auto has = [&](const std::string& line) {
    return std::find(csv.comments.begin(), csv.comments.end(), line) != csv.comments.end();
  };
  EXPECT_TRUE(has("# seed: 5"));
  EXPECT_TRUE(has("# trials: 1500 per case"));
  EXPECT_TRUE(has("# cases: " + std::to_string(case_files().size())));

  std::size_t attack_rows = 0, honour_rows = 0, committed = 0;
  for (const fs::path& f : case_files()) {
    committed += model::committed_guarantors(model::load_scenario(f.string()).base.options[0]).size();
  }
  for (const auto& row : csv.rows) {
    EXPECT_TRUE(std::regex_match(row.at("scenario_sha256"), std::regex("[0-9a-f]{64}"))) << row.at("case");
    if (row.at("row") == "attack") {
      ++attack_rows;
      EXPECT_EQ(row.at("n"), "1500") << "the settlement stage is off: every trial is at risk";
      const double p = std::stod(row.at("predicted"));
      EXPECT_LE(std::stod(row.at("ci_low")), p);
      EXPECT_GE(std::stod(row.at("ci_high")), p);
      EXPECT_TRUE(row.at("observed") == "0" || row.at("observed") == "1");
    } else {
      ASSERT_EQ(row.at("row"), "honour");
      ++honour_rows;
    }
  }
  EXPECT_EQ(attack_rows, case_files().size());
  EXPECT_EQ(honour_rows, committed);
}

TEST_F(BacktestCli, ScoresInTheJsonMatchARecomputationFromTheCsvRows) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const Csv csv = read_csv(test::read_text(dir_->path() / "out" / "backtest.csv"));
  const Json json = Json::parse(test::read_text(dir_->path() / "out" / "backtest.json"));
  const double floor = json["provenance"]["log_floor"].get<double>();
  EXPECT_EQ(json["provenance"]["seed"], 5);
  EXPECT_EQ(json["provenance"]["trials_per_case"], 1500);
  EXPECT_EQ(json["cases"].size(), case_files().size());
  // The event each case is scored on follows its encoding (grey stakes or not).
  for (const Json& c : json["cases"]) {
    const bool grey = model::load_scenario((kCases / c["file"].get<std::string>()).string()).base.challenger.possible[model::kGrey];
    EXPECT_EQ(c["attack"]["event"], grey ? "any attack" : "armed attack") << c["name"];
  }

  std::vector<double> model, base, rule, honour_model, honour_base;
  std::vector<bool> attacked, honoured;
  for (const auto& row : csv.rows) {
    if (row.at("row") == "attack") {
      model.push_back(std::stod(row.at("predicted")));
      base.push_back(std::stod(row.at("base_rate")));
      rule.push_back(std::stod(row.at("treaty_and_troops")));
      attacked.push_back(row.at("observed") == "1");
    } else if (!row.at("observed").empty() && !row.at("predicted").empty()) {
      honour_model.push_back(std::stod(row.at("predicted")));
      honour_base.push_back(std::stod(row.at("base_rate")));
      honoured.push_back(row.at("observed") == "1");
    }
  }
  const Json& attack = json["scores"]["attack"];
  EXPECT_EQ(attack["n"].get<std::size_t>(), model.size());
  expect_scores(forecast(attack["forecasts"], "model"), recompute(model, attacked, floor), "attack, model");
  expect_scores(forecast(attack["forecasts"], "base_rate"), recompute(base, attacked, floor), "attack, base rate");
  expect_scores(forecast(attack["forecasts"], "treaty_and_troops"), recompute(rule, attacked, floor),
                "attack, treaty and troops");
  const Json& honour = json["scores"]["honour"];
  ASSERT_EQ(honour["n"].get<std::size_t>(), honour_model.size());
  ASSERT_FALSE(honour_model.empty()) << "some attacked case has a commitment with a prediction";
  expect_scores(forecast(honour["forecasts"], "model"), recompute(honour_model, honoured, floor), "honour, model");
  expect_scores(forecast(honour["forecasts"], "base_rate"), recompute(honour_base, honoured, floor),
                "honour, base rate");

  // The verdicts agree with the scores and are printed.
  for (const Json& v : json["verdicts"]) {
    const Json& b = forecast(attack["forecasts"], v["baseline"].get<std::string>());
    const Json& m = forecast(attack["forecasts"], "model");
    const bool beats = m["brier"].get<double>() < b["brier"].get<double>() &&
                       m["log_loss"].get<double>() < b["log_loss"].get<double>();
    EXPECT_EQ(v["model_beats"].get<bool>(), beats) << v["text"];
    EXPECT_NE(result_->out.find(v["text"].get<std::string>()), std::string::npos) << v["text"];
  }
  EXPECT_EQ(json["verdicts"].size(), 2u);
}

TEST_F(BacktestCli, SameSeedGivesTheSameFilesWithOneThread) {
  ASSERT_EQ(result_->code, 0) << result_->err;
  const test::CliResult one = test::run_cli({"backtest", kCases.string(), "--trials", "1500", "--seed", "5",
                                             "--threads", "1", "--quiet", "--out", (dir_->path() / "one").string()},
                                            dir_->path(), "one");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_TRUE(one.out.empty()) << one.out;
  for (const char* f : {"backtest.csv", "backtest.json"}) {
    EXPECT_TRUE(test::read_text(dir_->path() / "one" / f) == test::read_text(dir_->path() / "out" / f)) << f;
  }
}

TEST(BacktestCliErrors, AFolderWithANonHistoricalScenarioIsBadInput) {
  test::TempDir dir("credsim-backtest-bad");
  fs::create_directories(dir.path() / "cases");
  fs::copy_file(test::source_dir() / "tests" / "data" / "valid" / "minimal.yaml", dir.path() / "cases" / "a.yaml");
  fs::copy_file(test::source_dir() / "tests" / "data" / "valid" / "instruments.yaml",
                dir.path() / "cases" / "instruments.yaml");
  const test::CliResult r =
      test::run_cli({"backtest", (dir.path() / "cases").string(), "--out", (dir.path() / "out").string()}, dir.path());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("not a historical case"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "backtest.csv"));
}

}  // namespace
}  // namespace credsim
