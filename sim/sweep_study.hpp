#pragma once
// A whole sweep or sensitivity analysis, from the sweep file to the files in
// the output directory: build the plan, run it (resuming from the journal),
// write the tables, and summarize (robustness ranking, factors ranked by
// effect). Shared by `credsim sweep`, `credsim sensitivity` and `credsim merge`
// so that all three write the same bytes for the same results.
#include <filesystem>
#include <string>
#include <vector>

#include "sim/io/sweep_output.hpp"
#include "sim/sweep.hpp"
#include "sim/sweep_file.hpp"

namespace credsim::sim {

enum class StudyKind { sweep, sensitivity };

struct StudyRequest {
  StudyKind kind = StudyKind::sweep;
  SweepFile file;
  std::string scenario_sha256;  // the loader's hash of the scenario and its presets
  ModelFactory factory;
  std::filesystem::path out_dir;
  SweepConfig config;           // threads, shard, cancel, progress, comm (journal filled in here)
};

struct StudyResult {
  std::vector<std::filesystem::path> written;
  std::string summary;  // for the terminal: robustness and factors ranked by effect
  SweepRun run;
  bool root = true;     // false on MPI ranks other than 0 (they write nothing)
};

// The plan of a request: points of the design (sweep) or of the Saltelli and
// Morris samples (sensitivity, in that order).
SweepPlan make_plan(const StudyRequest& request, std::string& design_name);

StudyResult run_study(const StudyRequest& request);

// Joins the journals of the shards in `shard_dirs` (all shards of one sweep)
// and writes sweep.csv and robustness.csv into `out_dir`: the same bytes as
// one unsharded run. Throws RunError naming what is missing or inconsistent.
StudyResult merge_shards(const std::vector<std::filesystem::path>& shard_dirs, const std::filesystem::path& out_dir);

inline constexpr const char* kJournalName = "sweep.journal";

}  // namespace credsim::sim
