#pragma once
// The contract between the engine and a behavioural model. The engine knows
// options and metrics by name only; the model knows nothing of threads.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace credsim::sim {

enum class MetricKind { probability, mean };

struct MetricSpec {
  std::string name;   // machine name, e.g. "p_deal"
  std::string label;  // for tables, e.g. "P(deal)"
  MetricKind kind = MetricKind::probability;
  std::string given;  // the condition it is measured under ("" = every trial), e.g. "deal"
  bool headline = false;  // shown in the table; drives --precision
  std::string definition;  // one plain-English line, for the glossary
  std::string unit;        // "probability", "share of territory", ...
  int better = 0;          // +1 higher is better, -1 lower is better, 0 not ranked (across worlds)
  // The scenario fixes its value (e.g. no bargaining stage: every trial has a deal),
  // so a 0 or 1 for every option is by design, not a warning sign (`credsim validate`).
  bool fixed_by_scenario = false;
  // A probability metric whose per-trial value is the probability itself given
  // the trial's other draws (conditional Monte Carlo), not a 0/1 coin: it is
  // estimated by the mean of the values with its standard error, not counted.
  bool expected = false;
  // Estimated over every trial as a ratio, sum(w * value) / sum(w), where the
  // model gives each trial's value together with w, the probability of the
  // metric's condition given the trial's draws (TrialRecord::set_weighted).
  // Its value set by `set` on the trials where the condition held still feeds
  // the paired differences, so those keep their meaning.
  bool ratio = false;
  // The console's secondary table that shows it, one row per option (e.g.
  // "Attacks by type, once the deal is made"); empty: none. A headline metric
  // is in the main table instead.
  std::string table = {};
};

struct OptionLayout {
  std::string name;
  std::string label;
  // The first `common_metrics` (see OutcomeLayout) are the same for every option
  // and are compared pairwise; any others are option-specific (e.g. one per commitment).
  std::vector<MetricSpec> metrics;
};

// One survival curve "no event by period t": the model names the event and who
// is at risk; the engine only counts (one curve per option for each spec).
struct SurvivalSpec {
  std::string name;        // machine name, e.g. "no_armed_attack"
  std::string label;       // for tables, e.g. "P(no armed attack by month t | deal)"
  std::string definition;  // one plain-English line: the event, and what the curve can and cannot show
  std::string given;       // who is at risk, e.g. "deal"
};

struct OutcomeLayout {
  std::vector<OptionLayout> options;
  std::size_t common_metrics = 0;
  std::size_t baseline = 0;  // option the paired differences are taken against
  int horizon = 0;           // survival curve length
  std::vector<SurvivalSpec> survival_curves;
};

// One trial's outcomes for every option. Metric values are present or absent
// (absent = the condition did not hold, e.g. no attack for P(honour | attack)).
class TrialRecord {
 public:
  TrialRecord() = default;
  explicit TrialRecord(const OutcomeLayout& layout);

  void clear();
  void set(std::size_t option, std::size_t metric, double value) {
    const std::size_t i = offset_[option] + metric;
    values_[i] = value;
    present_[i] = 1;
  }
  // A ratio metric's value and its weight, in every trial (see MetricSpec::ratio).
  void set_weighted(std::size_t option, std::size_t metric, double value, double weight) {
    const std::size_t i = offset_[option] + metric;
    values_[i] = value;
    weights_[i] = weight;
    weighted_[i] = 1;
  }
  // event_time 0: no event through the horizon.
  void set_survival(std::size_t option, std::size_t curve, bool at_risk, int event_time) {
    const std::size_t i = option * curves_ + curve;
    at_risk_[i] = at_risk ? 1 : 0;
    event_time_[i] = event_time;
  }

  bool present(std::size_t option, std::size_t metric) const { return present_[offset_[option] + metric] != 0; }
  double value(std::size_t option, std::size_t metric) const { return values_[offset_[option] + metric]; }
  bool weighted(std::size_t option, std::size_t metric) const { return weighted_[offset_[option] + metric] != 0; }
  double weight(std::size_t option, std::size_t metric) const { return weights_[offset_[option] + metric]; }
  bool at_risk(std::size_t option, std::size_t curve) const { return at_risk_[option * curves_ + curve] != 0; }
  int event_time(std::size_t option, std::size_t curve) const { return event_time_[option * curves_ + curve]; }
  std::size_t options() const { return offset_.size(); }
  std::size_t curves() const { return curves_; }

 private:
  std::vector<std::size_t> offset_;
  std::size_t curves_ = 0;
  std::vector<double> values_;
  std::vector<unsigned char> present_;
  std::vector<double> weights_;
  std::vector<unsigned char> weighted_;
  std::vector<unsigned char> at_risk_;  // [option * curves + curve]
  std::vector<int> event_time_;         // [option * curves + curve]
};

// Per-thread scratch space a model may keep between trials (no allocation in the loop).
struct Workspace {
  virtual ~Workspace() = default;
};

class TrialModel {
 public:
  virtual ~TrialModel() = default;
  virtual const OutcomeLayout& layout() const = 0;
  virtual std::unique_ptr<Workspace> make_workspace() const = 0;
  // Must depend only on (seed, trial): called concurrently for different trials.
  virtual void run_trial(std::uint64_t seed, std::uint64_t trial, Workspace& ws, TrialRecord& out) const = 0;
};

}  // namespace credsim::sim
