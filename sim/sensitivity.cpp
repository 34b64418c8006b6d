#include "sim/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "sim/design.hpp"
#include "sim/errors.hpp"

namespace credsim::sim {
namespace {

struct Estimators {
  std::vector<double> s1, st;
  std::vector<std::vector<double>> s2;
};

// The estimators over base samples `idx` (a bootstrap draws them with replacement).
Estimators estimate(const SaltelliSample& s, const std::vector<double>& y, const std::vector<std::uint64_t>& idx) {
  const std::size_t D = s.dim, step = s.per_base();
  const auto at = [&](std::uint64_t j, std::size_t k) { return y[j * step + k]; };
  const std::size_t b_col = step - 1;
  // Var(Y) over A and B together.
  double sum = 0.0, sum2 = 0.0;
  for (const auto j : idx) {
    sum += at(j, 0) + at(j, b_col);
  }
  const double m = static_cast<double>(2 * idx.size());
  const double mean = sum / m;
  for (const auto j : idx) {
    sum2 += (at(j, 0) - mean) * (at(j, 0) - mean) + (at(j, b_col) - mean) * (at(j, b_col) - mean);
  }
  const double var = sum2 / m;
  const double n = static_cast<double>(idx.size());
  Estimators e;
  e.s1.assign(D, 0.0);
  e.st.assign(D, 0.0);
  for (std::size_t i = 0; i < D; ++i) {
    double v1 = 0.0, vt = 0.0;
    for (const auto j : idx) {
      const double ya = at(j, 0), yb = at(j, b_col), yab = at(j, 1 + i);
      v1 += yb * (yab - ya);          // Saltelli et al. (2010)
      vt += (ya - yab) * (ya - yab);  // Jansen (1999)
    }
    e.s1[i] = var > 0 ? v1 / n / var : 0.0;
    e.st[i] = var > 0 ? 0.5 * vt / n / var : 0.0;
  }
  if (s.second_order) {
    e.s2.assign(D, std::vector<double>(D, 0.0));
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t k = i + 1; k < D; ++k) {
        double v = 0.0;
        for (const auto j : idx) v += at(j, 1 + D + i) * at(j, 1 + k) - at(j, 0) * at(j, b_col);
        e.s2[i][k] = var > 0 ? v / n / var - e.s1[i] - e.s1[k] : 0.0;
      }
  }
  return e;
}

IndexEstimate summarize(double value, std::vector<double> boot, double confidence) {
  IndexEstimate r{value, value, value, 0.0};
  if (boot.size() < 2) return r;
  const double mean = std::accumulate(boot.begin(), boot.end(), 0.0) / static_cast<double>(boot.size());
  double ss = 0.0;
  for (double b : boot) ss += (b - mean) * (b - mean);
  r.std_error = std::sqrt(ss / static_cast<double>(boot.size() - 1));
  std::sort(boot.begin(), boot.end());
  const auto q = [&](double p) {  // linear interpolation between order statistics
    const double h = p * static_cast<double>(boot.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, boot.size() - 1);
    return boot[lo] + (h - static_cast<double>(lo)) * (boot[hi] - boot[lo]);
  };
  r.low = q(0.5 * (1.0 - confidence));
  r.high = q(0.5 * (1.0 + confidence));
  return r;
}

}  // namespace

SaltelliSample saltelli_sample(std::size_t dim, std::uint64_t n, bool second_order) {
  if (dim == 0 || n == 0) throw DomainError("saltelli_sample: dim and n must be >= 1");
  SaltelliSample s;
  s.dim = dim;
  s.n = n;
  s.second_order = second_order;
  // Columns 0..D-1 of the 2D-dimensional sequence are A, D..2D-1 are B.
  // (Boost's sequence already leaves out the all-zero point.)
  const auto base = sobol_unit(2 * dim, n, 0);
  s.rows.reserve(n * s.per_base());
  for (const auto& p : base) {
    const std::vector<double> a(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(dim));
    const std::vector<double> b(p.begin() + static_cast<std::ptrdiff_t>(dim), p.end());
    s.rows.push_back(a);
    for (std::size_t i = 0; i < dim; ++i) {
      auto ab = a;
      ab[i] = b[i];
      s.rows.push_back(std::move(ab));
    }
    if (second_order)
      for (std::size_t i = 0; i < dim; ++i) {
        auto ba = b;
        ba[i] = a[i];
        s.rows.push_back(std::move(ba));
      }
    s.rows.push_back(b);
  }
  return s;
}

SobolIndices sobol_indices(const SaltelliSample& sample, const std::vector<double>& y, std::uint64_t bootstrap,
                           double confidence, std::uint64_t seed) {
  if (y.size() != sample.rows.size())
    throw DomainError("sobol_indices: outputs is " + std::to_string(y.size()) + ", but must be " +
                      std::to_string(sample.rows.size()) + " (one per sample row)");
  std::vector<std::uint64_t> all(sample.n);
  std::iota(all.begin(), all.end(), 0);
  const Estimators point = estimate(sample, y, all);
  const std::size_t D = sample.dim;
  std::vector<std::vector<double>> b1(D), bt(D);
  std::vector<std::vector<std::vector<double>>> b2(D, std::vector<std::vector<double>>(D));
  std::vector<std::uint64_t> idx(sample.n);
  for (std::uint64_t b = 0; b < bootstrap; ++b) {
    DesignRng rng(seed, b);
    for (auto& j : idx) j = rng.below(sample.n);
    const Estimators e = estimate(sample, y, idx);
    for (std::size_t i = 0; i < D; ++i) {
      b1[i].push_back(e.s1[i]);
      bt[i].push_back(e.st[i]);
      if (sample.second_order)
        for (std::size_t k = i + 1; k < D; ++k) b2[i][k].push_back(e.s2[i][k]);
    }
  }
  SobolIndices out;
  for (std::size_t i = 0; i < D; ++i) {
    out.s1.push_back(summarize(point.s1[i], b1[i], confidence));
    out.st.push_back(summarize(point.st[i], bt[i], confidence));
  }
  if (sample.second_order) {
    out.s2.assign(D, std::vector<IndexEstimate>(D));
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t k = i + 1; k < D; ++k) out.s2[i][k] = summarize(point.s2[i][k], b2[i][k], confidence);
  }
  double sum = 0.0, ss = 0.0;
  for (double v : y) sum += v;
  const double mean = sum / static_cast<double>(y.size());
  for (double v : y) ss += (v - mean) * (v - mean);
  out.variance = ss / static_cast<double>(y.size());
  out.defined = std::any_of(y.begin(), y.end(), [&](double v) { return v != y.front(); });
  return out;
}

std::string sobol_sample_warning(const SobolIndices& indices, const std::vector<std::string>& factors) {
  if (!indices.defined) return "";
  std::string why;
  for (std::size_t i = 0; i < indices.s1.size() && why.empty(); ++i) {
    const IndexEstimate &s1 = indices.s1[i], &st = indices.st[i];
    if (s1.low > st.high) why = "S1 of " + factors[i] + " lies above its ST beyond both intervals";
    else if (s1.high - s1.low > 1.0 || st.high - st.low > 1.0)
      why = "the interval of " + factors[i] + " is wider than [0, 1]";
  }
  return why.empty() ? "" : "warning: too few samples for informative Sobol' intervals (" + why +
                                "); raise sensitivity.samples";
}

MorrisSample morris_sample(std::size_t dim, std::uint64_t trajectories, int levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2) throw DomainError("morris_sample: levels is " + std::to_string(levels) + ", but must be even and >= 2");
  MorrisSample s;
  s.dim = dim;
  s.trajectories = trajectories;
  s.levels = levels;
  const double grid = 1.0 / (levels - 1);
  const double delta = levels / (2.0 * (levels - 1));
  const auto base_levels = static_cast<std::uint64_t>(levels / 2);  // x + delta stays in [0, 1]
  for (std::uint64_t t = 0; t < trajectories; ++t) {
    DesignRng rng(seed, t);
    std::vector<double> x(dim);
    std::vector<int> up(dim);
    for (std::size_t i = 0; i < dim; ++i) {
      const double low = static_cast<double>(rng.below(base_levels)) * grid;
      up[i] = rng.below(2) == 0 ? 1 : 0;
      x[i] = up[i] ? low : low + delta;
    }
    std::vector<std::size_t> order(dim);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = dim; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    s.rows.push_back(x);
    for (const auto i : order) {
      x[i] += up[i] ? delta : -delta;
      s.rows.push_back(x);
    }
  }
  return s;
}

std::vector<MorrisEffect> morris_effects(const MorrisSample& s, const std::vector<double>& y) {
  if (y.size() != s.rows.size())
    throw DomainError("morris_effects: outputs is " + std::to_string(y.size()) + ", but must be " +
                      std::to_string(s.rows.size()));
  const std::size_t D = s.dim;
  std::vector<std::vector<double>> ee(D);
  for (std::uint64_t t = 0; t < s.trajectories; ++t) {
    const std::size_t base = t * (D + 1);
    for (std::size_t k = 0; k < D; ++k) {
      const auto& a = s.rows[base + k];
      const auto& b = s.rows[base + k + 1];
      std::size_t i = 0;
      while (i < D && a[i] == b[i]) ++i;  // the factor this step moved
      ee[i].push_back((y[base + k + 1] - y[base + k]) / (b[i] - a[i]));
    }
  }
  std::vector<MorrisEffect> out(D);
  for (std::size_t i = 0; i < D; ++i) {
    const auto& e = ee[i];
    if (e.empty()) continue;
    double sum = 0.0, sum_abs = 0.0;
    for (double v : e) {
      sum += v;
      sum_abs += std::abs(v);
    }
    const double n = static_cast<double>(e.size());
    out[i].mu = sum / n;
    out[i].mu_star = sum_abs / n;
    double ss = 0.0;
    for (double v : e) ss += (v - out[i].mu) * (v - out[i].mu);
    out[i].sigma = e.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  }
  return out;
}

}  // namespace credsim::sim
