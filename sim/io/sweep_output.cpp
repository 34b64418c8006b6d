#include "sim/io/sweep_output.hpp"

#include <cmath>

#include "credsim/version.hpp"
#include "sim/errors.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim::sim::io {
namespace {

std::string num(double x) {
  if (!std::isfinite(x)) throw OutputError("internal: a non-finite number in a sweep table");
  return format_number(x);
}
std::string num(const std::optional<double>& x) { return x ? num(*x) : ""; }

}  // namespace

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string provenance_header(const SweepInfo& info) {
  std::string h;
  h += "# sweep: " + info.sweep_file + "\n";
  h += "# sweep_sha256: " + info.sweep_sha256 + "\n";
  h += "# scenario: " + info.scenario_file + "\n";
  h += "# scenario_sha256: " + info.scenario_sha256 + "\n";
  h += "# seed: " + std::to_string(info.seed) + "\n";
  h += "# trials_per_point: " + std::to_string(info.trials) + "\n";
  h += "# design: " + info.design + "\n";
  h += "# points: " + std::to_string(info.points) + "\n";
  std::string dropped;
  for (const auto& d : info.dropped_correlations) dropped += (dropped.empty() ? "" : " ") + d;
  h += "# dropped_correlations: " + (dropped.empty() ? std::string("none") : dropped) + "\n";
  if (info.shard) h += "# shard: " + info.shard->str() + "\n";
  h += "# version: " + std::string(kVersion) + "\n";
  return h;
}

std::string sweep_csv(const SweepInfo& info, const std::vector<std::string>& factor_names,
                      const std::vector<PointResult>& results) {
  std::string out = provenance_header(info);
  out += "point";
  for (const auto& f : factor_names) {
    out += ',';
    out += csv_cell(f);
  }
  out += ",option,metric,estimate,std_error,ci_low,ci_high,n\n";
  for (const auto& r : results) {
    std::string prefix = std::to_string(r.id);
    for (const auto& v : r.values) {
      prefix += ',';
      prefix += csv_cell(v.text);
    }
    for (const auto& row : r.rows) {
      const Estimate& e = row.estimate;
      out += prefix;
      for (const std::string& cell : {csv_cell(row.option), csv_cell(row.metric), num(e.value), num(e.std_error),
                                      e.ci ? num(e.ci->low) : std::string(), e.ci ? num(e.ci->high) : std::string(),
                                      std::to_string(e.n)}) {
        out += ',';
        out += cell;
      }
      out += '\n';
    }
  }
  return out;
}

std::string robustness_csv(const SweepInfo& info, const std::vector<RobustnessRow>& rows) {
  std::string out = provenance_header(info);
  out += "metric,option,points,mean,worst,regret_mean,regret_p90,threshold,satisficing_share\n";
  for (const auto& r : rows) {
    const bool any = r.points > 0;
    out += csv_cell(r.metric) + "," + csv_cell(r.option) + "," + std::to_string(r.points) + "," +
           (any ? num(r.mean) : "") + "," + (any ? num(r.worst) : "") + "," + (any ? num(r.regret_mean) : "") + "," +
           (any ? num(r.regret_p90) : "") + "," + num(r.threshold) + "," + num(r.satisficing_share) + "\n";
  }
  return out;
}

std::string sobol_csv(const SweepInfo& info, const std::vector<SobolRow>& rows) {
  std::string out = provenance_header(info);
  out += "factor,option,metric,S1,S1_low,S1_high,ST,ST_low,ST_high\n";
  for (const auto& r : rows) {
    out += csv_cell(r.factor) + "," + csv_cell(r.option) + "," + csv_cell(r.metric) + ",";
    out += r.defined ? num(r.s1.value) + "," + num(r.s1.low) + "," + num(r.s1.high) + "," + num(r.st.value) + "," +
                           num(r.st.low) + "," + num(r.st.high)
                     : std::string(",,,,,");  // undefined: the output does not vary
    out += "\n";
  }
  return out;
}

std::string morris_csv(const SweepInfo& info, const std::vector<MorrisRow>& rows) {
  std::string out = provenance_header(info);
  out += "factor,option,metric,mu_star,sigma,mu\n";
  for (const auto& r : rows)
    out += csv_cell(r.factor) + "," + csv_cell(r.option) + "," + csv_cell(r.metric) + "," + num(r.effect.mu_star) +
           "," + num(r.effect.sigma) + "," + num(r.effect.mu) + "\n";
  return out;
}

}  // namespace credsim::sim::io
