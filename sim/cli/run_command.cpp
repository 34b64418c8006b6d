#include "sim/cli/run_command.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "models/model_factory.hpp"
#include "models/provenance_json.hpp"
#include "models/scenario_loader.hpp"
#include "sim/checkpoint.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/progress_bar.hpp"
#include "sim/cli/worlds_command.hpp"
#include "sim/cli/validators.hpp"
#include "sim/errors.hpp"
#include "sim/io/output_dir_lock.hpp"
#include "sim/io/output_files.hpp"
#include "sim/resource_limits.hpp"
#include "sim/report.hpp"
#include "sim/distributed_run.hpp"
#include "sim/runner.hpp"
#ifdef CREDSIM_WITH_MPI
#include "sim/mpi/mpi_comm.hpp"
#endif

namespace credsim::cli {
namespace fs = std::filesystem;
namespace {


// The checkpoint at `path` if it is for exactly this request; otherwise none,
// with a one-line notice saying why it is not used.
std::optional<sim::ResumePoint> load_resume_point(const fs::path& path, const sim::CheckpointKey& key,
                                                  const sim::OutcomeLayout& layout, const RunOptions& o) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const auto notice = [&](const std::string& why) {
    if (!o.quiet) std::cerr << "note: not resuming from " << path.string() << ": " << why << "; starting over\n";
  };
  if (o.trials_csv) {
    // trials.csv is streamed to a temporary file that a killed run cannot hand on.
    notice("--trials-csv runs are not resumable");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  try {
    sim::Checkpoint saved = sim::parse_checkpoint(text.str(), layout);
    if (const std::string differs = sim::checkpoint_mismatch(saved.key, key); !differs.empty()) {
      notice("it is for another request (" + differs + " differs)");
      return std::nullopt;
    }
    if (!o.quiet)
      std::cerr << "note: resuming from " << path.string() << " (" << saved.resume.tally.trials
                << " trials done)\n";
    return std::move(saved.resume);
  } catch (const sim::RunError& e) {
    notice(e.what());
    return std::nullopt;
  }
}

}  // namespace

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
      "  survival.csv   share of the trials at risk with no attack by month t\n"
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

  sim::RunInfo info;
  info.scenario_name = scenario.name;
  info.scenario_file = fs::path(o.scenario).filename().string();
  info.scenario_sha256 = scenario.sha256;  // of the file with the --set values applied
  info.overrides = o.set;
  info.seed = o.seed;
  info.precision_target = o.precision;
  info.parameters_provenance = model::provenance_json(scenario);
  const fs::path out_dir = o.out.empty() ? fs::path("results") / scenario.name : fs::path(o.out);
  if (o.worlds > 0 && o.estimator != "plain")
    throw sim::RunError("--estimator " + o.estimator + " is not available with --worlds (worlds runs are plain)");
  if (o.worlds > 0) return run_worlds_command(o, std::move(scenario), std::move(info), out_dir);

  const auto model = model::make_model(std::move(scenario), split_names(o.options), model::ModelKernel::fast,
                                       model::parse_estimator(o.estimator));
  const sim::OutcomeLayout& layout = model->layout();

  sim::RunConfig config;
  config.seed = o.seed;
  config.trials = o.precision > 0.0 ? 0 : (o.trials ? o.trials : kDefaultTrials);
  config.precision = o.precision;
  config.max_trials = o.max_trials;
  config.threads = o.threads;

  // Under mpirun the ranks share the blocks and rank 0 writes the files: the
  // same bytes as one process (docs/cluster.md). Without MPI: one rank.
#ifdef CREDSIM_WITH_MPI
  sim::mpi::MpiComm comm;
#else
  sim::PointComm comm;
#endif
  const bool distributed = comm.size() > 1;
  const bool root = comm.rank() == 0;
  if (distributed && (o.precision > 0.0 || o.trials_csv))  // before any file is touched
    throw sim::RunError("--precision and --trials-csv run in one process; give --trials under mpirun");

  // Fail now, not after an hour of computing, if the results cannot be written
  // or the run would not fit in memory or on the disk.
  const std::uint64_t max_memory =
      o.max_memory.empty() ? sim::default_memory_limit() : sim::parse_byte_size(o.max_memory);
  sim::io::ensure_output_dir(out_dir);
  // One run at a time per folder, until the last result file is in place.
  std::optional<sim::io::OutputDirLock> lock;
  if (root) lock.emplace(out_dir);
  sim::check_resources(layout, {config.trials ? config.trials : config.max_trials, config.trials == 0, config.threads,
                                o.trials_csv, max_memory, out_dir});
  std::optional<sim::io::TrialsCsvWriter> trials_csv;
  if (o.trials_csv) trials_csv.emplace(out_dir / "trials.csv", layout, info);
  config.sink = trials_csv ? &*trials_csv : nullptr;

  // Checkpoint: resume from it if it is for this very request, keep it up to
  // date while running (at most once a second, and on Ctrl-C), remove it at the end.
  const fs::path checkpoint_path = out_dir / kRunCheckpointName;
  const sim::CheckpointKey key{info.scenario_sha256, config.seed, config.trials, config.precision,
                               config.max_trials, sim::layout_options(layout), info.version};
  const std::optional<sim::ResumePoint> resume =
      distributed ? std::nullopt : load_resume_point(checkpoint_path, key, layout, o);
  if (resume) config.resume_from = &*resume;
  std::optional<sim::ResumePoint> latest;  // the last merged state not yet saved
  const auto save_checkpoint = [&] {
    if (!latest) return;
    sim::io::write_file_atomically(checkpoint_path, sim::checkpoint_text(key, latest->tally, latest->next_block));
    latest.reset();
  };
  if (!o.trials_csv && !distributed) {
    // The first round is saved at once, later ones at most once a second (each save fsyncs).
    std::optional<std::chrono::steady_clock::time_point> last_save;
    config.checkpoint = [&, last_save](const sim::Tally& tally, std::uint64_t next_block) mutable {
      latest = sim::ResumePoint{tally, next_block};
      const auto now = std::chrono::steady_clock::now();
      if (last_save && now - *last_save < std::chrono::seconds(1)) return;
      save_checkpoint();
      last_save = now;
    };
  }

  sim::RunResult result;
  // Installed until the last rename: a Ctrl-C while the files are written
  // waits for them (a second one still ends the process).
  InterruptGuard interrupt;
  config.cancel = &interrupt.flag();
  {
    ProgressBar bar(root && !o.quiet && ProgressBar::stderr_is_terminal(), o.precision);
    config.progress = [&bar](std::uint64_t done, std::uint64_t target) { bar.update(done, target); };
    try {
      result = distributed ? sim::run_over_ranks(*model, config, comm) : sim::run(*model, config);
    } catch (const sim::Cancelled&) {
      bar.clear();
      save_checkpoint();
      std::error_code ec;
      if (fs::exists(checkpoint_path, ec))
        std::cerr << "progress saved in " << checkpoint_path.string() << "; the same command resumes the run\n";
      throw;
    }
  }
  if (!root) return kExitOk;
  info.trials = result.tally.trials;

  if (!o.quiet) std::cout << sim::format_report(layout, result.tally, info) << std::flush;

  // One set: a failure part-way leaves the previous run's files as they were.
  sim::io::ResultSet files(out_dir);
  sim::io::add_summary_files(files, layout, result.tally, info);
  if (trials_csv) files.add_written(trials_csv->finish(info.trials), "trials.csv");
  const std::vector<fs::path> written = files.commit();
  std::error_code ec;
  fs::remove(checkpoint_path, ec);  // the results are complete: nothing to resume
  if (!o.quiet) {
    std::cout << "\nWrote";
    for (const auto& f : written) std::cout << ' ' << f.filename().string();
    std::cout << "\n   to " << out_dir.string() << "/\n";
    if (distributed) std::cout << "(computed on " << comm.size() << " MPI ranks)\n";
  }
  return kExitOk;
}

}  // namespace credsim::cli
