// Scores of probability forecasts (sim/scoring): Brier, clamped log loss and
// ROC AUC with ties, checked against their definitions and an independent
// rank-based computation of the AUC.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "sim/errors.hpp"
#include "sim/scoring.hpp"

namespace credsim {
namespace {

TEST(Scoring, BrierIsZeroForCertainCorrectForecastsAndAQuarterForCoinFlips) {
  const std::vector<bool> y = {true, false, true, true};
  EXPECT_EQ(sim::brier_score({1.0, 0.0, 1.0, 1.0}, y), 0.0);
  EXPECT_DOUBLE_EQ(sim::brier_score({0.5, 0.5, 0.5, 0.5}, y), 0.25);
  EXPECT_EQ(sim::brier_score({0.0, 1.0, 0.0, 0.0}, y), 1.0);
}

TEST(Scoring, BrierIsTheMeanOfItsTerms) {
  const std::vector<double> p = {0.9, 0.2, 0.6};
  const std::vector<bool> y = {true, true, false};
  // (0.1^2 + 0.8^2 + 0.6^2) / 3
  EXPECT_DOUBLE_EQ(sim::brier_score(p, y), (0.01 + 0.64 + 0.36) / 3.0);
  const auto terms = sim::brier_terms(p, y);
  EXPECT_DOUBLE_EQ(std::accumulate(terms.begin(), terms.end(), 0.0) / 3.0, sim::brier_score(p, y));
}

TEST(Scoring, LogLossIsMinusTheMeanLogOfWhatHappened) {
  const std::vector<double> p = {0.8, 0.3};
  const std::vector<bool> y = {true, false};
  EXPECT_DOUBLE_EQ(sim::log_loss(p, y), -(std::log(0.8) + std::log(0.7)) / 2.0);
}

TEST(Scoring, LogLossClampsCertainMissesAtTheFloor) {
  const double floor = 0.01;
  // A forecast of 0 for an event costs -ln(floor), not infinity; one of 1 for a non-event the same.
  EXPECT_DOUBLE_EQ(sim::log_loss({0.0}, {true}, floor), -std::log(floor));
  EXPECT_DOUBLE_EQ(sim::log_loss({1.0}, {false}, floor), -std::log(floor));
  // And a certain hit costs -ln(1 - floor), not 0.
  EXPECT_DOUBLE_EQ(sim::log_loss({1.0}, {true}, floor), -std::log(1.0 - floor));
  EXPECT_THROW(sim::log_loss({0.5}, {true}, 0.0), sim::DomainError);
  EXPECT_THROW(sim::log_loss({0.5}, {true}, 0.5), sim::DomainError);
}

TEST(Scoring, AucIsOneForPerfectSeparationZeroForReversedAndHalfForTies) {
  const std::vector<bool> y = {true, false, true, false};
  EXPECT_EQ(*sim::roc_auc({0.9, 0.1, 0.8, 0.2}, y), 1.0);
  EXPECT_EQ(*sim::roc_auc({0.1, 0.9, 0.2, 0.8}, y), 0.0);
  EXPECT_EQ(*sim::roc_auc({0.5, 0.5, 0.5, 0.5}, y), 0.5);
  // One tied pair out of four: (1 + 1 + 1 + 0.5) / 4.
  EXPECT_EQ(*sim::roc_auc({0.9, 0.3, 0.3, 0.1}, y), 0.875);
}

TEST(Scoring, AucIsUndefinedWithoutBothOutcomes) {
  EXPECT_FALSE(sim::roc_auc({0.2, 0.7}, {true, true}).has_value());
  EXPECT_FALSE(sim::roc_auc({0.2, 0.7}, {false, false}).has_value());
}

// The AUC by average ranks (Mann-Whitney U), a different algorithm from the pair count.
double auc_by_ranks(const std::vector<double>& p, const std::vector<bool>& y) {
  const std::size_t n = p.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> rank(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && p[order[j]] == p[order[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) rank[order[k]] = 0.5 * static_cast<double>(i + 1 + j);  // mean of i+1..j
    i = j;
  }
  double rank_sum = 0.0, pos = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (y[i]) {
      rank_sum += rank[i];
      pos += 1.0;
    }
  }
  const double neg = static_cast<double>(n) - pos;
  return (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg);
}

TEST(Scoring, AucAgreesWithTheRankFormulaOnRandomForecastsWithTies) {
  std::mt19937_64 gen(12345);
  std::uniform_int_distribution<int> level(0, 9);  // ten levels: many ties
  std::bernoulli_distribution coin(0.4);
  for (int rep = 0; rep < 50; ++rep) {
    std::vector<double> p(40);
    std::vector<bool> y(40);
    for (std::size_t i = 0; i < p.size(); ++i) {
      p[i] = level(gen) / 9.0;
      y[i] = coin(gen);
    }
    y[0] = true;
    y[1] = false;
    EXPECT_NEAR(*sim::roc_auc(p, y), auc_by_ranks(p, y), 1e-12);
  }
}

TEST(Scoring, RejectsMismatchedEmptyOrImpossibleForecasts) {
  EXPECT_THROW(sim::brier_score({0.5, 0.5}, {true}), sim::DomainError);
  EXPECT_THROW(sim::brier_score({}, {}), sim::DomainError);
  EXPECT_THROW(sim::brier_score({1.5}, {true}), sim::DomainError);
  EXPECT_THROW(sim::log_loss({-0.1}, {true}), sim::DomainError);
  EXPECT_THROW(sim::roc_auc({std::nan("")}, {true}), sim::DomainError);
}

TEST(Scoring, MeanSeIsTheSampleMeanAndItsStandardError) {
  const sim::MeanSe m = sim::mean_se({1.0, 2.0, 3.0, 6.0});
  EXPECT_EQ(m.n, 4u);
  EXPECT_DOUBLE_EQ(m.mean, 3.0);
  // sample variance (4 + 1 + 0 + 9) / 3, SE = sqrt(var / 4)
  ASSERT_TRUE(m.std_error.has_value());
  EXPECT_DOUBLE_EQ(*m.std_error, std::sqrt(14.0 / 3.0 / 4.0));
  EXPECT_FALSE(sim::mean_se({1.0}).std_error.has_value());
}

}  // namespace
}  // namespace credsim
