#include "sim/cli/report_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "models/scenario_loader.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/python_runner.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/validators.hpp"
#include "sim/errors.hpp"
#include "sim/runner.hpp"

namespace credsim::cli {
namespace fs = std::filesystem;

CLI::App* add_report_command(CLI::App& app, ReportOptions& o) {
  CLI::App* report = app.add_subcommand(
      "report", "Run a scenario and write a policy brief: one self-contained report.html (and a PDF)");
  report->add_option("scenario", o.scenario, "Scenario file (YAML; see docs/scenario-format.md)")
      ->required()
      ->type_name("SCENARIO");
  report->add_option("-n,--trials", o.trials,
                     "Number of trials (default " + std::to_string(kDefaultTrials) + ")")
      ->type_name("N")
      ->check(whole_number(1, sim::kMaxTrials));
  add_seed_option(*report, o.seed);
  add_threads_option(*report, o.threads);
  report->add_option("-o,--out", o.out, "Output directory (default results/<scenario name>)")->type_name("DIR");
  report->add_option("--options", o.options, "Only these options, e.g. budapest,nato_membership")
      ->type_name("A,B,...")
      ->multi_option_policy(CLI::MultiOptionPolicy::Join)
      ->delimiter(',');
  auto* worlds = report->add_option("--worlds", o.worlds,
                                    "Also run M plausible worlds (credsim run --worlds) into DIR/worlds: the report adds\n"
                                    "the spread across worlds, P(ranks first) and the assumptions that decide the ranking")
                     ->type_name("M")
                     ->check(whole_number(2, 1'000'000));
  report->add_option("--world-trials", o.trials_per_world,
                     "With --worlds: trials per world (default " + std::to_string(kDefaultTrialsPerWorld) + ")")
      ->type_name("N")
      ->check(whole_number(1, sim::kMaxTrials))
      ->needs(worlds);
  report->add_flag("--pdf", o.pdf, "Also print the report to report.pdf (headless Chromium: apt-get install chromium)");
  report->add_flag("--trials-csv", o.keep_trials,
                   "Keep trials.csv, the per-trial rows the report's paired tests are computed from");
  report->add_flag("-q,--quiet", o.quiet, "Print only errors");
  report->footer(
      "Writes to DIR the files of `credsim run` (summary.json, summary.csv, paired.csv,\n"
      "survival.csv) and report.html: a summary written from the numbers with their\n"
      "uncertainty, the options x measures table with plain names, the glossary, the key\n"
      "figures (inline SVG), each option's formula and the sources of its values, and the\n"
      "provenance. The page needs no network and prints on A4.\n"
      "\n"
      "The report is made by the Python package credsim_analysis (analysis/ in the source\n"
      "tree, or CREDSIM_ANALYSIS_DIR) with /usr/bin/python3 (or CREDSIM_PYTHON), which needs\n"
      "matplotlib, pandas, PyYAML and jinja2 (.ci/bootstrap installs them).\n"
      "Without --worlds the intervals are Monte Carlo error only; with it the report adds the\n"
      "spread across plausible worlds (the scenario's epistemic fields) from DIR/worlds.\n"
      "\n"
      "Examples:\n"
      "  credsim report scenarios/ukraine.yaml --out brief\n"
      "  credsim report scenarios/ukraine.yaml --trials 100000 --seed 7 --out brief --pdf\n"
      "  credsim report scenarios/ukraine.yaml --worlds 100 --out brief");
  return report;
}

int report_command(const ReportOptions& o) {
  const std::string python = python_interpreter();
  const fs::path analysis_dir = find_analysis_dir("credsim");
  // Fail before the run, not after it, when the report cannot be made.
  if (::access(python.c_str(), X_OK) != 0)
    throw sim::RunError("credsim report needs " + python +
                        " (Debian's python3 with matplotlib, pandas, PyYAML and jinja2; run .ci/bootstrap, "
                        "or set CREDSIM_PYTHON)");
  if (analysis_dir.empty())
    throw sim::RunError("credsim report cannot find the analysis package (credsim_analysis): set "
                        "CREDSIM_ANALYSIS_DIR to the analysis/ folder of the credsim source tree");
  const int check = run_python({python, "-c", "import credsim_analysis.report, jinja2, yaml, matplotlib, pandas"},
                               {analysis_dir});
  if (check != 0)
    throw sim::RunError("credsim report: " + python + " cannot import what the report needs (see above): " +
                        "apt-get install python3-jinja2 python3-yaml python3-matplotlib python3-pandas " +
                        "(.ci/bootstrap installs them)");

  RunOptions run;
  run.scenario = o.scenario;
  run.trials = o.trials;
  run.seed = o.seed;
  run.threads = o.threads;
  run.options = o.options;
  run.quiet = o.quiet;
  run.trials_csv = true;  // the paired tests of the summary need the per-trial rows
  run.out = o.out.empty() ? (fs::path("results") / model::load_scenario(o.scenario, {}).name).string() : o.out;
  if (const int code = run_command(run); code != kExitOk) return code;
  const fs::path worlds_dir = fs::path(run.out) / "worlds";
  std::error_code ec;
  if (o.worlds > 0) {
    RunOptions w = run;
    w.trials_csv = false;
    w.worlds = o.worlds;
    w.trials = o.trials_per_world;
    w.out = worlds_dir.string();
    if (const int code = run_command(w); code != kExitOk) return code;
  } else {
    fs::remove_all(worlds_dir, ec);  // an older worlds run would not match this one
  }
  std::cout << std::flush;  // the run's lines before the report's

  std::vector<std::string> argv{python, "-m", "credsim_analysis.report", run.out, "--scenario", o.scenario};
  if (o.pdf) argv.emplace_back("--pdf");
  const int status = run_python(argv, {analysis_dir});
  if (!o.keep_trials) fs::remove(fs::path(run.out) / "trials.csv", ec);
  if (status != 0) {
    std::cerr << "error: the report could not be written (" << python << " -m credsim_analysis.report exited "
              << status << "); the run's files are in " << run.out << "/\n";
    return kExitReport;
  }
  return kExitOk;
}

}  // namespace credsim::cli
