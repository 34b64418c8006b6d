// Checkpoints: the tally survives a text round trip bit for bit, broken or
// foreign checkpoints are recognised, and a run resumed from any checkpoint
// ends bit-identical to the uninterrupted run.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

#include "model_fixture.hpp"
#include "models/credibility_model.hpp"
#include "sim/checkpoint.hpp"
#include "sim/errors.hpp"
#include "sim/runner.hpp"

namespace credsim {
namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void expect_identical(const sim::Tally& a, const sim::Tally& b) {
  ASSERT_EQ(a.trials, b.trials);
  ASSERT_EQ(a.metric.size(), b.metric.size());
  for (std::size_t o = 0; o < a.metric.size(); ++o) {
    for (std::size_t m = 0; m < a.metric[o].size(); ++m) {
      const auto& x = a.metric[o][m];
      const auto& y = b.metric[o][m];
      EXPECT_EQ(x.proportion.n, y.proportion.n);
      EXPECT_EQ(x.proportion.k, y.proportion.k);
      EXPECT_EQ(x.moments.n, y.moments.n);
      EXPECT_TRUE(same_bits(x.moments.mean, y.moments.mean)) << o << "/" << m;
      EXPECT_TRUE(same_bits(x.moments.m2, y.moments.m2)) << o << "/" << m;
    }
    ASSERT_EQ(a.survival[o].size(), b.survival[o].size());
    for (std::size_t c = 0; c < a.survival[o].size(); ++c) {
      EXPECT_EQ(a.survival[o][c].at_risk, b.survival[o][c].at_risk) << o << "/" << c;
      EXPECT_EQ(a.survival[o][c].events, b.survival[o][c].events) << o << "/" << c;
    }
    for (std::size_t m = 0; m < a.paired[o].size(); ++m) {
      EXPECT_EQ(a.paired[o][m].n, b.paired[o][m].n);
      EXPECT_TRUE(same_bits(a.paired[o][m].mean, b.paired[o][m].mean));
      EXPECT_TRUE(same_bits(a.paired[o][m].m2, b.paired[o][m].m2));
    }
  }
}

model::Scenario two_option_scenario() {
  model::Scenario s = test::small_scenario();
  s.base.options.push_back({"sanctions", "Sanctions", {test::commitment(0, model::Response::sanctions)}, {}, 0});
  return s;
}

const sim::CheckpointKey kKey{"0123abcd", 7, 60000, 0.0, 10'000'000, "combat,sanctions", "0.1.0"};

// The tally of 5000 trials with seed 7.
sim::Tally small_tally(const model::CredibilityModel& m) {
  sim::RunConfig config;
  config.seed = 7;
  config.trials = 5000;
  config.threads = 1;
  return sim::run(m, config).tally;
}

TEST(Checkpoint, TextRoundTripIsExact) {
  const model::CredibilityModel m(two_option_scenario());
  const sim::Tally tally = small_tally(m);
  const sim::Checkpoint back = sim::parse_checkpoint(sim::checkpoint_text(kKey, tally, 5), m.layout());
  expect_identical(tally, back.resume.tally);
  EXPECT_EQ(back.resume.next_block, 5u);
  EXPECT_EQ(sim::checkpoint_mismatch(back.key, kKey), "");
  sim::CheckpointKey other = kKey;
  other.seed = 8;
  EXPECT_EQ(sim::checkpoint_mismatch(back.key, other), "the seed");
  other = kKey;
  other.precision = 0.01;
  EXPECT_EQ(sim::checkpoint_mismatch(back.key, other), "the precision target");
}

TEST(Checkpoint, TruncatedOrForeignTextIsRefused) {
  const model::CredibilityModel m(two_option_scenario());
  const std::string text = sim::checkpoint_text(kKey, sim::Tally(m.layout()), 0);
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, text.size() / 2, text.size() - 4})
    EXPECT_THROW(sim::parse_checkpoint(text.substr(0, cut), m.layout()), sim::RunError) << cut;
  EXPECT_THROW(sim::parse_checkpoint(text + "x\n", m.layout()), sim::RunError);
  // Another layout (one option fewer) does not fit.
  const model::CredibilityModel one(two_option_scenario(), {"combat"});
  EXPECT_THROW(sim::parse_checkpoint(text, one.layout()), sim::RunError);
}

// Issue 18, item 2: a checkpoint edited by hand (or by a bad disk) after
// Ctrl-C is still well-formed, but resuming from it would be a wrong result.
TEST(Checkpoint, EditedCountIsRefused) {
  const model::CredibilityModel m(two_option_scenario());
  std::string text = sim::checkpoint_text(kKey, small_tally(m), 5);
  const auto at = text.find("\nm ") + 3;  // the first digit of a proportion's n
  text[at] = text[at] == '9' ? '8' : '9';
  EXPECT_THROW(sim::parse_checkpoint(text, m.layout()), sim::RunError);
}

// Resuming from every checkpoint a run offers gives the same tally, in both modes.
void check_resume_from_every_checkpoint(sim::RunConfig config) {
  const model::CredibilityModel m(two_option_scenario());
  std::vector<sim::ResumePoint> points;
  config.checkpoint = [&](const sim::Tally& t, std::uint64_t next) { points.push_back({t, next}); };
  const sim::RunResult whole = sim::run(m, config);
  ASSERT_GE(points.size(), 2u);
  config.checkpoint = nullptr;
  for (const auto& p : {points.front(), points[points.size() / 2], points.back()}) {
    // Through the text form, as the CLI does.
    const sim::Checkpoint c = sim::parse_checkpoint(sim::checkpoint_text(kKey, p.tally, p.next_block), m.layout());
    config.resume_from = &c.resume;
    config.threads = 2;
    const sim::RunResult resumed = sim::run(m, config);
    expect_identical(whole.tally, resumed.tally);
  }
}

TEST(Checkpoint, ResumedFixedCountRunIsBitIdentical) {
  sim::RunConfig config;
  config.seed = 3;
  config.trials = 60'000;
  config.threads = 1;
  check_resume_from_every_checkpoint(config);
}

TEST(Checkpoint, ResumedPrecisionRunIsBitIdentical) {
  sim::RunConfig config;
  config.seed = 4;
  config.precision = 0.004;
  config.max_trials = 2'000'000;
  config.threads = 1;
  check_resume_from_every_checkpoint(config);
}

TEST(Checkpoint, ResumePointThatDoesNotFitIsRefused) {
  const model::CredibilityModel m(two_option_scenario());
  sim::ResumePoint bad{sim::Tally(m.layout()), 3};  // 0 trials but block 3
  sim::RunConfig config;
  config.trials = 10'000;
  config.resume_from = &bad;
  EXPECT_THROW(sim::run(m, config), sim::RunError);
}

}  // namespace
}  // namespace credsim
