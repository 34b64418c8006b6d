#pragma once
// The equations of the v1 model (models/README.md, sections 2-5), as pure
// functions of the parameters. The trial loop and the tests share them.
#include <cmath>

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

inline bool is_election(const Elections& e, int t) {
  return e.scheduled && t >= e.first && (t - e.first) % e.interval == 0;
}

// r_hat = r * exp(beta_C + sigma_C * z)
inline double perceived_resolve(const Challenger& c, double resolve, double z) {
  return weighted(resolve, std::exp(c.perception_bias + c.perception_noise * z));
}

// tau_j * exposure_a, tau_j = 1 - exp(-D_j / D_0)
inline double engagement_probability(const Globals& g, const Commitment& c, int attack_type) {
  return -std::expm1(-c.troops / g.troop_scale) * c.exposure[attack_type];
}

// U_j = r I + R + A* + xi E - [combat] K (1 + e nuc_C)
inline double honour_utility(const Parameters& p, const Commitment& c, double resolve, bool weak_reading,
                             bool engaged) {
  const Guarantor& g = p.guarantors[c.guarantor];
  const double audience = weak_reading ? p.globals.weak_reading_weight * c.audience_cost : c.audience_cost;
  const double u = weighted(resolve, g.interest) + g.reputation + audience + (engaged ? p.globals.blood_price : 0.0);
  if (c.response != Response::combat) return u;
  return net_of(u, g.war_cost * (1.0 + g.escalation_aversion * (p.challenger.nuclear ? 1.0 : 0.0)));
}

inline double honour_probability(const Parameters& p, const Commitment& c, double resolve, bool weak_reading,
                                 bool engaged) {
  return logistic(honour_utility(p, c, resolve, weak_reading, engaged) / p.globals.decision_noise);
}

// P(honour) averaged over the two readings (weights 1 - alpha, alpha) and over
// engagement; 0 when the commitment does not cover the attack type.
inline double expected_honour(const Parameters& p, const Commitment& c, int attack_type, double resolve) {
  if (!c.covers[attack_type]) return 0.0;
  const double e = engagement_probability(p.globals, c, attack_type);
  double q = 0.0;
  for (int weak = 0; weak <= 1; ++weak) {
    const double w_reading = weak ? c.ambiguity : 1.0 - c.ambiguity;
    if (w_reading == 0.0) continue;
    const double q_free = honour_probability(p, c, resolve, weak, false);
    const double q_engaged = e > 0.0 ? honour_probability(p, c, resolve, weak, true) : 0.0;
    q += w_reading * ((1.0 - e) * q_free + e * q_engaged);
  }
  return q;
}

// power_j: sigma_j cap_g for combat, nu sigma_j cap_g for an aid surge, 0 for sanctions.
inline double commitment_power(const Globals& gl, const Commitment& c, const Guarantor& g) {
  switch (c.response) {
    case Response::combat: return c.share * g.capability;
    case Response::aid_surge: return gl.aid_surge_share * c.share * g.capability;
    case Response::sanctions: return 0.0;
  }
  return 0.0;
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

// What the challenger expects to meet for one attack type, summed over commitments.
struct PerceivedDefence {
  double power = 0.0;          // sum_j q_hat_j power_j
  double troop_power = 0.0;    // sum_j tau_j exposure_a troop_power_j
  double sanctions = 0.0;      // sum_j q_hat_j s_j
  double no_escalation = 1.0;  // prod over combat commitments of nuclear guarantors of (1 - q_hat_j)

  void add(const Parameters& p, const Commitment& c, int attack_type, double q_hat) {
    const Guarantor& g = p.guarantors[c.guarantor];
    power += q_hat * commitment_power(p.globals, c, g);
    troop_power += engagement_probability(p.globals, c, attack_type) * c.troop_power;
    sanctions += q_hat * c.sanctions;
    if (c.response == Response::combat && g.nuclear) no_escalation *= 1.0 - q_hat;
  }
};

// EU(a) = P_win V_a - c_a - kappa sum q_hat power - sum q_hat s - N psi_a P_esc
inline double attack_utility(const Parameters& p, int a, double s_c, double s_p, const PerceivedDefence& d) {
  const Challenger& ch = p.challenger;
  const double s_d = weighted(p.protege.fortification, s_p) + d.power + d.troop_power;
  const double p_win = win_probability(p.globals, s_c, s_d);
  const double p_esc = 1.0 - d.no_escalation;
  // The gain is finite (p_win <= 1) and every cost is >= 0, so only 0 * inf can make NaN here.
  return p_win * ch.stakes[a] - ch.war_cost[a] - weighted(ch.cost_per_power, d.power) - d.sanctions -
         weighted(ch.nuclear_war_cost * ch.escalation[a], p_esc);
}

// p_a = h_0 logistic(lambda EU(a))
inline double attack_probability(const Parameters& p, int a, double s_c, double s_p, const PerceivedDefence& d) {
  return p.challenger.opportunity_rate * logistic(weighted(p.challenger.precision, attack_utility(p, a, s_c, s_p, d)));
}

// logistic(lambda (deal_value - sum_j rho_j - U_continue))
inline double deal_acceptance(const Parameters& p, const Option& option) {
  double red_lines = 0.0;
  for (const auto& c : option.commitments) red_lines += c.red_line;
  return logistic(weighted(p.challenger.precision,
                           p.settlement.deal_value - red_lines - p.settlement.continue_value));
}

}  // namespace credsim::model
