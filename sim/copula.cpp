#include "sim/copula.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <set>
#include <utility>

#include "sim/errors.hpp"
#include "sim/math_policy.hpp"

namespace credsim::sim {

namespace {

constexpr const char* kWhere = "correlations";

// Keep uniforms in the open interval: Phi(z') rounds to 1 for z' > 8.3, and the
// quantile of a marginal at exactly 0 or 1 may be infinite.
constexpr double kUniformLow = 0x1.0p-60;
constexpr double kUniformHigh = 1.0 - 0x1.0p-53;

std::string exact_number(double x) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(x);
}

[[noreturn]] void fail(const std::string& name, const std::string& value, const std::string& rule) {
  throw DomainError(std::string(kWhere) + ": " + name + " is " + value + ", but must be " + rule);
}

}  // namespace

Copula::Copula(std::size_t n, const std::vector<Correlation>& correlations) : n_(n) {
  Eigen::MatrixXd corr = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  std::set<std::pair<std::size_t, std::size_t>> seen;
  const std::string count = std::to_string(n);
  for (const Correlation& c : correlations) {
    if (c.i >= n) fail("i", std::to_string(c.i), "< " + count + " (the number of parameters)");
    if (c.j >= n) fail("j", std::to_string(c.j), "< " + count + " (the number of parameters)");
    if (c.i == c.j) fail("j", std::to_string(c.j), "different from i (" + std::to_string(c.i) + ")");
    if (!std::isfinite(c.rho)) fail("rho", exact_number(c.rho), "finite");
    if (!(c.rho > -1.0 && c.rho < 1.0)) fail("rho", exact_number(c.rho), "in (-1, 1)");
    // (i, j) and (j, i) name the same entry: a second one would silently overwrite the first.
    const auto pair = std::minmax(c.i, c.j);
    const std::string pair_text = "(" + std::to_string(pair.first) + ", " + std::to_string(pair.second) + ")";
    if (!seen.emplace(pair.first, pair.second).second) fail("the pair " + pair_text, "repeated", "given at most once");
    const auto a = static_cast<Eigen::Index>(c.i), b = static_cast<Eigen::Index>(c.j);
    corr(a, b) = corr(b, a) = c.rho;
  }

  // All-zero correlations leave L = I: skip the normal round trip, which is
  // not bit-exact, so an uncorrelated scenario samples its uniforms directly.
  for (std::size_t i = 0; i < n; ++i) {
    const bool linked = std::any_of(correlations.begin(), correlations.end(),
                                    [&](const Correlation& c) { return c.rho != 0.0 && (c.i == i || c.j == i); });
    if (linked) linked_.push_back(i);
  }
  independent_ = linked_.empty();

  const Eigen::LLT<Eigen::MatrixXd> llt(corr);
  const Eigen::MatrixXd lower = llt.matrixL();
  bool ok = llt.info() == Eigen::Success;
  for (Eigen::Index k = 0; ok && k < lower.rows(); ++k) ok = lower(k, k) > 1e-12;
  if (!ok) {
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(corr, Eigen::EigenvaluesOnly);
    throw DomainError(std::string(kWhere) + ": the correlation matrix is not positive definite (smallest eigenvalue " +
                      exact_number(eig.eigenvalues().minCoeff()) +
                      "); some of the given correlations contradict each other");
  }
  lower_.resize(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < n; ++k) lower_[i * n + k] = lower(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
}

void Copula::sample_uniforms(RngStream& rng, std::vector<double>& u) const {
  u.resize(n_);
  for (double& x : u) x = std::clamp(rng.uniform(), kUniformLow, kUniformHigh);
  if (independent_) return;

  // Only the linked parameters go through normals: L is the identity on the
  // others' rows and columns, so rows of linked parameters read linked z only.
  // z = Phi^{-1}(u) as in RngStream::normal, in place.
  for (const std::size_t i : linked_) u[i] = standard_normal_quantile(u[i]);
  // z' = L z in place: row i only reads z_0..z_i, so go from the last row up.
  for (std::size_t r = linked_.size(); r-- > 0;) {
    const std::size_t i = linked_[r];
    double s = 0.0;
    for (std::size_t q = 0; q <= r; ++q) s += lower(i, linked_[q]) * u[linked_[q]];
    u[i] = s;
  }
  // u = Phi(z') = erfc(-z' / sqrt 2) / 2.
  for (const std::size_t i : linked_)
    u[i] = std::clamp(0.5 * std::erfc(-u[i] / std::numbers::sqrt2), kUniformLow, kUniformHigh);
}

}  // namespace credsim::sim
