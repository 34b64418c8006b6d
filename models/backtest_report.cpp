#include "models/backtest_report.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/hash.hpp"
#include "sim/io/csv_text.hpp"
#include "sim/io/yaml_reader.hpp"  // format_number
#include "sim/text_columns.hpp"

namespace credsim::model {
namespace {

using Json = nlohmann::ordered_json;
using sim::io::format_number;

using sim::fixed;
using sim::io::csv_field;
using sim::io::one_line;

std::string pad(std::string s, std::size_t width) { return sim::pad_right(std::move(s), width); }

// What happened to one commitment: an attack it does not cover is "not triggered", never "not honoured".
std::string verdict(const CaseResult& c, const HonourRow& h) {
  if (h.observed) return *h.observed ? "honoured" : "not honoured";
  return h.not_triggered ? "not triggered" : (c.attacked ? "-" : "not tested");
}

std::string header(const std::vector<CaseResult>& cases, const BacktestInfo& info, const BacktestSummary& s) {
  std::string h = "# credsim backtest\n";
  h += "# cases_dir: " + one_line(info.cases_dir) + "\n";
  h += "# cases: " + std::to_string(cases.size()) + "\n";
  h += "# cases_sha256: " + cases_sha256(cases) + "\n";
  h += "# seed: " + std::to_string(info.seed) + "\n";
  h += "# trials: " + std::to_string(info.trials) + " per case\n";
  h += "# version: " + one_line(info.version) + "\n";
  h += "# log_floor: " + format_number(s.log_floor) + "\n";
  return h;
}

Json optional_number(const std::optional<double>& x) { return x ? Json(*x) : Json(nullptr); }

Json mean_se_json(const sim::MeanSe& m) {
  Json j;
  j["n"] = m.n;
  j["mean"] = m.n ? Json(m.mean) : Json(nullptr);
  j["std_error"] = optional_number(m.std_error);
  return j;
}

Json forecasts_json(const Forecasts& f, bool is_model) {
  Json j;
  j["name"] = f.name;
  j["description"] = f.description;
  j["brier"] = f.brier;
  j["log_loss"] = f.log_loss;
  j["auc"] = optional_number(f.auc);
  if (!is_model) {
    j["model_minus_this_brier"] = mean_se_json(f.model_minus_this_brier);
    j["model_minus_this_log_loss"] = mean_se_json(f.model_minus_this_log_loss);
  }
  return j;
}

std::string score_lines(const std::string& title, const std::vector<Forecasts>& fs) {
  std::string t = title + "\n";
  t += "  " + pad("forecast", 20) + pad("Brier", 9) + pad("log loss", 10) + pad("AUC", 7) + "how\n";
  for (const Forecasts& f : fs) {
    t += "  " + pad(f.name, 20) + pad(fixed(f.brier, 3), 9) + pad(fixed(f.log_loss, 3), 10) +
         pad(f.auc ? fixed(*f.auc, 3) : "-", 7) + f.description + "\n";
  }
  return t;
}

}  // namespace

std::string cases_sha256(const std::vector<CaseResult>& cases) {
  std::string all;
  for (const CaseResult& c : cases) all += c.sha256 + "\n";
  return sim::sha256_hex(all);
}

std::string backtest_table(const std::vector<CaseResult>& cases, const BacktestSummary& s) {
  std::string t = "Backtest: P(attack within the horizon) against what happened\n\n";
  t += pad("case", 26) + pad("T (mo)", 8) + pad("treaty/troops", 15) + pad("P(attack) [95%]", 22) +
       pad("attacked", 14) + pad("base", 7) + "rule\n";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const CaseResult& c = cases[i];
    t += pad(c.name + (c.any_kind ? " *" : ""), 26) + pad(std::to_string(c.horizon), 8) +
         pad(std::string(c.formal_treaty ? "yes" : "no") + "/" + (c.troops_present ? "yes" : "no"), 15) +
         pad(fixed(c.p_attack, 3) + " [" + fixed(c.p_attack_ci.low, 3) + ", " + fixed(c.p_attack_ci.high, 3) + "]",
             22) +
         pad(c.attacked ? "yes (mo " + std::to_string(c.attack_month) + ")" : "no", 14) +
         pad(fixed(s.attack[1].p[i], 2), 7) + fixed(s.attack[2].p[i], 2) + "\n";
  }
  if (std::any_of(cases.begin(), cases.end(), [](const CaseResult& c) { return c.any_kind; }))
    t += "* grey attacks possible: P(attack of any kind, grey included) against any attack\n";
  t += "\nP(honour | an attack its commitment covers) per guarantor, and what happened\n\n";
  t += pad("case", 24) + pad("guarantor", 12) + pad("instrument", 22) + pad("P(honour) [95%]", 22) + "what happened\n";
  for (const CaseResult& c : cases) {
    for (const HonourRow& h : c.honour) {
      t += pad(c.name, 24) + pad(h.guarantor, 12) + pad(h.instrument, 22) +
           pad(h.predicted ? fixed(*h.predicted, 3) + " [" + fixed(h.ci.low, 3) + ", " + fixed(h.ci.high, 3) + "]"
                           : "- (no attack)",
               22) +
           verdict(c, h) + "\n";
    }
    if (c.honour.empty()) t += pad(c.name, 24) + "(no commitment)\n";
  }
  t += "\n" + score_lines("Scores, attack within the horizon (" + std::to_string(s.attacked.size()) +
                              " cases; lower Brier and log loss are better, AUC 0.5 = no discrimination)",
                          s.attack);
  if (!s.honour.empty()) {
    t += "\n" + score_lines("Scores, honour when attacked (" + std::to_string(s.honoured.size()) + " commitments)",
                            s.honour);
  }
  t += "\nLog loss: forecasts clamped to [" + format_number(s.log_floor) + ", " + format_number(1.0 - s.log_floor) +
       "] first. Baselines are fitted in-sample, which favours them.\n\n";
  for (const Verdict& v : s.verdicts) t += v.text + ".\n";
  return t;
}

std::string backtest_csv(const std::vector<CaseResult>& cases, const BacktestSummary& s, const BacktestInfo& info) {
  std::string out = header(cases, info, s);
  out +=
      "# rows: 'attack' = P(attack within the horizon | deal); 'honour' = P(honour | attack) of one commitment.\n"
      "# observed: 1/0, empty when not recorded (no attack, or one the commitment does not cover); base_rate and treaty_and_troops: the baselines' forecasts,\n"
      "# empty where the row is not scored. intervals: Wilson 95% over the trials (n).\n";
  out += "case,file,scenario_sha256,row,guarantor,instrument,horizon,formal_treaty,troops_present,n,predicted,"
         "ci_low,ci_high,observed,attack_month,base_rate,treaty_and_troops\n";
  std::size_t scored_honour = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const CaseResult& c = cases[i];
    const std::string common = csv_field(c.name) + "," + csv_field(c.file) + "," + c.sha256 + ",";
    const std::string flags = std::to_string(c.horizon) + "," + (c.formal_treaty ? "1" : "0") + "," +
                              (c.troops_present ? "1" : "0") + ",";
    out += common + "attack,,," + flags + std::to_string(c.at_risk) + "," + format_number(c.p_attack) + "," +
           format_number(c.p_attack_ci.low) + "," + format_number(c.p_attack_ci.high) + "," +
           (c.attacked ? "1" : "0") + "," + (c.attacked ? std::to_string(c.attack_month) : "") + "," +
           format_number(s.attack[1].p[i]) + "," + format_number(s.attack[2].p[i]) + "\n";
    for (const HonourRow& h : c.honour) {
      const bool scored = h.observed && h.predicted;
      out += common + "honour," + csv_field(h.guarantor) + "," + csv_field(h.instrument) + "," + flags +
             std::to_string(h.n) + "," + (h.predicted ? format_number(*h.predicted) : "") + "," +
             (h.predicted ? format_number(h.ci.low) : "") + "," + (h.predicted ? format_number(h.ci.high) : "") +
             "," + (h.observed ? (*h.observed ? "1" : "0") : "") + ",," +
             (scored ? format_number(s.honour[1].p[scored_honour]) : "") + ",\n";
      scored_honour += scored ? 1 : 0;
    }
  }
  return out;
}

std::string backtest_json(const std::vector<CaseResult>& cases, const BacktestSummary& s, const BacktestInfo& info) {
  Json j;
  Json prov;
  prov["command"] = "backtest";
  prov["cases_dir"] = info.cases_dir;
  prov["cases_sha256"] = cases_sha256(cases);
  prov["seed"] = info.seed;
  prov["trials_per_case"] = info.trials;
  prov["version"] = info.version;
  prov["log_floor"] = s.log_floor;
  j["provenance"] = prov;
  Json list = Json::array();
  for (const CaseResult& c : cases) {
    Json cj;
    cj["name"] = c.name;
    cj["file"] = c.file;
    cj["scenario_sha256"] = c.sha256;
    cj["option"] = c.option;
    cj["horizon"] = c.horizon;
    cj["formal_treaty"] = c.formal_treaty;
    cj["troops_present"] = c.troops_present;
    Json a;
    a["n"] = c.at_risk;
    a["event"] = c.any_kind ? "any attack" : "armed attack";
    a["predicted"] = c.p_attack;
    a["ci_low"] = c.p_attack_ci.low;
    a["ci_high"] = c.p_attack_ci.high;
    a["observed"] = c.attacked;
    a["attack_month"] = c.attacked ? Json(c.attack_month) : Json(nullptr);
    cj["attack"] = a;
    Json hs = Json::array();
    for (const HonourRow& h : c.honour) {
      Json hj;
      hj["guarantor"] = h.guarantor;
      hj["instrument"] = h.instrument;
      hj["n"] = h.n;
      hj["predicted"] = optional_number(h.predicted);
      hj["ci_low"] = h.predicted ? Json(h.ci.low) : Json(nullptr);
      hj["ci_high"] = h.predicted ? Json(h.ci.high) : Json(nullptr);
      hj["observed"] = h.observed ? Json(*h.observed) : Json(nullptr);
      hj["verdict"] = verdict(c, h);
      hs.push_back(hj);
    }
    cj["honour"] = hs;
    Json rec;
    if (!c.record.seed.empty()) rec["seed"] = c.record.seed;
    if (!c.record.quote.empty()) rec["quote"] = c.record.quote;
    if (!c.record.assumption.empty()) rec["assumption"] = c.record.assumption;
    cj["record"] = rec;
    list.push_back(cj);
  }
  j["cases"] = list;
  Json scores;
  Json attack = Json::array();
  for (std::size_t i = 0; i < s.attack.size(); ++i) attack.push_back(forecasts_json(s.attack[i], i == 0));
  scores["attack"] = {{"n", s.attacked.size()}, {"forecasts", attack}};
  Json honour = Json::array();
  for (std::size_t i = 0; i < s.honour.size(); ++i) honour.push_back(forecasts_json(s.honour[i], i == 0));
  scores["honour"] = {{"n", s.honoured.size()}, {"forecasts", honour}};
  j["scores"] = scores;
  Json verdicts = Json::array();
  for (const Verdict& v : s.verdicts) {
    verdicts.push_back({{"baseline", v.baseline}, {"model_beats", v.model_beats}, {"clear", v.clear}, {"text", v.text}});
  }
  j["verdicts"] = verdicts;
  return j.dump(2) + "\n";
}

}  // namespace credsim::model
