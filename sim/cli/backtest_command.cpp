#include "sim/cli/backtest_command.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "credsim/version.hpp"
#include "models/backtest.hpp"
#include "models/backtest_report.hpp"
#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/python_runner.hpp"
#include "sim/cli/validators.hpp"
#include "sim/errors.hpp"
#include "sim/io/output_files.hpp"
#include "sim/runner.hpp"

namespace credsim::cli {
namespace fs = std::filesystem;
namespace {

// The *.yaml files directly in `dir`, sorted by name.
std::vector<fs::path> case_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw sim::RunError("'" + dir.string() + "' is not a folder of historical cases");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  if (ec) throw sim::RunError("cannot list '" + dir.string() + "': " + ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw sim::RunError("'" + dir.string() + "' has no .yaml case files");
  return files;
}

// `--cv`: the Python analysis package refits the calibration without each fold
// (docs/backtest.md); it needs the compiled credsim module and scipy.
int cross_validated_backtest(const BacktestOptions& o) {
  const std::string python = python_interpreter();
  const fs::path analysis_dir = find_analysis_dir("credsim");
  if (analysis_dir.empty())
    throw sim::RunError("credsim backtest --cv cannot find the analysis package (credsim_analysis): set "
                        "CREDSIM_ANALYSIS_DIR to the analysis/ folder of the credsim source tree");
  const unsigned workers = o.threads > 0 ? static_cast<unsigned>(o.threads)
                                         : std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::string> argv{python, "-m", "credsim_analysis.backtest_cv", o.dir,
                                "--cv", o.cv, "--draws", std::to_string(o.draws),
                                "--cv-trials", std::to_string(o.cv_trials), "--trials", std::to_string(o.trials),
                                "--seed", std::to_string(o.seed), "--workers", std::to_string(workers),
                                "--out", o.out.empty() ? (fs::path("results") / "backtest").string() : o.out};
  if (!o.calibration.empty()) argv.insert(argv.end(), {"--calibration", o.calibration});
  if (o.quiet) argv.emplace_back("--quiet");
  std::cout << std::flush;
  const int status = run_python(argv, {analysis_dir, find_python_module_dir("credsim")});
  if (status < 0) throw sim::RunError("credsim backtest --cv could not start " + python + " (set CREDSIM_PYTHON)");
  return status == 0 ? kExitOk : status;
}

}  // namespace

CLI::App* add_backtest_command(CLI::App& app, BacktestOptions& o) {
  CLI::App* bt = app.add_subcommand("backtest", "Score the model against historical cases");
  bt->add_option("dir", o.dir, "Folder of historical cases (scenarios with 'observed:')")
      ->required()
      ->type_name("DIR");
  bt->add_option("-n,--trials", o.trials, "Trials per case")
      ->type_name("N")
      ->check(whole_number(1, sim::kMaxTrials))
      ->capture_default_str();
  add_seed_option(*bt, o.seed);
  add_threads_option(*bt, o.threads);
  bt->add_option("-o,--out", o.out, "Output directory (default results/backtest)")->type_name("DIR");
  auto* floor = bt->add_option("--log-floor", o.log_floor, "Clamp forecasts to [F, 1-F] before the log loss")
      ->type_name("F")
      ->check(open_interval(0.0, 0.5))
      ->capture_default_str();
  bt->add_flag("-q,--quiet", o.quiet, "Print only errors");
  auto* cv = bt->add_option("--cv", o.cv,
                            "Cross-validate: 'loo' (leave one case out) or K folds; the calibration is refitted\n"
                            "without each fold by reweighting one set of runs, the baselines fitted on the others")
                 ->type_name("loo|K")
                 ->check([](const std::string& v) -> std::string {
                   if (v == "loo") return {};
                   if (!v.empty() && v.size() < 6 && v.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoi(v) >= 2)
                     return {};
                   return "must be 'loo' or a number of folds >= 2, not '" + v + "'";
                 })
                 ->excludes(floor);  // the cross-validation clamps at the calibration's floor, 0.01
  bt->add_option("--draws", o.draws, "With --cv: draws of the calibrated constants, each run on every case")
      ->type_name("N")
      ->check(whole_number(16, 1'000'000))  // two per stage of the tempered sampler (crossval.STAGES)
      ->capture_default_str()
      ->needs(cv);
  bt->add_option("--cv-trials", o.cv_trials, "With --cv: trials per case and draw")
      ->type_name("N")
      ->check(whole_number(100, sim::kMaxTrials))
      ->capture_default_str()
      ->needs(cv);
  bt->add_option("--calibration", o.calibration,
                 "With --cv: the calibration record whose posterior is the proposal and whose training\n"
                 "cases are listed (default: docs/calibration.json beside the analysis package)")
      ->type_name("FILE")
      ->check(CLI::ExistingFile)
      ->needs(cv);
  bt->footer(
      "Each case is run with its one option; the predictions are P(attack within the horizon)\n"
      "and P(honour | attack) per guarantor, with 95% intervals, against the recorded outcome.\n"
      "Scores: Brier, log loss, ROC AUC for the model and two baselines (the base rate; formal\n"
      "treaty and troops present -> no attack). It says plainly whether the model beats them.\n"
      "\n"
      "Output files (in DIR, each written whole or not at all):\n"
      "  backtest.csv   one row per case and per commitment: predicted, interval, observed, baselines\n"
      "  backtest.json  the same, the scores and the verdicts, with every case's sha256\n"
      "With --cv (docs/backtest.md; run by credsim_analysis with /usr/bin/python3 or CREDSIM_PYTHON):\n"
      "  backtest_cv.csv   per case and commitment: in-sample and out-of-fold forecasts\n"
      "  backtest_cv.json  the same, in-sample and out-of-fold scores (attack, timing, honour),\n"
      "                    reliability bins, paired bootstrap intervals, each fold's ESS\n"
      "\n"
      "Examples:\n"
      "  credsim backtest scenarios/historical\n"
      "  credsim backtest scenarios/historical --cv loo");
  return bt;
}

int backtest_command(const BacktestOptions& o) {
  if (!o.cv.empty()) return cross_validated_backtest(o);
  const std::vector<fs::path> files = case_files(o.dir);
  const fs::path out_dir = o.out.empty() ? fs::path("results") / "backtest" : fs::path(o.out);
  sim::io::ensure_output_dir(out_dir);

  std::vector<model::CaseResult> cases;
  InterruptGuard interrupt;
  for (const fs::path& file : files) {
    const model::Scenario scenario = model::load_scenario(file.string());
    if (!scenario.observed) {
      throw sim::RunError(file.string() + ": not a historical case (no 'observed:' section)");
    }
    // The same model the run command uses (models/model_factory.hpp decides which).
    const auto model = model::make_model(scenario);
    sim::RunConfig config;
    config.seed = o.seed;
    config.trials = o.trials;
    config.threads = o.threads;
    config.cancel = &interrupt.flag();
    const sim::RunResult result = sim::run(*model, config);
    model::CaseResult c = model::evaluate_case(scenario, model->layout(), result.tally);
    c.file = file.filename().string();
    cases.push_back(std::move(c));
  }

  const model::BacktestSummary summary = model::summarise(cases, o.log_floor);
  // The folder's name only: outputs must not depend on where the checkout lives.
  fs::path dir_name = fs::path(o.dir).lexically_normal();
  if (dir_name.filename().empty()) dir_name = dir_name.parent_path();
  const model::BacktestInfo info{dir_name.filename().string(), o.seed, o.trials, kVersion};
  const std::string csv = model::backtest_csv(cases, summary, info);
  const std::string json = model::backtest_json(cases, summary, info);
  if (!o.quiet) {
    std::cout << "Cases: " << o.dir << " (" << files.size() << " files; `--cv loo` adds out-of-fold scores and which "
              << "cases the calibration used)\n\n"
              << model::backtest_table(cases, summary) << std::flush;
  }
  sim::io::write_file_atomically(out_dir / "backtest.csv", csv);
  sim::io::write_file_atomically(out_dir / "backtest.json", json);
  if (!o.quiet) std::cout << "\nWrote backtest.csv backtest.json\n   to " << out_dir.string() << "/\n";
  return kExitOk;
}

}  // namespace credsim::cli
