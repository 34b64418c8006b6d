#pragma once
// A small scenario built in memory, for model tests that must not depend on files.
#include "models/scenario.hpp"

namespace credsim::test {

inline model::Commitment commitment(std::size_t guarantor, model::Response response) {
  model::Commitment c;
  c.guarantor = guarantor;
  c.instrument = "test";
  c.audience_cost = 2.0;
  c.response = response;
  c.weak_response = response;  // as the loader: the weak reading promises the same unless told
  c.share = 0.5;
  c.sanctions = 0.5;
  c.red_line = 0.5;
  return c;
}

// One nuclear challenger, one protege, one nuclear guarantor, one option with a
// combat commitment, then `no_guarantee` (every scenario has it: the loader
// adds it, and the model compares against it). Constant parameters, no turnover.
inline model::Scenario small_scenario() {
  model::Scenario s;
  s.name = "small";
  model::Parameters& p = s.base;
  p.horizon = 24;
  p.settlement = {true, 3.0, 1.0};
  auto& c = p.challenger;
  c.name = "C";
  c.nuclear = true;
  c.strength = 2.0;
  c.growth = 0.01;
  c.strength_max = 3.0;
  c.stakes = {6.0, 2.0};
  c.war_cost = {1.0, 0.3};
  c.escalation = {0.5, 0.1};
  c.cost_per_power = 0.5;
  c.nuclear_war_cost = 4.0;
  c.perception_bias = -0.1;
  c.perception_noise = 0.3;
  c.precision = 1.0;
  c.opportunity_rate = 0.05;
  p.protege = {"P", 1.0, 0.0, 0.01, 1.0, 1.2, false, 0.0, 10.0};
  model::Guarantor g;
  g.id = "g";
  g.name = "G";
  g.capability = 4.0;
  g.interest = 1.5;
  g.resolve = 1.0;
  g.war_cost = 2.5;
  g.escalation_aversion = 0.5;
  g.reputation = 0.5;
  g.nuclear = true;
  p.guarantors = {g};
  p.options = {{"combat", "Combat commitment", {commitment(0, model::Response::combat)}, {}, 0},
               {"no_guarantee", "No guarantee", {}, {}, 0}};
  return s;
}

}  // namespace credsim::test
