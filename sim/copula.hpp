#pragma once
// Gaussian copula over a trial's uncertain parameters: correlated standard
// normals z = L e (L the Cholesky factor of the correlation matrix, by Eigen),
// mapped to uniforms u = Phi(z) and then through each marginal's quantile.
#include <Eigen/Dense>
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
  const Eigen::MatrixXd& cholesky_factor() const { return lower_; }

 private:
  std::size_t n_ = 0;
  bool independent_ = true;
  Eigen::MatrixXd lower_;
};

}  // namespace credsim::sim
