#pragma once
// Robustness of options across a sweep (decision making under deep
// uncertainty): per option, its mean and worst case over the points, its
// regret (how far it falls behind the best option at each point; mean and
// 90th percentile) and its satisficing share (the fraction of points where it
// meets a threshold). Only points where every option has a value count.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep_file.hpp"

namespace credsim::sim {

struct RobustnessRow {
  std::string metric;
  std::string option;
  std::uint64_t points = 0;  // points used
  double mean = 0.0;
  double worst = 0.0;        // min when maximizing, max when minimizing
  double regret_mean = 0.0;
  double regret_p90 = 0.0;   // nearest-rank 90th percentile
  std::optional<double> threshold;
  std::optional<double> satisficing_share;
};

// `values[point][option]`: the metric's estimate (absent when it could not be
// estimated). Rows in option order.
std::vector<RobustnessRow> robustness(const std::vector<std::string>& options,
                                      const std::vector<std::vector<std::optional<double>>>& values,
                                      const RobustnessSpec& spec);

// How much each factor moves an output across the points: the correlation
// ratio eta^2 = Var(E[y | factor]) / Var(y), with the factor's distinct
// values (or up to `bins` equal-count bins of them) as groups. In [0, 1].
std::vector<double> factor_effects(const std::vector<std::vector<double>>& factor_values,  // [point][factor]
                                   const std::vector<double>& y, std::size_t bins = 10);

}  // namespace credsim::sim
