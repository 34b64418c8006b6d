#pragma once
// Univariate distributions for uncertain scenario parameters.
//
// Every distribution is sampled by inversion, x = F^{-1}(u): one uniform per
// draw keeps streams aligned, and a Gaussian copula only has to replace u by
// Phi(z) for correlated normals z. Quantiles come from Boost.Math.
#include <string>
#include <vector>

#include "sim/rng.hpp"

namespace credsim::sim {

enum class DistKind { constant, uniform, normal, truncated_normal, lognormal, beta, triangular, bernoulli, discrete };

// Name as written in scenario files: "constant", "uniform", "normal",
// "truncated_normal", "lognormal", "beta", "triangular", "bernoulli", "discrete".
const char* dist_kind_name(DistKind kind);

class Distribution {
 public:
  // Factories check their parameters and throw DomainError
  // ("<where>: <name> is <value>, but must be <rule>").
  static Distribution constant(double value);
  static Distribution uniform(double low, double high, const std::string& where = "uniform");
  static Distribution normal(double mean, double sd, const std::string& where = "normal");
  static Distribution truncated_normal(double mean, double sd, double low, double high,
                                       const std::string& where = "truncated_normal");
  // Parameters on the log scale: log(X) ~ N(meanlog, sdlog).
  static Distribution lognormal(double meanlog, double sdlog, const std::string& where = "lognormal");
  // Beta(a, b) scaled to [low, high].
  static Distribution beta(double a, double b, double low = 0.0, double high = 1.0,
                           const std::string& where = "beta");
  static Distribution triangular(double low, double mode, double high, const std::string& where = "triangular");
  static Distribution bernoulli(double p, const std::string& where = "bernoulli");
  // Values with weights (normalised; need not sum to 1).
  static Distribution discrete(std::vector<double> values, std::vector<double> weights,
                               const std::string& where = "discrete");

  DistKind kind() const { return kind_; }
  bool is_constant() const { return kind_ == DistKind::constant; }

  // Inverse CDF at u in (0, 1). For discrete laws, the smallest x with F(x) >= u.
  double quantile(double u) const;
  double cdf(double x) const;
  double mean() const;
  double support_low() const;   // may be -inf
  double support_high() const;  // may be +inf

  double sample(RngStream& rng) const { return is_constant() ? p_[0] : quantile(rng.uniform()); }

  // Parameters, in the order of the factory's arguments (discrete: see values()/weights()).
  const std::vector<double>& params() const { return p_; }
  const std::vector<double>& values() const { return values_; }
  const std::vector<double>& weights() const { return weights_; }  // normalised

  // e.g. "beta(a=2, b=3, low=0, high=1)"
  std::string describe() const;

 private:
  Distribution(DistKind kind, std::vector<double> params) : kind_(kind), p_(std::move(params)) {}
  DistKind kind_ = DistKind::constant;
  std::vector<double> p_;
  // Truncated normal: Phi (or 1 - Phi) at the bounds and the mass between,
  // computed once by the factory instead of on every quantile and cdf call.
  struct Truncation {
    bool upper = false;  // the interval lies above the mean: work in Q = 1 - Phi
    double pa = 0.0, pb = 0.0, mass = 0.0;
  } trunc_;
  std::vector<double> values_, weights_, cumulative_;
};

}  // namespace credsim::sim
