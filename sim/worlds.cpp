#include "sim/worlds.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/errors.hpp"
#include "sim/report.hpp"

namespace credsim::sim {

WorldsResult run_worlds(const WorldModels& models, const WorldsConfig& config) {
  if (config.worlds < 2) throw RunError("--worlds must be at least 2 (the spread across one world is undefined)");
  if (config.trials_per_world == 0) throw RunError("the trials per world must be at least 1");
  if (config.worlds > kMaxTrials / config.trials_per_world)
    throw RunError("worlds x trials per world is above the limit of 10^12 trials");
  WorldsResult result;
  result.fields = models.epistemic_fields();
  const std::uint64_t total = config.worlds * config.trials_per_world;
  for (std::uint64_t w = 0; w < config.worlds; ++w) {
    const auto model = models.world_model(config.seed, w, config.trials_per_world);
    if (w == 0) {
      result.layout = model->layout();
      result.pooled = Tally(result.layout);
    }
    RunConfig world;
    world.seed = config.seed;
    world.trials = config.trials_per_world;
    world.threads = config.threads;
    world.cancel = config.cancel;
    if (config.progress) {
      const std::uint64_t before = w * config.trials_per_world;
      world.progress = [&config, before, total](std::uint64_t done, std::uint64_t) {
        config.progress(before + done, total);
      };
    }
    RunResult r = config.run_world ? config.run_world(*model, world) : run(*model, world);
    result.values.push_back(models.world_values(config.seed, w));
    if (r.tally.metric.empty()) continue;  // an MPI rank other than 0
    result.pooled += r.tally;
    result.tallies.push_back(std::move(r.tally));
  }
  return result;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

AcrossWorlds across_worlds(const WorldsResult& result, std::size_t option, std::size_t metric) {
  const MetricSpec& spec = result.layout.options[option].metrics[metric];
  std::vector<double> values;
  double variance = 0.0;
  bool se_known = true;
  for (const Tally& t : result.tallies) {
    const Estimate e = estimate_metric(spec, t.metric[option][metric]);
    if (!e.value) continue;
    values.push_back(*e.value);
    if (e.std_error) variance += *e.std_error * *e.std_error;
    else se_known = false;
  }
  AcrossWorlds a;
  a.worlds = values.size();
  if (values.empty()) return a;
  const double m = static_cast<double>(values.size());
  a.mean = std::accumulate(values.begin(), values.end(), 0.0) / m;
  std::sort(values.begin(), values.end());
  a.world_low = quantile_sorted(values, 0.05);
  a.world_high = quantile_sorted(values, 0.95);
  if (se_known) a.mc_error = std::sqrt(variance) / m;
  return a;
}

namespace {

// Average ranks (1 = smallest), ties sharing the mean of their places.
std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> rank(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double shared = (static_cast<double>(i + j) / 2.0) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = shared;
    i = j + 1;
  }
  return rank;
}

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
  const double n = static_cast<double>(x.size());
  const double mean = (n + 1.0) / 2.0;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  return sxx > 0.0 && syy > 0.0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

std::vector<Ranking> rank_options(const WorldsResult& result) {
  std::vector<Ranking> rankings;
  const std::size_t options = result.layout.options.size();
  if (options == 0 || result.tallies.empty()) return rankings;
  const double worlds = static_cast<double>(result.tallies.size());
  for (std::size_t k = 0; k < result.layout.common_metrics; ++k) {
    const MetricSpec& spec = result.layout.options[0].metrics[k];
    // Ranked: metrics with a direction, over every trial (a conditional metric
    // compares options on different sets of trials).
    if (spec.better == 0 || !spec.given.empty()) continue;
    Ranking r;
    r.metric = k;
    r.p_first.assign(options, 0.0);
    r.mean_rank.assign(options, 0.0);
    std::vector<std::vector<double>> score(options);  // [option][world], larger = better
    for (const Tally& t : result.tallies) {
      std::vector<double> s(options);
      for (std::size_t o = 0; o < options; ++o) {
        const Estimate e = estimate_metric(spec, t.metric[o][k]);
        s[o] = e.value ? spec.better * *e.value : -INFINITY;
        score[o].push_back(s[o]);
      }
      const std::vector<double> ascending = average_ranks(s);
      const double best = *std::max_element(s.begin(), s.end());
      const double tied = static_cast<double>(std::count(s.begin(), s.end(), best));
      for (std::size_t o = 0; o < options; ++o) {
        r.mean_rank[o] += static_cast<double>(options) + 1.0 - ascending[o];
        if (s[o] == best) r.p_first[o] += 1.0 / tied;
      }
    }
    for (std::size_t o = 0; o < options; ++o) {  // sums, then one division: all-first is exactly 1
      r.p_first[o] = std::min(1.0, r.p_first[o] / worlds);
      r.mean_rank[o] /= worlds;
    }
    std::vector<std::size_t> order(options);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.mean_rank[a] < r.mean_rank[b]; });
    r.leader = order[0];
    r.runner_up = options > 1 ? order[1] : order[0];
    std::vector<double> lead(result.tallies.size());
    for (std::size_t w = 0; w < lead.size(); ++w) {
      const double a = score[r.leader][w], b = score[r.runner_up][w];
      lead[w] = std::isfinite(a) && std::isfinite(b) ? a - b : (std::isfinite(a) ? INFINITY : -INFINITY);
    }
    for (std::size_t f = 0; f < result.fields.size(); ++f) {
      std::vector<double> x(result.tallies.size());
      for (std::size_t w = 0; w < x.size(); ++w) x[w] = result.values[w][f];
      r.decisive.push_back(std::abs(spearman(x, lead)));
    }
    rankings.push_back(std::move(r));
  }
  return rankings;
}

}  // namespace credsim::sim
