#pragma once
// The sweep runner: for each design point, set the factors in the scenario
// document, build a model from the text (through a factory the caller gives:
// sim/ does not know which model), run M trials of every option with the SAME
// seed at every point (common random numbers across points as well as
// options, so a curve over a factor is smooth), and tally them into long rows.
//
// A point's numbers depend only on (scenario text, seed, trials): the trials
// of a point are cut into the runner's fixed blocks and merged in block order,
// exactly as sim::run does, so they never depend on threads, shards or ranks.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/design.hpp"
#include "sim/io/scenario_document.hpp"
#include "sim/report.hpp"
#include "sim/sweep_file.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

using ModelFactory = std::function<std::unique_ptr<TrialModel>(const std::string& yaml_text)>;

struct SweepPlan {
  std::vector<Factor> factors;
  std::vector<DesignPoint> points;  // a point's id is its index
  io::ScenarioDocument base;        // the scenario, correlations of swept fields already dropped
  std::uint64_t trials = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> metrics;        // empty = every metric
  std::vector<std::string> dropped_correlations;  // "a~b", for the provenance header
};

// The scenario document for a sweep file: loaded, with the correlations that
// name a swept field removed when the file says `correlations: drop_swept`
// (a swept field is a constant at each point, so it cannot be correlated).
io::ScenarioDocument sweep_document(const SweepFile& file, std::vector<std::string>& dropped);

// The scenario text of point `id`. Throws ScenarioError at the factor's place
// in the sweep file when its key path does not exist (naming the nearest valid ones).
std::string point_yaml(const SweepPlan& plan, std::uint64_t id);

// Builds the model of every point, so that a bad key path or value fails
// before any work (and before a journal exists), with the factor's place in
// the sweep file. Returns the metrics the sweep reports.
std::set<std::string> check_plan(const SweepPlan& plan, const ModelFactory& factory);

struct PointRow {
  std::string option;
  std::string metric;
  Estimate estimate;
};

struct PointResult {
  std::uint64_t id = 0;
  std::vector<FactorValue> values;  // the point's factor values (so shards merge without the design)
  std::vector<PointRow> rows;  // option-major, metrics in layout order
};

// Journal payloads: one line of JSON; decode(encode(r)) == r exactly.
std::string encode_point(const PointResult& r);
PointResult decode_point(const std::string& payload);

// A deterministic slice of the points: id % count == index - 1.
struct Shard {
  std::uint64_t index = 1;  // 1-based
  std::uint64_t count = 1;
  bool contains(std::uint64_t id) const { return id % count == index - 1; }
  std::string str() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Spreads points over processes (MPI ranks). The default runs everything here.
class PointComm {
 public:
  virtual ~PointComm() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  // Collective: every rank passes its encoded results; rank 0 gets all of them
  // (in rank order), other ranks an empty list.
  virtual std::vector<std::string> gather(const std::vector<std::string>& mine) { return mine; }
  // Collective: rank 0's value of `text` reaches every rank.
  virtual void broadcast(std::string& /*text*/) {}
};

struct SweepConfig {
  int threads = 0;   // 0 = all cores
  Shard shard;
  std::filesystem::path journal;  // "" = none (tests); else resume from it and append to it
  std::string journal_header;     // identifies the sweep (see io::SweepJournal)
  const std::atomic<bool>* cancel = nullptr;  // set to stop (one process: within a block; MPI: after the batch); throws Cancelled
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  PointComm* comm = nullptr;      // nullptr = one process
  std::uint64_t max_memory = 0;   // bytes; a sweep that would need more is refused before its first trial (0: no limit)
};

// A point's blocks run in rounds of this many, merged in block order.
inline constexpr std::uint64_t kSweepRoundBlocks = 256;

struct SweepRun {
  std::vector<PointResult> results;  // this shard's points, by id (rank 0 only under MPI)
  std::uint64_t points = 0;          // in this shard
  std::uint64_t points_run = 0;      // run now (the others came from the journal)
  double seconds = 0.0;
};

SweepRun run_sweep(const SweepPlan& plan, const ModelFactory& factory, const SweepConfig& config);

// Throws RunError when the points run at once (two per thread) would need
// more memory than config.max_memory (0: no limit); builds point 0's model.
void check_sweep_memory(const SweepPlan& plan, const ModelFactory& factory, const SweepConfig& config);

// One point on the calling thread's task arena (blocks in parallel, merged in
// order): the rows of the point.
// `cancel` set: the remaining blocks are skipped and the point is incomplete
// (the caller must drop it).
PointResult run_point(const SweepPlan& plan, const TrialModel& model, std::uint64_t id,
                      const std::atomic<bool>* cancel = nullptr);

}  // namespace credsim::sim
