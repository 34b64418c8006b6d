#include "models/model_equations.hpp"

#include <algorithm>

namespace credsim::model {
namespace {

// One member's contribution to what the attack meets, given the leader's
// response (or unconditionally): each term in expectation over its states.
struct Contribution {
  double no_armed = 0.0;       // P(not in combat and troops not engaged)
  double power = 0.0;          // E[power]
  double bite = 0.0;           // E[sanctions bite]
  double no_escalation = 0.0;  // E[exp(-psi X)], X its nuclear power in combat (1 if not nuclear)
};

// Adds state `st` (weight w) with response distribution `dist`, restricted to
// responses in [lo, hi] (the leader's own response is conditioned on).
void add_state(const Parameters& p, const GuarantorStance& st, double w,
               const std::array<double, kResponses>& dist, int lo, int hi, Contribution& c) {
  for (int k = lo; k <= hi; ++k) {
    const double pk = w * dist[k];
    if (pk == 0.0) continue;
    const bool combat = k == static_cast<int>(Response::combat);
    if (!combat && !st.engaged) c.no_armed += pk;
    c.power += pk * (response_power(p.globals, st, k) + st.troop_power);
    if (k > 0) c.bite += pk * st.bite;
    c.no_escalation += pk * st.calm_troops * (combat ? st.calm_combat : 1.0);
  }
}

Contribution contribution(const Parameters& p, const CoalitionMember& m, int leader_rung) {
  Contribution c;
  const Guarantor& g = p.guarantors[m.guarantor];
  for (const StanceState& s : m.states) {
    const auto dist = response_distribution(rung_probabilities(p, g, s.stance, m.resolve, leader_rung));
    add_state(p, s.stance, s.weight, dist, 0, kResponses - 1, c);
  }
  return c;
}

}  // namespace

ExpectedDefence expected_defence(const Parameters& p, const std::vector<CoalitionMember>& members,
                                 std::size_t leader) {
  ExpectedDefence d;
  if (members.empty()) {
    d.leader[0] = 1.0;
    return d;
  }
  // Followers with no follow weight do not depend on the leader: one summary for all k.
  std::vector<Contribution> independent(members.size());
  for (std::size_t m = 0; m < members.size(); ++m) {
    if (m != leader && p.guarantors[members[m].guarantor].follow == 0.0) {
      independent[m] = contribution(p, members[m], -1);
    }
  }
  double no_armed = 0.0, no_escalation = 0.0;
  const CoalitionMember& lead = members[leader];
  const Guarantor& lg = p.guarantors[lead.guarantor];
  std::vector<std::array<double, kResponses>> lead_dist;
  lead_dist.reserve(lead.states.size());
  for (const StanceState& s : lead.states) {
    lead_dist.push_back(response_distribution(rung_probabilities(p, lg, s.stance, lead.resolve, -1)));
  }
  for (int k = 0; k < kResponses; ++k) {
    // The leader's own part of the joint event {r_L = k}.
    Contribution own;
    double p_k = 0.0;
    for (std::size_t i = 0; i < lead.states.size(); ++i) {
      add_state(p, lead.states[i].stance, lead.states[i].weight, lead_dist[i], k, k, own);
      p_k += lead.states[i].weight * lead_dist[i][k];
    }
    d.leader[k] = std::min(p_k, 1.0);
    if (p_k == 0.0) continue;
    double followers_no_armed = 1.0, followers_no_escalation = 1.0;
    for (std::size_t m = 0; m < members.size(); ++m) {
      if (m == leader) continue;
      const Contribution c = p.guarantors[members[m].guarantor].follow == 0.0 ? independent[m]
                                                                              : contribution(p, members[m], k);
      followers_no_armed *= c.no_armed;
      followers_no_escalation *= c.no_escalation;
      d.power += p_k * c.power;
      d.bite += p_k * c.bite;
    }
    no_armed += own.no_armed * followers_no_armed;
    no_escalation += own.no_escalation * followers_no_escalation;
    d.power += own.power;
    d.bite += own.bite;
  }
  // The state weights sum to 1 only up to rounding: keep the complements in [0, 1].
  d.p_armed = std::clamp(1.0 - no_armed, 0.0, 1.0);
  d.p_great_power = std::clamp(1.0 - no_escalation, 0.0, 1.0);
  return d;
}

}  // namespace credsim::model
