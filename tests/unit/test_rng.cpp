// Philox4x32-10 and RngStream: known answers, determinism, and the moments and
// independence a uniform stream must have. Statistical checks use fixed keys and
// a 4-standard-error band (two-sided size about 6e-5 each), so they are
// deterministic and would only fail for a real defect.
#include <gtest/gtest.h>

#include <array>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/rng.hpp"
#include "sim/stats.hpp"

namespace credsim::sim {
namespace {

constexpr std::uint64_t kSeed = 20240611;  // fixed: every statistical check below is reproducible

using Block = std::array<std::uint32_t, 4>;

// Random123 examples/kat_vectors, "philox4x32 10" lines: CTR (4 words), KEY (2 words), expected output.
TEST(RngPhilox, KnownAnswerZero) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (Block{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
}

TEST(RngPhilox, KnownAnswerAllOnes) {
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
            (Block{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
}

TEST(RngPhilox, KnownAnswerPiDigits) {
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (Block{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

// The stream's documented layout: counter (block, sub << 8 | purpose, trial lo, trial hi),
// key = seed, and each 64-bit output is two consecutive 32-bit words, high first.
TEST(RngStreamTest, OutputsFollowTheCounterLayout) {
  const std::uint64_t seed = 0x0123456789abcdefULL, trial = 0xfedcba9876543210ULL;
  const std::uint32_t sub = 5;
  RngStream rng(seed, trial, Purpose::war, sub);
  const std::array<std::uint32_t, 2> key = {0x89abcdefu, 0x01234567u};
  for (std::uint32_t block = 0; block < 3; ++block) {
    const Block b = philox4x32_10({block, (sub << 8) | 7u, 0x76543210u, 0xfedcba98u}, key);
    EXPECT_EQ(rng(), (std::uint64_t{b[0]} << 32) | b[1]) << "block " << block;
    EXPECT_EQ(rng(), (std::uint64_t{b[2]} << 32) | b[3]) << "block " << block;
  }
}

TEST(RngStreamTest, SameKeyGivesSameSequence) {
  RngStream a(kSeed, 17, Purpose::decision, 3), b(kSeed, 17, Purpose::decision, 3);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a(), b()) << "draw " << i;
}

TEST(RngStreamTest, DiscardSkipsDraws) {
  RngStream a(kSeed, 1, Purpose::test), b(kSeed, 1, Purpose::test);
  a.discard(7);
  for (int i = 0; i < 7; ++i) b();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a(), b());
}

// discard() jumps the block counter instead of drawing: check it against
// drawing one by one from every phase (even and odd positions, before and
// after a refill), including jumps of many blocks.
TEST(RngStreamTest, DiscardInConstantTimeMatchesDrawing) {
  for (const int before : {0, 1, 2, 3}) {
    for (const std::uint64_t skip : {0ULL, 1ULL, 2ULL, 3ULL, 5ULL, 1000ULL, 1001ULL}) {
      RngStream a(kSeed, 9, Purpose::test, 4), b(kSeed, 9, Purpose::test, 4);
      for (int i = 0; i < before; ++i) ASSERT_EQ(a(), b());
      a.discard(skip);
      for (std::uint64_t i = 0; i < skip; ++i) b();
      for (int i = 0; i < 5; ++i) EXPECT_EQ(a(), b()) << "before " << before << ", skip " << skip << ", draw " << i;
    }
  }
}

TEST(RngStreamTest, DifferentKeysGiveDifferentSequences) {
  RngStream base(kSeed, 0, Purpose::test, 0);
  RngStream others[] = {RngStream(kSeed + 1, 0, Purpose::test, 0), RngStream(kSeed, 1, Purpose::test, 0),
                        RngStream(kSeed, 0, Purpose::war, 0), RngStream(kSeed, 0, Purpose::test, 1),
                        RngStream(kSeed, std::uint64_t{1} << 32, Purpose::test, 0)};
  const std::uint64_t first = base();
  for (auto& o : others) EXPECT_NE(o(), first);
}

TEST(RngStreamTest, UniformIsStrictlyInsideTheUnitInterval) {
  RngStream rng(kSeed, 2, Purpose::test);
  double lo = 1.0, hi = 0.0;
  for (int i = 0; i < 1'000'000; ++i) {
    const double u = rng.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // A million draws should reach within 1e-4 of both ends (P(miss) = e^-100).
  EXPECT_LT(lo, 1e-4);
  EXPECT_GT(hi, 1.0 - 1e-4);
}

TEST(RngStreamTest, UniformMeanAndVarianceMatch) {
  constexpr int kN = 1'000'000;
  RngStream rng(kSeed, 3, Purpose::test);
  Moments m;
  for (int i = 0; i < kN; ++i) m.add(rng.uniform());
  // U(0,1): mean 1/2, variance 1/12, fourth central moment 1/80, so
  // SE(mean) = sqrt(1/12 / N) and SE(sample variance) = sqrt((1/80 - 1/144) / N).
  const double se_mean = std::sqrt(1.0 / 12.0 / kN);
  const double se_var = std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / kN);
  EXPECT_NEAR(m.mean, 0.5, 4.0 * se_mean);
  EXPECT_NEAR(m.variance(), 1.0 / 12.0, 4.0 * se_var);
}

double correlation(RngStream a, RngStream b, int n) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; ++i) {
    const double x = a.uniform(), y = b.uniform();
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  return cov / std::sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
}

TEST(RngStreamTest, StreamsWithNeighbouringKeysAreUncorrelated) {
  constexpr int kN = 100'000;
  const RngStream base(kSeed, 10, Purpose::politics, 2);
  // Neighbours in each key component: the counter-based design must not leak between them.
  const RngStream neighbours[] = {
      RngStream(kSeed, 11, Purpose::politics, 2),      // next trial
      RngStream(kSeed, 10, Purpose::successor, 2),     // next purpose
      RngStream(kSeed, 10, Purpose::politics, 3),      // next sub-stream
      RngStream(kSeed + 1, 10, Purpose::politics, 2),  // next seed
  };
  // Under independence the sample correlation has SE 1/sqrt(N).
  for (const RngStream& other : neighbours) {
    EXPECT_NEAR(correlation(base, other, kN), 0.0, 4.0 / std::sqrt(double{kN}));
  }
  // And successive draws of one stream (lag 1).
  RngStream lagged = base;
  lagged.uniform();
  EXPECT_NEAR(correlation(base, lagged, kN), 0.0, 4.0 / std::sqrt(double{kN}));
}

TEST(RngStreamTest, NormalHasUnitMoments) {
  constexpr int kN = 200'000;
  RngStream rng(kSeed, 4, Purpose::test);
  Moments m;
  for (int i = 0; i < kN; ++i) m.add(rng.normal());
  // N(0,1): SE(mean) = 1/sqrt(N); SE(sample variance) = sqrt(2/N).
  EXPECT_NEAR(m.mean, 0.0, 4.0 / std::sqrt(double{kN}));
  EXPECT_NEAR(m.variance(), 1.0, 4.0 * std::sqrt(2.0 / kN));
}

// RngStream models Boost.Random's engine concept: its distributions run on it unchanged.
TEST(RngStreamTest, WorksWithBoostRandomDistributions) {
  constexpr int kN = 200'000;
  RngStream rng(kSeed, 5, Purpose::test);

  boost::random::normal_distribution<> normal(2.0, 3.0);
  Moments mn;
  for (int i = 0; i < kN; ++i) mn.add(normal(rng));
  EXPECT_NEAR(mn.mean, 2.0, 4.0 * 3.0 / std::sqrt(double{kN}));
  EXPECT_NEAR(mn.variance(), 9.0, 4.0 * 9.0 * std::sqrt(2.0 / kN));

  boost::random::uniform_int_distribution<> die(1, 6);
  Moments md;
  std::array<int, 7> counts{};
  for (int i = 0; i < kN; ++i) {
    const int x = die(rng);
    ASSERT_GE(x, 1);
    ASSERT_LE(x, 6);
    ++counts[static_cast<std::size_t>(x)];
    md.add(x);
  }
  // Fair die: mean 7/2, variance 35/12, fourth central moment 707/48.
  EXPECT_NEAR(md.mean, 3.5, 4.0 * std::sqrt(35.0 / 12.0 / kN));
  EXPECT_NEAR(md.variance(), 35.0 / 12.0, 4.0 * std::sqrt((707.0 / 48.0 - (35.0 / 12.0) * (35.0 / 12.0)) / kN));
  // Each face: binomial(N, 1/6).
  for (int face = 1; face <= 6; ++face) {
    EXPECT_NEAR(counts[static_cast<std::size_t>(face)], kN / 6.0, 4.0 * std::sqrt(kN * (1.0 / 6.0) * (5.0 / 6.0)))
        << "face " << face;
  }
}

}  // namespace

// The extreme outputs of the generator map strictly inside (0, 1).
TEST(RngUniform, ExtremeBitsStayInsideTheOpenInterval) {
  constexpr double lowest = sim::RngStream::to_unit_interval(0);
  constexpr double highest = sim::RngStream::to_unit_interval(~std::uint64_t{0});
  static_assert(lowest == 0x1.0p-53);
  static_assert(highest == 1.0 - 0x1.0p-53);
  EXPECT_GT(lowest, 0.0);
  EXPECT_LT(highest, 1.0);
}

}  // namespace credsim::sim
