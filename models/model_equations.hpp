#pragma once
// The equations of the v2 model (models/README.md), as pure functions of the
// parameters. The trial loop (credibility_model.cpp), both ways of sampling
// the challenger's opportunities, the analytic metrics and the tests all call
// these; nothing else writes an equation of the model.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "models/scenario.hpp"

namespace credsim::model {

// 1 / (1 + e^{-x}), without overflow for large |x|.
inline double logistic(double x) {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// Extreme but legal parameters (costs near 1e300, lambda -> inf, noise -> 0,
// zero weights) must give a probability, never NaN. Two rules, applied where
// NaN would otherwise arise and bit-neutral everywhere else:
//   * a zero weight ignores what it weighs: 0 * inf = 0 (weighted());
//   * an infinite benefit against an infinite cost is indifference: inf - inf = 0
//     (net_of()).
inline double weighted(double w, double x) { return w == 0.0 || x == 0.0 ? 0.0 : w * x; }
inline double net_of(double benefit, double cost) {
  return std::isinf(benefit) && std::isinf(cost) && (benefit > 0.0) == (cost > 0.0) ? 0.0 : benefit - cost;
}
// logistic(v / s) for the guarantors' decisions (s > 0; v may be +-inf).
inline double choice_probability(const Globals& gl, double v) { return logistic(v / gl.decision_noise); }

// Stage 3, erosion: F + (I - F) 2^{-m/H}, m months since the last crisis (or
// month 1); exactly I when the half-life H is infinite.
inline double eroded_interest(double interest, double floor, double half_life, int months) {
  if (!(half_life < std::numeric_limits<double>::infinity())) return interest;
  return floor + (interest - floor) * std::exp2(-static_cast<double>(months) / half_life);
}

// Stage 3, opportunity: P(the challenger weighs an attack in month t) =
// min(1, h_0 2^{-(t-1)/H} [M at a scheduled crisis]); h_0 when neither is set.
inline bool opportunity_varies(const Challenger& c, const std::vector<int>& crises) {
  return c.opportunity_half_life < std::numeric_limits<double>::infinity() ||
         (c.crisis_multiplier != 1.0 && !crises.empty());
}
inline double opportunity_probability(const Challenger& c, const std::vector<int>& crises, int t) {
  double h = c.opportunity_rate;
  if (c.opportunity_half_life < std::numeric_limits<double>::infinity())
    h *= std::exp2(-static_cast<double>(t - 1) / c.opportunity_half_life);
  if (std::binary_search(crises.begin(), crises.end(), t)) h *= c.crisis_multiplier;
  return std::min(1.0, h);
}

// A trial is still running at month t (P(armed defence | major attack at t) is
// measured on it) when no attack that ends it came before t: a major attack,
// or in the single-war model any armed attack (months 0: none).
inline bool running_at(bool repeated_attacks, int armed_attack_month, int major_attack_month, int t) {
  const int ended_by = repeated_attacks ? major_attack_month : armed_attack_month;
  return ended_by == 0 || ended_by >= t;
}

inline bool is_election(const Elections& e, int t) {
  return e.scheduled && t >= e.first && (t - e.first) % e.interval == 0;
}

// r_hat = r * exp(beta_C + sigma_C * z + l), l what the challenger has learned
// from the guarantor's responses so far (learning_step; 0 before any).
inline double perceived_resolve(const Challenger& c, double resolve, double z, double learned = 0.0) {
  return weighted(resolve, std::exp(c.perception_bias + c.perception_noise * z + learned));
}

// Stage 6, learning: after a response the challenger's perceived resolve of the
// guarantor moves towards what it saw, l <- l + eta (response - promised), in
// rungs of the menu (promised = 0 where no promise covered the attack): a
// response below the promise lowers it, one above raises it; eta = 0 switches it off.
inline double learning_step(const Challenger& c, double learned, int response, int promised) {
  return learned + weighted(c.learning_rate, static_cast<double>(response - promised));
}

// tau_j * exposure_a, tau_j = 1 - exp(-D_j / D_0)
inline double engagement_probability(const Globals& g, const Commitment& c, int attack_type) {
  return -std::expm1(-c.troops / g.troop_scale) * c.exposure[attack_type];
}

// Tullock contest: S_C^gamma / (S_C^gamma + S_D^gamma); an even contest when both are 0.
// When the powers overflow or underflow (large gamma) the same ratio is taken in
// logs, logistic(gamma (ln S_C - ln S_D)), so it stays in [0, 1].
inline double win_probability(const Globals& gl, double s_c, double s_d) {
  const double a = std::pow(s_c, gl.contest_exponent);
  const double d = std::pow(s_d, gl.contest_exponent);
  const double sum = a + d;
  if (sum > 0.0 && std::isfinite(sum)) return a / sum;
  if (!(s_c > 0.0) || !(s_d > 0.0) || std::isinf(s_c) || std::isinf(s_d)) {  // a side is 0 or infinite
    if (s_c == s_d || std::isnan(s_c) || std::isnan(s_d)) return 0.5;
    return s_c > s_d ? 1.0 : 0.0;
  }
  return logistic(gl.contest_exponent * (std::log(s_c) - std::log(s_d)));
}

// ---------------------------------------------------------------------------
// Stage 5: a guarantor's response. Each rung k of the menu (sanctions, arms
// surge, combat) is taken with probability logistic(v_k / s),
//   v_k = r I effect_k + [k = promised] (A* + R) + [k = combat] xi E - cost_k
//         + follow (2 [leader took k] - 1)            (followers only)
// where effect_k = P_k / (P_k + f S_P) is the share of the protégé's defence
// that rung k's power P_k would make up (a small contributor gains little
// by fighting: free-riding comes out of the utility).
// and the response is the highest rung taken. A promise raises only the rung
// it promises, so a declaration that promises sanctions leaves P(combat)
// where it was without it (models/README.md explains the choice).

// What one guarantor brings to one option against one attack type, under
// one reading of each of its commitments and one engagement state.
struct GuarantorStance {
  int promised = 0;                     // highest rung promised (0: no promise covers this attack)
  std::array<double, kResponses> bonus{};  // promise term per rung: A* of the commitments promising it, + R
  double combat_power = 0.0;            // power in combat (share x capability)
  double bite = 0.0;                    // what its sanctions cost the challenger
  bool engaged = false;                 // its troops meet the attack (blood price; they fight)
  double troop_power = 0.0;             // power of its engaged troops (0 when not engaged)
  double own_defence = 0.0;             // f S_P: the protégé's own defence the response adds to
  // exp(-psi_a X) for its engaged troops and for its combat power (1 when not
  // nuclear): the escalation terms, computed once per state, not per leader response.
  double calm_troops = 1.0, calm_combat = 1.0;
  double surge_cap = std::numeric_limits<double>::infinity();  // its stock: an arms surge brings at most this
};

// Rung k's power relative to the guarantor's combat power (an arms surge at most its stock: response_power).
inline double rung_effect(const Globals& gl, int k) {
  return k == static_cast<int>(Response::combat) ? 1.0
         : k == static_cast<int>(Response::arms_surge) ? gl.aid_surge_share
                                                         : 0.0;
}

inline double rung_cost(const Parameters& p, const Guarantor& g, int k) {
  switch (static_cast<Response>(k)) {
    case Response::sanctions: return g.sanctions_cost;
    case Response::arms_surge: return g.surge_cost;
    case Response::combat: return g.war_cost * (1.0 + g.escalation_aversion * (p.challenger.nuclear ? 1.0 : 0.0));
    case Response::none: return 0.0;
  }
  return 0.0;
}

// Guarantor g's value of rung k, k = 1..3, before any following of a leader.
inline double rung_value(const Parameters& p, const GuarantorStance& st, double value, int k) {
  double power = weighted(rung_effect(p.globals, k), st.combat_power);
  if (k == static_cast<int>(Response::arms_surge)) power = std::min(power, st.surge_cap);
  const double effect = power > 0.0 ? power / (power + st.own_defence) : 0.0;
  double v = weighted(value, effect) + st.bonus[k];
  if (k == static_cast<int>(Response::combat) && st.engaged) v += p.globals.blood_price;
  return v;
}

// What following adds to a rung's value: +follow when the leader went at
// least that far, -follow when not.
inline double follow_term(const Guarantor& g, bool followed) { return weighted(g.follow, followed ? 1.0 : -1.0); }

// P(guarantor takes rung k), for k = 1..3 (index 0 unused). `leader_rung` is
// the leader's response for a follower, or -1 for the leader and for a
// guarantor that follows nobody: a follower values rung k more (by its
// `follow`) when the leader went at least that far, less when not.
inline std::array<double, kResponses> rung_probabilities(const Parameters& p, const Guarantor& g,
                                                         const GuarantorStance& st, double resolve,
                                                         int leader_rung) {
  std::array<double, kResponses> out{};
  const double value = weighted(resolve, g.interest);
  for (int k = 1; k < kResponses; ++k) {
    double v = rung_value(p, st, value, k);
    if (leader_rung >= 0) v += follow_term(g, leader_rung >= k);
    out[k] = choice_probability(p.globals, net_of(v, rung_cost(p, g, k)));
  }
  return out;
}

// A follower's rung probabilities for every leader response at once: rung k
// has only two, the leader at or above k (`followed`) or below it (`not_followed`),
// so six evaluations serve the four leader responses. The same numbers as
// rung_probabilities(p, g, st, resolve, leader_rung), bit for bit.
struct FollowerRungs {
  std::array<double, kResponses> followed{}, not_followed{};
  std::array<double, kResponses> given_leader(int leader_rung) const {
    std::array<double, kResponses> out{};
    for (int k = 1; k < kResponses; ++k) out[k] = leader_rung >= k ? followed[k] : not_followed[k];
    return out;
  }
};
inline FollowerRungs follower_rungs(const Parameters& p, const Guarantor& g, const GuarantorStance& st,
                                    double resolve) {
  FollowerRungs out;
  const double value = weighted(resolve, g.interest);
  for (int k = 1; k < kResponses; ++k) {
    const double v = rung_value(p, st, value, k);
    const double cost = rung_cost(p, g, k);
    out.followed[k] = choice_probability(p.globals, net_of(v + follow_term(g, true), cost));
    out.not_followed[k] = choice_probability(p.globals, net_of(v + follow_term(g, false), cost));
  }
  return out;
}

// P(response = k), k = 0..3, from the rung probabilities (rungs independent).
inline std::array<double, kResponses> response_distribution(const std::array<double, kResponses>& rung) {
  std::array<double, kResponses> dist{};
  double none_above = 1.0;  // P(no rung above k taken)
  for (int k = kResponses - 1; k >= 1; --k) {
    dist[k] = rung[k] * none_above;
    none_above *= 1.0 - rung[k];
  }
  dist[0] = none_above;
  return dist;
}

// Power a response puts into the war (engaged troops are added apart).
inline double response_power(const Globals& gl, const GuarantorStance& st, int k) {
  const double power = weighted(rung_effect(gl, k), st.combat_power);
  return k == static_cast<int>(Response::arms_surge) ? std::min(power, st.surge_cap) : power;
}

// ---------------------------------------------------------------------------
// Stage 7: escalation by scale. P(great-power war | war of type a) =
// 1 - exp(-psi_a X), X the power of nuclear-armed guarantors actually in
// combat (their combat response and their engaged troops).
inline double great_power_war_probability(const Challenger& c, int attack_type, double nuclear_power) {
  return -std::expm1(-weighted(c.escalation[attack_type], nuclear_power));
}
// P(nuclear use | great-power war): p_nuc at an even contest, rising as the
// challenger's odds fall (twice p_nuc when it is sure to lose), at most 1.
inline double nuclear_use_probability(const Globals& gl, double challenger_win) {
  return std::min(1.0, gl.nuclear_use_prob * 2.0 * (1.0 - challenger_win));
}

// ---------------------------------------------------------------------------
// The coalition's response, in expectation: a mixture over each guarantor's
// states (readings of its commitments x engagement), the leader's response,
// and the followers' responses given the leader's (independent given it).

struct StanceState {
  double weight = 1.0;
  GuarantorStance stance;
};

struct CoalitionMember {
  std::size_t guarantor = 0;
  std::vector<StanceState> states;  // weights sum to 1
  double resolve = 0.0;             // true, or as the challenger perceives it
};

// What an attack of one type meets, in expectation.
struct ExpectedDefence {
  double p_armed = 0.0;         // P(at least one guarantor in combat or its troops engaged)
  double power = 0.0;           // E[guarantor power in the war] (responses and engaged troops)
  double bite = 0.0;            // E[sanctions cost to the challenger]
  double p_great_power = 0.0;   // P(great-power war)
  std::array<double, kResponses> leader{};  // P(leader's response = k)
};

// `members[leader]` chooses first; the others follow it with their `follow` weight.
// The attack type is in each member's stances (what it covers, engagement, escalation).
ExpectedDefence expected_defence(const Parameters& p, const std::vector<CoalitionMember>& members, std::size_t leader);

// EU(a) = P_win V_a - c_a - kappa E[power met] - E[sanctions] - N P(great-power war),
// P_win against f S_P + E[power].
inline double attack_utility(const Parameters& p, int a, double s_c, double s_p, const ExpectedDefence& d) {
  const Challenger& ch = p.challenger;
  const double s_d = weighted(p.protege.fortification, s_p) + d.power;
  const double p_win = win_probability(p.globals, s_c, s_d);
  return p_win * ch.stakes[a] - ch.war_cost[a] - weighted(ch.cost_per_power, d.power) - d.bite -
         weighted(ch.nuclear_war_cost, d.p_great_power);
}

// At an opportunity the challenger chooses none / major / limited / grey by a
// multinomial logit with precision lambda: P(a) = e^{lambda EU_a} / (1 + sum_b e^{lambda EU_b}).
// Types the challenger cannot choose (Challenger::possible) are left out.
inline std::array<double, kAttackTypes> attack_choice(const Challenger& c, const std::array<double, kAttackTypes>& eu) {
  std::array<double, kAttackTypes> p{};
  double top = 0.0;  // log-sum-exp around the largest of 0 and lambda EU_a
  std::array<double, kAttackTypes> x{};
  for (int a = 0; a < kAttackTypes; ++a) {
    if (!c.possible[a]) continue;
    x[a] = weighted(c.precision, eu[a]);
    top = std::max(top, x[a]);
  }
  if (std::isinf(top)) {  // lambda EU overflowed: the limit, an even choice among the best
    int best = 0;
    for (int a = 0; a < kAttackTypes; ++a) best += c.possible[a] && x[a] == top ? 1 : 0;
    for (int a = 0; a < kAttackTypes; ++a) p[a] = c.possible[a] && x[a] == top ? 1.0 / best : 0.0;
    return p;
  }
  double sum = std::exp(-top);
  for (int a = 0; a < kAttackTypes; ++a)
    if (c.possible[a]) sum += std::exp(x[a] - top);
  for (int a = 0; a < kAttackTypes; ++a) p[a] = c.possible[a] ? std::exp(x[a] - top) / sum : 0.0;
  return p;
}

// IV_C = (1/lambda) log(1 + sum_a e^{lambda EU_a}): the value to the challenger
// of its later options (McFadden's inclusive value); max(0, EU) as lambda -> inf,
// and 0 at lambda = 0, where its choices ignore values.
inline double inclusive_value(const Challenger& c, const std::array<double, kAttackTypes>& eu) {
  if (c.precision == 0.0) return 0.0;
  double top = 0.0, best = 0.0;
  std::array<double, kAttackTypes> x{};
  for (int a = 0; a < kAttackTypes; ++a) {
    if (!c.possible[a]) continue;
    x[a] = weighted(c.precision, eu[a]);
    top = std::max(top, x[a]);
    best = std::max(best, eu[a]);
  }
  if (std::isinf(top)) return best;  // the lambda -> inf limit
  double sum = std::exp(-top);
  for (int a = 0; a < kAttackTypes; ++a)
    if (c.possible[a]) sum += std::exp(x[a] - top);
  return (top + std::log(sum)) / c.precision;
}

// The challenger accepts the deal with logistic(lambda (deal_value - sum rho_j + omega IV_C - U_continue)).
inline double challenger_acceptance(const Parameters& p, double red_lines, double weight_of_future,
                                    double iv) {
  const double value = p.settlement.deal_value - red_lines + weighted(weight_of_future, iv);
  return logistic(weighted(p.challenger.precision, net_of(value, p.settlement.continue_value)));
}

// The protégé accepts with logistic(lambda_P (protection - reservation)); 1 with no reservation.
inline double protege_acceptance(const Protege& pr, double protection) {
  if (!pr.has_reservation) return 1.0;
  return logistic(weighted(pr.precision, protection - pr.reservation));
}

}  // namespace credsim::model
