#include "models/outcome_layout.hpp"

#include <algorithm>

#include "sim/errors.hpp"

namespace credsim::model {

std::vector<sim::MetricSpec> common_metrics() {
  using sim::MetricKind;
  std::vector<sim::MetricSpec> m(kCommonMetrics);
  m[kDeal] = {"p_deal", "P(deal accepted)", MetricKind::probability, "", true};
  m[kDeterred] = {"p_deterred", "P(deterred through T | deal)", MetricKind::probability, "deal", true};
  m[kPeace] = {"p_peace", "P(peace holds)", MetricKind::probability, "", true};
  m[kCredibility] = {"credibility", "Credibility, true (t=1)", MetricKind::mean, "", true};
  m[kPerceived] = {"perceived_credibility", "Credibility, perceived (t=1)", MetricKind::mean, "", true};
  m[kCredibilityGap] = {"credibility_gap", "Perceived minus true credibility", MetricKind::mean, "", false};
  m[kHonour] = {"p_honour", "P(honoured | attack)", MetricKind::probability, "attack", true};
  m[kTerritoryLost] = {"territory_lost", "Territory lost (share | deal)", MetricKind::mean, "deal", true};
  m[kGreatPowerWar] = {"p_great_power_war", "P(great-power war | deal)", MetricKind::probability, "deal", true};
  m[kNuclearUse] = {"p_nuclear_use", "P(nuclear use | deal)", MetricKind::probability, "deal", true};
  m[kMajorAttack] = {"p_major_attack", "P(major attack | deal)", MetricKind::probability, "deal", false};
  m[kChallengerWins] = {"p_challenger_wins", "P(challenger wins | attack)", MetricKind::probability, "attack", false};
  m[kAttackMonth] = {"attack_month", "Month of attack (| attack)", MetricKind::mean, "attack", false};
  return m;
}

sim::OptionLayout option_layout(const Option& option, const std::vector<Guarantor>& guarantors) {
  sim::OptionLayout layout{option.name, option.label.empty() ? option.name : option.label, common_metrics()};
  for (std::size_t j = 0; j < option.commitments.size(); ++j) {
    const auto& c = option.commitments[j];
    const std::string id = std::to_string(j) + "_" + guarantors[c.guarantor].id + "_" + c.instrument;
    const std::string who = guarantors[c.guarantor].name + " (" + c.instrument + ")";
    layout.metrics.push_back({"p_honour_" + id, "P(honoured | attack): " + who, sim::MetricKind::probability,
                              "attack", false});
    layout.metrics.push_back({"credibility_" + id, "Credibility, true: " + who, sim::MetricKind::mean, "", false});
    layout.metrics.push_back(
        {"perceived_" + id, "Credibility, perceived: " + who, sim::MetricKind::mean, "", false});
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

sim::OutcomeLayout outcome_layout(const Scenario& scenario, const std::vector<std::size_t>& selected) {
  sim::OutcomeLayout layout;
  layout.horizon = scenario.base.horizon;
  layout.common_metrics = kCommonMetrics;
  layout.survival_given = "deal";
  for (std::size_t k = 0; k < selected.size(); ++k) {
    if (selected[k] == scenario.baseline) layout.baseline = k;
    layout.options.push_back(option_layout(scenario.base.options[selected[k]], scenario.base.guarantors));
  }
  return layout;
}

}  // namespace credsim::model
