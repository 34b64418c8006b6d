// Several survival curves per option (issue 12): the tally keeps one per
// option and curve, and every path a tally travels (merge, the MPI codec, the
// checkpoint text) keeps them apart and exact. The coin model has two curves
// with different subjects at risk (every trial; heads only).
#include <gtest/gtest.h>

#include <string>

#include "coin_model.hpp"
#include "sim/checkpoint.hpp"
#include "sim/errors.hpp"
#include "sim/hash.hpp"
#include "sim/runner.hpp"
#include "sim/tally_codec.hpp"

namespace credsim {
namespace {

// The tally of `trials` coin trials from `first` on, added one record at a time.
sim::Tally coin_tally(const test::CoinModel& model, std::uint64_t first, std::uint64_t trials) {
  const auto& layout = model.layout();
  sim::Tally tally(layout);
  sim::TrialRecord record(layout);
  auto ws = model.make_workspace();
  for (std::uint64_t t = first; t < first + trials; ++t) {
    record.clear();
    model.run_trial(42, t, *ws, record);
    tally.add(layout, record);
  }
  return tally;
}

void expect_same_curves(const sim::Tally& a, const sim::Tally& b) {
  ASSERT_EQ(a.survival.size(), b.survival.size());
  for (std::size_t o = 0; o < a.survival.size(); ++o) {
    ASSERT_EQ(a.survival[o].size(), b.survival[o].size());
    for (std::size_t c = 0; c < a.survival[o].size(); ++c) {
      EXPECT_EQ(a.survival[o][c].at_risk, b.survival[o][c].at_risk) << o << "/" << c;
      EXPECT_EQ(a.survival[o][c].events, b.survival[o][c].events) << o << "/" << c;
    }
  }
}

TEST(TallyCurves, OnePerOptionAndCurveWithItsOwnSubjects) {
  const test::CoinModel model;
  const sim::Tally tally = coin_tally(model, 0, 2000);
  ASSERT_EQ(tally.survival.size(), 2u);
  for (const auto& option : tally.survival) {
    ASSERT_EQ(option.size(), 2u);
    EXPECT_EQ(option[0].at_risk, 2000u);  // every trial
    EXPECT_EQ(option[0].horizon(), 3);
  }
  // Heads only: about half of the fair coin's trials, about 70% of the biased one's.
  EXPECT_LT(tally.survival[0][1].at_risk, tally.survival[1][1].at_risk);
  EXPECT_EQ(tally.survival[0][1].at_risk, tally.metric[0][0].proportion.k);
  EXPECT_EQ(tally.survival[1][1].at_risk, tally.metric[1][0].proportion.k);
}

TEST(TallyCurves, MergeOfTwoHalvesEqualsTheWhole) {
  const test::CoinModel model;
  sim::Tally merged = coin_tally(model, 0, 700);
  merged += coin_tally(model, 700, 800);
  expect_same_curves(merged, coin_tally(model, 0, 1500));
}

TEST(TallyCurves, MergeRefusesAnotherNumberOfCurves) {
  const test::CoinModel model;
  sim::Tally a = coin_tally(model, 0, 10);
  sim::Tally b = coin_tally(model, 10, 10);
  b.survival[1].pop_back();
  EXPECT_THROW(a += b, sim::RunError);
}

TEST(TallyCurves, CodecRoundTripKeepsEveryCurve) {
  const test::CoinModel model;
  const sim::Tally tally = coin_tally(model, 0, 1000);
  const std::string text = sim::encode_tally(tally);
  const sim::Tally back = sim::decode_tally(text);
  expect_same_curves(back, tally);
  EXPECT_EQ(sim::encode_tally(back), text);
}

const sim::CheckpointKey kKey{"0123abcd", 42, 1000, 0.0, 10'000'000, "fair,biased", "0.1.0"};

TEST(TallyCurves, CheckpointRoundTripKeepsEveryCurve) {
  const test::CoinModel model;
  const sim::Tally tally = coin_tally(model, 0, 1000);
  const sim::Checkpoint back = sim::parse_checkpoint(sim::checkpoint_text(kKey, tally, 3), model.layout());
  expect_same_curves(back.resume.tally, tally);
}

// A checkpoint of an older format (2: one curve per option; 3: no ratio
// sums) is refused with its reason, so the CLI starts afresh with a notice
// instead of resuming a wrong shape.
TEST(TallyCurves, CheckpointOfAnOlderFormatIsRefusedByItsFormat) {
  const test::CoinModel model;
  const std::string text = sim::checkpoint_text(kKey, coin_tally(model, 0, 10), 1);
  for (const std::string format : {"2", "3"}) {
    const std::string body = "credsim-run-checkpoint " + format +
                             text.substr(text.find('\n'), text.rfind("sha256: ") - text.find('\n'));
    // Re-sealed with a valid checksum, as an old credsim wrote it.
    const std::string old = body + "sha256: " + sim::sha256_hex(body) + "\n";
    try {
      sim::parse_checkpoint(old, model.layout());
      FAIL() << "a format " << format << " checkpoint was read";
    } catch (const sim::RunError& e) {
      EXPECT_NE(std::string(e.what()).find("format " + format), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("reads format 4"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace credsim
