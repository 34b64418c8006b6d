#pragma once
// The v1 model (models/README.md), fast: the same outcomes as CredibilityModel
// in distribution, at a fraction of the cost (models/PERFORMANCE.md).
//
// Same layout, same parameter draw (same copula, same Purpose::parameters
// stream: the parameters of trial i are identical in both models), same war
// stage. What differs is how the politics and the attack time are sampled:
//  - politics is event-driven: per guarantor, the time to the next unscheduled
//    turnover is geometric, merged with the scheduled elections; resolve and
//    perception errors are drawn lazily, only for the epochs some option needs;
//  - the attack time is sampled by thinning (default) or by inverting the
//    cumulative hazard, so the per-period attack probabilities are evaluated
//    only where they matter.
// Each is exact in distribution; the reference model stays as the test oracle
// (tests/unit/test_fast_model.cpp).
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/scenario.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

enum class AttackSampler {
  // Candidate periods from a Bernoulli(p_bar) process, p_bar = min(1, 2 h_0) >= p_major + p_limited,
  // each accepted with probability (p_major + p_limited) / p_bar. Evaluates p(t) ~2 h_0 T times.
  thinning,
  // One E = -log(u): attack at the first t with sum_{s<=t} -log(1 - p(s)) >= E. Evaluates p(t)
  // at every period up to the attack, vectorised over the periods of each political epoch.
  hazard_inversion,
};

struct FastModelConfig {
  AttackSampler sampler = AttackSampler::thinning;
};

// What the trials run so far in one workspace drew and evaluated: the input of
// the floor benchmark (the same draws and transcendental functions, nothing else).
struct FastModelCounts {
  std::uint64_t trials = 0;
  std::uint64_t uniforms = 0;   // uniforms drawn outside the parameter draw (politics, deal, decision, war)
  std::uint64_t normals = 0;    // perception errors (inverse normal CDF)
  std::uint64_t quantiles = 0;  // successor resolve (Distribution::quantile)
  std::uint64_t exps = 0;       // exp (logistic, perceived resolve)
  std::uint64_t logs = 0;       // log / log1p (geometric gaps, cumulative hazard)
};

// The period of the next event of a Bernoulli(h) process after period `from`:
// from + ceil(log(u) / log(1 - h)), at least from + 1, given log_stay =
// log1p(-h) with h in (0, 1) and u uniform in (0, 1), so that P(gap = k) =
// (1 - h)^(k-1) h; kNoEvent when it falls after `horizon`.
inline constexpr int kNoEvent = std::numeric_limits<int>::max();
int next_event(double u, double log_stay, int from, int horizon);

class FastTrial;  // one trial's work (fast_model.cpp)

class FastCredibilityModel : public sim::TrialModel {
 public:
  // As CredibilityModel: `options` are the names of the options to run (empty =
  // all); throws sim::RunError for an unknown name. The uncertain parameters'
  // targets must be plain assignments (the loader's are): the workspace keeps
  // one copy of the parameters and overwrites only the drawn fields per trial.
  explicit FastCredibilityModel(Scenario scenario, const std::vector<std::string>& options = {},
                                FastModelConfig config = {});

  const sim::OutcomeLayout& layout() const override { return layout_; }
  std::unique_ptr<sim::Workspace> make_workspace() const override;
  void run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace& ws,
                 sim::TrialRecord& out) const override;

  const Scenario& scenario() const { return scenario_; }
  const FastModelConfig& config() const { return config_; }

  // Counts accumulated in a workspace made by this model.
  static const FastModelCounts& counts(const sim::Workspace& ws);

  // Sub-stream of Purpose::politics holding guarantor g's election draws (one
  // uniform per scheduled election); the turnover gaps use sub-stream g.
  static constexpr std::uint32_t kElectionSubstream = 1u << 23;

 private:
  friend class FastTrial;

  // Fixed structure of one selected option.
  struct OptionInfo {
    std::size_t scenario_index = 0;
    std::size_t first = 0;                // first commitment in the flat list
    std::size_t count = 0;                // its commitments
    std::vector<std::size_t> guarantors;  // distinct guarantors of its commitments
  };

  Scenario scenario_;
  FastModelConfig config_;
  std::vector<std::size_t> selected_;  // scenario option index of each layout option
  std::vector<OptionInfo> options_;
  std::vector<std::size_t> used_guarantors_;  // guarantors of at least one selected option
  std::size_t commitments_ = 0;               // over all selected options
  std::vector<std::pair<std::size_t, std::size_t>> commitment_ref_;  // flat index -> (scenario option, rank)
  // The commitments (flat indices) whose derived constants (utilities, power,
  // engagement) depend on the uncertain parameters: re-derived every trial; the
  // others once per workspace.
  std::vector<std::size_t> varying_commitments_;
  sim::OutcomeLayout layout_;
};

}  // namespace credsim::model
