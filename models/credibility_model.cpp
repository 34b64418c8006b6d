#include "models/credibility_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/model_equations.hpp"
#include "models/outcome_layout.hpp"
#include "sim/errors.hpp"
#include "sim/rng.hpp"

namespace credsim::model {
namespace {

using sim::Purpose;
using sim::RngStream;

// Sub-streams. A commitment's draws (ratification, reading, engagement) are
// keyed by its guarantor and its rank among that guarantor's commitments in
// the option, so the same promise in two options meets the same draws; a
// guarantor's response draws by the guarantor alone.
std::uint32_t commitment_slot(std::size_t guarantor, std::size_t rank) {
  return static_cast<std::uint32_t>(1 + guarantor * 64 + rank);
}
constexpr std::uint32_t kWarOutcomeSlot = 0;
constexpr std::uint32_t kResponseSlot = 1u << 20;   // + guarantor: its three rung draws
constexpr std::uint32_t kElectionSlot = 1u << 23;   // + guarantor: one draw per scheduled election
constexpr std::uint32_t kOpportunitySlot = 1;       // Purpose::decision: when opportunities arise
constexpr std::uint32_t kChoiceSlot = 2;            // Purpose::decision: the i-th opportunity's choice
constexpr std::uint32_t kScoringSlot = 3;           // Purpose::decision: the conditional estimator's scoring months
constexpr std::uint32_t kProtegeSlot = 1u << 22;    // Purpose::settlement: the protégé's acceptance
constexpr int kMaxReadingsPerGuarantor = 4;         // 2^4 reading combinations at most, in expectation
// The n-th war of a trial (repeated attacks) reads the war streams from output
// n * kDrawsPerWar on (a war takes at most 3 draws from each), so the first war
// meets the draws it met in the single-war model.
constexpr std::uint64_t kDrawsPerWar = 4;

constexpr int kNever = std::numeric_limits<int>::max();

// Period of the next event of a Bernoulli(h) process after period `from`
// (log_stay = log(1 - h)): from + ceil(log(u) / log(1 - h)); kNever past the horizon.
int next_event(double u, double log_stay, int from, int horizon) {
  const double x = std::log(u) / log_stay;
  if (!(x <= static_cast<double>(horizon - from))) return kNever;  // also h = 0: x = +inf
  return from + std::max(1, static_cast<int>(std::ceil(x)));
}

struct ModelWorkspace : sim::Workspace {
  Parameters params;
  std::vector<double> uniforms;      // copula output
  std::vector<double> values;        // the uncertain parameters' values in this trial
  std::vector<double> resolve;       // [g * T + (t - 1)]: resolve of g's government in period t
  std::vector<double> perception;    // [g * T + (t - 1)]: challenger's perception error z for g
  std::vector<int> opportunities;    // months at which the challenger weighs an attack
  double expected_opportunities = 0;  // omega: their expected number in the horizon (same for every option)
  std::vector<double> choice;        // [i]: the uniform of the i-th opportunity's choice
  // Conditional estimator: the months at which the survival products are
  // scored and each one's weight (opportunity probability / scoring probability).
  std::vector<int> scoring;
  std::vector<double> scoring_weight;
  std::vector<Commitment> effective; // the option's commitments in force this month, after ratification
  std::vector<std::size_t> effective_rank;  // [i]: rank of effective[i]'s commitment among its guarantor's (its draws)
  std::vector<std::vector<std::size_t>> by_guarantor;  // [g]: indices into `effective`
  std::vector<CoalitionMember> members;
  std::vector<int> response;         // [g]: realised response in the war
  std::vector<int> promised;         // [g]: realised promise (0: not triggered)
  std::vector<int> kept;             // [g]: promise kept at the first attack it covered (-1: none yet)
  std::vector<double> learned;       // [g]: what the challenger has learned of g's resolve (log scale)
  std::vector<char> ratified;        // [j]: commitment j of the option is ratified
  std::vector<char> interim_ratified;  // [j]: its interim is ratified
  std::vector<int> switches;         // months in 2..T at which a commitment takes effect, ascending
  std::vector<std::size_t> rank;     // scratch: [g] commitments of g seen so far
  std::vector<Parameters> phases;    // [k]: this trial's parameters after event k
  std::vector<double> interest;      // [k * G + g]: g's interest before erosion, k = 0 before any event
  std::vector<double> stock;         // [g]: what is left of g's stock of aid (infinite: no limit)
  std::vector<double> surged;        // [g]: power of its arms surge in the last war (0: none)
};

// What one option came to in this trial.
struct OptionOutcome {
  bool challenger_accepts = false, protege_accepts = false, ratified = true;
  double armed_defence = 0.0, armed_defence_seen = 0.0, defence_delivered = 0.0;
  int attack_time = 0;  // 0: no armed attack through T
  int attack_type = kMajor;  // of the first armed attack
  int first_attack_time = 0;  // first attack of any kind, grey included (0: none)
  int major_time = 0;         // the major attack (0: none)
  int grey_attacks = 0, limited_attacks = 0;
  // The same events as probabilities given the trial's other draws (the
  // conditional estimator): each acceptance given its uniform is integrated
  // out; no attack through T and a major attack through T given the months of
  // the opportunities, the choice uniforms integrated out.
  double p_challenger = 1.0, p_protege = 1.0, p_ratified = 1.0;
  double p_no_attack = 1.0, p_major_attack = 0.0;
  double p_no_attack_any = 1.0, p_no_major = 1.0;
  bool challenger_wins = false;  // the first armed attack's war
  bool great_power_war = false, nuclear_use = false;  // in any of its wars
  double territory_lost = 0.0;
  // P(armed defence | major attack at month t), true and perceived, for the
  // first `credibility_recorded` months of Scenario::credibility_months (those
  // at which the trial was still running).
  std::array<std::array<double, 2>, kMaxCredibilityMonths> credibility{};
  std::size_t credibility_recorded = 0;
  bool deal() const { return challenger_accepts && protege_accepts; }
};

class Trial {
 public:
  Trial(const Scenario& s, const ModelConfig& config, ModelWorkspace& ws, std::uint64_t seed, std::uint64_t trial)
      : s_(s), config_(config), ws_(ws), p_(&ws.params), seed_(seed), trial_(trial), T_(ws.params.horizon) {}

  void draw_shared();
  OptionOutcome run_option(std::size_t option);

 private:
  double resolve(std::size_t g, int t) const { return ws_.resolve[g * T_ + (t - 1)]; }
  double seen_resolve(std::size_t g, int t) const {
    return perceived_resolve(p_->challenger, resolve(g, t), ws_.perception[g * T_ + (t - 1)], ws_.learned[g]);
  }
  void draw_politics();
  void draw_opportunities();
  void draw_scoring_months();
  void ratify(OptionOutcome& out);
  // The commitments in force in month t: each from its effective_from on,
  // its interim (or nothing) before.
  void rebuild_effective(int t);
  std::size_t next_switch_ = 0;  // index into ws_.switches of the next month the commitments change
  // The red lines the deal crosses: every commitment it contains that comes
  // into force within the horizon, the interim's or the full one's, whichever is higher.
  double deal_red_lines() const;
  // What the challenger expects, at the deal, of its later options: the
  // inclusive value `iv` of month 1 corrected month by month for the
  // commitments that take effect later (models/README.md, "Timing").
  double inclusive_value_over_horizon(double iv, double s_c1, double s_p, std::size_t leader);
  // omega over months m..T: the expected number of opportunities then.
  double expected_opportunities_from(int m) const;
  // Moves to the parameters of month t (those of the last event at or before
  // t); true when they changed, so that the commitments must be rebuilt.
  bool enter(int t);
  // Erosion: each guarantor's interest in month t, `last_crisis_` the month
  // of the last crisis (a scheduled one, or an attack with repeated attacks).
  void erode(int t);
  int last_crisis_ = 1;
  bool erodes_ = false;  // some guarantor's interest erodes in this trial
  const Option& option() const { return p_->options[option_]; }
  GuarantorStance stance(std::size_t g, int a, unsigned weak_mask, bool engaged, double troop_power,
                         double s_p) const;
  // Members for attack type a with resolve in period t (true or as the
  // challenger sees it), the protégé at strength s_p.
  void build_members(int a, int t, bool perceived, double s_p);
  ExpectedDefence defence(int a, int t, bool perceived, double s_p, std::size_t leader) {
    build_members(a, t, perceived, s_p);
    return expected_defence(*p_, ws_.members, leader);
  }
  std::array<double, kAttackTypes> attack_utilities(int t, double s_c, double s_p, std::size_t leader);
  // The n-th war of the trial (0-based); fills ws_.response and ws_.promised.
  struct WarResult {
    bool challenger_wins = false, great_power_war = false, nuclear_use = false;
  };
  WarResult war(int t, int a, double s_c, double s_p, std::uint64_t n);
  // Repeated attacks: the attack's war, what it adds up to, and what the challenger learns.
  void fight(int t, int a, double s_c, double s_p, std::uint64_t n, OptionOutcome& out);
  void record_promises();

  const Scenario& s_;
  const ModelConfig& config_;
  ModelWorkspace& ws_;
  Parameters* p_;  // the trial's parameters of the current month (events switch them; erosion writes interest)
  std::size_t phase_ = 0;  // events applied so far
  std::size_t option_ = 0;  // the option being run (index into p_->options)
  std::uint64_t seed_, trial_;
  int T_;
  double u_challenger_ = 0.0, u_protege_ = 0.0;
};

void Trial::draw_shared() {
  const auto erodes = [](const Parameters& q) {
    return std::any_of(q.guarantors.begin(), q.guarantors.end(), [](const Guarantor& g) {
      return g.interest_half_life < std::numeric_limits<double>::infinity();
    });
  };
  erodes_ = erodes(ws_.params);
  for (const Parameters& later : ws_.phases) erodes_ = erodes_ || erodes(later);
  enter(1);
  draw_politics();
  draw_opportunities();
  u_challenger_ = RngStream(seed_, trial_, Purpose::settlement).uniform();
  u_protege_ = RngStream(seed_, trial_, Purpose::settlement, kProtegeSlot).uniform();
}

// Government turnover (a Bernoulli(h) process, sampled by its geometric gaps)
// and scheduled elections; at each change, a new resolve and a new perception
// error. The same for every option.
void Trial::draw_politics() {
  for (std::size_t g = 0; g < p_->guarantors.size(); ++g) {
    const Guarantor& gu = p_->guarantors[g];
    const auto sub = static_cast<std::uint32_t>(g);
    RngStream turnover(seed_, trial_, Purpose::politics, sub);
    RngStream elections(seed_, trial_, Purpose::politics, kElectionSlot | sub);
    RngStream successor(seed_, trial_, Purpose::successor, sub);
    RngStream perception(seed_, trial_, Purpose::perception, sub);
    const double h = gu.turnover_hazard;
    const double log_stay = h >= 1.0 ? -std::numeric_limits<double>::infinity() : std::log1p(-h);
    int t_turnover = h > 0.0 ? next_event(turnover.uniform(), log_stay, 0, T_) : kNever;
    double r = gu.resolve;
    double z = perception.normal();
    for (int t = 1; t <= T_; ++t) {
      bool change = false;
      if (t == t_turnover) {
        change = true;
        t_turnover = next_event(turnover.uniform(), log_stay, t, T_);
      }
      if (is_election(gu.elections, t)) change = (elections.uniform() < gu.elections.change_prob) || change;
      if (change) {
        r = gu.successor_resolve.quantile(successor.uniform());
        z = perception.normal();
      }
      ws_.resolve[g * T_ + (t - 1)] = r;
      ws_.perception[g * T_ + (t - 1)] = z;
    }
  }
}

void Trial::draw_opportunities() {
  ws_.opportunities.clear();
  const double h = p_->challenger.opportunity_rate;
  RngStream when(seed_, trial_, Purpose::decision, kOpportunitySlot);
  ws_.expected_opportunities = h * T_;
  if (opportunity_varies(p_->challenger, p_->crises)) {
    // A rate that changes month by month: one draw per month (both samplers).
    ws_.expected_opportunities = 0.0;
    for (int t = 1; t <= T_; ++t) {
      const double q = opportunity_probability(p_->challenger, p_->crises, t);
      ws_.expected_opportunities += q;
      if (when.uniform() < q) ws_.opportunities.push_back(t);
    }
  } else if (config_.sampler == OpportunitySampler::per_period) {
    for (int t = 1; t <= T_; ++t) {
      if (when.uniform() < h) ws_.opportunities.push_back(t);
    }
  } else if (h > 0.0) {
    const double log_stay = std::log1p(-h);
    for (int t = next_event(when.uniform(), log_stay, 0, T_); t <= T_; t = next_event(when.uniform(), log_stay, t, T_)) {
      ws_.opportunities.push_back(t);
    }
  }
  RngStream choice(seed_, trial_, Purpose::decision, kChoiceSlot);
  ws_.choice.resize(ws_.opportunities.size());
  for (double& u : ws_.choice) u = choice.uniform();
  if (config_.estimator == Estimator::conditional) draw_scoring_months();
}

// The conditional estimator's P(no attack through T | the trial's politics) is
// the product over months of (1 - h_t q_t), h_t the opportunity probability and
// q_t the attack probability. Scoring each month with probability g_t >= h_t,
// independently of the other months, with the factor (1 - (h_t / g_t) q_t)
// keeps the expectation (E[(1 - (h/g) q)^B] = 1 - h q, B ~ Bernoulli(g)) and
// shrinks the variance of when opportunities come by about g / h, at g / h
// times the evaluations. The scoring months are the opportunities (the coins
// the plain estimator uses too) and, among the other months, extra ones with
// probability (g - h) / (1 - h): each month is scored with probability g, and
// an opportunity needs no evaluation of its own.
void Trial::draw_scoring_months() {
  ws_.scoring.clear();
  ws_.scoring_weight.clear();
  const bool varies = opportunity_varies(p_->challenger, p_->crises);
  const auto rate = [&](int t) { return opportunity_probability(p_->challenger, p_->crises, t); };
  const auto scoring_probability = [&](double h) { return std::min(1.0, config_.scoring_oversampling * h); };
  const auto extra_rate = [&](double h) { return h >= 1.0 ? 0.0 : (scoring_probability(h) - h) / (1.0 - h); };
  RngStream when(seed_, trial_, Purpose::decision, kScoringSlot);
  std::size_t i = 0;  // the next opportunity
  const auto score = [&](int t) {
    const double h = rate(t);
    ws_.scoring.push_back(t);
    ws_.scoring_weight.push_back(h / scoring_probability(h));
  };
  // Scores the opportunities before month t; true when t is one (scored in its turn).
  const auto real = [&](int t) {
    while (i < ws_.opportunities.size() && ws_.opportunities[i] < t) score(ws_.opportunities[i++]);
    return i < ws_.opportunities.size() && ws_.opportunities[i] == t;
  };
  if (varies) {
    for (int t = 1; t <= T_; ++t) {
      const double h = rate(t);
      const bool extra = h > 0.0 && when.uniform() < extra_rate(h);
      if (!real(t) && extra) score(t);
    }
  } else {
    const double e = extra_rate(p_->challenger.opportunity_rate);
    if (e >= 1.0) {
      for (int t = 1; t <= T_; ++t)
        if (!real(t)) score(t);
    } else if (e > 0.0) {
      const double log_stay = std::log1p(-e);
      for (int t = next_event(when.uniform(), log_stay, 0, T_); t <= T_; t = next_event(when.uniform(), log_stay, t, T_))
        if (!real(t)) score(t);
    }
  }
  while (i < ws_.opportunities.size()) score(ws_.opportunities[i++]);
}

// Each commitment is ratified with its probability; if not, its fallback stands.
// A commitment and its interim share their slot's one draw (comonotone: the
// climate that ratifies the harder of the two ratifies the other), and only
// the parts that come into force within the horizon are ratified at all.
void Trial::ratify(OptionOutcome& out) {
  const Option& option = this->option();
  ws_.ratified.clear();
  ws_.interim_ratified.clear();
  ws_.switches.clear();
  ws_.rank.assign(p_->guarantors.size(), 0);
  for (std::size_t j = 0; j < option.commitments.size(); ++j) {
    const Commitment& c = option.commitments[j];
    const Interim* interim = c.effective_from > 1 ? interim_of(option, j) : nullptr;
    const bool full = c.effective_from <= T_;
    double p = full ? c.ratification : 1.0;
    if (interim) p = std::min(p, interim->commitment.ratification);
    double u = 0.0;  // below every probability: ratified
    if (p < 1.0) {
      out.p_ratified *= p;
      RngStream draw(seed_, trial_, Purpose::settlement, commitment_slot(c.guarantor, ws_.rank[c.guarantor]));
      u = draw.uniform();
    }
    ++ws_.rank[c.guarantor];
    out.ratified = out.ratified && u < p;
    ws_.ratified.push_back(u < c.ratification ? 1 : 0);
    ws_.interim_ratified.push_back(interim && !(u < interim->commitment.ratification) ? 0 : 1);
    if (c.effective_from > 1 && full) ws_.switches.push_back(c.effective_from);
  }
  std::sort(ws_.switches.begin(), ws_.switches.end());
  ws_.switches.erase(std::unique(ws_.switches.begin(), ws_.switches.end()), ws_.switches.end());
  next_switch_ = 0;
  rebuild_effective(1);
}

void Trial::rebuild_effective(int t) {
  const Option& option = this->option();
  ws_.effective.clear();
  ws_.effective_rank.clear();
  for (auto& v : ws_.by_guarantor) v.clear();
  ws_.rank.assign(p_->guarantors.size(), 0);
  for (std::size_t j = 0; j < option.commitments.size(); ++j) {
    const Commitment& c = option.commitments[j];
    const std::size_t rank = ws_.rank[c.guarantor]++;  // its draws whatever stands in its place
    const Commitment* in_force = nullptr;
    if (t >= c.effective_from) {
      in_force = ws_.ratified[j] ? &c : &option.fallbacks[j];
    } else if (const Interim* interim = interim_of(option, j)) {
      in_force = ws_.interim_ratified[j] ? &interim->commitment : &interim->fallback;
    }
    if (!in_force) continue;
    ws_.by_guarantor[c.guarantor].push_back(ws_.effective.size());
    ws_.effective.push_back(*in_force);
    ws_.effective_rank.push_back(rank);
  }
}

double Trial::deal_red_lines() const {
  const Option& option = this->option();
  double red_lines = 0.0;
  for (std::size_t j = 0; j < option.commitments.size(); ++j) {
    const Commitment& c = option.commitments[j];
    const Interim* interim = c.effective_from > 1 ? interim_of(option, j) : nullptr;
    const double rho_interim = !interim                   ? -std::numeric_limits<double>::infinity()
                               : ws_.interim_ratified[j] ? interim->commitment.red_line
                                                         : interim->fallback.red_line;
    if (c.effective_from <= T_) {
      red_lines += std::max((ws_.ratified[j] ? c : option.fallbacks[j]).red_line, rho_interim);
    } else if (interim) {
      red_lines += rho_interim;
    }
  }
  return red_lines;
}

double Trial::expected_opportunities_from(int m) const {
  const Challenger& c = p_->challenger;
  if (!opportunity_varies(c, p_->crises)) return c.opportunity_rate * (T_ - m + 1);
  double sum = 0.0;
  for (int t = m; t <= T_; ++t) sum += opportunity_probability(c, p_->crises, t);
  return sum;
}

// IV = Σ_k (ω_k / ω) IV_k over the spans k of months between switches, IV_k
// with span k's commitments in force (seen with month 1's resolve and
// strengths, as IV itself), written as IV_1 plus the change at each switch
// weighted by the opportunities left then: a switch that changes nothing
// adds nothing, so an interim identical to its commitment gives IV exactly.
double Trial::inclusive_value_over_horizon(double iv, double s_c1, double s_p, std::size_t leader) {
  const double omega = ws_.expected_opportunities;
  if (ws_.switches.empty() || !(omega > 0.0)) return iv;
  double seen = iv, before = iv;
  for (const int m : ws_.switches) {
    rebuild_effective(m);
    const double now = inclusive_value(p_->challenger, attack_utilities(1, s_c1, s_p, leader));
    if (now != before) seen += expected_opportunities_from(m) / omega * (now - before);
    before = now;
  }
  rebuild_effective(1);
  return seen;
}

void Trial::erode(int t) {
  if (!erodes_) return;
  const auto& crises = p_->crises;
  if (std::binary_search(crises.begin(), crises.end(), t)) last_crisis_ = t;
  const std::size_t G = p_->guarantors.size();
  for (std::size_t g = 0; g < G; ++g) {
    Guarantor& gu = p_->guarantors[g];
    gu.interest = eroded_interest(ws_.interest[phase_ * G + g], gu.interest_floor, gu.interest_half_life,
                                  t - last_crisis_);
  }
}

bool Trial::enter(int t) {
  std::size_t k = phase_;
  while (k < s_.events.size() && s_.events[k].month <= t) ++k;
  if (k == phase_) return false;
  phase_ = k;
  p_ = &ws_.phases[k - 1];
  return true;
}

GuarantorStance Trial::stance(std::size_t g, int a, unsigned weak_mask, bool engaged, double troop_power,
                              double s_p) const {
  const Guarantor& gu = p_->guarantors[g];
  const auto& mine = ws_.by_guarantor[g];
  GuarantorStance st;
  double share = p_->globals.unprompted_share;  // a commitment never brings less than no commitment
  st.bite = gu.sanctions_bite;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    const Commitment& c = ws_.effective[mine[i]];
    share = std::max(share, c.share);
    st.bite = std::max(st.bite, c.sanctions);
    if (!c.covers[a]) continue;
    const bool weak = (weak_mask >> i) & 1u;
    const int promised = static_cast<int>(weak ? c.weak_response : c.response);
    st.bonus[promised] += weak ? weighted(p_->globals.weak_reading_weight, c.audience_cost) : c.audience_cost;
    st.promised = std::max(st.promised, promised);
  }
  if (st.promised > 0) st.bonus[st.promised] += gu.reputation;
  st.combat_power = weighted(share, gu.capability);
  st.engaged = engaged;
  st.troop_power = engaged ? troop_power : 0.0;
  st.own_defence = weighted(p_->protege.fortification, s_p);
  st.surge_cap = ws_.stock[g];
  if (gu.nuclear) {
    const double psi = p_->challenger.escalation[a];
    st.calm_troops = std::exp(-weighted(psi, st.troop_power));
    st.calm_combat = std::exp(-weighted(psi, st.combat_power));
  }
  return st;
}

void Trial::build_members(int a, int t, bool perceived, double s_p) {
  const std::size_t G = p_->guarantors.size();
  ws_.members.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    CoalitionMember& m = ws_.members[g];
    m.guarantor = g;
    m.resolve = perceived ? seen_resolve(g, t) : resolve(g, t);
    m.states.clear();
    const auto& mine = ws_.by_guarantor[g];
    // Engagement: any of its contingents meets the attack; then they bring
    // their expected power given that one did.
    double p_none = 1.0, troops = 0.0;
    for (std::size_t j : mine) {
      const double e = engagement_probability(p_->globals, ws_.effective[j], a);
      p_none *= 1.0 - e;
      troops += e * ws_.effective[j].troop_power;
    }
    const double p_engaged = 1.0 - p_none;
    const double troop_power = p_engaged > 0.0 ? troops / p_engaged : 0.0;
    const auto n = static_cast<unsigned>(std::min<std::size_t>(mine.size(), kMaxReadingsPerGuarantor));
    for (unsigned mask = 0; mask < (1u << n); ++mask) {
      double w = 1.0;
      for (unsigned i = 0; i < n; ++i) {
        const double alpha = ws_.effective[mine[i]].ambiguity;
        w *= ((mask >> i) & 1u) ? alpha : 1.0 - alpha;
      }
      if (w == 0.0) continue;
      if (p_engaged > 0.0) m.states.push_back({w * p_engaged, stance(g, a, mask, true, troop_power, s_p)});
      if (p_none > 0.0) m.states.push_back({w * p_none, stance(g, a, mask, false, 0.0, s_p)});
    }
  }
}

std::array<double, kAttackTypes> Trial::attack_utilities(int t, double s_c, double s_p, std::size_t leader) {
  std::array<double, kAttackTypes> eu{};
  for (int a = 0; a < kAttackTypes; ++a)
    if (p_->challenger.possible[a]) eu[a] = attack_utility(*p_, a, s_c, s_p, defence(a, t, true, s_p, leader));
  return eu;
}

OptionOutcome Trial::run_option(std::size_t option_index) {
  OptionOutcome out;
  option_ = option_index;
  phase_ = 0;
  p_ = &ws_.params;
  enter(1);
  last_crisis_ = 1;
  erode(1);
  ratify(out);
  ws_.kept.assign(p_->guarantors.size(), -1);
  ws_.learned.assign(p_->guarantors.size(), 0.0);
  // (Re-read after every move to a later month: an event may change them.)
  const Challenger* ch = &p_->challenger;
  std::size_t leader = option().leader;

  double s_p = p_->protege.strength;
  const auto fill_stocks = [&] {
    ws_.stock.resize(p_->guarantors.size());
    for (std::size_t g = 0; g < p_->guarantors.size(); ++g) ws_.stock[g] = p_->guarantors[g].aid_stock;
  };
  fill_stocks();
  // Aid flows from each guarantor's stock, which then refills up to its size.
  const auto aid_now = [&](int t) {
    double aid = 0.0;
    for (const Commitment& c : ws_.effective) {
      const double want = c.aid * std::min(1.0, resolve(c.guarantor, t));
      double& stock = ws_.stock[c.guarantor];
      if (stock == std::numeric_limits<double>::infinity()) {
        aid += want;
      } else {
        const double got = std::min(want, stock);
        stock -= got;
        aid += got;
      }
    }
    for (std::size_t g = 0; g < p_->guarantors.size(); ++g) {
      const Guarantor& gu = p_->guarantors[g];
      if (gu.aid_refill > 0.0) ws_.stock[g] = std::min(gu.aid_stock, ws_.stock[g] + gu.aid_refill);
    }
    return aid;
  };
  const auto grow_protege = [&](int t) {
    s_p = std::max(0.0, s_p * (1.0 - p_->protege.decay) + p_->protege.growth +
                            weighted(p_->protege.aid_efficiency, aid_now(t)));
  };
  grow_protege(1);

  // t = 1: what a major attack would meet, truly and as the challenger sees it.
  const double s_c1 = std::min(ch->strength_max, std::max(0.0, ch->strength + ch->growth));
  const ExpectedDefence truth = defence(kMajor, 1, false, s_p, leader);
  const ExpectedDefence seen = defence(kMajor, 1, true, s_p, leader);
  out.armed_defence = truth.p_armed;
  out.armed_defence_seen = seen.p_armed;
  // Beyond a million times the challenger's power the ratio means nothing more;
  // the cap keeps its sums of squares finite for extreme scenarios.
  constexpr double kMaxDefenceRatio = 1e6;
  out.defence_delivered =
      truth.power <= 0.0 ? 0.0 : s_c1 > truth.power / kMaxDefenceRatio ? truth.power / s_c1 : kMaxDefenceRatio;

  // Settlement: the challenger weighs the deal with the value of its later
  // options under this guarantee; the protégé weighs the protection.
  const double red_lines = deal_red_lines();
  const double weight_of_future = ws_.expected_opportunities;  // drawn with the opportunities, once per trial
  if (p_->settlement.enabled) {
    std::array<double, kAttackTypes> eu{};
    eu[kMajor] = attack_utility(*p_, kMajor, s_c1, s_p, seen);
    for (int a = kLimited; a < kAttackTypes; ++a)
      if (ch->possible[a]) eu[a] = attack_utility(*p_, a, s_c1, s_p, defence(a, 1, true, s_p, leader));
    const double iv = inclusive_value_over_horizon(inclusive_value(*ch, eu), s_c1, s_p, leader);
    out.p_challenger = challenger_acceptance(*p_, red_lines, weight_of_future, iv);
    out.p_protege = protege_acceptance(p_->protege, truth.p_armed);
    out.challenger_accepts = u_challenger_ < out.p_challenger;
    out.protege_accepts = u_protege_ < out.p_protege;
  } else {
    out.challenger_accepts = out.protege_accepts = true;
  }
  if (!out.deal()) {
    // The war goes on: territory lost at a rate set by the balance of power.
    const double p_win = win_probability(p_->globals, s_c1, weighted(p_->protege.fortification, s_p));
    out.territory_lost = std::min(1.0, 2.0 * p_win * p_->globals.war_territory_rate * T_);
  }

  // After the deal (run in every trial: deterrence added compares options on
  // the same draws as though each deal held): the challenger's opportunities.
  double s_c = ch->strength;
  int t_done = 0;
  last_crisis_ = 1;
  s_p = p_->protege.strength;
  fill_stocks();  // the settlement above looked at month 1 only
  const bool repeated = p_->globals.repeated_attacks;  // the month-1 model (an event may not switch it)
  const bool plain = config_.estimator == Estimator::plain;
  bool ended = false;      // a major attack ended the trial (repeated attacks)
  std::uint64_t wars = 0;  // wars fought so far
  const std::vector<int>& credibility_months = s_.credibility_months;
  const auto running = [&](int t) { return running_at(repeated, out.attack_time, out.major_time, t); };
  // Moves the state month by month up to month t; at each credibility month
  // (before that month's attack, if one comes) it measures what a major attack
  // would meet, as at month 1 above.
  const auto advance_to = [&](int t) {
    for (; t_done < t; ++t_done) {
      const int m = t_done + 1;
      const bool switched = next_switch_ < ws_.switches.size() && ws_.switches[next_switch_] == m;
      if (switched) ++next_switch_;
      if (enter(m) || switched) rebuild_effective(m);
      erode(m);
      ch = &p_->challenger;
      leader = option().leader;
      s_c = std::min(ch->strength_max, std::max(0.0, s_c + ch->growth));
      grow_protege(m);
      const std::size_t k = out.credibility_recorded;
      if (k < credibility_months.size() && credibility_months[k] == m && running(m)) {
        out.credibility[k] = {defence(kMajor, m, false, s_p, leader).p_armed,
                              defence(kMajor, m, true, s_p, leader).p_armed};
        ++out.credibility_recorded;
      }
    }
  };
  // The real opportunities decide the coins; the scoring months (conditional
  // estimator only) carry the survival products. A month may be both.
  const std::vector<int>& real = ws_.opportunities;
  const std::vector<int>& scoring = ws_.scoring;
  for (std::size_t i = 0, j = 0; i < real.size() || j < scoring.size();) {
    const int t_real = i < real.size() ? real[i] : kNever;
    const int t_score = j < scoring.size() ? scoring[j] : kNever;
    const int t = std::min(t_real, t_score);
    advance_to(t);
    const auto choice = attack_choice(*ch, attack_utilities(t, s_c, s_p, leader));
    const double p_attack = choice[kMajor] + choice[kLimited];
    const double p_any = p_attack + choice[kGrey];
    if (t == t_score) {
      const double w = ws_.scoring_weight[j++];
      if (!repeated) {
        out.p_major_attack += out.p_no_attack * w * choice[kMajor];
        out.p_no_attack *= 1.0 - w * p_attack;
      } else {
        // The states along the way do not depend on which attacks came unless
        // the challenger learns, so these are the probabilities given the
        // politics (see the fallback after the loop).
        out.p_major_attack += out.p_no_major * w * choice[kMajor];
        out.p_no_major *= 1.0 - w * choice[kMajor];
        out.p_no_attack *= 1.0 - w * p_attack;
        out.p_no_attack_any *= 1.0 - w * p_any;
      }
    }
    if (t != t_real) continue;
    const double u = ws_.choice[i++];
    if (!repeated) {  // the single-war model: the first armed attack ends the trial
      if (out.attack_time == 0 && u < p_attack) {
        out.attack_time = out.first_attack_time = t;
        out.attack_type = u < choice[kMajor] ? kMajor : kLimited;
        if (out.attack_type == kMajor) out.major_time = t;
        if (out.attack_type == kLimited) out.limited_attacks = 1;
        if (out.deal()) {
          const WarResult w = war(t, out.attack_type, s_c, s_p, 0);
          out.challenger_wins = w.challenger_wins;
          out.great_power_war = w.great_power_war;
          out.nuclear_use = w.nuclear_use;
          out.territory_lost = out.challenger_wins ? p_->globals.territory_loss[out.attack_type] : 0.0;
          record_promises();
        }
        // The conditional estimator scores the months after it too.
        if (plain) break;
      }
      continue;
    }
    if (ended || !(u < p_any)) continue;
    const int a = u < choice[kMajor] ? kMajor : u < p_attack ? kLimited : kGrey;
    fight(t, a, s_c, s_p, wars++, out);
    if (a == kMajor) {
      ended = true;
      if (plain) break;
    }
  }
  // The credibility months after the last opportunity (or the attack that ended the trial).
  const std::size_t k = out.credibility_recorded;
  if (k < credibility_months.size() && running(credibility_months[k])) advance_to(credibility_months.back());
  if (!repeated) {
    out.p_no_attack_any = out.p_no_attack;  // no grey attacks without repeated attacks (the loader's rule)
  } else {
    if (out.deal()) out.territory_lost = std::min(1.0, out.territory_lost);
    // What the challenger learns from one war, and the crisis an attack is
    // (it resets erosion), change the odds of the next: the conditional
    // estimator has no closed form then and records the coins.
    const auto path_dependent = [](const Parameters& q) {
      if (q.challenger.learning_rate != 0.0) return true;
      for (const Guarantor& g : q.guarantors)
        if (g.interest_half_life < std::numeric_limits<double>::infinity() ||
            g.aid_stock < std::numeric_limits<double>::infinity())
          return true;
      return false;
    };
    bool coins = path_dependent(ws_.params);
    for (const Parameters& later : ws_.phases) coins = coins || path_dependent(later);
    if (coins) {
      out.p_no_attack = out.attack_time == 0 ? 1.0 : 0.0;
      out.p_no_attack_any = out.first_attack_time == 0 ? 1.0 : 0.0;
      out.p_major_attack = out.major_time != 0 ? 1.0 : 0.0;
    }
  }
  return out;
}

// Every attack is fought as though the deal held (the learning of the options
// is compared on the same draws); what it costs counts only under a deal.
void Trial::fight(int t, int a, double s_c, double s_p, std::uint64_t n, OptionOutcome& out) {
  if (out.first_attack_time == 0) out.first_attack_time = t;
  const bool armed = a != kGrey;
  const bool first_armed = armed && out.attack_time == 0;
  if (first_armed) {
    out.attack_time = t;
    out.attack_type = a;
  }
  if (a == kMajor) out.major_time = t;
  if (a == kLimited) ++out.limited_attacks;
  if (a == kGrey) ++out.grey_attacks;
  const WarResult w = war(t, a, s_c, s_p, n);
  if (first_armed) out.challenger_wins = w.challenger_wins;
  out.great_power_war = out.great_power_war || w.great_power_war;
  out.nuclear_use = out.nuclear_use || w.nuclear_use;
  if (out.deal() && w.challenger_wins) out.territory_lost += p_->globals.territory_loss[a];
  record_promises();
  for (std::size_t g = 0; g < p_->guarantors.size(); ++g)
    ws_.learned[g] = learning_step(p_->challenger, ws_.learned[g], ws_.response[g], ws_.promised[g]);
  // An arms surge draws on the stock.
  for (std::size_t g = 0; g < p_->guarantors.size(); ++g) {
    if (ws_.stock[g] < std::numeric_limits<double>::infinity())
      ws_.stock[g] = std::max(0.0, ws_.stock[g] - ws_.surged[g]);
  }
  last_crisis_ = t;  // an attack is a crisis: attention returns from the next month's erosion on
}

// P(promise kept) counts each guarantor's first attack that its commitment covers.
void Trial::record_promises() {
  for (std::size_t g = 0; g < p_->guarantors.size(); ++g) {
    if (ws_.kept[g] < 0 && ws_.promised[g] > 0) ws_.kept[g] = ws_.response[g] >= ws_.promised[g] ? 1 : 0;
  }
}

// The war: each guarantor's reading, engagement and response, then the outcome.
Trial::WarResult Trial::war(int t, int a, double s_c, double s_p, std::uint64_t n) {
  const std::size_t G = p_->guarantors.size();
  // Realised stances.
  std::vector<GuarantorStance> st(G);
  for (std::size_t g = 0; g < G; ++g) {
    unsigned weak_mask = 0;
    bool engaged = false;
    double troops = 0.0;
    const auto& mine = ws_.by_guarantor[g];
    for (std::size_t i = 0; i < mine.size(); ++i) {
      const Commitment& c = ws_.effective[mine[i]];
      RngStream draws(seed_, trial_, Purpose::war, commitment_slot(g, ws_.effective_rank[mine[i]]));
      if (n > 0) draws.discard(n * kDrawsPerWar);
      if (draws.uniform() < c.ambiguity && i < kMaxReadingsPerGuarantor) weak_mask |= 1u << i;
      if (draws.uniform() < engagement_probability(p_->globals, c, a)) {
        engaged = true;
        troops += c.troop_power;
      }
    }
    st[g] = stance(g, a, weak_mask, engaged, troops, s_p);
  }
  // Responses: the leader first, then the others knowing what it did.
  const std::size_t leader = option().leader;
  const auto respond = [&](std::size_t g, int leader_rung) {
    const auto rung = rung_probabilities(*p_, p_->guarantors[g], st[g], resolve(g, t), leader_rung);
    RngStream draws(seed_, trial_, Purpose::war, kResponseSlot + static_cast<std::uint32_t>(g));
    if (n > 0) draws.discard(n * kDrawsPerWar);
    int r = 0;
    for (int k = 1; k < kResponses; ++k) {
      if (draws.uniform() < rung[k]) r = k;
    }
    return r;
  };
  ws_.response.assign(G, 0);
  ws_.promised.assign(G, 0);
  ws_.surged.assign(G, 0.0);
  ws_.response[leader] = respond(leader, -1);
  double defender = weighted(p_->protege.fortification, s_p);
  double nuclear_power = 0.0;
  for (std::size_t g = 0; g < G; ++g) {
    if (g != leader) ws_.response[g] = respond(g, ws_.response[leader]);
    const double power = response_power(p_->globals, st[g], ws_.response[g]) + st[g].troop_power;
    if (ws_.response[g] == static_cast<int>(Response::arms_surge))
      ws_.surged[g] = response_power(p_->globals, st[g], ws_.response[g]);
    defender += power;
    if (p_->guarantors[g].nuclear) {
      nuclear_power += st[g].troop_power;
      if (ws_.response[g] == static_cast<int>(Response::combat)) nuclear_power += st[g].combat_power;
    }
    ws_.promised[g] = st[g].promised;
  }
  RngStream outcome(seed_, trial_, Purpose::war, kWarOutcomeSlot);
  if (n > 0) outcome.discard(n * kDrawsPerWar);
  const double p_win = win_probability(p_->globals, s_c, defender);
  WarResult w;
  w.challenger_wins = outcome.uniform() < p_win;
  w.great_power_war = outcome.uniform() < great_power_war_probability(p_->challenger, a, nuclear_power);
  const double u_nuclear = outcome.uniform();
  w.nuclear_use = w.great_power_war && u_nuclear < nuclear_use_probability(p_->globals, p_win);
  return w;
}

}  // namespace

void draw_uncertain(const Scenario& scenario, std::uint64_t seed, std::uint64_t trial, std::vector<double>& uniforms,
                    std::vector<double>& values) {
  const std::size_t n = scenario.uncertain.size();
  uniforms.resize(n);
  values.resize(n);
  if (n == 0) return;
  RngStream stream(seed, trial, Purpose::parameters);
  scenario.copula.sample_uniforms(stream, uniforms);
  for (std::size_t i = 0; i < n; ++i) {
    const UncertainParameter& u = scenario.uncertain[i];
    values[i] = u.fixed ? *u.fixed : u.distribution.quantile(uniforms[i]);
  }
}

std::vector<double> draw_world(const Scenario& scenario, std::uint64_t seed, std::uint64_t world) {
  std::vector<double> uniforms, values;
  RngStream stream(seed, world, Purpose::world);
  scenario.copula.sample_uniforms(stream, uniforms);
  for (std::size_t i = 0; i < scenario.uncertain.size(); ++i) {
    if (scenario.uncertain[i].epistemic) values.push_back(scenario.uncertain[i].distribution.quantile(uniforms[i]));
  }
  return values;
}

Scenario in_world(Scenario scenario, std::uint64_t seed, std::uint64_t world) {
  const std::vector<double> values = draw_world(scenario, seed, world);
  std::size_t k = 0;
  for (UncertainParameter& u : scenario.uncertain) {
    if (u.epistemic) u.fixed = values[k++];
  }
  return scenario;
}

Estimator parse_estimator(const std::string& name) {
  if (name == "plain") return Estimator::plain;
  if (name == "conditional") return Estimator::conditional;
  throw sim::RunError("estimator is '" + name + "', but must be plain or conditional");
}

CredibilityModel::CredibilityModel(Scenario scenario, const std::vector<std::string>& options, ModelConfig config)
    : scenario_(std::move(scenario)), config_(config) {
  selected_ = select_options(scenario_, options);
  no_guarantee_ = select_options(scenario_, {kNoGuaranteeOption}).front();
  layout_ = outcome_layout(scenario_, selected_);
  if (!(config_.scoring_oversampling >= 1.0))
    throw sim::RunError("scoring oversampling must be at least 1 (every opportunity is a scoring month)");
  if (config_.estimator == Estimator::conditional) {
    for (auto& option : layout_.options) {
      for (const std::size_t m : {kDeal, kChallengerAccepts, kProtegeAccepts, kRatified, kNoArmedAttack,
                                  kNoArmedAttackAll, kMajorAttack, kNoAttackAny})
        option.metrics[m].expected = true;
      // Given a deal: every trial counts, weighted by its P(deal) (docs/engine.md, "Ratio estimator").
      for (const std::size_t m : kGivenDealRatios) option.metrics[m].ratio = true;
    }
  }
  for (const std::size_t o : selected_) committed_.push_back(committed_guarantors(scenario_.base.options[o]));
}

std::unique_ptr<sim::Workspace> CredibilityModel::make_workspace() const {
  auto ws = std::make_unique<ModelWorkspace>();
  const auto T = static_cast<std::size_t>(scenario_.base.horizon);
  const std::size_t G = scenario_.base.guarantors.size();
  ws->params = scenario_.base;
  ws->uniforms.resize(scenario_.uncertain.size());
  ws->values.resize(scenario_.uncertain.size());
  ws->resolve.resize(G * T);
  ws->perception.resize(G * T);
  ws->by_guarantor.resize(G);
  ws->stock.resize(G);
  return ws;
}

void CredibilityModel::run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace& base_ws,
                                 sim::TrialRecord& out) const {
  auto& ws = static_cast<ModelWorkspace&>(base_ws);
  Parameters& p = ws.params;

  // This trial's parameters (one copula draw shared by every option).
  p = scenario_.base;
  trial += config_.first_trial;
  draw_uncertain(scenario_, seed, trial, ws.uniforms, ws.values);
  for (std::size_t i = 0; i < scenario_.uncertain.size(); ++i)
    for (const auto& target : scenario_.uncertain[i].targets) target(p, ws.values[i]);
  // The same draws in the parameters of each scheduled event.
  ws.phases.resize(scenario_.events.size());
  for (std::size_t k = 0; k < scenario_.events.size(); ++k) {
    ws.phases[k] = scenario_.events[k].params;
    for (const auto& [i, targets] : scenario_.events[k].draws)
      for (const auto& target : targets) target(ws.phases[k], ws.values[i]);
  }
  // Interest before erosion (erosion overwrites it month by month).
  const std::size_t G = p.guarantors.size();
  ws.interest.resize((ws.phases.size() + 1) * G);
  for (std::size_t k = 0; k <= ws.phases.size(); ++k)
    for (std::size_t g = 0; g < G; ++g)
      ws.interest[k * G + g] = (k == 0 ? p : ws.phases[k - 1]).guarantors[g].interest;

  Trial t(scenario_, config_, ws, seed, trial);
  t.draw_shared();
  const OptionOutcome none = t.run_option(no_guarantee_);
  for (std::size_t o = 0; o < selected_.size(); ++o) {
    const OptionOutcome r = selected_[o] == no_guarantee_ ? none : t.run_option(selected_[o]);
    const bool deal = r.deal();
    const bool attacked = r.attack_time != 0;
    const bool conditional = config_.estimator == Estimator::conditional;
    const double p_deal = r.p_challenger * r.p_protege;  // the two acceptance uniforms are independent
    out.set(o, kDeal, conditional ? p_deal : deal);
    out.set(o, kChallengerAccepts, conditional ? r.p_challenger : r.challenger_accepts);
    out.set(o, kProtegeAccepts, conditional ? r.p_protege : r.protege_accepts);
    out.set(o, kRatified, conditional ? r.p_ratified : r.ratified);
    out.set(o, kArmedDefence, r.armed_defence);
    out.set(o, kArmedDefencePerceived, r.armed_defence_seen);
    out.set(o, kDefenceDelivered, r.defence_delivered);
    // The attack path is run whether or not the deal is made, on uniforms of
    // its own, so P(deal and no attack | draws) is the product.
    out.set(o, kNoArmedAttackAll, conditional ? p_deal * r.p_no_attack : deal && !attacked);
    out.set(o, kTerritoryLost, r.territory_lost);
    out.set(o, kGreatPowerWar, deal && r.great_power_war);
    out.set(o, kNuclearUse, deal && r.nuclear_use);
    out.set_survival(o, kNoArmedAttackCurve, deal, r.attack_time);
    out.set_survival(o, kNoMajorAttackCurve, deal, r.major_time);
    const double deterrence_added = conditional ? r.p_no_attack - none.p_no_attack
                                                : (attacked ? 0.0 : 1.0) - (none.attack_time != 0 ? 0.0 : 1.0);
    if (conditional) {
      // Given deal, as a ratio over every trial: the attack path is run as
      // though the deal held, on uniforms independent of the deal's, so each
      // trial's conditional probability counts with weight P(deal | draws).
      out.set_weighted(o, kNoArmedAttack, r.p_no_attack, p_deal);
      out.set_weighted(o, kDeterrenceAdded, deterrence_added, p_deal);
      out.set_weighted(o, kMajorAttack, r.p_major_attack, p_deal);
      out.set_weighted(o, kNoAttackAny, r.p_no_attack_any, p_deal);
      out.set_weighted(o, kGreyAttacks, r.grey_attacks, p_deal);
      out.set_weighted(o, kLimitedAttacks, r.limited_attacks, p_deal);
    }
    if (!deal) continue;
    // Given deal: the trials with a deal (the coin) carry the conditional
    // probability, whose draws are independent of the deal's uniforms (the
    // ratio metrics take them for their paired differences).
    out.set(o, kNoArmedAttack, conditional ? r.p_no_attack : !attacked);
    out.set(o, kDeterrenceAdded, deterrence_added);
    out.set(o, kTerritoryLostDeal, r.territory_lost);
    out.set(o, kGreatPowerWarDeal, r.great_power_war);
    out.set(o, kNuclearUseDeal, r.nuclear_use);
    out.set(o, kMajorAttack, conditional ? r.p_major_attack : r.major_time != 0);
    out.set(o, kNoAttackAny, conditional ? r.p_no_attack_any : r.first_attack_time == 0);
    out.set(o, kGreyAttacks, r.grey_attacks);
    out.set(o, kLimitedAttacks, r.limited_attacks);
    if (r.first_attack_time != 0) out.set(o, kFirstAttackMonth, r.first_attack_time);
    if (r.major_time != 0) out.set(o, kMajorAttackMonth, r.major_time);
    // Promise kept, per committed guarantor, at the first attack its commitment
    // covered. (ws.kept is this option's: it was the last one run.)
    const auto& committed = committed_[o];
    for (std::size_t i = 0; i < committed.size(); ++i) {
      const int kept = ws.kept[committed[i]];
      if (kept >= 0) out.set(o, layout_.common_metrics + i, kept);
    }
    for (std::size_t k = 0; k < r.credibility_recorded; ++k) {
      out.set(o, kCommonMetrics + 2 * k, r.credibility[k][0]);
      out.set(o, kCommonMetrics + 2 * k + 1, r.credibility[k][1]);
    }
    if (!attacked) continue;
    out.set(o, kChallengerWins, r.challenger_wins);
    out.set(o, kAttackMonth, r.attack_time);
  }
}

}  // namespace credsim::model
