#include "sim/stats.hpp"

#include <algorithm>
#include <cmath>

#include "sim/errors.hpp"

namespace credsim::sim {

Interval Proportion::wilson(double z) const {
  if (n == 0) return {0.0, 1.0};
  const double nn = static_cast<double>(n);
  const double p = estimate();
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nn;
  const double centre = (p + z2 / (2.0 * nn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
  // At k = 0 or k = n the exact bound is 0 or 1; clamp rounding.
  return {k == 0 ? 0.0 : std::max(0.0, centre - half), k == n ? 1.0 : std::min(1.0, centre + half)};
}

Moments& Moments::operator+=(const Moments& o) {
  if (o.n == 0) return *this;
  if (n == 0) {
    *this = o;
    return *this;
  }
  const double na = static_cast<double>(n);
  const double nb = static_cast<double>(o.n);
  const double nt = na + nb;
  const double d = o.mean - mean;
  mean += d * nb / nt;
  m2 += o.m2 + d * d * na * nb / nt;
  n += o.n;
  return *this;
}

double Moments::std_error() const {
  return n > 1 ? std::sqrt(variance() / static_cast<double>(n)) : 0.0;
}

Interval Moments::interval(double z) const {
  const double h = z * std_error();
  return {mean - h, mean + h};
}

void WeightedMean::move_mean_to(double new_mean) {
  // Re-centre the sums: sum w^2 (y - R')^k from sum w^2 (y - R)^k, k = 0, 1, 2.
  const double d = new_mean - mean;
  sq += d * (d * weight_sq - 2.0 * lin);
  lin -= d * weight_sq;
  mean = new_mean;
}

void WeightedMean::add(double w, double y) {
  ++n;
  if (w == 0.0) return;
  weight += w;
  move_mean_to(mean + w * (y - mean) / weight);
  const double r = y - mean;
  lin += w * w * r;
  sq += w * w * r * r;
  weight_sq += w * w;
}

WeightedMean& WeightedMean::operator+=(const WeightedMean& o) {
  if (o.weight == 0.0) {
    n += o.n;
    return *this;
  }
  if (weight == 0.0) {
    const std::uint64_t seen = n;
    *this = o;
    n += seen;
    return *this;
  }
  const double total = weight + o.weight;
  const double ratio = mean + (o.mean - mean) * (o.weight / total);
  WeightedMean other = o;
  other.move_mean_to(ratio);
  move_mean_to(ratio);
  n += o.n;
  weight = total;
  weight_sq += other.weight_sq;
  lin += other.lin;
  sq += other.sq;
  return *this;
}

double WeightedMean::std_error() const {
  if (n < 2 || weight == 0.0) return 0.0;
  const double nn = static_cast<double>(n);
  return std::sqrt(std::max(0.0, sq) * nn / (nn - 1.0)) / weight;
}

Survival& Survival::operator+=(const Survival& o) {
  if (events.size() != o.events.size()) throw RunError("internal: merging survival curves of different horizons");
  at_risk += o.at_risk;
  for (std::size_t i = 0; i < events.size(); ++i) events[i] += o.events[i];
  return *this;
}

Proportion Survival::survivors(int t) const {
  std::uint64_t cumulative = 0;
  for (int s = 0; s < t && s < horizon(); ++s) cumulative += events[static_cast<std::size_t>(s)];
  return Proportion{at_risk, at_risk - cumulative};
}

}  // namespace credsim::sim
