#include "models/bench_cases.hpp"

#include <utility>

namespace credsim::model {
namespace {

// An uncertain parameter written to one field (targets are plain assignments,
// as the loader's).
template <class Get>
void uncertain(Scenario& s, std::string key, sim::Distribution d, Get get) {
  UncertainParameter u{std::move(key), std::move(d), {}, false, std::nullopt};
  u.targets.emplace_back([get](Parameters& p, double x) { get(p) = x; });
  s.uncertain.push_back(std::move(u));
}

Commitment make_commitment(std::size_t g, const char* instrument, Response response, double audience, double share) {
  Commitment c;
  c.guarantor = g;
  c.instrument = instrument;
  c.response = response;
  c.audience_cost = audience;
  c.share = share;
  c.sanctions = 0.1;
  c.red_line = 0.05;
  return c;
}

}  // namespace

Scenario large_case(int horizon) {
  Scenario s;
  s.name = "large";
  s.description = "Synthetic benchmark case: 10 guarantors, 4 options of 20 commitments";
  Parameters& p = s.base;
  p.horizon = horizon;
  p.settlement = {true, 5.0, 3.5};

  Challenger& c = p.challenger;
  c.name = "Challenger";
  c.nuclear = true;
  c.strength = 1.5;
  c.growth = 0.01;
  c.strength_max = 3.0;
  c.stakes = {10.0, 2.5};
  c.war_cost = {4.0, 0.8};
  c.escalation = {0.3, 0.05};
  c.cost_per_power = 1.0;
  c.nuclear_war_cost = 10.0;
  c.perception_bias = -0.2;
  c.perception_noise = 0.4;
  c.precision = 1.0;
  c.opportunity_rate = 0.01;
  p.protege = {"Protege", 1.0, 0.008, 0.01, 1.0, 1.5, false, 0.0, 10.0};

  for (int i = 0; i < 10; ++i) {
    Guarantor g;
    g.id = "g" + std::to_string(i);
    g.name = "Guarantor " + std::to_string(i);
    g.capability = i < 3 ? 2.0 : 0.5;
    g.interest = 2.0 + 0.2 * i;
    g.resolve = 1.0;
    g.successor_resolve = sim::Distribution::truncated_normal(0.9, 0.35, 0.0, 2.0);
    g.turnover_hazard = 0.002 + 0.001 * i;
    g.elections = {true, 6 + 5 * i, 48 + 6 * (i % 3), 0.5};
    g.war_cost = 2.5;
    g.escalation_aversion = 1.0;
    g.reputation = 1.0;
    g.nuclear = i < 3;
    p.guarantors.push_back(g);
  }

  // Four formulas, each binding every guarantor twice.
  Option treaty{"treaty_and_aid", "Defence treaty plus arms supply", {}, {}, 0};
  Option ambiguous{"ambiguous_and_sanctions", "Ambiguous treaty plus sanctions", {}, {}, 0};
  Option tripwire{"tripwire", "Troops in theatre plus assurances", {}, {}, 0};
  Option mixed{"mixed", "Mixed", {}, {}, 0};
  for (std::size_t g = 0; g < 10; ++g) {
    treaty.commitments.push_back(make_commitment(g, "defense_treaty", Response::combat, 3.0, 0.5));
    Commitment aid = make_commitment(g, "arms_supply", Response::arms_surge, 1.0, 0.3);
    aid.aid = 0.001;
    treaty.commitments.push_back(aid);

    Commitment amb = make_commitment(g, "ambiguous_treaty", Response::combat, 3.0, 0.5);
    amb.ambiguity = 0.5;
    ambiguous.commitments.push_back(amb);
    ambiguous.commitments.push_back(make_commitment(g, "sanctions", Response::sanctions, 0.5, 0.0));

    Commitment troops = make_commitment(g, "tripwire", Response::combat, 2.0, 0.3);
    troops.troops = 2000;
    troops.exposure = {0.8, 0.4};
    troops.troop_power = 0.1;
    tripwire.commitments.push_back(troops);
    Commitment assurance = make_commitment(g, "security_assurance", Response::arms_surge, 1.5, 0.4);
    assurance.covers = {true, false};
    tripwire.commitments.push_back(assurance);

    mixed.commitments.push_back(g % 2 ? amb : make_commitment(g, "membership", Response::combat, 4.0, 0.6));
    mixed.commitments.push_back(g % 3 ? aid : troops);
  }
  p.options = {treaty, ambiguous, tripwire, mixed, Option{"no_guarantee", "No guarantee", {}, {}, 0}};

  // Uncertain parameters: one resolve per guarantor, the challenger's strength,
  // growth, war cost, perception bias and opportunity, and the deal's values.
  for (std::size_t g = 0; g < 10; ++g)
    uncertain(s, "guarantors.g" + std::to_string(g) + ".resolve", sim::Distribution::truncated_normal(1.0, 0.15, 0, 2),
              [g](Parameters& q) -> double& { return q.guarantors[g].resolve; });
  uncertain(s, "challenger.strength", sim::Distribution::triangular(1.2, 1.5, 2.0),
            [](Parameters& q) -> double& { return q.challenger.strength; });
  uncertain(s, "challenger.growth", sim::Distribution::triangular(0.005, 0.012, 0.025),
            [](Parameters& q) -> double& { return q.challenger.growth; });
  uncertain(s, "challenger.war_cost.major", sim::Distribution::triangular(3.0, 4.0, 6.0),
            [](Parameters& q) -> double& { return q.challenger.war_cost[kMajor]; });
  uncertain(s, "challenger.perception_bias", sim::Distribution::normal(-0.2, 0.1),
            [](Parameters& q) -> double& { return q.challenger.perception_bias; });
  uncertain(s, "challenger.opportunity_rate", sim::Distribution::triangular(0.005, 0.01, 0.02),
            [](Parameters& q) -> double& { return q.challenger.opportunity_rate; });
  uncertain(s, "settlement.continue_value", sim::Distribution::triangular(2.0, 3.5, 5.0),
            [](Parameters& q) -> double& { return q.settlement.continue_value; });
  for (auto& u : s.uncertain) {
    // The base holds the means, as the loader's does.
    for (auto& t : u.targets) t(s.base, u.distribution.mean());
  }
  s.copula = sim::Copula(s.uncertain.size(), {{0, 1, 0.4}, {1, 2, 0.4}, {10, 15, 0.5}});
  return s;
}

Scenario with_horizon(Scenario scenario, int horizon) {
  scenario.base.horizon = horizon;
  return scenario;
}

std::vector<BenchCase> bench_cases(const Scenario* loaded, const std::string& loaded_name) {
  std::vector<BenchCase> cases;
  if (loaded) {
    cases.push_back({loaded_name + "_10y", with_horizon(*loaded, 120)});
    cases.push_back({loaded_name + "_30y", with_horizon(*loaded, 360)});
  }
  cases.push_back({"large_10y", large_case(120)});
  cases.push_back({"large_30y", large_case(360)});
  return cases;
}

}  // namespace credsim::model
