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
