// The ratio estimator's accumulator (WeightedMean): the two-pass formulas on
// a small sample, adds equal to merges of parts, weights of zero, the
// coverage of its delta-method interval by simulation, and its sums through
// the MPI codec and the checkpoint, bit for bit.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "coin_model.hpp"
#include "sim/checkpoint.hpp"
#include "sim/report.hpp"
#include "sim/rng.hpp"
#include "sim/stats.hpp"
#include "sim/tally_codec.hpp"

namespace credsim::sim {
namespace {

struct Point {
  double w, y;
};

// sum(w y) / sum(w) and sqrt(n/(n-1) sum(w^2 (y - R)^2)) / sum(w), in two passes.
std::pair<double, double> two_pass(const std::vector<Point>& points) {
  double sw = 0.0, swy = 0.0;
  for (const auto& p : points) {
    sw += p.w;
    swy += p.w * p.y;
  }
  const double r = swy / sw;
  double s = 0.0;
  for (const auto& p : points) s += p.w * p.w * (p.y - r) * (p.y - r);
  const double n = static_cast<double>(points.size());
  return {r, std::sqrt(s * n / (n - 1.0)) / sw};
}

std::vector<Point> sample(std::uint64_t stream, int n) {
  RngStream rng(11, stream, Purpose::test);
  std::vector<Point> points;
  for (int i = 0; i < n; ++i) {
    const double w = rng.uniform();
    points.push_back({w, rng.uniform() < 0.2 + 0.6 * w ? 1.0 : 0.0});
  }
  return points;
}

TEST(StatsWeightedMean, MatchesTheTwoPassFormulas) {
  const std::vector<Point> points = {{0.5, 1.0}, {0.25, 0.0}, {1.0, 0.75}, {0.0, 0.3}, {0.125, 1.0}};
  WeightedMean m;
  for (const auto& p : points) m.add(p.w, p.y);
  const auto [r, se] = two_pass(points);
  EXPECT_EQ(m.n, 5u);
  EXPECT_NEAR(m.mean, r, 1e-15);
  EXPECT_NEAR(m.std_error(), se, 1e-15);
  // By hand: sum(w y) = 1.375, sum(w) = 1.875.
  EXPECT_NEAR(m.mean, 1.375 / 1.875, 1e-15);
}

TEST(StatsWeightedMean, AddMatchesMergeOfParts) {
  const std::vector<Point> points = sample(1, 1000);
  WeightedMean all, left, right;
  for (std::size_t i = 0; i < points.size(); ++i) {
    all.add(points[i].w, points[i].y);
    (i < 377 ? left : right).add(points[i].w, points[i].y);
  }
  WeightedMean merged = left;
  merged += right;
  EXPECT_EQ(merged.n, all.n);
  EXPECT_NEAR(merged.mean, all.mean, 1e-13);
  EXPECT_NEAR(merged.std_error(), all.std_error(), 1e-13);
  const auto [r, se] = two_pass(points);
  EXPECT_NEAR(all.mean, r, 1e-13);
  EXPECT_NEAR(all.std_error(), se, 1e-13);
}

// Equal weights make it the sample mean with its usual standard error.
TEST(StatsWeightedMean, EqualWeightsGiveTheMoments) {
  const std::vector<Point> points = sample(2, 500);
  WeightedMean w;
  Moments m;
  for (const auto& p : points) {
    w.add(0.3, p.y);
    m.add(p.y);
  }
  EXPECT_NEAR(w.mean, m.mean, 1e-13);
  EXPECT_NEAR(w.std_error(), m.std_error(), 1e-13);
}

// Trials of weight 0 count in n but move nothing; with no weight at all the
// condition was never possible, and there is no estimate.
TEST(StatsWeightedMean, WeightsOfZero) {
  WeightedMean none;
  none.add(0.0, 1.0);
  none.add(0.0, 0.0);
  EXPECT_EQ(none.n, 2u);
  MetricSpec spec;
  spec.ratio = true;
  MetricTally t;
  t.weighted = none;
  EXPECT_FALSE(estimate_metric(spec, t).value);

  WeightedMean some;
  some.add(0.5, 1.0);
  some.add(0.5, 0.0);
  WeightedMean merged = none;
  merged += some;
  EXPECT_EQ(merged.n, 4u);
  EXPECT_DOUBLE_EQ(merged.mean, 0.5);
  WeightedMean other_way = some;
  other_way += none;
  EXPECT_EQ(other_way.n, 4u);
  EXPECT_EQ(other_way.mean, merged.mean);
  EXPECT_EQ(other_way.std_error(), merged.std_error());
}

// When almost all the weight is on one trial, the spread of the others says
// nothing: no standard error (as for a mean of one), not a false zero that
// would stop a --precision run at once.
TEST(StatsWeightedMean, AboutOneTrialOfWeightGivesNoInterval) {
  MetricSpec spec;
  spec.ratio = true;
  MetricTally t;
  t.weighted.add(1.0, 0.0);
  for (int i = 0; i < 1000; ++i) t.weighted.add(1e-9, 1.0);
  EXPECT_LT(t.weighted.effective_n(), 2.0);
  const Estimate e = estimate_metric(spec, t);
  ASSERT_TRUE(e.value);
  EXPECT_FALSE(e.std_error);
  EXPECT_FALSE(e.ci);
  t.weighted.add(1.0, 1.0);  // a second trial of full weight
  EXPECT_GE(t.weighted.effective_n(), 2.0);
  EXPECT_TRUE(estimate_metric(spec, t).std_error);
}

// w ~ U(0, 1), y ~ Bernoulli(0.2 + 0.6 w): R = E[w y] / E[w] = 0.3 / 0.5 = 0.6.
// Over 2000 replications of n = 400 the coverage estimate has binomial SE
// sqrt(0.95 * 0.05 / 2000) = 0.0049; a correct 95% interval falls within 4 SE
// of 0.95 except with probability ~6e-5.
TEST(StatsWeightedMean, CoverageNearNominal) {
  constexpr int kReplications = 2000, kN = 400;
  constexpr double kRatio = 0.6, kNominal = 0.95;
  MetricSpec spec;
  spec.ratio = true;
  spec.kind = MetricKind::probability;
  int covered = 0;
  for (int r = 0; r < kReplications; ++r) {
    MetricTally t;
    for (const auto& p : sample(100 + static_cast<std::uint64_t>(r), kN)) t.weighted.add(p.w, p.y);
    const Estimate e = estimate_metric(spec, t);
    covered += (e.ci->low <= kRatio && kRatio <= e.ci->high) ? 1 : 0;
  }
  const double coverage = static_cast<double>(covered) / kReplications;
  const double se = std::sqrt(kNominal * (1.0 - kNominal) / kReplications);
  EXPECT_NEAR(coverage, kNominal, 4.0 * se);
}

void expect_same_bits(const WeightedMean& a, const WeightedMean& b) {
  EXPECT_EQ(a.n, b.n);
  for (const auto field : {&WeightedMean::weight, &WeightedMean::weight_sq, &WeightedMean::mean, &WeightedMean::lin,
                           &WeightedMean::sq})
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.*field), std::bit_cast<std::uint64_t>(b.*field));
}

TEST(StatsWeightedMean, SumsTravelExactlyThroughTheCodecAndTheCheckpoint) {
  const test::CoinModel model;
  Tally tally(model.layout());
  for (const auto& p : sample(3, 300)) tally.metric[1][1].weighted.add(p.w, p.y);
  const Tally decoded = decode_tally(encode_tally(tally));
  expect_same_bits(decoded.metric[1][1].weighted, tally.metric[1][1].weighted);
  const CheckpointKey key{"0123abcd", 42, 1000, 0.0, 10'000'000, "fair,biased", "0.1.0"};
  const Checkpoint back = parse_checkpoint(checkpoint_text(key, tally, 1), model.layout());
  expect_same_bits(back.resume.tally.metric[1][1].weighted, tally.metric[1][1].weighted);
}

}  // namespace
}  // namespace credsim::sim
