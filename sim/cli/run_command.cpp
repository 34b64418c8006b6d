#include "sim/cli/run_command.hpp"

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "models/run_request.hpp"
#include "models/scenario_loader.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/progress_bar.hpp"
#include "sim/cli/worlds_command.hpp"
#include "sim/cli/validators.hpp"
#include "sim/errors.hpp"
#include "sim/report.hpp"
#include "sim/resource_limits.hpp"
#include "sim/run_request.hpp"
#ifdef CREDSIM_WITH_MPI
#include "sim/mpi/mpi_comm.hpp"
#endif

namespace credsim::cli {
namespace fs = std::filesystem;

CLI::App* add_run_command(CLI::App& app, RunOptions& o) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario: compare its options and write the results");
  run->add_option("scenario", o.scenario, "Scenario file (YAML; see docs/scenario-format.md)")
      ->required()
      ->type_name("SCENARIO");
  auto* trials = run->add_option("-n,--trials", o.trials,
                                 "Number of trials (default " + std::to_string(kDefaultTrials) + ")")
                     ->type_name("N")
                     ->check(whole_number(1, sim::kMaxTrials));
  auto* precision = run->add_option("-p,--precision", o.precision,
                                    "Or run until every headline probability has a 95% half-width <= H")
                        ->type_name("H")
                        ->check(open_interval(0.0, 0.5));
  trials->excludes(precision);
  auto* worlds = run->add_option("--worlds", o.worlds,
                                 "Plausible worlds: draw the scenario's epistemic fields once per world (M worlds),\n"
                                 "run --trials per world (default " + std::to_string(kDefaultTrialsPerWorld) +
                                     "), and report the spread across worlds and how often each option ranks first")
                     ->type_name("M")
                     ->check(whole_number(2, 1'000'000));
  worlds->excludes(precision);
  run->add_option("--max-trials", o.max_trials, "With --precision: fail after this many trials")
      ->type_name("N")
      ->check(whole_number(1, sim::kMaxTrials))
      ->needs(precision)
      ->capture_default_str();
  add_seed_option(*run, o.seed);
  add_threads_option(*run, o.threads);
  run->add_option("--estimator", o.estimator,
                  "plain: each trial's outcomes; conditional: where a probability is known given the trial's\n"
                  "draws (the deal, no attack through T, a major attack), the probability: same expectation,\n"
                  "smaller variance, so --precision needs fewer trials")
      ->check(CLI::IsMember({"plain", "conditional"}))
      ->capture_default_str();
  run->add_option("-o,--out", o.out, "Output directory (default results/<scenario name>)")->type_name("DIR");
  auto* options = run->add_option("--options", o.options, "Only these options, e.g. budapest,nato_membership")
                     ->type_name("A,B,...")
                     ->multi_option_policy(CLI::MultiOptionPolicy::Join)  // --options a --options b = --options a,b
                     ->delimiter(',');
  // An empty list would silently mean "all", as leaving --options out does.
  run->final_callback([&o, options] {
    if (options->count() > 0 && split_names(o.options).empty())
      throw CLI::ValidationError("--options", "names no option; give A,B,... or leave --options out for all");
  });
  run->add_option("--set", o.set,
                  "Change one field for this run: PATH=VALUE, the key paths of sweeps (repeatable), e.g.\n"
                  "--set guarantors.usa.interest=3 --set options.nato_membership.commitments[0].instrument=tripwire")
      ->type_name("PATH=VALUE")
      ->take_all();
  run->add_flag("--trials-csv", o.trials_csv, "Also write trials.csv, one row per trial and option (large)")
      ->excludes(worlds);
  run->add_flag("-q,--quiet", o.quiet, "Print only errors (no progress bar, no table)");
  run->add_option("--max-memory", o.max_memory,
                  "Refuse up front a run that would need more memory than this (default: half the RAM)")
      ->type_name("SIZE");
  run->footer(
      "Output files (in DIR, each written whole or not at all):\n"
      "  summary.json   everything: provenance of every parameter, each option's metrics with\n"
      "                 95% intervals, the paired differences and the survival curves\n"
      "  summary.csv    one row per option and metric: n, estimate, std_error, ci_low, ci_high\n"
      "  paired.csv     each option minus the baseline option, on the same trials\n"
      "  survival.csv   per option and curve (e.g. no armed attack, no major attack): share of\n"
      "                 the trials at risk with no such attack by month t\n"
      "  trials.csv     with --trials-csv only\n"
      "With --worlds: the summary files pool every world's trials, and worlds.csv (per world),\n"
      "  across_worlds.csv (mean, 5-95% across worlds, MC error), ranks.csv (P(first), mean rank)\n"
      "  and decisive_fields.csv (which epistemic field decides each ranking) are added.\n"
      "Each file starts with '# key: value' lines (scenario, its sha256, seed, trials, version);\n"
      "pandas: pd.read_csv('summary.csv', comment='#').\n"
      "\n"
      "The same scenario, seed and version give byte-identical files for any --threads.\n"
      "Ctrl-C stops the run cleanly without writing any result file. While it runs, a run\n"
      "keeps its progress in DIR/.credsim-run.checkpoint: run the same command again after\n"
      "Ctrl-C or a crash and it resumes, with the same results as an uninterrupted run\n"
      "(not with --trials-csv). SIZE for --max-memory: bytes, or 512m, 8g, ...\n"
      "\n"
      "Examples:\n"
      "  credsim run scenarios/ukraine.yaml\n"
      "  credsim run scenarios/ukraine.yaml --trials 100000 --seed 7 --out results/seed7\n"
      "  credsim run scenarios/ukraine.yaml --precision 0.005 --options budapest,nato_membership\n"
      "  credsim run scenarios/ukraine.yaml --worlds 100 --trials 2000");
  return run;
}

int run_command(const RunOptions& o) {
  std::vector<model::Override> overrides;
  for (const std::string& text : o.set) overrides.push_back(model::parse_override(text));
  model::Scenario scenario = model::load_scenario(o.scenario, overrides);
  const std::string scenario_file = fs::path(o.scenario).filename().string();
  const fs::path out_dir = o.out.empty() ? fs::path("results") / scenario.name : fs::path(o.out);
  if (o.worlds > 0 && o.estimator != "plain")
    throw sim::RunError("--estimator " + o.estimator + " is not available with --worlds (worlds runs are plain)");
  if (o.worlds > 0) {
    sim::RunInfo info = model::run_info(scenario, scenario_file, o.set);
    info.seed = o.seed;
    return run_worlds_command(o, std::move(scenario), std::move(info), out_dir);
  }

  // Everything else (checkpoint, lock, resource checks, files) is the
  // library's, shared with the Python module (sim/run_request.hpp).
  sim::RunRequest request = model::make_run_request(std::move(scenario), scenario_file, o.set,
                                                    split_names(o.options), model::parse_estimator(o.estimator));
  request.config.seed = o.seed;
  request.config.trials = o.precision > 0.0 ? 0 : (o.trials ? o.trials : kDefaultTrials);
  request.config.precision = o.precision;
  request.config.max_trials = o.max_trials;
  request.config.threads = o.threads;
  request.max_memory = o.max_memory.empty() ? 0 : sim::parse_byte_size(o.max_memory);
  request.out_dir = out_dir;
  request.trials_csv = o.trials_csv;
  request.quiet = o.quiet;

  // Under mpirun the ranks share the blocks and rank 0 writes the files
  // (docs/cluster.md). Without MPI: one rank.
#ifdef CREDSIM_WITH_MPI
  sim::mpi::MpiComm comm;
#else
  sim::PointComm comm;
#endif
  request.comm = &comm;

  // Installed until the last rename: a Ctrl-C while the files are written
  // waits for them (a second one still ends the process).
  InterruptGuard interrupt;
  request.config.cancel = &interrupt.flag();
  std::optional<sim::RunOutcome> outcome;
  {
    ProgressBar bar(comm.rank() == 0 && !o.quiet && ProgressBar::stderr_is_terminal(), o.precision);
    request.config.progress = [&bar](std::uint64_t done, std::uint64_t target) { bar.update(done, target); };
    request.notice = [&bar](const std::string& line) {
      bar.clear();
      std::cerr << line << "\n";
    };
    // The table before the files: a failure to write them still shows the results.
    request.on_done = [&bar, &o](const sim::RunOutcome& done) {
      bar.clear();
      if (!o.quiet) std::cout << sim::format_report(done.layout(), done.tally, done.info) << std::flush;
    };
    outcome = sim::run_request(request);
  }
  if (!outcome->root || o.quiet) return kExitOk;
  std::cout << "\nWrote";
  for (const auto& f : outcome->written) std::cout << ' ' << f.filename().string();
  std::cout << "\n   to " << out_dir.string() << "/\n";
  if (outcome->ranks > 1) std::cout << "(computed on " << outcome->ranks << " MPI ranks)\n";
  return kExitOk;
}

}  // namespace credsim::cli
