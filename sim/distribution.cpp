#include "sim/distribution.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numbers>
#include <numeric>
#include <utility>

#include "sim/errors.hpp"
#include "sim/math_policy.hpp"

namespace credsim::sim {

namespace {

namespace bm = boost::math;

using Policy = MathPolicy;  // sim/math_policy.hpp: in double; overflow gives +-inf, clamped below
using Normal = bm::normal_distribution<double, Policy>;
using Lognormal = bm::lognormal_distribution<double, Policy>;
using Beta = bm::beta_distribution<double, Policy>;
using Triangular = bm::triangular_distribution<double, Policy>;
using Uniform = bm::uniform_distribution<double, Policy>;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMax = std::numeric_limits<double>::max();

// Shortest text that reads back as the same double: an error must show the
// offending value exactly (p = 1.0000001 must not print as "1").
std::string exact_number(double x) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(x);
}

// %g: describe() is for people, six digits are plenty.
std::string short_number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

[[noreturn]] void fail(const std::string& where, const std::string& name, const std::string& value,
                       const std::string& rule) {
  throw DomainError(where + ": " + name + " is " + value + ", but must be " + rule);
}

void check_finite(const std::string& where, const char* name, double x) {
  if (!std::isfinite(x)) fail(where, name, exact_number(x), "finite");
}

void check_positive(const std::string& where, const char* name, double x) {
  if (!(x > 0.0)) fail(where, name, exact_number(x), "> 0");
}

void check_above_low(const std::string& where, double low, double high) {
  if (!(high > low)) fail(where, "high", exact_number(high), "> low (" + exact_number(low) + ")");
}

// Truncated normal in standard units: alpha = (low - mean) / sd, beta likewise.
// When the interval lies above the mean, Phi(alpha) and Phi(beta) both round
// to 1 far in the tail, so work with upper-tail probabilities Q = 1 - Phi,
// which keep full relative precision there. (Below the mean Phi itself does.)
struct TruncatedFrame {
  double alpha, beta;
  bool upper;     // work in Q = 1 - Phi
  double pa, pb;  // Phi(alpha), Phi(beta), or Q(alpha), Q(beta) when upper
  double mass;    // Phi(beta) - Phi(alpha) >= 0
};

TruncatedFrame truncated_frame(double mean, double sd, double low, double high) {
  const Normal std_normal;
  TruncatedFrame f{};
  f.alpha = (low - mean) / sd;
  f.beta = (high - mean) / sd;
  f.upper = f.alpha > 0.0;
  if (f.upper) {
    f.pa = bm::cdf(bm::complement(std_normal, f.alpha));
    f.pb = bm::cdf(bm::complement(std_normal, f.beta));
    f.mass = f.pa - f.pb;
  } else {
    f.pa = bm::cdf(std_normal, f.alpha);
    f.pb = bm::cdf(std_normal, f.beta);
    f.mass = f.pb - f.pa;
  }
  return f;
}

// Lower-tail Beta(a, b) quantile: x with I_x(a, b) = p, for tiny p. Boost
// 1.74's ibeta_inv breaks there (a failed assertion in debug builds, an
// evaluation_error otherwise: e.g. Beta(1.44, 0.0014) at 1e-20, Beta(7.8, 6.7)
// at 1e-200), while ibeta itself stays accurate. So bisect on t = log x, which
// gives x to relative precision; only the sign of I - p is used, so I
// underflowing to 0 far below the root does no harm.
double beta_lower_quantile(double a, double b, double p) {
  // Leading term of I_x(a, b) = x^a / (a B(a, b)) * (1 + O(x)): once x < 1e-20
  // it is exact to double precision, with no root finding.
  const double log_beta = bm::lgamma(a, Policy()) + bm::lgamma(b, Policy()) - bm::lgamma(a + b, Policy());
  const double t0 = (std::log(p) + std::log(a) + log_beta) / a;
  if (t0 < std::log(1e-20)) return std::exp(t0);

  const auto below = [&](double t) { return bm::ibeta(a, b, std::exp(t), Policy()) < p; };
  double hi = 0.0;  // I_1 = 1 > p
  double lo = std::min(t0, 0.0) - 1.0;
  for (double step = 2.0; !below(lo); step *= 2.0) {
    hi = lo;
    lo -= step;
    if (std::exp(lo) == 0.0) return 0.0;  // the quantile underflows
  }
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;  // adjacent doubles: done
    (below(mid) ? lo : hi) = mid;
  }
  return std::exp(hi);
}

// Beta(2, 2) quantile: F(x) = 3x^2 - 2x^3 = u is a cubic, solved by
// x = 1/2 + sin(asin(2u - 1) / 3) (sin 3t = 3 sin t - 4 sin^3 t). That form
// cancels near 0, so it is taken for u <= 1/2 only (the other half by the
// symmetry x(u) = 1 - x(1 - u), 1 - u exact there), then one Newton step on
// x^2 (3 - 2x) - u, whose residual has relative precision. Below x = 1e-3
// (u < 3e-6) the sine's absolute error would dominate, so there x comes from
// the fixed point x = sqrt(u / (3 - 2x)) instead, which contracts by x/3 per
// step: five steps from sqrt(u / 3) reach double precision.
double beta22_quantile(double u) {
  if (u > 0.5) return 1.0 - beta22_quantile(1.0 - u);
  if (u < 3e-6) {
    double x = std::sqrt(u / 3.0);
    for (int k = 0; k < 5; ++k) x = std::sqrt(u / (3.0 - 2.0 * x));
    return x;
  }
  double x = 0.5 + std::sin(std::asin(2.0 * u - 1.0) / 3.0);
  x -= (x * x * (3.0 - 2.0 * x) - u) / (6.0 * x * (1.0 - x));
  return std::clamp(x, 0.0, 0.5);
}

// Beta(a, b) quantile on [0, 1]: Boost in the body, the tail solver beyond
// 1e-8 on either side (the upper tail by I_x(a, b) = 1 - I_{1-x}(b, a)).
double beta_quantile(double a, double b, double u) {
  if (a == 2.0 && b == 2.0) return beta22_quantile(u);
  constexpr double kTail = 1e-8;
  if (u < kTail) return beta_lower_quantile(a, b, u);
  if (u > 1.0 - kTail) return 1.0 - beta_lower_quantile(b, a, 1.0 - u);  // 1 - u exact here
  return bm::quantile(Beta(a, b), u);
}

double standard_pdf(double z) { return std::exp(-0.5 * z * z) * std::numbers::inv_sqrtpi / std::numbers::sqrt2; }

std::string join_numbers(const std::vector<double>& xs) {
  std::string s = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : "") + short_number(xs[i]);
  return s + "]";
}

}  // namespace

const char* dist_kind_name(DistKind kind) {
  switch (kind) {
    case DistKind::constant:
      return "constant";
    case DistKind::uniform:
      return "uniform";
    case DistKind::normal:
      return "normal";
    case DistKind::truncated_normal:
      return "truncated_normal";
    case DistKind::lognormal:
      return "lognormal";
    case DistKind::beta:
      return "beta";
    case DistKind::triangular:
      return "triangular";
    case DistKind::bernoulli:
      return "bernoulli";
    case DistKind::discrete:
      return "discrete";
  }
  return "unknown";
}

// ---------------------------------------------------------------- factories

Distribution Distribution::constant(double value) {
  check_finite("constant", "value", value);
  return Distribution(DistKind::constant, {value});
}

Distribution Distribution::uniform(double low, double high, const std::string& where) {
  check_finite(where, "low", low);
  check_finite(where, "high", high);
  check_above_low(where, low, high);
  return Distribution(DistKind::uniform, {low, high});
}

Distribution Distribution::normal(double mean, double sd, const std::string& where) {
  check_finite(where, "mean", mean);
  check_finite(where, "sd", sd);
  check_positive(where, "sd", sd);
  return Distribution(DistKind::normal, {mean, sd});
}

Distribution Distribution::truncated_normal(double mean, double sd, double low, double high, const std::string& where) {
  check_finite(where, "mean", mean);
  check_finite(where, "sd", sd);
  check_finite(where, "low", low);
  check_finite(where, "high", high);
  check_positive(where, "sd", sd);
  check_above_low(where, low, high);
  const TruncatedFrame f = truncated_frame(mean, sd, low, high);
  if (!(f.mass > 0.0)) {
    // Blame the bound nearer the mean: it is the one that shut the mass out.
    const bool above = f.upper;
    fail(where, above ? "low" : "high", exact_number(above ? low : high),
         "near enough to the mean (" + exact_number(mean) + ", sd " + exact_number(sd) +
             ") to leave probability mass inside [low, high]");
  }
  Distribution d(DistKind::truncated_normal, {mean, sd, low, high});
  d.trunc_ = {f.upper, f.pa, f.pb, f.mass};
  return d;
}

Distribution Distribution::lognormal(double meanlog, double sdlog, const std::string& where) {
  check_finite(where, "meanlog", meanlog);
  check_finite(where, "sdlog", sdlog);
  check_positive(where, "sdlog", sdlog);
  return Distribution(DistKind::lognormal, {meanlog, sdlog});
}

Distribution Distribution::beta(double a, double b, double low, double high, const std::string& where) {
  check_finite(where, "a", a);
  check_finite(where, "b", b);
  check_finite(where, "low", low);
  check_finite(where, "high", high);
  check_positive(where, "a", a);
  check_positive(where, "b", b);
  check_above_low(where, low, high);
  return Distribution(DistKind::beta, {a, b, low, high});
}

Distribution Distribution::triangular(double low, double mode, double high, const std::string& where) {
  check_finite(where, "low", low);
  check_finite(where, "mode", mode);
  check_finite(where, "high", high);
  check_above_low(where, low, high);
  if (!(mode >= low && mode <= high)) {
    fail(where, "mode", exact_number(mode), "in [low, high] = [" + exact_number(low) + ", " + exact_number(high) + "]");
  }
  return Distribution(DistKind::triangular, {low, mode, high});
}

Distribution Distribution::bernoulli(double p, const std::string& where) {
  check_finite(where, "p", p);
  if (!(p >= 0.0 && p <= 1.0)) fail(where, "p", exact_number(p), "in [0, 1]");
  return Distribution(DistKind::bernoulli, {p});
}

Distribution Distribution::discrete(std::vector<double> values, std::vector<double> weights, const std::string& where) {
  if (values.empty()) fail(where, "values", "[]", "a non-empty list");
  if (weights.size() != values.size()) {
    fail(where, "weights", "a list of " + std::to_string(weights.size()),
         "a list of the same length as values (" + std::to_string(values.size()) + ")");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string vname = "values[" + std::to_string(i) + "]";
    if (!std::isfinite(values[i])) fail(where, vname, exact_number(values[i]), "finite");
  }
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const std::string wname = "weights[" + std::to_string(i) + "]";
    if (!std::isfinite(weights[i])) fail(where, wname, exact_number(weights[i]), "finite");
    if (!(weights[i] >= 0.0)) fail(where, wname, exact_number(weights[i]), "≥ 0");
    total += weights[i];
  }
  if (!(total > 0.0)) fail(where, "weights", join_numbers(weights), "a list with a positive sum");
  if (!std::isfinite(total)) fail(where, "weights", join_numbers(weights), "a list with a finite sum");

  Distribution d(DistKind::discrete, {});
  d.values_ = std::move(values);
  d.weights_.resize(weights.size());
  d.cumulative_.resize(weights.size());
  // Divide running sums by the same total: the last positive weight then
  // reaches exactly 1, so a zero-weight value after it can never be drawn.
  double running = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    d.weights_[i] = weights[i] / total;
    d.cumulative_[i] = running / total;
  }
  return d;
}

// ------------------------------------------------------------------ queries

double Distribution::quantile(double u) const {
  if (std::isnan(u)) throw DomainError("quantile: u is nan, but must be in (0, 1)");
  if (kind_ == DistKind::constant) return p_[0];
  if (u <= 0.0) return support_low();
  if (u >= 1.0) return support_high();

  double x = 0.0;
  switch (kind_) {
    case DistKind::constant:
      return p_[0];
    case DistKind::uniform:
      // std::lerp, not low + u * (high - low): no overflow when high - low exceeds DBL_MAX.
      x = std::lerp(p_[0], p_[1], u);
      break;
    case DistKind::normal:
      x = bm::quantile(Normal(p_[0], p_[1]), u);
      break;
    case DistKind::truncated_normal: {
      const Truncation& f = trunc_;
      const Normal std_normal;
      // Phi^{-1}(Phi(a) + u (Phi(b) - Phi(a))), taking whichever of u, 1 - u is
      // exact (1 - u loses nothing for u >= 1/2, u itself nothing below it).
      double z;
      if (f.upper) {
        const double q = u < 0.5 ? f.pa - u * f.mass : f.pb + (1.0 - u) * f.mass;
        z = bm::quantile(bm::complement(std_normal, q));
      } else {
        const double p = u < 0.5 ? f.pa + u * f.mass : f.pb - (1.0 - u) * f.mass;
        z = bm::quantile(std_normal, p);
      }
      x = p_[0] + p_[1] * z;
      break;
    }
    case DistKind::lognormal:
      x = bm::quantile(Lognormal(p_[0], p_[1]), u);
      break;
    case DistKind::beta:
      x = std::lerp(p_[2], p_[3], beta_quantile(p_[0], p_[1], u));
      break;
    case DistKind::triangular:
      x = bm::quantile(Triangular(p_[0], p_[1], p_[2]), u);
      break;
    case DistKind::bernoulli:
      return u > 1.0 - p_[0] ? 1.0 : 0.0;
    case DistKind::discrete: {
      const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
      const auto i =
          it == cumulative_.end() ? cumulative_.size() - 1 : static_cast<std::size_t>(it - cumulative_.begin());
      return values_[i];
    }
  }
  // Boost may round a hair outside the support (or overflow to inf at u near 0 or 1).
  return std::clamp(x, std::max(support_low(), -kMax), std::min(support_high(), kMax));
}

double Distribution::cdf(double x) const {
  if (std::isnan(x)) throw DomainError("cdf: x is nan, but must be a number");
  // Some Boost CDFs reject infinite arguments; every law here is proper.
  if (x == kInf) return 1.0;
  if (x == -kInf) return 0.0;
  switch (kind_) {
    case DistKind::constant:
      return x >= p_[0] ? 1.0 : 0.0;
    case DistKind::uniform:
      if (x <= p_[0]) return 0.0;
      if (x >= p_[1]) return 1.0;
      return bm::cdf(Uniform(p_[0], p_[1]), x);
    case DistKind::normal:
      return bm::cdf(Normal(p_[0], p_[1]), x);
    case DistKind::truncated_normal: {
      if (x <= p_[2]) return 0.0;
      if (x >= p_[3]) return 1.0;
      const Truncation& f = trunc_;
      const Normal std_normal;
      const double z = (x - p_[0]) / p_[1];
      const double F =
          f.upper ? (f.pa - bm::cdf(bm::complement(std_normal, z))) / f.mass : (bm::cdf(std_normal, z) - f.pa) / f.mass;
      return std::clamp(F, 0.0, 1.0);
    }
    case DistKind::lognormal:
      return x <= 0.0 ? 0.0 : bm::cdf(Lognormal(p_[0], p_[1]), x);
    case DistKind::beta: {
      if (x <= p_[2]) return 0.0;
      if (x >= p_[3]) return 1.0;
      const double t = std::clamp((x - p_[2]) / (p_[3] - p_[2]), 0.0, 1.0);
      return bm::cdf(Beta(p_[0], p_[1]), t);
    }
    case DistKind::triangular:
      if (x <= p_[0]) return 0.0;
      if (x >= p_[2]) return 1.0;
      return bm::cdf(Triangular(p_[0], p_[1], p_[2]), x);
    case DistKind::bernoulli:
      return x < 0.0 ? 0.0 : x < 1.0 ? 1.0 - p_[0] : 1.0;
    case DistKind::discrete: {
      // Values may be in any order: add every weight at or below x.
      double F = 0.0;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        if (values_[i] <= x) F += weights_[i];
      }
      return std::min(F, 1.0);
    }
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case DistKind::constant:
      return p_[0];
    case DistKind::uniform:
      return 0.5 * p_[0] + 0.5 * p_[1];
    case DistKind::normal:
      return p_[0];
    case DistKind::truncated_normal: {
      // mean + sd (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
      const TruncatedFrame f = truncated_frame(p_[0], p_[1], p_[2], p_[3]);
      const double m = p_[0] + p_[1] * (standard_pdf(f.alpha) - standard_pdf(f.beta)) / f.mass;
      // Deep in a tail both numerator and mass may be subnormal; the mean is
      // inside the interval whatever rounding says.
      return std::isfinite(m) ? std::clamp(m, p_[2], p_[3]) : 0.5 * (p_[2] + p_[3]);
    }
    case DistKind::lognormal:
      return bm::mean(Lognormal(p_[0], p_[1]));
    case DistKind::beta:
      return std::lerp(p_[2], p_[3], bm::mean(Beta(p_[0], p_[1])));
    case DistKind::triangular:
      return bm::mean(Triangular(p_[0], p_[1], p_[2]));
    case DistKind::bernoulli:
      return p_[0];
    case DistKind::discrete:
      return std::inner_product(values_.begin(), values_.end(), weights_.begin(), 0.0);
  }
  return 0.0;
}

double Distribution::support_low() const {
  switch (kind_) {
    case DistKind::constant:
      return p_[0];
    case DistKind::uniform:
      return p_[0];
    case DistKind::normal:
      return -kInf;
    case DistKind::truncated_normal:
      return p_[2];
    case DistKind::lognormal:
      return 0.0;
    case DistKind::beta:
      return p_[2];
    case DistKind::triangular:
      return p_[0];
    case DistKind::bernoulli:
      return p_[0] < 1.0 ? 0.0 : 1.0;
    case DistKind::discrete: {
      double lo = kInf;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        if (weights_[i] > 0.0) lo = std::min(lo, values_[i]);
      }
      return lo;
    }
  }
  return -kInf;
}

double Distribution::support_high() const {
  switch (kind_) {
    case DistKind::constant:
      return p_[0];
    case DistKind::uniform:
      return p_[1];
    case DistKind::normal:
      return kInf;
    case DistKind::truncated_normal:
      return p_[3];
    case DistKind::lognormal:
      return kInf;
    case DistKind::beta:
      return p_[3];
    case DistKind::triangular:
      return p_[2];
    case DistKind::bernoulli:
      return p_[0] > 0.0 ? 1.0 : 0.0;
    case DistKind::discrete: {
      double hi = -kInf;
      for (std::size_t i = 0; i < values_.size(); ++i) {
        if (weights_[i] > 0.0) hi = std::max(hi, values_[i]);
      }
      return hi;
    }
  }
  return kInf;
}

std::string Distribution::describe() const {
  const auto& p = p_;
  const auto g = short_number;
  const std::string name = dist_kind_name(kind_);
  switch (kind_) {
    case DistKind::constant:
      return name + "(value=" + g(p[0]) + ")";
    case DistKind::uniform:
      return name + "(low=" + g(p[0]) + ", high=" + g(p[1]) + ")";
    case DistKind::normal:
      return name + "(mean=" + g(p[0]) + ", sd=" + g(p[1]) + ")";
    case DistKind::truncated_normal:
      return name + "(mean=" + g(p[0]) + ", sd=" + g(p[1]) + ", low=" + g(p[2]) + ", high=" + g(p[3]) + ")";
    case DistKind::lognormal:
      return name + "(meanlog=" + g(p[0]) + ", sdlog=" + g(p[1]) + ")";
    case DistKind::beta:
      return name + "(a=" + g(p[0]) + ", b=" + g(p[1]) + ", low=" + g(p[2]) + ", high=" + g(p[3]) + ")";
    case DistKind::triangular:
      return name + "(low=" + g(p[0]) + ", mode=" + g(p[1]) + ", high=" + g(p[2]) + ")";
    case DistKind::bernoulli:
      return name + "(p=" + g(p[0]) + ")";
    case DistKind::discrete:
      return name + "(values=" + join_numbers(values_) + ", weights=" + join_numbers(weights_) + ")";
  }
  return name;
}

}  // namespace credsim::sim
