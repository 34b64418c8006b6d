#include "sim/run_request.hpp"

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

#include "sim/checkpoint.hpp"
#include "sim/distributed_run.hpp"
#include "sim/errors.hpp"
#include "sim/io/output_dir_lock.hpp"
#include "sim/io/output_files.hpp"
#include "sim/resource_limits.hpp"

namespace credsim::sim {
namespace fs = std::filesystem;
namespace {

using Note = std::function<void(const std::string&)>;

// The checkpoint at `path` if it is for exactly this request; otherwise none,
// with a one-line note saying why it is not used. `not_resumable`: why this
// run cannot resume at all ("" when it can).
std::optional<ResumePoint> load_resume_point(const fs::path& path, const CheckpointKey& key,
                                             const OutcomeLayout& layout, const std::string& not_resumable,
                                             const Note& note) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const auto skip = [&](const std::string& why) {
    note("note: not resuming from " + path.string() + ": " + why + "; starting over");
  };
  if (!not_resumable.empty()) {
    skip(not_resumable);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  try {
    Checkpoint saved = parse_checkpoint(text.str(), layout);
    if (const std::string differs = checkpoint_mismatch(saved.key, key); !differs.empty()) {
      skip("it is for another request (" + differs + " differs)");
      return std::nullopt;
    }
    note("note: resuming from " + path.string() + " (" + std::to_string(saved.resume.tally.trials) +
         " trials done)");
    return std::move(saved.resume);
  } catch (const RunError& e) {
    skip(e.what());
    return std::nullopt;
  }
}

}  // namespace

RunOutcome run_request(const RunRequest& request) {
  const OutcomeLayout& layout = request.model->layout();
  RunConfig config = request.config;
  RunInfo info = request.info;
  info.seed = config.seed;
  info.precision_target = config.precision;
  const fs::path& out_dir = request.out_dir;
  const bool files = !out_dir.empty();
  const bool rows_in_memory = config.sink != nullptr;
  const Note note = [&request](const std::string& line) {
    if (!request.quiet && request.notice) request.notice(line);
  };

  // Under mpirun the ranks share the blocks and rank 0 writes the files: the
  // same bytes as one process (docs/cluster.md).
  PointComm one_process;
  PointComm& comm = request.comm ? *request.comm : one_process;
  const bool distributed = comm.size() > 1;
  const bool root = comm.rank() == 0;
  if (request.trials_csv && (rows_in_memory || !files))
    throw RunError("trials.csv needs an output folder and no other per-trial rows");
  if (distributed && (config.precision > 0.0 || request.trials_csv || rows_in_memory))  // before any file is touched
    throw RunError("--precision and --trials-csv run in one process; give --trials under mpirun");

  // Fail now, not after an hour of computing, if the results cannot be written
  // or the run would not fit in memory or on the disk.
  const std::uint64_t max_memory = request.max_memory ? request.max_memory : default_memory_limit();
  if (files) io::ensure_output_dir(out_dir);
  // One run at a time per folder, until the last result file is in place.
  std::optional<io::OutputDirLock> lock;
  if (files && root) lock.emplace(out_dir);
  check_resources(layout, {config.trials ? config.trials : config.max_trials, config.trials == 0, config.threads,
                           request.trials_csv, max_memory, out_dir, rows_in_memory});
  std::optional<io::TrialsCsvWriter> trials_csv;
  if (request.trials_csv) trials_csv.emplace(out_dir / "trials.csv", layout, info);
  if (trials_csv) config.sink = &*trials_csv;

  // Checkpoint: resume from it if it is for this very request, keep it up to
  // date while running (at most once a second, and when stopped), remove it at the end.
  const fs::path checkpoint_path = out_dir / kRunCheckpointName;
  const CheckpointKey key{info.scenario_sha256, config.seed,  config.trials,          config.precision,
                          config.max_trials,    layout_options(layout), info.version};
  std::optional<ResumePoint> resume;
  if (files && request.resumable && !distributed) {
    // Per-trial rows cannot be resumed: the trials before the checkpoint are not replayed.
    const std::string not_resumable = request.trials_csv ? "--trials-csv runs are not resumable"
                                      : rows_in_memory   ? "runs that keep per-trial rows are not resumable"
                                                         : "";
    resume = load_resume_point(checkpoint_path, key, layout, not_resumable, note);
  }
  if (resume) config.resume_from = &*resume;
  const bool checkpointing = files && request.resumable && !distributed && !config.sink;
  std::optional<ResumePoint> latest;  // the last merged state not yet saved
  const auto save_checkpoint = [&] {
    if (!latest) return;
    io::write_file_atomically(checkpoint_path, checkpoint_text(key, latest->tally, latest->next_block));
    latest.reset();
  };
  if (checkpointing) {
    // The first round is saved at once, later ones at most once a second (each save fsyncs).
    std::optional<std::chrono::steady_clock::time_point> last_save;
    config.checkpoint = [&, last_save](const Tally& tally, std::uint64_t next_block) mutable {
      latest = ResumePoint{tally, next_block};
      const auto now = std::chrono::steady_clock::now();
      if (last_save && now - *last_save < std::chrono::seconds(1)) return;
      save_checkpoint();
      last_save = now;
    };
  }

  RunResult result;
  try {
    result = distributed ? run_over_ranks(*request.model, config, comm) : run(*request.model, config);
  } catch (const Cancelled&) {
    if (checkpointing) {
      save_checkpoint();
      std::error_code ec;
      if (fs::exists(checkpoint_path, ec) && request.notice)  // even when quiet: it says how to go on
        request.notice("progress saved in " + checkpoint_path.string() + "; the same command resumes the run");
    }
    throw;
  }

  RunOutcome outcome;
  outcome.model = request.model;
  outcome.root = root;
  outcome.ranks = comm.size();
  if (!root) return outcome;
  info.trials = result.tally.trials;
  outcome.tally = std::move(result.tally);
  outcome.info = info;
  if (request.on_done) request.on_done(outcome);
  if (!files) return outcome;

  // One set: a failure part-way leaves the previous run's files as they were.
  io::ResultSet set(out_dir);
  io::add_summary_files(set, layout, outcome.tally, info);
  if (trials_csv) set.add_written(trials_csv->finish(info.trials), "trials.csv");
  outcome.written = set.commit();
  std::error_code ec;
  fs::remove(checkpoint_path, ec);  // the results are complete: nothing to resume
  return outcome;
}

}  // namespace credsim::sim
