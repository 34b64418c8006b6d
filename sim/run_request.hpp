#pragma once
// One run of a model, from the request to the files: resource checks, the
// output folder's lock, the checkpoint (resume from it, keep it up to date,
// remove it at the end), the run itself (one process or MPI ranks) and the
// result files. `credsim run` and the Python module's run both come here
// (model::make_run_request builds the request from a scenario), so they
// behave the same and write the same bytes.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/run_info.hpp"
#include "sim/runner.hpp"
#include "sim/sweep.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

// The checkpoint a run keeps in its output folder while it runs.
inline constexpr const char* kRunCheckpointName = ".credsim-run.checkpoint";

struct RunOutcome;

struct RunRequest {
  std::shared_ptr<const TrialModel> model;
  RunInfo info;  // provenance; its seed, precision target and trial count are filled in here
  // seed, trials or precision (with max_trials), threads, progress, cancel, and
  // `sink` for per-trial rows kept in memory; checkpoint and resume_from are filled in here.
  RunConfig config;
  std::uint64_t max_memory = 0;   // bytes; 0: default_memory_limit()
  std::filesystem::path out_dir;  // "": no file and no checkpoint (the caller keeps the results)
  bool resumable = true;          // keep out_dir/kRunCheckpointName and resume from it
  bool trials_csv = false;        // also write out_dir/trials.csv (then not resumable)
  PointComm* comm = nullptr;      // ranks that share the blocks (mpirun); nullptr: this process alone
  bool quiet = false;             // no notes (the notice that progress was saved still comes)
  std::function<void(const std::string& line)> notice;  // a line for the user (stderr), without '\n'
  // Called on rank 0 once the run is done, before any file is written (the
  // CLI prints its table then, so a failure to write still shows the results).
  std::function<void(const RunOutcome&)> on_done;
};

struct RunOutcome {
  std::shared_ptr<const TrialModel> model;
  Tally tally;    // empty on ranks other than 0
  RunInfo info;   // the request's, with the trials run
  std::vector<std::filesystem::path> written;  // in out_dir, in order
  bool root = true;  // false on MPI ranks other than 0 (they write nothing)
  int ranks = 1;

  const OutcomeLayout& layout() const { return model->layout(); }
};

// Throws RunError for an impossible request, OutputError when the files cannot
// be written, Cancelled when *config.cancel is set (progress then saved).
RunOutcome run_request(const RunRequest& request);

}  // namespace credsim::sim
