#pragma once
// The v2 behavioural model (models/README.md) as a sim::TrialModel: one trial
// of every option on common random numbers.
#include <array>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

// Indices of the metrics every option reports, in table order (the glossary
// with their definitions is in outcome_layout.cpp).
enum CommonMetric : std::size_t {
  kDeal = 0,               // P(deal): ratified offer accepted by the challenger and the protégé
  kChallengerAccepts,      // P(challenger accepts)
  kProtegeAccepts,         // P(protégé accepts)
  kRatified,               // P(every commitment ratified)
  kNoArmedAttack,          // P(no limited or major attack through T | deal)
  kNoArmedAttackAll,       // the same over all trials, a trial without a deal counting as war
  kArmedDefence,           // P(some guarantor fights or its troops engage | major attack at t = 1), true
  kArmedDefencePerceived,  // the same as the challenger sees it
  kDefenceDelivered,       // E[guarantor power met by a major attack at t = 1] / challenger's power
  kDeterrenceAdded,        // P(no armed attack) minus that under no guarantee, same draws | deal
  kTerritoryLost,          // E[territory lost through T], all trials (the war goes on without a deal)
  kTerritoryLostDeal,      // the same | deal
  kGreatPowerWar,          // P(great-power war), all trials
  kGreatPowerWarDeal,      // | deal
  kNuclearUse,             // P(nuclear use), all trials
  kNuclearUseDeal,         // | deal
  kMajorAttack,            // P(major attack | deal)
  kChallengerWins,         // P(challenger wins | attack)
  kAttackMonth,            // E[month of attack | attack]
  kNoAttackAny,            // P(no attack of any kind, grey included, through T | deal)
  kGreyAttacks,            // E[number of grey attacks through T | deal]
  kLimitedAttacks,         // E[number of limited attacks through T | deal]
  kFirstAttackMonth,       // E[month of the first attack of any kind | one]
  kMajorAttackMonth,       // E[month of the major attack | one]
  kCommonMetrics
};

// The "given deal" metrics whose per-trial value does not depend on the deal
// coin (the attack path is run as though the deal held): the conditional
// estimator takes them as ratios over every trial, weighted by P(deal).
inline constexpr std::array<std::size_t, 6> kGivenDealRatios = {kNoArmedAttack, kDeterrenceAdded, kMajorAttack,
                                                                kNoAttackAny,   kGreyAttacks,     kLimitedAttacks};

// How the challenger's opportunities (a Bernoulli(h_0) process over the
// months) are sampled. Both are exact; they differ seed for seed, agree in
// distribution (tests/unit/test_model_kernels.cpp).
enum class OpportunitySampler {
  gaps,        // geometric gaps between opportunities: a few draws per trial (the default)
  per_period,  // one Bernoulli draw per month, as the model is written: the test oracle
};

// What a probability metric records per trial.
enum class Estimator {
  plain,        // the trial's 0/1 outcome
  conditional,  // its probability given the trial's other draws (conditional Monte Carlo, Rao-Blackwell):
                // the same expectation, a smaller variance; metrics so estimated are marked `expected`
};

// "plain" or "conditional"; throws sim::RunError for anything else.
Estimator parse_estimator(const std::string& name);

struct ModelConfig {
  OpportunitySampler sampler = OpportunitySampler::gaps;
  Estimator estimator = Estimator::plain;
  // Conditional estimator: the survival products run over "scoring months"
  // drawn at this many times the opportunity rate (capped at every month),
  // each weighing (rate / scoring rate) of an opportunity: unbiased for any
  // value >= 1; larger costs more evaluations and leaves less of the
  // variance of when opportunities come (models/PERFORMANCE.md).
  double scoring_oversampling = 2.0;
  std::uint64_t first_trial = 0;  // trial t of the model is trial first_trial + t of the scenario's streams
};

// The values of the scenario's uncertain parameters in one trial (in the order
// of Scenario::uncertain): exactly the draws every model uses for that trial.
void draw_uncertain(const Scenario& scenario, std::uint64_t seed, std::uint64_t trial, std::vector<double>& uniforms,
                    std::vector<double>& values);

// The values of the epistemic uncertain parameters (in the order of
// Scenario::uncertain, skipping the others) in plausible world `world`: one
// copula draw from the world's own stream, so correlations among them hold.
std::vector<double> draw_world(const Scenario& scenario, std::uint64_t seed, std::uint64_t world);
// The scenario as it is in world `world`: its epistemic parameters fixed.
Scenario in_world(Scenario scenario, std::uint64_t seed, std::uint64_t world);

class CredibilityModel : public sim::TrialModel {
 public:
  // `options`: names of the options to run, in that order (empty = all). The
  // baseline of the paired differences is the scenario's, or the first option
  // when the scenario's baseline is not among them.
  // Throws sim::RunError for an unknown option name.
  explicit CredibilityModel(Scenario scenario, const std::vector<std::string>& options = {},
                            ModelConfig config = {});

  const sim::OutcomeLayout& layout() const override { return layout_; }
  std::unique_ptr<sim::Workspace> make_workspace() const override;
  void run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace& ws,
                 sim::TrialRecord& out) const override;

  const Scenario& scenario() const { return scenario_; }
  const ModelConfig& config() const { return config_; }

 private:
  Scenario scenario_;
  ModelConfig config_;
  std::vector<std::size_t> selected_;  // scenario option index of each layout option
  std::vector<std::vector<std::size_t>> committed_;  // per layout option: guarantors with a promise-kept metric
  std::size_t no_guarantee_ = 0;       // scenario option index of `no_guarantee` (run always: deterrence added)
  sim::OutcomeLayout layout_;
};

}  // namespace credsim::model
