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

// The power each response of a state puts into the war, engaged troops included.
std::array<double, kResponses> state_power(const Parameters& p, const GuarantorStance& st) {
  std::array<double, kResponses> power{};
  for (int k = 0; k < kResponses; ++k) power[k] = response_power(p.globals, st, k) + st.troop_power;
  return power;
}

// Adds state `st` (weight w, its powers from state_power) with response
// distribution `dist`, restricted to responses in [lo, hi] (the leader's own
// response is conditioned on).
void add_state(const GuarantorStance& st, const std::array<double, kResponses>& power, double w,
               const std::array<double, kResponses>& dist, int lo, int hi, Contribution& c) {
  for (int k = lo; k <= hi; ++k) {
    const double pk = w * dist[k];
    if (pk == 0.0) continue;
    const bool combat = k == static_cast<int>(Response::combat);
    if (!combat && !st.engaged) c.no_armed += pk;
    c.power += pk * power[k];
    if (k > 0) c.bite += pk * st.bite;
    c.no_escalation += pk * st.calm_troops * (combat ? st.calm_combat : 1.0);
  }
}

// A member that follows nobody: the same contribution whatever the leader does.
Contribution contribution(const Parameters& p, const CoalitionMember& m) {
  Contribution c;
  const Guarantor& g = p.guarantors[m.guarantor];
  for (const StanceState& s : m.states) {
    const auto dist = response_distribution(rung_probabilities(p, g, s.stance, m.resolve, -1));
    add_state(s.stance, state_power(p, s.stance), s.weight, dist, 0, kResponses - 1, c);
  }
  return c;
}

// A follower's contribution given each leader response k (states in order, as one at a time would).
std::array<Contribution, kResponses> contributions_by_leader(const Parameters& p, const CoalitionMember& m) {
  std::array<Contribution, kResponses> c{};
  const Guarantor& g = p.guarantors[m.guarantor];
  for (const StanceState& s : m.states) {
    const FollowerRungs rungs = follower_rungs(p, g, s.stance, m.resolve);
    const auto power = state_power(p, s.stance);
    for (int k = 0; k < kResponses; ++k)
      add_state(s.stance, power, s.weight, response_distribution(rungs.given_leader(k)), 0, kResponses - 1, c[k]);
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
  // Each member's contribution given each leader response; one that follows
  // nobody contributes the same whatever the leader does.
  std::vector<std::array<Contribution, kResponses>> by_leader(members.size());
  for (std::size_t m = 0; m < members.size(); ++m) {
    if (m == leader) continue;
    if (p.guarantors[members[m].guarantor].follow == 0.0)
      by_leader[m].fill(contribution(p, members[m]));
    else
      by_leader[m] = contributions_by_leader(p, members[m]);
  }
  double no_armed = 0.0, no_escalation = 0.0;
  const CoalitionMember& lead = members[leader];
  const Guarantor& lg = p.guarantors[lead.guarantor];
  std::vector<std::array<double, kResponses>> lead_dist, lead_power;
  lead_dist.reserve(lead.states.size());
  lead_power.reserve(lead.states.size());
  for (const StanceState& s : lead.states) {
    lead_dist.push_back(response_distribution(rung_probabilities(p, lg, s.stance, lead.resolve, -1)));
    lead_power.push_back(state_power(p, s.stance));
  }
  for (int k = 0; k < kResponses; ++k) {
    // The leader's own part of the joint event {r_L = k}.
    Contribution own;
    double p_k = 0.0;
    for (std::size_t i = 0; i < lead.states.size(); ++i) {
      add_state(lead.states[i].stance, lead_power[i], lead.states[i].weight, lead_dist[i], k, k, own);
      p_k += lead.states[i].weight * lead_dist[i][k];
    }
    d.leader[k] = std::min(p_k, 1.0);
    if (p_k == 0.0) continue;
    double followers_no_armed = 1.0, followers_no_escalation = 1.0;
    for (std::size_t m = 0; m < members.size(); ++m) {
      if (m == leader) continue;
      const Contribution& c = by_leader[m][k];
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
