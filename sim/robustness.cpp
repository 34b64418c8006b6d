#include "sim/robustness.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace credsim::sim {

std::vector<RobustnessRow> robustness(const std::vector<std::string>& options,
                                      const std::vector<std::vector<std::optional<double>>>& values,
                                      const RobustnessSpec& spec) {
  const std::size_t K = options.size();
  std::vector<std::vector<double>> v(K), regret(K);
  for (const auto& point : values) {
    if (point.size() != K || std::any_of(point.begin(), point.end(), [](const auto& x) { return !x; })) continue;
    double best = *point[0];
    for (const auto& x : point) best = spec.maximize ? std::max(best, *x) : std::min(best, *x);
    for (std::size_t k = 0; k < K; ++k) {
      v[k].push_back(*point[k]);
      regret[k].push_back(spec.maximize ? best - *point[k] : *point[k] - best);
    }
  }
  std::vector<RobustnessRow> rows;
  for (std::size_t k = 0; k < K; ++k) {
    RobustnessRow r;
    r.metric = spec.metric;
    r.option = options[k];
    r.points = v[k].size();
    r.threshold = spec.threshold;
    if (!v[k].empty()) {
      const double n = static_cast<double>(v[k].size());
      r.mean = std::accumulate(v[k].begin(), v[k].end(), 0.0) / n;
      r.worst = spec.maximize ? *std::min_element(v[k].begin(), v[k].end())
                              : *std::max_element(v[k].begin(), v[k].end());
      r.regret_mean = std::accumulate(regret[k].begin(), regret[k].end(), 0.0) / n;
      auto sorted = regret[k];
      std::sort(sorted.begin(), sorted.end());
      const auto rank = static_cast<std::size_t>(std::ceil(0.9 * n));
      r.regret_p90 = sorted[std::max<std::size_t>(rank, 1) - 1];
      if (spec.threshold) {
        const auto meets = std::count_if(v[k].begin(), v[k].end(), [&](double x) {
          return spec.maximize ? x >= *spec.threshold : x <= *spec.threshold;
        });
        r.satisficing_share = static_cast<double>(meets) / n;
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<double> factor_effects(const std::vector<std::vector<double>>& factor_values, const std::vector<double>& y,
                                   std::size_t bins) {
  const std::size_t n = y.size();
  const std::size_t D = factor_values.empty() ? 0 : factor_values[0].size();
  std::vector<double> out(D, 0.0);
  if (n < 2) return out;
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double total = 0.0;
  for (double v : y) total += (v - mean) * (v - mean);
  if (!(total > 0.0)) return out;
  for (std::size_t d = 0; d < D; ++d) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return factor_values[a][d] < factor_values[b][d]; });
    std::map<double, int> distinct;
    for (std::size_t i = 0; i < n; ++i) distinct[factor_values[i][d]] = 0;
    // Group ids: the distinct values, or equal-count bins when there are many.
    std::vector<std::size_t> group(n);
    if (distinct.size() <= bins) {
      std::size_t g = 0;
      for (auto& kv : distinct) kv.second = static_cast<int>(g++);
      for (std::size_t i = 0; i < n; ++i) group[i] = static_cast<std::size_t>(distinct[factor_values[i][d]]);
    } else {
      for (std::size_t r = 0; r < n; ++r) group[order[r]] = r * bins / n;
    }
    std::map<std::size_t, std::pair<double, double>> sums;  // group -> (sum, count)
    for (std::size_t i = 0; i < n; ++i) {
      sums[group[i]].first += y[i];
      sums[group[i]].second += 1.0;
    }
    double between = 0.0;
    for (const auto& [g, sc] : sums) {
      const double gm = sc.first / sc.second;
      between += sc.second * (gm - mean) * (gm - mean);
    }
    out[d] = between / total;
  }
  return out;
}

}  // namespace credsim::sim
