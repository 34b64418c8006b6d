#include "sim/io/worlds_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/io/csv_text.hpp"
#include "sim/report.hpp"

namespace credsim::sim::io {
namespace {

std::string cell(const std::optional<double>& x, const std::string& where) { return x ? csv_number(*x, where) : ""; }

const MetricSpec& metric_spec(const WorldsResult& r, std::size_t metric) { return r.layout.options[0].metrics[metric]; }

// Fields ordered by how strongly they decide the ranking, strongest first.
std::vector<std::size_t> by_decisiveness(const Ranking& r) {
  std::vector<std::size_t> order(r.decisive.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return r.decisive[a] > r.decisive[b]; });
  return order;
}

}  // namespace

std::string worlds_csv(const WorldsResult& result, const RunInfo& info) {
  std::string s = provenance_header(info, "worlds: one row per plausible world, option and metric");
  s += "# estimate and std_error: the world's Monte Carlo estimate over its trials_per_world trials\n";
  s += "world";
  for (const std::string& f : result.fields) s += "," + csv_field(f);
  s += ",option,metric,n,estimate,std_error\n";
  for (std::size_t w = 0; w < result.tallies.size(); ++w) {
    std::string prefix = std::to_string(w);
    for (const double v : result.values[w]) prefix += "," + csv_number(v, "world " + std::to_string(w));
    for (std::size_t o = 0; o < result.layout.options.size(); ++o) {
      const OptionLayout& opt = result.layout.options[o];
      for (std::size_t m = 0; m < opt.metrics.size(); ++m) {
        const Estimate e = estimate_metric(opt.metrics[m], result.tallies[w].metric[o][m]);
        const std::string where = "world " + std::to_string(w) + ", " + opt.name + ", " + opt.metrics[m].name;
        s += prefix + "," + csv_field(opt.name) + "," + csv_field(opt.metrics[m].name) + "," + std::to_string(e.n) +
             "," + cell(e.value, where) + "," + cell(e.std_error, where) + "\n";
      }
    }
  }
  return s;
}

std::string across_worlds_csv(const WorldsResult& result, const RunInfo& info) {
  std::string s = provenance_header(info, "across worlds: one row per option and metric");
  s += "# mean: of the worlds' estimates; world_low, world_high: 5% and 95% quantiles across worlds "
       "(plausible-worlds spread); mc_error: Monte Carlo standard error of the mean\n";
  s += "option,metric,worlds,mean,world_low,world_high,mc_error\n";
  for (std::size_t o = 0; o < result.layout.options.size(); ++o) {
    const OptionLayout& opt = result.layout.options[o];
    for (std::size_t m = 0; m < opt.metrics.size(); ++m) {
      const AcrossWorlds a = across_worlds(result, o, m);
      const std::string where = opt.name + ", " + opt.metrics[m].name;
      s += csv_field(opt.name) + "," + csv_field(opt.metrics[m].name) + "," + std::to_string(a.worlds) + "," +
           cell(a.mean, where) + "," + cell(a.world_low, where) + "," + cell(a.world_high, where) + "," +
           cell(a.mc_error, where) + "\n";
    }
  }
  return s;
}

std::string ranks_csv(const WorldsResult& result, const std::vector<Ranking>& rankings, const RunInfo& info) {
  std::string s = provenance_header(info, "ranks: how often each option is best across plausible worlds");
  s += "# p_first: share of worlds where the option is best on the metric (ties share); "
       "p_first_se: its sampling error over the worlds, sqrt(p(1-p)/worlds); mean_rank: 1 = best\n";
  s += "metric,better,option,p_first,p_first_se,mean_rank\n";
  const double worlds = static_cast<double>(result.tallies.size());
  for (const Ranking& r : rankings) {
    const MetricSpec& spec = metric_spec(result, r.metric);
    for (std::size_t o = 0; o < result.layout.options.size(); ++o) {
      const double p = r.p_first[o];
      const std::string where = spec.name + ", " + result.layout.options[o].name;
      s += csv_field(spec.name) + "," + (spec.better > 0 ? "higher" : "lower") + "," +
           csv_field(result.layout.options[o].name) + "," + csv_number(p, where) + "," +
           csv_number(std::sqrt(std::max(0.0, p * (1.0 - p)) / worlds), where) + "," + csv_number(r.mean_rank[o], where) + "\n";
    }
  }
  return s;
}

std::string decisive_fields_csv(const WorldsResult& result, const std::vector<Ranking>& rankings,
                                const RunInfo& info) {
  std::string s = provenance_header(info, "decisive fields: which epistemic field decides each ranking");
  s += "# abs_spearman: |Spearman rank correlation| across worlds between the field's value and the "
       "leader's lead over the runner-up on the metric (leader and runner-up by mean rank)\n";
  s += "metric,leader,runner_up,field,abs_spearman\n";
  for (const Ranking& r : rankings) {
    const MetricSpec& spec = metric_spec(result, r.metric);
    for (const std::size_t f : by_decisiveness(r)) {
      s += csv_field(spec.name) + "," + csv_field(result.layout.options[r.leader].name) + "," +
           csv_field(result.layout.options[r.runner_up].name) + "," + csv_field(result.fields[f]) + "," +
           csv_number(r.decisive[f], spec.name + ", " + result.fields[f]) + "\n";
    }
  }
  return s;
}

void add_worlds_files(ResultSet& set, const WorldsResult& result, const RunInfo& info) {
  const std::vector<Ranking> rankings = rank_options(result);
  set.add("worlds.csv", worlds_csv(result, info));
  set.add("across_worlds.csv", across_worlds_csv(result, info));
  set.add("ranks.csv", ranks_csv(result, rankings, info));
  set.add("decisive_fields.csv", decisive_fields_csv(result, rankings, info));
}

std::string format_worlds_report(const WorldsResult& result, const RunInfo& info) {
  const std::vector<Ranking> rankings = rank_options(result);
  std::string s = "\nAcross " + std::to_string(result.tallies.size()) + " plausible worlds (" +
                  std::to_string(info.trials_per_world) + " trials each; epistemic fields drawn once per world: ";
  for (std::size_t f = 0; f < result.fields.size(); ++f) s += (f ? ", " : "") + result.fields[f];
  if (result.fields.empty()) s += "none, so the worlds differ by Monte Carlo error only";
  s += ")\n";
  s += "  mean = mean over worlds; worlds 5-95% = spread of plausible worlds; MC SE = Monte Carlo error of the mean\n";
  char line[256];
  for (const Ranking& r : rankings) {
    const MetricSpec& spec = metric_spec(result, r.metric);
    s += "\n" + spec.label + " (" + (spec.better > 0 ? "higher" : "lower") + " is better)\n";
    std::snprintf(line, sizeof line, "  %-34s %8s  %-17s %8s  %8s %9s\n", "option", "mean", "worlds 5-95%", "MC SE",
                  "P(first)", "mean rank");
    s += line;
    std::vector<std::size_t> order(result.layout.options.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return r.mean_rank[a] < r.mean_rank[b]; });
    for (const std::size_t o : order) {
      const AcrossWorlds a = across_worlds(result, o, r.metric);
      std::string label = result.layout.options[o].label.substr(0, 34);
      char spread[32] = "-", se[16] = "-", mean[16] = "-";
      if (a.mean) std::snprintf(mean, sizeof mean, "%.4f", *a.mean);
      if (a.world_low) std::snprintf(spread, sizeof spread, "[%.4f, %.4f]", *a.world_low, *a.world_high);
      if (a.mc_error) std::snprintf(se, sizeof se, "%.4f", *a.mc_error);
      std::snprintf(line, sizeof line, "  %-34s %8s  %-17s %8s  %8.3f %9.2f\n", label.c_str(), mean, spread, se,
                    r.p_first[o], r.mean_rank[o]);
      s += line;
    }
    if (!r.decisive.empty() && *std::max_element(r.decisive.begin(), r.decisive.end()) == 0.0) {
      s += "  no epistemic field moves the lead of " + result.layout.options[r.leader].label + "\n";
    } else if (!r.decisive.empty()) {
      s += "  decides " + result.layout.options[r.leader].label + " vs " + result.layout.options[r.runner_up].label +
           " (|Spearman rho|): ";
      const std::vector<std::size_t> fields = by_decisiveness(r);
      for (std::size_t i = 0; i < std::min<std::size_t>(3, fields.size()); ++i) {
        std::snprintf(line, sizeof line, "%s%s %.2f", i ? ", " : "", result.fields[fields[i]].c_str(),
                      r.decisive[fields[i]]);
        s += line;
      }
      s += "\n";
    }
  }
  return s;
}

}  // namespace credsim::sim::io
