#include "models/credibility_model.hpp"

#include <algorithm>
#include <cmath>

#include "models/model_equations.hpp"
#include "models/outcome_layout.hpp"
#include "sim/errors.hpp"
#include "sim/rng.hpp"

namespace credsim::model {
namespace {

using sim::Purpose;
using sim::RngStream;

// Sub-stream of the war draws of a commitment: keyed by its guarantor and the
// commitment's rank among that guarantor's commitments in the option, so that
// the same guarantor's promise in two options uses the same draws.
std::uint32_t war_slot(std::size_t guarantor, std::size_t rank) {
  return static_cast<std::uint32_t>(1 + guarantor * 64 + rank);
}
constexpr std::uint32_t kWarOutcomeSlot = 0;

struct ModelWorkspace : sim::Workspace {
  Parameters params;
  std::vector<double> uniforms;    // copula output
  std::vector<double> values;      // the uncertain parameters' values in this trial
  std::vector<double> resolve;     // [g * T + (t - 1)]: resolve of g's government in period t
  std::vector<double> perception;  // [g * T + (t - 1)]: challenger's perception error z for g
  std::vector<double> decision;    // [t - 1]: the period's decision uniform, shared by options
  std::vector<std::size_t> rank;   // [g]: commitments of guarantor g met so far in the option
};

// Government turnover and perception errors for every guarantor over the
// horizon. They do not depend on the option: computed once per trial and shared.
void simulate_politics(const Parameters& p, std::uint64_t seed, std::uint64_t trial, ModelWorkspace& ws) {
  const int T = p.horizon;
  for (std::size_t g = 0; g < p.guarantors.size(); ++g) {
    const Guarantor& gu = p.guarantors[g];
    const auto sub = static_cast<std::uint32_t>(g);
    RngStream turnover(seed, trial, Purpose::politics, sub);
    RngStream successor(seed, trial, Purpose::successor, sub);
    RngStream perception(seed, trial, Purpose::perception, sub);
    double r = gu.resolve;
    double z = perception.normal();
    for (int t = 1; t <= T; ++t) {
      bool change = turnover.uniform() < gu.turnover_hazard;
      if (is_election(gu.elections, t)) change = (turnover.uniform() < gu.elections.change_prob) || change;
      if (change) {
        r = gu.successor_resolve.quantile(successor.uniform());
        z = perception.normal();
      }
      ws.resolve[g * T + (t - 1)] = r;
      ws.perception[g * T + (t - 1)] = z;
    }
  }
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
  for (std::size_t i = 0; i < n; ++i) values[i] = scenario.uncertain[i].distribution.quantile(uniforms[i]);
}

CredibilityModel::CredibilityModel(Scenario scenario, const std::vector<std::string>& options)
    : scenario_(std::move(scenario)) {
  // Options are selected by index rather than copied out: the uncertain
  // parameters' targets write into the scenario's options by position.
  const auto& all = scenario_.base.options;
  if (options.empty()) {
    for (std::size_t o = 0; o < all.size(); ++o) selected_.push_back(o);
  }
  for (const auto& name : options) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Option& o) { return o.name == name; });
    if (it == all.end()) {
      std::string known;
      for (const auto& o : all) known += (known.empty() ? "" : ", ") + o.name;
      throw sim::RunError("unknown option '" + name + "'; the scenario has: " + known);
    }
    selected_.push_back(static_cast<std::size_t>(it - all.begin()));
  }

  layout_.horizon = scenario_.base.horizon;
  layout_.common_metrics = kCommonMetrics;
  layout_.survival_given = "deal";
  for (std::size_t k = 0; k < selected_.size(); ++k) {
    if (selected_[k] == scenario_.baseline) layout_.baseline = k;
    layout_.options.push_back(option_layout(all[selected_[k]], scenario_.base.guarantors));
  }
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
  ws->decision.resize(T);
  ws->rank.resize(G);
  return ws;
}

void CredibilityModel::run_trial(std::uint64_t seed, std::uint64_t trial, sim::Workspace& base_ws,
                                 sim::TrialRecord& out) const {
  auto& ws = static_cast<ModelWorkspace&>(base_ws);
  Parameters& p = ws.params;

  // 1. This trial's parameters (one copula draw shared by every option).
  p = scenario_.base;
  draw_uncertain(scenario_, seed, trial, ws.uniforms, ws.values);
  for (std::size_t i = 0; i < scenario_.uncertain.size(); ++i)
    for (const auto& target : scenario_.uncertain[i].targets) target(p, ws.values[i]);

  // 2. Draws shared by every option: politics, the deal draw, the decision draws.
  simulate_politics(p, seed, trial, ws);
  const double u_deal = RngStream(seed, trial, Purpose::settlement).uniform();
  {
    RngStream decision(seed, trial, Purpose::decision);
    for (double& u : ws.decision) u = decision.uniform();
  }

  const int T = p.horizon;
  const Globals& gl = p.globals;
  const Challenger& ch = p.challenger;
  for (std::size_t o = 0; o < selected_.size(); ++o) {
    const Option& opt = p.options[selected_[o]];
    const std::size_t J = opt.commitments.size();

    // Credibility at t = 1 (true and perceived), against a major attack.
    double cred_sum = 0.0, perceived_sum = 0.0;
    for (std::size_t j = 0; j < J; ++j) {
      const Commitment& c = opt.commitments[j];
      const std::size_t g = c.guarantor;
      const double r = ws.resolve[g * T];
      const double truth = expected_honour(p, c, kMajor, r);
      const double seen = expected_honour(p, c, kMajor, perceived_resolve(ch, r, ws.perception[g * T]));
      out.set(o, commitment_metric(j, kCommitCredibility), truth);
      out.set(o, commitment_metric(j, kCommitPerceived), seen);
      cred_sum += truth;
      perceived_sum += seen;
    }
    const double cred = J ? cred_sum / static_cast<double>(J) : 0.0;
    const double perceived = J ? perceived_sum / static_cast<double>(J) : 0.0;
    out.set(o, kCredibility, cred);
    out.set(o, kPerceived, perceived);
    out.set(o, kCredibilityGap, perceived - cred);

    // Settlement stage.
    const bool deal = !p.settlement.enabled || u_deal < deal_acceptance(p, opt);
    out.set(o, kDeal, deal);
    if (!deal) {
      out.set(o, kPeace, 0.0);
      out.set_survival(o, false, 0);
      continue;
    }

    // Periods 1..T until an attack.
    double s_c = ch.strength;
    double s_p = p.protege.strength;
    int attack_time = 0;
    int attack_type = kMajor;
    for (int t = 1; t <= T; ++t) {
      s_c = std::min(ch.strength_max, std::max(0.0, s_c + ch.growth));
      double aid = 0.0;
      for (const auto& c : opt.commitments) aid += c.aid * std::min(1.0, ws.resolve[c.guarantor * T + (t - 1)]);
      s_p = std::max(0.0, s_p * (1.0 - p.protege.decay) + p.protege.growth + p.protege.aid_efficiency * aid);

      std::array<double, kAttackTypes> p_attack{};
      for (int a = 0; a < kAttackTypes; ++a) {
        PerceivedDefence seen;
        for (std::size_t j = 0; j < J; ++j) {
          const Commitment& c = opt.commitments[j];
          const std::size_t g = c.guarantor;
          const double r_hat = perceived_resolve(ch, ws.resolve[g * T + (t - 1)], ws.perception[g * T + (t - 1)]);
          seen.add(p, c, a, expected_honour(p, c, a, r_hat));
        }
        p_attack[a] = attack_probability(p, a, s_c, s_p, seen);
      }
      const double u = ws.decision[t - 1];
      if (u < p_attack[kMajor] + p_attack[kLimited]) {
        attack_time = t;
        attack_type = u < p_attack[kMajor] ? kMajor : kLimited;
        break;
      }
    }

    out.set_survival(o, true, attack_time);
    out.set(o, kDeterred, attack_time == 0);
    out.set(o, kPeace, attack_time == 0);
    out.set(o, kMajorAttack, attack_time != 0 && attack_type == kMajor);
    if (attack_time == 0) {
      out.set(o, kTerritoryLost, 0.0);
      out.set(o, kGreatPowerWar, 0.0);
      out.set(o, kNuclearUse, 0.0);
      continue;
    }

    // The war: readings, engagement and honour per commitment, then the outcome.
    const int a = attack_type;
    double defender = p.protege.fortification * s_p;
    bool great_power_war = false;
    bool any_honoured = false;
    std::fill(ws.rank.begin(), ws.rank.end(), 0);
    for (std::size_t j = 0; j < J; ++j) {
      const Commitment& c = opt.commitments[j];
      const std::size_t g = c.guarantor;
      const Guarantor& gu = p.guarantors[g];
      RngStream war(seed, trial, Purpose::war, war_slot(g, ws.rank[g]++));
      const bool weak = war.uniform() < c.ambiguity;
      const bool engaged = war.uniform() < engagement_probability(gl, c, a);
      const double p_honour =
          c.covers[a] ? honour_probability(p, c, ws.resolve[g * T + (attack_time - 1)], weak, engaged) : 0.0;
      const bool honoured = war.uniform() < p_honour;
      out.set(o, commitment_metric(j, kCommitHonour), honoured);
      any_honoured = any_honoured || honoured;
      if (honoured) defender += commitment_power(gl, c, gu);
      if (engaged) defender += c.troop_power;
      if (gu.nuclear && ((honoured && c.response == Response::combat) || engaged)) great_power_war = true;
    }
    RngStream outcome(seed, trial, Purpose::war, kWarOutcomeSlot);
    const bool challenger_wins = outcome.uniform() < win_probability(gl, s_c, defender);
    const bool nuclear_use = great_power_war && outcome.uniform() < gl.nuclear_use_prob;

    out.set(o, kHonour, any_honoured);
    out.set(o, kChallengerWins, challenger_wins);
    out.set(o, kAttackMonth, attack_time);
    out.set(o, kTerritoryLost, challenger_wins ? gl.territory_loss[a] : 0.0);
    out.set(o, kGreatPowerWar, great_power_war);
    out.set(o, kNuclearUse, nuclear_use);
  }
}

}  // namespace credsim::model
