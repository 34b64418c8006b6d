// Mergeable accumulators: Wilson intervals against independently computed
// values, Moments merge equal to sequential adds, Survival counts, and the
// Wilson interval's coverage by simulation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/errors.hpp"
#include "sim/rng.hpp"
#include "sim/stats.hpp"

namespace credsim::sim {
namespace {

// References from the Wilson formula evaluated at 30 digits (mpmath) with z = kZ95:
//   centre = (p + z^2/(2n)) / (1 + z^2/n),
//   half   = z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n),
//   [centre - half, centre + half], with p = k/n.
// At k = 0 the upper bound is z^2 / (n + z^2).
struct WilsonCase {
  std::uint64_t k, n;
  double low, high;
};
constexpr WilsonCase kWilson[] = {
    {0, 10, 0.0, 0.2775327998628892},
    {5, 10, 0.236593090512564, 0.763406909487436},
    {10, 10, 0.7224672001371108, 1.0},
    {1, 10, 0.017876213095072907, 0.40415002679523846},
    {3, 7, 0.15821985525146971, 0.74954163547234278},
    {37, 200, 0.13730192800616045, 0.24457062761151749},
};

TEST(StatsWilson, MatchesReferenceValues) {
  for (const auto& c : kWilson) {
    const Interval ci = Proportion{c.n, c.k}.wilson();
    // A few ulps of double evaluation; the references carry 17 digits.
    EXPECT_NEAR(ci.low, c.low, 1e-14) << c.k << "/" << c.n;
    EXPECT_NEAR(ci.high, c.high, 1e-14) << c.k << "/" << c.n;
  }
}

TEST(StatsWilson, ExactBoundsAtTheEdges) {
  EXPECT_EQ(Proportion({10, 0}).wilson().low, 0.0);
  EXPECT_EQ(Proportion({10, 10}).wilson().high, 1.0);
  // No data: the whole unit interval.
  const Interval none = Proportion{}.wilson();
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
  EXPECT_EQ(Proportion{}.estimate(), 0.0);
}

TEST(StatsWilson, ProportionAddAndMerge) {
  Proportion a, b;
  for (int i = 0; i < 7; ++i) a.add(i % 3 == 0);  // 3 of 7
  for (int i = 0; i < 5; ++i) b.add(true);
  a += b;
  EXPECT_EQ(a.n, 12u);
  EXPECT_EQ(a.k, 8u);
  EXPECT_DOUBLE_EQ(a.estimate(), 8.0 / 12.0);
}

// Nominal 95% interval, p = 0.1, n = 200, estimated over R = 2000 replications.
// The coverage estimate has binomial SE sqrt(0.95 * 0.05 / R) = 0.0049, so a
// correct 95% interval gives an estimate above 0.95 - 4 SE = 0.9305 except with
// probability ~3e-5. (The exact coverage at these n, p is 0.9561, by summing
// binomial probabilities over k whose interval holds p.)
TEST(StatsWilson, CoverageNearNominal) {
  constexpr int kReplications = 2000, kN = 200;
  constexpr double kP = 0.1, kNominal = 0.95;
  int covered = 0;
  for (int r = 0; r < kReplications; ++r) {
    RngStream rng(20240611, static_cast<std::uint64_t>(r), Purpose::test);
    Proportion prop;
    for (int i = 0; i < kN; ++i) prop.add(rng.uniform() < kP);
    const Interval ci = prop.wilson();
    covered += (ci.low <= kP && kP <= ci.high) ? 1 : 0;
  }
  const double coverage = static_cast<double>(covered) / kReplications;
  const double se = std::sqrt(kNominal * (1.0 - kNominal) / kReplications);
  EXPECT_GE(coverage, kNominal - 4.0 * se);
  EXPECT_GE(coverage, 0.93);
  // Nor wildly conservative: within 4 SE of the exact coverage 0.9561.
  EXPECT_NEAR(coverage, 0.956118236711414, 4.0 * std::sqrt(0.9561 * 0.0439 / kReplications));
}

TEST(StatsMoments, AddMatchesMergeOfHalves) {
  RngStream rng(7, 0, Purpose::test);
  std::vector<double> xs;
  // Offset comparable to the spread: Welford's update and the merge are then
  // both accurate to ~1e-15, so 1e-12 separates a formula error from rounding.
  // (At mean/sd ~ 3e5 the two drift ~4e-12 apart, neither being wrong.)
  for (int i = 0; i < 10'001; ++i) xs.push_back(5.0 + 3.0 * rng.normal());
  Moments all, left, right;
  for (double x : xs) all.add(x);
  for (std::size_t i = 0; i < xs.size(); ++i) (i < 4000 ? left : right).add(xs[i]);
  Moments merged = left;
  merged += right;
  EXPECT_EQ(merged.n, all.n);
  EXPECT_NEAR(merged.mean, all.mean, 1e-12 * std::abs(all.mean));
  EXPECT_NEAR(merged.variance(), all.variance(), 1e-12 * all.variance());
  EXPECT_NEAR(merged.std_error(), all.std_error(), 1e-12 * all.std_error());
}

TEST(StatsMoments, KnownSmallSample) {
  Moments m;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) m.add(x);
  EXPECT_EQ(m.n, 8u);
  EXPECT_DOUBLE_EQ(m.mean, 5.0);
  EXPECT_DOUBLE_EQ(m.variance(), 32.0 / 7.0);  // sum of squared deviations 32, n - 1 = 7
  EXPECT_DOUBLE_EQ(m.std_error(), std::sqrt(32.0 / 7.0 / 8.0));
  const Interval ci = m.interval();
  EXPECT_DOUBLE_EQ(ci.half_width(), kZ95 * m.std_error());
}

TEST(StatsMoments, MergeWithEmpty) {
  Moments m;
  for (double x : {1.0, 2.0, 6.0}) m.add(x);
  const Moments before = m;
  m += Moments{};
  EXPECT_EQ(m.n, before.n);
  EXPECT_EQ(m.mean, before.mean);
  EXPECT_EQ(m.m2, before.m2);

  Moments empty;
  empty += before;
  EXPECT_EQ(empty.n, before.n);
  EXPECT_EQ(empty.mean, before.mean);
  EXPECT_EQ(empty.m2, before.m2);

  Moments both;
  both += Moments{};
  EXPECT_EQ(both.n, 0u);
  EXPECT_EQ(both.variance(), 0.0);
  EXPECT_EQ(both.std_error(), 0.0);
}

TEST(StatsSurvival, SurvivorsCountsEventsUpToT) {
  Survival s(4);
  s.add(false, 1);  // never entered: not at risk, not counted
  s.add(true, 0);   // no event through T
  s.add(true, 1);
  s.add(true, 1);
  s.add(true, 3);
  s.add(true, 4);
  EXPECT_EQ(s.horizon(), 4);
  EXPECT_EQ(s.at_risk, 5u);
  const std::uint64_t expected[] = {5, 3, 3, 2, 1};  // no event by t = 0..4
  for (int t = 0; t <= 4; ++t) {
    const Proportion p = s.survivors(t);
    EXPECT_EQ(p.n, 5u) << "t = " << t;
    EXPECT_EQ(p.k, expected[t]) << "t = " << t;
  }
  // Beyond the horizon nothing more happens.
  EXPECT_EQ(s.survivors(10).k, 1u);
}

TEST(StatsSurvival, MergeAddsAndRejectsOtherHorizons) {
  Survival a(3), b(3);
  a.add(true, 2);
  b.add(true, 0);
  b.add(true, 2);
  a += b;
  EXPECT_EQ(a.at_risk, 3u);
  EXPECT_EQ(a.survivors(2).k, 1u);
  EXPECT_EQ(a.survivors(1).k, 3u);
  Survival c(5);
  EXPECT_THROW(a += c, RunError);
}

}  // namespace
}  // namespace credsim::sim
