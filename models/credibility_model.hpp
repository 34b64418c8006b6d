#pragma once
// The v1 behavioural model (models/README.md) as a sim::TrialModel: one trial
// of every option on common random numbers.
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

// Indices of the metrics every option reports, in table order.
enum CommonMetric : std::size_t {
  kDeal = 0,             // P(deal): the challenger accepts the settlement
  kDeterred,             // P(deterred through T | deal)
  kPeace,                // P(peace holds) = P(deal and deterred)
  kCredibility,          // mean true P(honour) at t = 1 (major attack), over commitments
  kPerceived,            // mean perceived P(honour) at t = 1
  kCredibilityGap,       // perceived minus true
  kHonour,               // P(at least one commitment honoured | attack)
  kTerritoryLost,        // E[territory lost | deal]
  kGreatPowerWar,        // P(great-power war | deal)
  kNuclearUse,           // P(nuclear use | deal)
  kMajorAttack,          // P(major attack | deal)
  kChallengerWins,       // P(challenger wins | attack)
  kAttackMonth,          // E[month of attack | attack]
  kCommonMetrics
};

// The values of the scenario's uncertain parameters in one trial (in the order
// of Scenario::uncertain): exactly the draws every model uses for that trial.
void draw_uncertain(const Scenario& scenario, std::uint64_t seed, std::uint64_t trial, std::vector<double>& uniforms,
                    std::vector<double>& values);

class CredibilityModel : public sim::TrialModel {
 public:
  // `options`: names of the options to run, in that order (empty = all). The
  // baseline of the paired differences is the scenario's, or the first option
  // when the scenario's baseline is not among them.
  // Throws sim::RunError for an unknown option name.
  explicit CredibilityModel(Scenario scenario, const std::vector<std::string>& options = {});

  const sim::OutcomeLayout& layout() const override { return layout_; }
  std::unique_ptr<sim::Workspace> make_workspace() const override;
  void run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace& ws,
                 sim::TrialRecord& out) const override;

  const Scenario& scenario() const { return scenario_; }

 private:
  Scenario scenario_;
  std::vector<std::size_t> selected_;  // scenario option index of each layout option
  sim::OutcomeLayout layout_;
};

}  // namespace credsim::model
