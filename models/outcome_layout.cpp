#include "models/outcome_layout.hpp"

#include <algorithm>
#include <string>

#include "sim/errors.hpp"

namespace credsim::model {

std::vector<sim::MetricSpec> common_metrics() {
  using sim::MetricKind;
  const auto P = MetricKind::probability;
  const auto M = MetricKind::mean;
  std::vector<sim::MetricSpec> m(kCommonMetrics);
  m[kDeal] = {"p_deal", "P(deal)", P, "", true,
              "The offer (after ratification) is accepted by both the challenger and the protégé", "probability"};
  m[kChallengerAccepts] = {"p_challenger_accepts", "P(challenger accepts)", P, "", false,
                           "The challenger prefers the deal, with this guarantee, to fighting on", "probability"};
  m[kProtegeAccepts] = {"p_protege_accepts", "P(protégé accepts)", P, "", false,
                        "The protégé finds the protection worth accepting the deal for", "probability"};
  m[kRatified] = {"p_ratified", "P(ratified)", P, "", false,
                  "Every commitment of the option is ratified (else its fallback stands)", "probability"};
  m[kNoArmedAttack] = {"p_no_armed_attack", "P(no armed attack | deal)", P, "deal", true,
                       "No limited or major attack through the horizon, once the deal is made", "probability"};
  m[kNoArmedAttackAll] = {"p_no_armed_attack_all", "P(deal and no armed attack)", P, "", true,
                          "Deal made and no armed attack through the horizon; a refused deal counts as war",
                          "probability"};
  m[kArmedDefence] = {"p_armed_defence", "P(armed defence | major attack)", M, "", true,
                      "If a major attack came in month 1: at least one guarantor fights or its troops engage",
                      "probability"};
  m[kArmedDefencePerceived] = {"p_armed_defence_perceived", "P(armed defence), as the challenger sees it", M, "",
                               true, "The same probability as the challenger perceives it", "probability"};
  m[kDefenceDelivered] = {"defence_delivered", "Defence delivered", M, "", true,
                          "Expected guarantor power a major attack in month 1 would meet", "× challenger's power"};
  m[kDeterrenceAdded] = {"deterrence_added", "Deterrence added", M, "deal", true,
                         "P(no armed attack) minus that with no guarantee, on the same draws, once the deal is made",
                         "probability points"};
  m[kTerritoryLost] = {"territory_lost", "Territory lost", M, "", true,
                       "Share of the protégé's territory lost through the horizon; the war goes on without a deal",
                       "share of territory"};
  m[kTerritoryLostDeal] = {"territory_lost_deal", "Territory lost | deal", M, "deal", false,
                           "Share of territory lost to attacks after the deal", "share of territory"};
  m[kGreatPowerWar] = {"p_great_power_war", "P(great-power war)", P, "", true,
                       "A nuclear-armed guarantor's forces fight the challenger at scale", "probability"};
  m[kGreatPowerWarDeal] = {"p_great_power_war_deal", "P(great-power war | deal)", P, "deal", false,
                           "The same, among trials with a deal", "probability"};
  m[kNuclearUse] = {"p_nuclear_use", "P(nuclear use)", P, "", true,
                    "A great-power war turns nuclear", "probability"};
  m[kNuclearUseDeal] = {"p_nuclear_use_deal", "P(nuclear use | deal)", P, "deal", false,
                        "The same, among trials with a deal", "probability"};
  m[kMajorAttack] = {"p_major_attack", "P(major attack | deal)", P, "deal", false,
                     "The challenger launches a major offensive after the deal", "probability"};
  m[kChallengerWins] = {"p_challenger_wins", "P(challenger wins | attack)", P, "attack", false,
                        "The challenger wins the war it started", "probability"};
  m[kAttackMonth] = {"attack_month", "Month of attack | attack", M, "attack", false,
                     "Month of the first armed attack after the deal", "months"};
  m[kNoAttackAny] = {"p_no_attack_any", "P(no attack of any kind | deal)", P, "deal", false,
                      "No grey, limited or major attack through the horizon, once the deal is made", "probability"};
  m[kGreyAttacks] = {"grey_attacks", "Grey attacks | deal", M, "deal", false,
                     "Number of grey-zone attacks (sabotage, seizure, blockade) through the horizon; none unless the "
                     "scenario gives the challenger stakes for them",
                     "attacks"};
  m[kLimitedAttacks] = {"limited_attacks", "Limited attacks | deal", M, "deal", false,
                        "Number of limited armed attacks through the horizon", "attacks"};
  m[kFirstAttackMonth] = {"first_attack_month", "Month of first attack | attack of any kind", M, "attack of any kind",
                          false, "Month of the first attack of any kind, grey included, after the deal", "months"};
  m[kMajorAttackMonth] = {"major_attack_month", "Month of major attack | major attack", M, "major attack", false,
                          "Month of the major attack (which ends the trial) after the deal", "months"};
  // Attacks by type, in a table of their own under the headline one.
  for (const std::size_t k : {kMajorAttack, kLimitedAttacks, kGreyAttacks}) m[k].table = "Attacks by type, once the deal is made";
  // What a decision-maker wants more or less of, for ranking across worlds.
  for (const std::size_t k : {kDeal, kNoArmedAttackAll, kArmedDefence}) m[k].better = +1;
  for (const std::size_t k : {kTerritoryLost, kGreatPowerWar, kNuclearUse}) m[k].better = -1;
  return m;
}

std::vector<std::size_t> committed_guarantors(const Option& option) {
  std::vector<std::size_t> out;
  for (const Commitment& c : option.commitments) {
    if (std::find(out.begin(), out.end(), c.guarantor) == out.end()) out.push_back(c.guarantor);
  }
  return out;
}

std::vector<sim::MetricSpec> credibility_metrics(const std::vector<int>& months) {
  std::vector<sim::MetricSpec> out;
  for (const int t : months) {
    const std::string m = std::to_string(t);
    const std::string given = "deal running at month " + m;
    const std::string over = "; over trials with a deal and no attack ending the trial (a major one; in the "
                             "single-war model any armed one) before month " + m;
    sim::MetricSpec truth{"p_armed_defence_m" + m, "P(armed defence | major attack in month " + m + ")",
                          sim::MetricKind::mean, given, false,
                          "If a major attack came in month " + m + ", with the trial's state then (resolve, eroded "
                          "interest, events, stocks): at least one guarantor fights or its troops engage" + over,
                          "probability"};
    truth.better = +1;
    out.push_back(truth);
    out.push_back({"p_armed_defence_perceived_m" + m,
                   "P(armed defence | major attack in month " + m + "), as the challenger sees it",
                   sim::MetricKind::mean, given, false,
                   "The same probability as the challenger perceives it in month " + m +
                       " (its perception then, with what it has learned from earlier responses)" + over,
                   "probability"});
  }
  return out;
}

sim::OptionLayout option_layout(const Option& option, const std::vector<Guarantor>& guarantors,
                                const std::vector<int>& credibility_months) {
  sim::OptionLayout layout{option.name, option.label.empty() ? option.name : option.label, common_metrics()};
  for (sim::MetricSpec& m : credibility_metrics(credibility_months)) layout.metrics.push_back(std::move(m));
  for (const std::size_t g : committed_guarantors(option)) {
    layout.metrics.push_back({"p_promise_kept_" + guarantors[g].id, "P(promise kept): " + guarantors[g].name,
                              sim::MetricKind::probability, "attack covered", false,
                              guarantors[g].name + " does at least what it promised, when an attack its commitment "
                                                   "covers comes (an attack it does not cover is not counted)",
                              "probability"});
  }
  return layout;
}

std::vector<std::size_t> select_options(const Scenario& scenario, const std::vector<std::string>& names) {
  // Options are selected by index rather than copied out: the uncertain
  // parameters' targets write into the scenario's options by position.
  const auto& all = scenario.base.options;
  std::vector<std::size_t> selected;
  if (names.empty()) {
    for (std::size_t o = 0; o < all.size(); ++o) selected.push_back(o);
  }
  for (const auto& name : names) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Option& o) { return o.name == name; });
    if (it == all.end()) {
      std::string known;
      for (const auto& o : all) known += (known.empty() ? "" : ", ") + o.name;
      throw sim::RunError("unknown option '" + name + "'; the scenario has: " + known);
    }
    selected.push_back(static_cast<std::size_t>(it - all.begin()));
  }
  return selected;
}

std::vector<sim::SurvivalSpec> survival_curves(bool repeated_attacks) {
  std::vector<sim::SurvivalSpec> curves(kSurvivalCurves);
  curves[kNoArmedAttackCurve] = {"no_armed_attack", "P(no armed attack by month t | deal)",
                                 "Share of the trials with a deal in which no armed attack (limited or major) has "
                                 "come by month t; grey attacks do not count",
                                 "deal"};
  // In the single-war model the first armed attack ends the trial: a limited one
  // leaves no room for a later major attack, so this curve then counts only the
  // wars that began as major attacks.
  curves[kNoMajorAttackCurve] = {
      "no_major_attack", "P(no major attack by month t | deal)",
      std::string("Share of the trials with a deal in which no major attack has come by month t") +
          (repeated_attacks ? "; limited and grey attacks before it do not count"
                            : "; with repeated attacks off the first armed attack ends the trial, so a trial whose "
                              "first attack was limited never has a major attack within the horizon"),
      "deal"};
  return curves;
}

sim::OutcomeLayout outcome_layout(const Scenario& scenario, const std::vector<std::size_t>& selected) {
  sim::OutcomeLayout layout;
  layout.horizon = scenario.base.horizon;
  layout.common_metrics = kCommonMetrics + 2 * scenario.credibility_months.size();
  layout.survival_curves = survival_curves(scenario.base.globals.repeated_attacks);
  for (std::size_t k = 0; k < selected.size(); ++k) {
    if (selected[k] == scenario.baseline) layout.baseline = k;
    layout.options.push_back(option_layout(scenario.base.options[selected[k]], scenario.base.guarantors,
                                                scenario.credibility_months));
  }
  // What the scenario decides before any trial: without the bargaining stage every
  // trial has a deal; without a nuclear-armed guarantor there is no great-power war.
  const bool any_nuclear = std::any_of(scenario.base.guarantors.begin(), scenario.base.guarantors.end(),
                                       [](const Guarantor& g) { return g.nuclear; });
  // Without stakes for grey attacks, in the scenario or any event, there are none.
  bool grey = scenario.base.challenger.possible[kGrey];
  for (const auto& event : scenario.events) grey = grey || event.params.challenger.possible[kGrey];
  for (sim::OptionLayout& option : layout.options) {
    if (!scenario.base.settlement.enabled) option.metrics[kDeal].fixed_by_scenario = true;
    if (!grey) option.metrics[kGreyAttacks].fixed_by_scenario = true;
    if (!any_nuclear) {
      for (const std::size_t k : {kGreatPowerWar, kGreatPowerWarDeal, kNuclearUse, kNuclearUseDeal})
        option.metrics[k].fixed_by_scenario = true;
    }
  }
  return layout;
}

}  // namespace credsim::model
