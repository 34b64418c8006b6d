#pragma once
// Global sensitivity analysis on a unit hypercube, for any model output:
//  - Sobol' indices from Saltelli sampling: first-order S1 (Saltelli et al.
//    2010 estimator), total-order ST (Jansen 1999), optional second-order S2
//    (Saltelli 2002), with bootstrap confidence intervals from a fixed seed;
//  - Morris elementary effects (mu*, sigma, mu) for screening many factors.
// The sample matrices come from the Sobol' low-discrepancy sequence; the
// caller maps unit coordinates to factor values (Factor::at_unit) and runs
// the model at each row.
#include <cstdint>
#include <string>
#include <vector>

namespace credsim::sim {

// Rows, grouped by base sample j = 0..N-1 as
//   A_j, AB_j^(1) .. AB_j^(D), [BA_j^(1) .. BA_j^(D)], B_j
// where AB^(i) is A with column i taken from B (and BA^(i) the reverse):
// N(D+2) rows, or N(2D+2) with second order.
struct SaltelliSample {
  std::size_t dim = 0;
  std::uint64_t n = 0;
  bool second_order = false;
  std::vector<std::vector<double>> rows;
  std::size_t per_base() const { return second_order ? 2 * dim + 2 : dim + 2; }
};
SaltelliSample saltelli_sample(std::size_t dim, std::uint64_t n, bool second_order);

struct IndexEstimate {
  double value = 0.0;
  double low = 0.0;   // bootstrap percentile interval
  double high = 0.0;
  double std_error = 0.0;  // standard deviation of the bootstrap estimates
};

struct SobolIndices {
  // False when the output does not vary over the sample: every index is then
  // undefined (0/0), not 0, and the files leave it empty.
  bool defined = true;
  std::vector<IndexEstimate> s1;                // [factor]
  std::vector<IndexEstimate> st;                // [factor]
  std::vector<std::vector<IndexEstimate>> s2;   // [i][j], i < j; empty without second order
  double variance = 0.0;                        // of the output
};

// `y[k]` is the output at `sample.rows[k]`. Throws DomainError when sizes
// differ; an output that does not vary gives `defined = false`.
SobolIndices sobol_indices(const SaltelliSample& sample, const std::vector<double>& y, std::uint64_t bootstrap,
                           double confidence, std::uint64_t seed);

// r trajectories of D+1 points on a p-level grid in [0, 1]^D, one factor
// moved by delta = p / (2(p - 1)) at each step (Morris 1991).
struct MorrisSample {
  std::size_t dim = 0;
  std::uint64_t trajectories = 0;
  int levels = 4;
  std::vector<std::vector<double>> rows;  // r(D+1)
};
// A warning when `n` base samples are too few for the indices' intervals to
// inform: some S1 above its ST beyond both intervals, or an interval wider
// than [0, 1]; "" otherwise.
std::string sobol_sample_warning(const SobolIndices& indices, const std::vector<std::string>& factors);

MorrisSample morris_sample(std::size_t dim, std::uint64_t trajectories, int levels, std::uint64_t seed);

struct MorrisEffect {
  double mu_star = 0.0;  // mean |elementary effect|
  double sigma = 0.0;    // standard deviation of the effects (n - 1)
  double mu = 0.0;       // mean effect
};
std::vector<MorrisEffect> morris_effects(const MorrisSample& sample, const std::vector<double>& y);

}  // namespace credsim::sim
