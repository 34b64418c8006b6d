#pragma once
// The backtest's case-specific part: what the model predicted for one
// historical case (a scenario with an `observed:` section and one option)
// against what happened, and the scores of the model and of two naive
// baselines over all cases. The scores themselves are sim/scoring.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/scoring.hpp"
#include "sim/stats.hpp"
#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

// One guarantor's commitment in a case.
struct HonourRow {
  std::string guarantor;  // id
  std::string instrument;
  std::uint64_t n = 0;              // trials with an attack
  std::optional<double> predicted;  // P(honour | attack); absent when no trial had an attack
  sim::Interval ci;                 // Wilson 95%
  std::optional<bool> observed;     // recorded only when an attack its commitment covers came
  bool not_triggered = false;       // attacked, but by a type of attack the commitment does not cover
};

struct CaseResult {
  std::string name;    // scenario name
  std::string file;    // file name (no folder)
  std::string sha256;  // of the scenario and preset files
  std::string option;  // the one option: the instrument as it stood
  int horizon = 0;
  bool formal_treaty = false;   // a commitment with instrument membership or defense_treaty
  bool troops_present = false;  // a commitment with troops > 0 (at the parameters' means)
  std::uint64_t at_risk = 0;    // trials with a deal (all of them when the settlement stage is off)
  // The event scored: an attack of any kind (grey included) where the case's
  // challenger may make grey attacks (challenger.stakes.grey given), else an
  // armed (major or limited) attack. Fixed by the case's encoding, not by what happened.
  bool any_kind = false;
  double p_attack = 0.0;        // P(that event within the horizon | deal)
  sim::Interval p_attack_ci;    // 95% (Wilson)
  bool attacked = false;
  int attack_month = 0;
  std::vector<HonourRow> honour;  // one per commitment, in option order
  Provenance record;              // what the observed outcome rests on
};

// Reads a finished run of `scenario` (its one option is option 0 of `layout`).
// Throws sim::RunError when the scenario is not a historical case.
CaseResult evaluate_case(const Scenario& scenario, const sim::OutcomeLayout& layout, const sim::Tally& tally);

// A set of forecasts of one kind of event, and their scores.
struct Forecasts {
  std::string name;         // "model", "base_rate", "treaty_and_troops"
  std::string description;  // how the baseline forecasts
  std::vector<double> p;
  double brier = 0.0;
  double log_loss = 0.0;
  std::optional<double> auc;
  // Per-case (Brier, log loss) term differences from the model's, mean and SE;
  // empty for the model itself. Negative = the model is better.
  sim::MeanSe model_minus_this_brier, model_minus_this_log_loss;
};

struct Verdict {
  std::string baseline;
  bool model_beats = false;  // lower Brier and lower log loss
  bool clear = false;        // and the paired 95% interval of the Brier difference excludes 0
  std::string text;
};

struct BacktestSummary {
  double log_floor = sim::kDefaultLogFloor;
  std::vector<bool> attacked;        // one per case
  std::vector<Forecasts> attack;     // model first, then the baselines
  std::vector<bool> honoured;        // one per (attacked case, commitment) with a prediction
  std::vector<Forecasts> honour;     // model, then the base rate
  std::vector<Verdict> verdicts;     // attack forecasts: the model against each baseline
};

// Baselines (in-sample, which favours them):
//  - attack, base rate: the share of cases attacked, for every case;
//  - attack, "formal treaty and troops present -> no attack": cases with both
//    get (k+1)/(n+2) of their group attacked (Laplace), the others the same of theirs;
//  - honour, base rate: the share of scored commitments honoured.
BacktestSummary summarise(const std::vector<CaseResult>& cases, double log_floor = sim::kDefaultLogFloor);

}  // namespace credsim::model
