// Gaussian copula: the correlation it produces, the uniform marginals it keeps,
// its validation, and that it draws exactly n uniforms per call. Fixed seed;
// statistical bands are 4 standard errors (two-sided size 6e-5 each).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "sim/copula.hpp"
#include "sim/errors.hpp"
#include "sim/math_policy.hpp"
#include "sim/rng.hpp"

namespace credsim::sim {
namespace {

constexpr std::uint64_t kSeed = 20240611;
constexpr int kN = 20'000;

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Columns of kN draws of a copula's uniforms.
std::vector<std::vector<double>> sample(const Copula& copula, std::uint64_t trial) {
  std::vector<std::vector<double>> cols(copula.size(), std::vector<double>(kN));
  RngStream rng(kSeed, trial, Purpose::test);
  std::vector<double> u;
  for (int r = 0; r < kN; ++r) {
    copula.sample_uniforms(rng, u);
    for (std::size_t i = 0; i < u.size(); ++i) cols[i][static_cast<std::size_t>(r)] = u[i];
  }
  return cols;
}

TEST(CopulaCorrelation, NormalScoresCarryTheTargetCorrelation) {
  constexpr double kRho = 0.6;
  const Copula copula(3, {{0, 1, kRho}});
  EXPECT_FALSE(copula.independent());
  const auto u = sample(copula, 1);
  const boost::math::normal std_normal;
  std::vector<std::vector<double>> z(3, std::vector<double>(kN));
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t r = 0; r < static_cast<std::size_t>(kN); ++r) {
      ASSERT_GT(u[i][r], 0.0);
      ASSERT_LT(u[i][r], 1.0);
      z[i][r] = boost::math::quantile(std_normal, u[i][r]);
    }
  }
  // Sample correlation of bivariate normals: SE ~ (1 - rho^2) / sqrt(N).
  const double se = (1.0 - kRho * kRho) / std::sqrt(double{kN});
  EXPECT_NEAR(pearson(z[0], z[1]), kRho, 4.0 * se);
  EXPECT_NEAR(pearson(z[0], z[2]), 0.0, 4.0 / std::sqrt(double{kN}));
  EXPECT_NEAR(pearson(z[1], z[2]), 0.0, 4.0 / std::sqrt(double{kN}));
  // Pearson correlation of the uniforms is Spearman's rho of the pair:
  // (6 / pi) asin(rho / 2) for a Gaussian copula. Its SE is at most the
  // independence value 1/sqrt(N), used here as a conservative band.
  const double spearman = 6.0 / std::numbers::pi * std::asin(kRho / 2.0);
  EXPECT_NEAR(pearson(u[0], u[1]), spearman, 4.0 / std::sqrt(double{kN}));
}

TEST(CopulaCorrelation, MarginalsStayUniform) {
  const Copula copula(3, {{0, 1, 0.6}, {1, 2, -0.3}});
  const auto u = sample(copula, 2);
  for (std::size_t i = 0; i < 3; ++i) {
    // Mean 1/2 and variance 1/12 within 4 SE (SE of the variance: sqrt((1/80 - 1/144) / N)).
    double mean = 0, var = 0;
    for (double x : u[i]) mean += x / kN;
    for (double x : u[i]) var += (x - mean) * (x - mean) / (kN - 1);
    EXPECT_NEAR(mean, 0.5, 4.0 * std::sqrt(1.0 / 12.0 / kN)) << "parameter " << i;
    EXPECT_NEAR(var, 1.0 / 12.0, 4.0 * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / kN)) << "parameter " << i;
  }
}

TEST(CopulaCholesky, FactorReproducesTheMatrix) {
  const Copula copula(3, {{0, 1, 0.6}, {2, 1, -0.3}, {0, 2, 0.1}});
  const double expected[3][3] = {{1.0, 0.6, 0.1}, {0.6, 1.0, -0.3}, {0.1, -0.3, 1.0}};
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 3; ++j) {
      double llt = 0.0;  // (L L^T)(i, j)
      for (std::size_t k = 0; k < 3; ++k) llt += copula.lower(i, k) * copula.lower(j, k);
      EXPECT_NEAR(llt, expected[i][j], 1e-15) << i << ", " << j;
      if (j > i) {
        EXPECT_EQ(copula.lower(i, j), 0.0);  // lower triangular
      }
    }
  }
}

TEST(CopulaIndependent, UniformsPassStraightThrough) {
  // No correlations, or only zeros: the uniforms are the stream's own.
  for (const Copula& copula : {Copula(3, {}), Copula(3, {{0, 2, 0.0}})}) {
    EXPECT_TRUE(copula.independent());
    RngStream a(kSeed, 3, Purpose::test), b(kSeed, 3, Purpose::test);
    std::vector<double> u;
    for (int r = 0; r < 100; ++r) {
      copula.sample_uniforms(a, u);
      ASSERT_EQ(u.size(), 3u);
      for (double x : u) ASSERT_EQ(x, b.uniform());
    }
  }
}

// In a correlated copula, a parameter correlated with none keeps the stream's
// uniform exactly (the round trip Phi(Phi^{-1}(u)) it skips agrees with u to a
// few ulp: the same law), and the linked ones are the full product
// z' = L z over all parameters, bit for bit.
TEST(CopulaPartlyCorrelated, UnlinkedParametersKeepTheirUniforms) {
  const Copula copula(5, {{1, 3, 0.6}, {3, 4, -0.3}, {0, 2, 0.0}});
  EXPECT_FALSE(copula.independent());
  RngStream a(kSeed, 5, Purpose::test), b(kSeed, 5, Purpose::test);
  std::vector<double> u;
  for (int r = 0; r < 1000; ++r) {
    copula.sample_uniforms(a, u);
    std::vector<double> raw(5), z(5);
    for (double& x : raw) x = b.uniform();
    for (std::size_t i = 0; i < 5; ++i) z[i] = standard_normal_quantile(raw[i]);
    for (std::size_t i = 0; i < 5; ++i) {
      double s = 0.0;
      for (std::size_t k = 0; k <= i; ++k) s += copula.lower(i, k) * z[k];
      const double full = std::clamp(0.5 * std::erfc(-s / std::numbers::sqrt2), 0x1.0p-60, 1.0 - 0x1.0p-53);
      if (i == 0 || i == 2) {
        ASSERT_EQ(u[i], raw[i]) << "parameter " << i;
        ASSERT_NEAR(u[i], full, 1e-14 * std::min(full, 1.0 - full) + 1e-15) << "parameter " << i;
      } else {
        ASSERT_EQ(u[i], full) << "parameter " << i;
      }
    }
  }
}

TEST(CopulaStreams, DrawsExactlyNUniforms) {
  const Copula correlated(4, {{0, 1, 0.6}, {2, 3, -0.5}});
  const Copula independent(4, {});
  const Copula empty(0, {});
  for (const Copula* copula : {&correlated, &independent, &empty}) {
    RngStream a(kSeed, 4, Purpose::test), b(kSeed, 4, Purpose::test);
    std::vector<double> u(7, -1.0);  // wrong size on purpose: it is resized
    for (int r = 0; r < 5; ++r) copula->sample_uniforms(a, u);
    EXPECT_EQ(u.size(), copula->size());
    for (std::size_t i = 0; i < 5 * copula->size(); ++i) b.uniform();
    // Both streams are now at the same position.
    EXPECT_EQ(a(), b()) << copula->size() << " parameters";
  }
}

TEST(CopulaStreams, ExtremeNormalsStayInsideTheOpenInterval) {
  // rho near 1 with many draws: z' reaches the far tails, yet u stays in (0, 1).
  const Copula copula(2, {{0, 1, 0.999}});
  RngStream rng(kSeed, 5, Purpose::test);
  std::vector<double> u;
  for (int r = 0; r < 100'000; ++r) {
    copula.sample_uniforms(rng, u);
    ASSERT_GT(u[0], 0.0);
    ASSERT_LT(u[0], 1.0);
    ASSERT_GT(u[1], 0.0);
    ASSERT_LT(u[1], 1.0);
  }
}

std::string error_of(std::size_t n, const std::vector<Correlation>& correlations) {
  try {
    const Copula copula(n, correlations);
  } catch (const DomainError& e) {
    return e.what();
  }
  return "(no DomainError)";
}

TEST(CopulaErrors, NotPositiveDefinite) {
  // Each rho is valid alone, but 0 and 1 both track 2 closely (0.9), so they
  // cannot move against each other (-0.9): no such joint law exists.
  const std::string msg = error_of(3, {{0, 1, 0.9}, {0, 2, 0.9}, {1, 2, -0.9}});
  EXPECT_EQ(msg.rfind("correlations: the correlation matrix is not positive definite", 0), 0u) << msg;
  EXPECT_NE(msg.find("smallest eigenvalue -"), std::string::npos) << msg;
}

TEST(CopulaErrors, MessagesNameTheProblem) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of(3, {{0, 1, 1.0}}), "correlations: rho is 1, but must be in (-1, 1)");
  EXPECT_EQ(error_of(3, {{0, 1, -1.0}}), "correlations: rho is -1, but must be in (-1, 1)");
  EXPECT_EQ(error_of(3, {{0, 1, nan}}), "correlations: rho is nan, but must be finite");
  EXPECT_EQ(error_of(3, {{1, 1, 0.5}}), "correlations: j is 1, but must be different from i (1)");
  EXPECT_EQ(error_of(3, {{3, 1, 0.5}}), "correlations: i is 3, but must be < 3 (the number of parameters)");
  EXPECT_EQ(error_of(3, {{0, 5, 0.5}}), "correlations: j is 5, but must be < 3 (the number of parameters)");
  EXPECT_EQ(error_of(3, {{0, 1, 0.5}, {0, 1, 0.2}}),
            "correlations: the pair (0, 1) is repeated, but must be given at most once");
  // (1, 0) names the same entry as (0, 1).
  EXPECT_EQ(error_of(3, {{0, 1, 0.5}, {1, 0, 0.5}}),
            "correlations: the pair (0, 1) is repeated, but must be given at most once");
  EXPECT_EQ(error_of(3, {{0, 1, 0.5}, {1, 2, 0.5}}), "(no DomainError)");
}

}  // namespace
}  // namespace credsim::sim
