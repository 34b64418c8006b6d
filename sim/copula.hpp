#pragma once
// Gaussian copula over a trial's uncertain parameters: correlated standard
// normals z = L e (L the Cholesky factor of the correlation matrix, by Eigen in
// copula.cpp only: Eigen/Dense in this header cost every includer seconds),
// mapped to uniforms u = Phi(z) and then through each marginal's quantile.
// A parameter correlated with none keeps its uniform as drawn: its row and
// column of L are those of the identity, so Phi(z) would give back u itself
// (up to rounding) at the cost of two special functions.
#include <string>
#include <vector>

#include "sim/rng.hpp"

namespace credsim::sim {

struct Correlation {
  std::size_t i = 0;  // indices into the parameter list
  std::size_t j = 0;
  double rho = 0.0;
};

class Copula {
 public:
  Copula() = default;
  // n parameters, pairwise correlations (others 0). Throws DomainError when a rho
  // is outside (-1, 1), i == j, a pair repeats, or the matrix is not positive definite.
  Copula(std::size_t n, const std::vector<Correlation>& correlations);

  std::size_t size() const { return n_; }
  bool independent() const { return independent_; }
  // Fills u (size n) with uniforms in (0, 1) carrying the correlation structure.
  // Draws exactly n normals from rng whatever the correlations, so streams stay aligned.
  void sample_uniforms(RngStream& rng, std::vector<double>& u) const;
  // Entry (i, k) of the lower Cholesky factor L.
  double lower(std::size_t i, std::size_t k) const { return lower_[i * n_ + k]; }

 private:
  std::size_t n_ = 0;
  bool independent_ = true;
  std::vector<double> lower_;       // n x n, row-major
  std::vector<std::size_t> linked_;  // parameters with a nonzero correlation, ascending
};

}  // namespace credsim::sim
