#pragma once
// The scenario: the actors, the options and every parameter of the v2 model
// (models/README.md). Plain structs; a trial works on a copy in which the
// uncertain parameters have been drawn.
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/copula.hpp"
#include "sim/distribution.hpp"
#include "sim/errors.hpp"

namespace credsim::model {

// grey: coercion below the threshold of armed attack (sabotage, seizure of a
// feature, blockade). Possible only where the scenario gives its stakes.
enum AttackType : int { kMajor = 0, kLimited = 1, kGrey = 2 };
inline constexpr int kAttackTypes = 3;
inline constexpr const char* kAttackTypeNames[kAttackTypes] = {"major", "limited", "grey"};

// The response menu, in rising order of what it does for the protégé: a
// guarantor's response is the highest rung it takes (models/README.md, stage 5).
enum class Response : int { none = 0, sanctions = 1, arms_surge = 2, combat = 3 };
inline constexpr int kResponses = 4;
inline constexpr const char* kResponseNames[kResponses] = {"none", "sanctions", "arms_surge", "combat"};

struct Globals {
  double weak_reading_weight = 0.25;  // w: audience cost kept under the weak reading
  double blood_price = 3.0;           // xi: bonus to honour when own troops are under fire
  double decision_noise = 1.7;        // s: guarantors' logit noise (calibrated: docs/calibration.md)
  double troop_scale = 5100.0;        // D0: troops at which tripwire engagement is 1 - 1/e (calibrated)
  double contest_exponent = 1.0;      // gamma: Tullock contest exponent
  double aid_surge_share = 0.3;       // nu: power of an aid surge relative to combat
  double nuclear_use_prob = 0.05;     // p_nuc: P(nuclear use | great-power war at an even contest)
  double unprompted_share = 0.25;     // share of its capability a guarantor without a commitment brings to combat
  double war_territory_rate = 0.0;    // territory lost per month while the war goes on (no deal), at an even contest
  std::array<double, kAttackTypes> territory_loss{0.20, 0.03, 0.0};  // Delta_a
  // Off: the first armed attack ends the trial (the single-war model). On: a
  // grey or limited attack is fought and the trial goes on; a major one ends it.
  bool repeated_attacks = false;
};

struct Settlement {
  bool enabled = true;
  double deal_value = 0.0;      // challenger's value of the ceasefire deal
  double continue_value = 0.0;  // U_continue: its value of fighting on
};

struct Challenger {
  std::string name;
  bool nuclear = false;
  double strength = 1.0;       // S_C(0)
  double growth = 0.0;         // g_C per period
  double strength_max = 1.0;   // S_C^max
  std::array<double, kAttackTypes> stakes{};      // V_a
  std::array<double, kAttackTypes> war_cost{};    // c_a
  std::array<double, kAttackTypes> escalation{};  // psi_a
  double cost_per_power = 0.0;     // kappa_C
  double nuclear_war_cost = 0.0;   // N_C
  double perception_bias = 0.0;    // beta_C (log scale)
  double perception_noise = 0.0;   // sigma_C (log scale)
  double precision = 1.0;          // lambda
  double opportunity_rate = 0.0;   // h_0, per period
  // Attack types it may choose (grey only where the scenario gives its stakes).
  std::array<bool, kAttackTypes> possible{true, true, false};
  // eta: after each response its perceived resolve of a guarantor moves by
  // exp(eta (response - promised)) (0: it does not learn).
  double learning_rate = 0.0;
  // Opportunity over time: the rate halves every `opportunity_half_life`
  // months of peace since the deal (Fortna; infinite: constant) and is
  // multiplied by `crisis_multiplier` in the month of a scheduled crisis.
  double opportunity_half_life = std::numeric_limits<double>::infinity();
  double crisis_multiplier = 1.0;
};

struct Protege {
  std::string name;
  double strength = 1.0;        // S_P(0)
  double growth = 0.0;          // g_P per period
  double decay = 0.0;           // delta_P per period
  double aid_efficiency = 1.0;  // phi: strength per unit of aid
  double fortification = 1.0;   // f: defensive multiplier
  // Settlement: accepts with logistic(precision (protection - reservation)),
  // protection = P(armed defence | major attack); no reservation = accepts any deal.
  bool has_reservation = false;
  double reservation = 0.0;
  double precision = 10.0;
};

struct Elections {
  bool scheduled = false;
  int first = 0;             // period of the first election (1-based)
  int interval = 0;          // periods between elections
  double change_prob = 0.0;  // P(government changes at an election)
};

struct Guarantor {
  std::string id;    // key in the scenario file, e.g. "usa"
  std::string name;  // display name
  double capability = 0.0;   // cap_i
  double interest = 0.0;     // I_i
  double resolve = 1.0;      // r_i of the government in office at t = 0
  sim::Distribution successor_resolve = sim::Distribution::constant(1.0);
  double turnover_hazard = 0.0;  // h_i per period
  Elections elections;
  double war_cost = 0.0;             // K_i
  double escalation_aversion = 0.0;  // e_i
  double reputation = 0.0;           // R_i
  bool nuclear = false;
  double sanctions_cost = 0.0;  // what imposing sanctions costs the guarantor itself
  double surge_cost = 0.0;      // what an arms surge costs it (money, its own stocks)
  double sanctions_bite = 0.0;  // what its sanctions cost the challenger (a commitment may promise more)
  double follow = 0.0;          // weight on doing what the option's leader did (bandwagoning, buck-passing)
  // Erosion (attention, fatigue): interest decays from `interest` towards
  // `interest_floor` with this half-life in months since the last crisis
  // (infinite: constant interest).
  double interest_half_life = std::numeric_limits<double>::infinity();
  double interest_floor = 0.0;
  // Stocks (seed 004: "little left to offer"): its aid and arms surges draw on
  // a stock of this much power, refilled by `aid_refill` a month up to its
  // size (infinite: no limit).
  double aid_stock = std::numeric_limits<double>::infinity();
  double aid_refill = 0.0;
};

struct Commitment {
  std::size_t guarantor = 0;  // index into Parameters::guarantors
  std::string instrument;     // preset it was built from
  double audience_cost = 0.0;  // A_j
  double ambiguity = 0.0;      // alpha_j: P(weak reading prevails)
  std::array<bool, kAttackTypes> covers{true, true, false};  // grey is covered only where listed
  Response response = Response::sanctions;       // what it promises (the strong reading)
  Response weak_response = Response::sanctions;  // what it promises under the weak reading
  double ratification = 1.0;  // P(ratified); otherwise the option carries `fallback` instead
  double share = 0.0;       // sigma_j: share of cap_g committed
  double sanctions = 0.0;   // s_j: bite of the guarantor's sanctions under this commitment
  double aid = 0.0;         // aid_j per period
  double red_line = 0.0;    // rho_j
  double troops = 0.0;      // D_j
  std::array<double, kAttackTypes> exposure{};  // P(an attack of type a meets the troops)
  double troop_power = 0.0;
  // Timing (models/README.md, "Timing"): the month it takes effect (1: from
  // the deal; beyond the horizon: never within it). Before, its option's
  // interim for it stands in its place, or nothing.
  int effective_from = 1;
};

// What stands in for a commitment before its `effective_from` (e.g. bilateral
// assurances during an accession), from the same guarantor.
struct Interim {
  Commitment commitment;
  Commitment fallback;  // what it becomes when not ratified (used only when its ratification < 1)
};

struct Option {
  std::string name;   // machine name, e.g. "nato_membership"
  std::string label;  // for tables
  std::vector<Commitment> commitments;
  // fallbacks[j]: what commitment j becomes when it is not ratified (its
  // instrument's `fallback`); used only when commitments[j].ratification < 1.
  std::vector<Commitment> fallbacks;
  std::size_t leader = 0;  // guarantor that chooses first (default: largest capability among the committed)
  // interims[j]: commitment j's interim, if it has one (the vector may be
  // shorter than `commitments`: none for the rest).
  std::vector<std::optional<Interim>> interims = {};
};

// Commitment j's interim, or nullptr.
inline const Interim* interim_of(const Option& o, std::size_t j) {
  return j < o.interims.size() && o.interims[j] ? &*o.interims[j] : nullptr;
}

struct Parameters {
  int horizon = 120;  // T periods (months)
  Globals globals;
  Settlement settlement;
  Challenger challenger;
  Protege protege;
  std::vector<Guarantor> guarantors;
  std::vector<Option> options;
  std::vector<int> crises;  // months of scheduled crises (reset erosion), ascending
};

// Where a value was taken from.
struct Provenance {
  std::string key_path;    // e.g. "challenger.growth"
  std::string seed;        // seed article file, e.g. "002_537cde15b9f0378c.txt" ("" for an assumption)
  std::string quote;       // the quoted phrase
  std::string assumption;  // why, when the value is a modelling assumption
};

// A parameter drawn once per trial. One draw may feed several places (an
// uncertain preset field feeds every commitment that inherits it), so options
// in one trial share it.
// An epistemic one (listed under `epistemic:`) is a judgement the evidence
// leaves open: in a plain run it is drawn per trial like the others; with
// --worlds it is drawn once per world and `fixed` holds the world's value.
struct UncertainParameter {
  std::string key_path;
  sim::Distribution distribution;
  std::vector<std::function<void(Parameters&, double)>> targets;
  bool epistemic = false;
  std::optional<double> fixed;
};

// What happened in a historical case (the `observed:` section,
// docs/scenario-format.md): read by the backtest, ignored by the model.
struct Observation {
  bool attacked = false;  // the challenger attacked within the horizon
  int attack_month = 0;   // 1..horizon when attacked, else 0
  std::optional<int> attack_type;  // index into kAttackTypeNames, when recorded
  // For an attack: did each guarantor whose commitment in the case's one option
  // covers it do what its `response` promises? In option order.
  std::vector<std::pair<std::string, bool>> honoured;  // guarantor id -> honoured
  // Committed guarantors whose commitment does not cover the recorded attack
  // type: not triggered, so neither honoured nor not.
  std::vector<std::string> not_triggered;
  Provenance provenance;  // key path "observed": the historical record it rests on
};

// A change scheduled at a month (`events:`, docs/scenario-format.md): from
// `month` on, every trial runs on the scenario with this event's and every
// earlier event's settings applied, as `--set` would apply them.
struct EventSetting {
  std::string key_path;  // as in --set and sweeps, e.g. "guarantors.usa.interest"
  std::string value;     // the value's text
  bool quoted = false;   // a string (e.g. an instrument name), not a number or true/false
  sim::SourceLocation where;
};
struct ScheduledEvent {
  int month = 1;
  std::vector<EventSetting> set;
  Provenance provenance;
  Parameters params;  // the scenario from `month` on, uncertain fields at their central values
  // Each uncertain field of the scenario the events leave uncertain: its index in
  // Scenario::uncertain and its targets in `params`, so a trial's draw feeds both.
  std::vector<std::pair<std::size_t, std::vector<std::function<void(Parameters&, double)>>>> draws;
};

// At most this many months in `globals.credibility_months` (two metrics each).
inline constexpr std::size_t kMaxCredibilityMonths = 24;

struct Scenario {
  std::string name;
  std::string description;
  std::string file;     // path it was loaded from ("" for one built in memory)
  std::string sha256;   // of the scenario and preset files' bytes
  Parameters base;      // constants, and uncertain parameters at their means
  std::vector<UncertainParameter> uncertain;
  sim::Copula copula;   // over `uncertain`, in order
  std::vector<std::string> epistemic_constants;  // listed under `epistemic:` but not drawn here
  std::vector<Provenance> provenance;
  std::size_t baseline = 0;  // option the others are compared against
  std::optional<Observation> observed;  // historical cases only
  std::vector<ScheduledEvent> events;    // in month order (file order within a month)
  // globals.credibility_months: months t (increasing, 1..horizon) at which the
  // model also reports P(armed defence | major attack at t), true and perceived,
  // on the trial's state at t. Empty (the default): nothing more is computed.
  std::vector<int> credibility_months;
};

}  // namespace credsim::model
