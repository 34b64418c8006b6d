// Sobol' indices and Morris effects against functions with known answers.
// Tolerances: 4 bootstrap standard errors (N = 8192 base samples, 200
// resamples), plus 0.005 for the quasi-random sample's own bias.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "sim/sensitivity.hpp"

namespace credsim::sim {
namespace {

constexpr std::uint64_t kN = 8192;
constexpr std::uint64_t kBootstrap = 200;

double ishigami(const std::vector<double>& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

double g_function(const std::vector<double>& u, const std::vector<double>& a) {
  double y = 1.0;
  for (std::size_t i = 0; i < a.size(); ++i) y *= (std::abs(4.0 * u[i] - 2.0) + a[i]) / (1.0 + a[i]);
  return y;
}

void expect_near_se(const IndexEstimate& e, double truth, const char* what, std::size_t i) {
  const double tol = 4.0 * e.std_error + 0.005;
  EXPECT_NEAR(e.value, truth, tol) << what << "[" << i << "], bootstrap SE " << e.std_error;
  EXPECT_LE(e.low, e.value) << what << i;
  EXPECT_GE(e.high, e.value) << what << i;
}

TEST(SensitivitySobol, SampleCountsAreExact) {
  EXPECT_EQ(saltelli_sample(3, 64, false).rows.size(), 64u * (3 + 2));
  EXPECT_EQ(saltelli_sample(6, 100, false).rows.size(), 100u * (6 + 2));
  EXPECT_EQ(saltelli_sample(3, 64, true).rows.size(), 64u * (2 * 3 + 2));
  EXPECT_EQ(saltelli_sample(6, 100, true).rows.size(), 100u * (2 * 6 + 2));
  const auto s = saltelli_sample(3, 4, false);
  // AB_i is A with column i from B.
  const auto& a = s.rows[0];
  const auto& b = s.rows[4];
  EXPECT_EQ(s.rows[2][1], b[1]);
  EXPECT_EQ(s.rows[2][0], a[0]);
  EXPECT_EQ(s.rows[2][2], a[2]);
}

TEST(SensitivitySobol, Ishigami) {
  const auto s = saltelli_sample(3, kN, true);
  std::vector<double> y;
  for (const auto& r : s.rows) y.push_back(ishigami(r));
  const auto idx = sobol_indices(s, y, kBootstrap, 0.95, 1);
  const double s1[] = {0.3139, 0.4424, 0.0};
  const double st[] = {0.5576, 0.4424, 0.2437};
  for (std::size_t i = 0; i < 3; ++i) {
    expect_near_se(idx.s1[i], s1[i], "S1", i);
    expect_near_se(idx.st[i], st[i], "ST", i);
  }
  // Second order: only x1-x3 interact (S13 = ST1 - S1 = 0.2437).
  EXPECT_NEAR(idx.s2[0][2].value, 0.2437, 4.0 * idx.s2[0][2].std_error + 0.01);
  EXPECT_NEAR(idx.s2[0][1].value, 0.0, 4.0 * idx.s2[0][1].std_error + 0.01);
}

TEST(SensitivitySobol, GFunction) {
  const std::vector<double> a = {78, 12, 0.5, 2, 97, 33};
  const auto s = saltelli_sample(a.size(), kN, false);
  std::vector<double> y;
  for (const auto& r : s.rows) y.push_back(g_function(r, a));
  const auto idx = sobol_indices(s, y, kBootstrap, 0.95, 1);
  const double s1[] = {0.000276, 0.010195, 0.765743, 0.191436, 0.000179, 0.001490};
  for (std::size_t i = 0; i < a.size(); ++i) expect_near_se(idx.s1[i], s1[i], "S1", i);
  // Total order is at least first order, and the two big factors dominate.
  EXPECT_GT(idx.st[2].value, idx.st[3].value);
  EXPECT_GT(idx.st[3].value, idx.st[1].value);
}

TEST(SensitivitySobol, AConstantOutputHasUndefinedIndicesNotZero) {
  const auto s = saltelli_sample(3, 64, false);
  const auto idx = sobol_indices(s, std::vector<double>(s.rows.size(), 0.25), 20, 0.95, 1);
  EXPECT_FALSE(idx.defined);
  EXPECT_EQ(sobol_sample_warning(idx, {"a", "b", "c"}), "");
  std::vector<double> y;
  for (const auto& row : s.rows) y.push_back(ishigami(row));
  EXPECT_TRUE(sobol_indices(s, y, 20, 0.95, 1).defined);
}

TEST(SensitivitySobol, TooFewSamplesAreWarnedAbout) {
  // 8 base samples of Ishigami: the bootstrap intervals span more than [0, 1].
  const auto few = saltelli_sample(3, 8, false);
  std::vector<double> y;
  for (const auto& row : few.rows) y.push_back(ishigami(row));
  EXPECT_NE(sobol_sample_warning(sobol_indices(few, y, 200, 0.95, 1), {"x1", "x2", "x3"}).find("too few samples"),
            std::string::npos);
  // Enough samples: no warning.
  const auto many = saltelli_sample(3, kN, false);
  y.clear();
  for (const auto& row : many.rows) y.push_back(ishigami(row));
  EXPECT_EQ(sobol_sample_warning(sobol_indices(many, y, 200, 0.95, 1), {"x1", "x2", "x3"}), "");
}

TEST(SensitivitySobol, BootstrapIsReproducible) {
  const auto s = saltelli_sample(3, 256, false);
  std::vector<double> y;
  for (const auto& r : s.rows) y.push_back(ishigami(r));
  const auto a = sobol_indices(s, y, 50, 0.95, 9);
  const auto b = sobol_indices(s, y, 50, 0.95, 9);
  EXPECT_EQ(a.s1[0].low, b.s1[0].low);
  EXPECT_EQ(a.st[2].high, b.st[2].high);
}

TEST(SensitivityMorris, LinearFunctionGivesItsSlopes) {
  const std::vector<double> c = {3.0, -1.0, 0.0, 0.5};
  const auto s = morris_sample(c.size(), 20, 4, 5);
  EXPECT_EQ(s.rows.size(), 20u * (c.size() + 1));
  std::vector<double> y;
  for (const auto& r : s.rows) {
    double v = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
      EXPECT_GE(r[i], 0.0);
      EXPECT_LE(r[i], 1.0 + 1e-12);
      v += c[i] * r[i];
    }
    y.push_back(v);
  }
  const auto e = morris_effects(s, y);
  for (std::size_t i = 0; i < c.size(); ++i) {
    EXPECT_NEAR(e[i].mu_star, std::abs(c[i]), 1e-9);
    EXPECT_NEAR(e[i].mu, c[i], 1e-9);
    EXPECT_NEAR(e[i].sigma, 0.0, 1e-9);
  }
}

TEST(SensitivityMorris, InteractionShowsAsSigma) {
  const auto s = morris_sample(2, 30, 4, 1);
  std::vector<double> y;
  for (const auto& r : s.rows) y.push_back(r[0] * r[1]);
  const auto e = morris_effects(s, y);
  EXPECT_GT(e[0].sigma, 0.05);
  EXPECT_GT(e[1].sigma, 0.05);
}

}  // namespace
}  // namespace credsim::sim
