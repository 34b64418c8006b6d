#pragma once
// Plausible worlds: an outer loop over the inputs the evidence leaves open
// (epistemic fields, drawn once per world) around the usual trials (aleatory
// draws, per trial). Each world is an ordinary run of N trials; its trials are
// trials w*N .. w*N+N-1 of the scenario's streams, so a world's numbers depend
// on (seed, w, N) only: not on the number of worlds, threads or processes.
// Across the worlds: each option's mean, the 5-95% spread across worlds and
// the Monte Carlo error of the mean, reported apart; how often each option
// ranks first; which epistemic field decides the ranking (docs/engine.md).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner.hpp"
#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

// What the engine needs from a model with epistemic inputs.
class WorldModels {
 public:
  virtual ~WorldModels() = default;
  // Key paths of the epistemic fields, in the order of world_values().
  virtual std::vector<std::string> epistemic_fields() const = 0;
  // World w's values of the epistemic fields.
  virtual std::vector<double> world_values(std::uint64_t seed, std::uint64_t world) const = 0;
  // The model of world w: its epistemic fields fixed, its trial t keyed as trial w*N + t.
  virtual std::unique_ptr<TrialModel> world_model(std::uint64_t seed, std::uint64_t world,
                                                  std::uint64_t trials_per_world) const = 0;
};

struct WorldsConfig {
  std::uint64_t seed = 1;
  std::uint64_t worlds = 0;            // M >= 2
  std::uint64_t trials_per_world = 0;  // N >= 1
  int threads = 0;
  std::function<void(std::uint64_t done, std::uint64_t target)> progress;  // trials over all worlds
  const std::atomic<bool>* cancel = nullptr;
  // Runs one world (sim::run by default; run_over_ranks under MPI).
  std::function<RunResult(const TrialModel&, const RunConfig&)> run_world;
};

struct WorldsResult {
  OutcomeLayout layout;
  std::vector<std::string> fields;          // epistemic key paths
  std::vector<std::vector<double>> values;  // [world][field]
  std::vector<Tally> tallies;               // [world] (empty on MPI ranks other than 0)
  Tally pooled;                             // every trial of every world, merged in world order
};

// Throws RunError for fewer than 2 worlds or 0 trials per world; Cancelled when *cancel is set.
WorldsResult run_worlds(const WorldModels& models, const WorldsConfig& config);

// One option's metric across the worlds.
struct AcrossWorlds {
  std::size_t worlds = 0;  // worlds with an estimate (a conditional metric may have none in a world)
  std::optional<double> mean;         // mean of the worlds' estimates
  std::optional<double> world_low;    // 5% quantile across worlds (the spread of plausible worlds)
  std::optional<double> world_high;   // 95%
  std::optional<double> mc_error;     // Monte Carlo standard error of `mean`: sqrt(sum of SE_w^2) / worlds
};
AcrossWorlds across_worlds(const WorldsResult& result, std::size_t option, std::size_t metric);

// How options rank on one metric (a metric with a direction, over all trials).
struct Ranking {
  std::size_t metric = 0;
  std::vector<double> p_first;    // [option]: share of worlds where it is best (ties share the place)
  std::vector<double> mean_rank;  // [option]: 1 = best
  // |Spearman rho| across worlds between each epistemic field and the lead of
  // the overall best option over the runner-up: which assumption decides between them.
  std::vector<double> decisive;   // [field]
  std::size_t leader = 0, runner_up = 0;  // by mean rank
};
std::vector<Ranking> rank_options(const WorldsResult& result);

// Nearest-rank-free quantile of sorted values (linear interpolation, type 7).
double quantile_sorted(const std::vector<double>& sorted, double q);
// Spearman's rank correlation (average ranks for ties); 0 when either side is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace credsim::sim
