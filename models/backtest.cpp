#include "models/backtest.hpp"

#include <algorithm>

#include "models/outcome_layout.hpp"
#include "sim/report.hpp"
#include "sim/errors.hpp"
#include "sim/text_columns.hpp"

namespace credsim::model {
namespace {

using sim::fixed;

bool is_formal(const std::string& instrument) { return instrument == "membership" || instrument == "defense_treaty"; }

Forecasts scored(std::string name, std::string description, std::vector<double> p, const std::vector<bool>& y,
                 double floor) {
  Forecasts f{std::move(name), std::move(description), std::move(p), 0.0, 0.0, std::nullopt, {}, {}};
  if (y.empty()) return f;
  f.brier = sim::brier_score(f.p, y);
  f.log_loss = sim::log_loss(f.p, y, floor);
  f.auc = sim::roc_auc(f.p, y);
  return f;
}

void compare_with_model(Forecasts& base, const Forecasts& model, const std::vector<bool>& y, double floor) {
  if (y.empty()) return;
  const auto mb = sim::brier_terms(model.p, y), bb = sim::brier_terms(base.p, y);
  const auto ml = sim::log_loss_terms(model.p, y, floor), bl = sim::log_loss_terms(base.p, y, floor);
  std::vector<double> db(y.size()), dl(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    db[i] = mb[i] - bb[i];
    dl[i] = ml[i] - bl[i];
  }
  base.model_minus_this_brier = sim::mean_se(db);
  base.model_minus_this_log_loss = sim::mean_se(dl);
}

Verdict verdict(const Forecasts& model, const Forecasts& base) {
  Verdict v;
  v.baseline = base.name;
  v.model_beats = model.brier < base.brier && model.log_loss < base.log_loss;
  const sim::MeanSe& d = base.model_minus_this_brier;
  const double half = d.std_error ? sim::kZ95 * *d.std_error : 0.0;
  v.clear = v.model_beats && d.std_error && d.mean + half < 0.0;
  v.text = std::string(v.model_beats ? "The model BEATS" : "The model does NOT beat") + " the baseline '" +
           base.name + "' (Brier " + fixed(model.brier, 3) + " vs " + fixed(base.brier, 3) + ", log loss " +
           fixed(model.log_loss, 3) + " vs " + fixed(base.log_loss, 3) + ")";
  if (d.std_error) {
    v.text += "; Brier difference " + fixed(d.mean, 3) + " +/- " + fixed(half, 3) + " (95%, paired over " +
              std::to_string(d.n) + " cases)" +
              (v.model_beats && !v.clear ? ": not distinguishable from no difference with this few cases" : "");
  }
  return v;
}

}  // namespace

CaseResult evaluate_case(const Scenario& scenario, const sim::OutcomeLayout& layout, const sim::Tally& tally) {
  if (!scenario.observed) {
    throw sim::RunError("scenario '" + scenario.name + "' is not a historical case: it has no 'observed:' section");
  }
  // The case's one option comes first; the loader adds `no_guarantee` after it.
  if (layout.options.empty() || tally.survival.empty() || layout.options[0].name != scenario.base.options[0].name) {
    throw sim::RunError("historical case '" + scenario.name + "' must be run with its own option first");
  }
  const Observation& ob = *scenario.observed;
  const Option& option = scenario.base.options[0];
  CaseResult r;
  r.name = scenario.name;
  r.sha256 = scenario.sha256;
  r.option = option.name;
  r.horizon = scenario.base.horizon;
  r.attacked = ob.attacked;
  r.attack_month = ob.attack_month;
  r.record = ob.provenance;
  for (const Commitment& c : option.commitments) {
    r.formal_treaty = r.formal_treaty || is_formal(c.instrument);
    r.troops_present = r.troops_present || c.troops > 0.0;
  }
  // P(attack within T | deal) = 1 - P(no attack by T), its interval flipped:
  // the survival curve's (first armed attack) or, where grey attacks are
  // possible, P(no attack of any kind | deal).
  r.any_kind = scenario.base.challenger.possible[kGrey];
  const sim::Proportion alive = tally.survival[0][kNoArmedAttackCurve].survivors(r.horizon);
  r.at_risk = alive.n;
  if (alive.n == 0) throw sim::RunError("historical case '" + scenario.name + "': no trial reached a deal");
  sim::Estimate none{alive.n, alive.estimate(), std::nullopt, alive.wilson()};
  if (r.any_kind)
    none = sim::estimate_metric(layout.options[0].metrics.at(kNoAttackAny), tally.metric[0].at(kNoAttackAny));
  r.p_attack = 1.0 - none.value.value_or(1.0);
  const sim::Interval w = none.ci.value_or(sim::Interval{1.0, 1.0});
  r.p_attack_ci = {1.0 - w.high, 1.0 - w.low};

  // Promise kept, per committed guarantor (one commitment each, in option order).
  const auto committed = committed_guarantors(option);
  for (std::size_t i = 0; i < committed.size(); ++i) {
    const Commitment& c = *std::find_if(option.commitments.begin(), option.commitments.end(),
                                        [&](const Commitment& x) { return x.guarantor == committed[i]; });
    HonourRow h;
    h.guarantor = scenario.base.guarantors[c.guarantor].id;
    h.instrument = c.instrument;
    const sim::Proportion& p = tally.metric[0].at(layout.common_metrics + i).proportion;
    h.n = p.n;
    if (p.n > 0) {
      h.predicted = p.estimate();
      h.ci = p.wilson();
    }
    if (ob.attacked) {
      const auto kept = std::find_if(ob.honoured.begin(), ob.honoured.end(),
                                     [&](const auto& entry) { return entry.first == h.guarantor; });
      if (kept != ob.honoured.end()) h.observed = kept->second;
      h.not_triggered = kept == ob.honoured.end();
    }
    r.honour.push_back(std::move(h));
  }
  return r;
}

BacktestSummary summarise(const std::vector<CaseResult>& cases, double floor) {
  BacktestSummary s;
  s.log_floor = floor;
  if (cases.empty()) throw sim::RunError("backtest: no cases");

  // Attack within the horizon.
  std::vector<double> model_p, base_p, rule_p;
  double attacked = 0.0;
  double group_n[2] = {0, 0}, group_k[2] = {0, 0};  // [treaty and troops]
  for (const CaseResult& c : cases) {
    s.attacked.push_back(c.attacked);
    attacked += c.attacked ? 1.0 : 0.0;
    const int g = c.formal_treaty && c.troops_present ? 1 : 0;
    group_n[g] += 1.0;
    group_k[g] += c.attacked ? 1.0 : 0.0;
    model_p.push_back(c.p_attack);
  }
  const double rate = attacked / static_cast<double>(cases.size());
  for (const CaseResult& c : cases) {
    const int g = c.formal_treaty && c.troops_present ? 1 : 0;
    base_p.push_back(rate);
    rule_p.push_back((group_k[g] + 1.0) / (group_n[g] + 2.0));
  }
  s.attack.push_back(scored("model", "credsim's P(attack within the horizon)", model_p, s.attacked, floor));
  s.attack.push_back(scored("base_rate", "the share of cases attacked (" + fixed(rate, 3) + "), for every case",
                            base_p, s.attacked, floor));
  s.attack.push_back(scored("treaty_and_troops",
                            "formal treaty and troops present -> no attack: each group's attacked share, "
                            "Laplace-smoothed (k+1)/(n+2): " +
                                fixed((group_k[1] + 1.0) / (group_n[1] + 2.0), 3) + " with both, " +
                                fixed((group_k[0] + 1.0) / (group_n[0] + 2.0), 3) + " otherwise",
                            rule_p, s.attacked, floor));
  for (std::size_t b = 1; b < s.attack.size(); ++b) {
    compare_with_model(s.attack[b], s.attack[0], s.attacked, floor);
    s.verdicts.push_back(verdict(s.attack[0], s.attack[b]));
  }

  // Honour when attacked, per commitment with a prediction.
  std::vector<double> honour_p;
  double honoured = 0.0;
  for (const CaseResult& c : cases) {
    for (const HonourRow& h : c.honour) {
      if (!h.observed || !h.predicted) continue;
      s.honoured.push_back(*h.observed);
      honoured += *h.observed ? 1.0 : 0.0;
      honour_p.push_back(*h.predicted);
    }
  }
  if (!s.honoured.empty()) {
    const double hrate = honoured / static_cast<double>(s.honoured.size());
    s.honour.push_back(scored("model", "credsim's P(honour | attack) per commitment", honour_p, s.honoured, floor));
    s.honour.push_back(scored("base_rate",
                              "the share of scored commitments honoured (" + fixed(hrate, 3) + "), for every one",
                              std::vector<double>(s.honoured.size(), hrate), s.honoured, floor));
    compare_with_model(s.honour[1], s.honour[0], s.honoured, floor);
  }
  return s;
}

}  // namespace credsim::model
