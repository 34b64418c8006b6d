#include "sim/cli/sweep_command.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include "models/study_request.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/progress_bar.hpp"
#include "sim/cli/validators.hpp"
#include "sim/errors.hpp"
#include "sim/resource_limits.hpp"
#include "sim/sweep_study.hpp"
#ifdef CREDSIM_WITH_MPI
#include "sim/mpi/mpi_comm.hpp"
#endif

namespace credsim::cli {
namespace fs = std::filesystem;

sim::Shard parse_shard(const std::string& text) {
  sim::Shard s;
  if (text.empty()) return s;
  const auto slash = text.find('/');
  s.index = std::stoull(text.substr(0, slash));
  s.count = std::stoull(text.substr(slash + 1));
  return s;
}

CLI::Validator shard_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto slash = text.find('/');
        const auto digits = [](const std::string& s) {
          return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
        };
        if (slash == std::string::npos || !digits(text.substr(0, slash)) || !digits(text.substr(slash + 1)))
          return "is '" + text + "', but must be i/N with whole numbers 1 <= i <= N, e.g. 2/8";
        const auto i = std::stoull(text.substr(0, slash)), n = std::stoull(text.substr(slash + 1));
        if (i < 1 || i > n) return "is '" + text + "', but must be i/N with 1 <= i <= N";
        return {};
      },
      "i/N");
}

void add_max_memory_option(CLI::App& cmd, std::string& max_memory) {
  cmd.add_option("--max-memory", max_memory,
                 "Refuse up front a study that would need more memory than this (default: half the RAM; 512m, 8g, ...)")
      ->type_name("SIZE");
}

CLI::App* add_sweep_command(CLI::App& app, SweepOptions& o) {
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over a design of factor values (grid, LHS, Sobol', CSV)");
  cmd->add_option("sweep_file", o.sweep_file, "Sweep file (YAML; see docs/sweep-format.md)")
      ->required()
      ->type_name("SWEEP");
  cmd->add_option("-o,--out", o.out, "Output directory (default results/sweeps/<sweep file name>)")->type_name("DIR");
  add_threads_option(*cmd, o.threads);
  cmd->add_option("--shard", o.shard, "Run only the points with id % N == i-1 (for a job array); join with credsim merge")
      ->type_name("i/N")
      ->check(shard_validator());
  cmd->add_flag("-q,--quiet", o.quiet, "No progress bar or summary; only errors");
  add_max_memory_option(*cmd, o.max_memory);
  cmd->footer(
      "Output files (in DIR):\n"
      "  sweep.csv        long format: point, each factor, option, metric, estimate, std_error,\n"
      "                   ci_low, ci_high, n; '# key: value' provenance lines first\n"
      "                   (pandas: pd.read_csv('sweep.csv', comment='#'))\n"
      "  robustness.csv   per option: mean, worst case, regret (mean, 90th percentile) and\n"
      "                   satisficing share of the sweep file's robustness metrics\n"
      "  sweep_run.json   wall time, points, time per point (not byte-stable, by design)\n"
      "  sweep.journal    finished points; a killed sweep resumes from it when rerun\n"
      "\n"
      "Every point runs the same seed (common random numbers across points and options).\n"
      "sweep.csv and robustness.csv are byte-identical for any --threads, after a resume,\n"
      "and after credsim merge of all shards. Ctrl-C stops after the current points.\n"
      "\n"
      "Examples:\n"
      "  credsim sweep scenarios/sweeps/usa_resolve_vs_ambiguity.yaml\n"
      "  credsim sweep scenarios/sweeps/usa_resolve_vs_ambiguity.yaml --shard 2/8 --out shards/2\n"
      "  mpirun -n 4 credsim sweep scenarios/sweeps/usa_resolve_vs_ambiguity.yaml");
  return cmd;
}

int run_study_command(const SweepOptions& o, bool sensitivity) {
  sim::StudyRequest request = model::make_study_request(
      sensitivity ? sim::StudyKind::sensitivity : sim::StudyKind::sweep, o.sweep_file, o.out);
  request.config.threads = o.threads;
  request.config.shard = parse_shard(o.shard);
  request.config.max_memory = o.max_memory.empty() ? sim::default_memory_limit() : sim::parse_byte_size(o.max_memory);
#ifdef CREDSIM_WITH_MPI
  sim::mpi::MpiComm comm;
  request.config.comm = &comm;
  const bool root = comm.rank() == 0;
#else
  const bool root = true;
#endif

  sim::StudyResult result;
  try {
    ProgressBar bar(root && !o.quiet && ProgressBar::stderr_is_terminal(), false);
    request.config.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
    InterruptGuard interrupt;
    request.config.cancel = &interrupt.flag();
    result = sim::run_study(request);
  } catch (const sim::Cancelled&) {
    if (root)
      std::cerr << "stopped by the user; the finished points are in " << (request.out_dir / sim::kJournalName).string()
                << "\nrerun the same command to resume\n";
    return kExitCancelled;
  }
  if (!root) return kExitOk;
  if (!o.quiet) {
    std::cout << result.summary << "\n"
              << result.run.points << " points (" << result.run.points_run << " run now, "
              << result.run.points - result.run.points_run << " from the journal) in " << result.run.seconds
              << " s\nWrote";
    for (const auto& f : result.written) std::cout << ' ' << f.filename().string();
    std::cout << "\n   to " << request.out_dir.string() << "/\n";
  }
  return kExitOk;
}

int sweep_command(const SweepOptions& o) { return run_study_command(o, false); }

}  // namespace credsim::cli
