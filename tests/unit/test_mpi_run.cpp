// Trials over ranks: two simulated ranks (one gather each) give bitwise the
// tally of sim::run in one process. The real 2-rank test is the CTest
// mpi.sweep (tests/mpi).
#include <gtest/gtest.h>

#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/distributed_run.hpp"
#include "sim/tally_codec.hpp"

namespace credsim::sim {
namespace {

// Rank `rank` of 2; rank 1's gather stores its payloads for rank 0's.
class FakeComm : public PointComm {
 public:
  FakeComm(int rank, std::vector<std::string>* mailbox) : rank_(rank), mailbox_(mailbox) {}
  int rank() const override { return rank_; }
  int size() const override { return 2; }
  std::vector<std::string> gather(const std::vector<std::string>& mine) override {
    if (rank_ == 1) {
      *mailbox_ = mine;
      return {};
    }
    auto all = mine;
    all.insert(all.end(), mailbox_->begin(), mailbox_->end());
    return all;
  }

 private:
  int rank_;
  std::vector<std::string>* mailbox_;
};

TEST(MpiRun, TwoRanksGiveTheOneProcessTallyBitwise) {
  const model::CredibilityModel model(model::load_scenario(std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml"),
                                      {"budapest", "art5_style"});
  RunConfig c;
  c.seed = 3;
  c.trials = 3 * kBlockTrials + 100;
  c.threads = 2;
  const RunResult one = run(model, c);
  std::vector<std::string> mailbox;
  FakeComm r1(1, &mailbox), r0(0, &mailbox);
  run_over_ranks(model, c, r1);
  const RunResult two = run_over_ranks(model, c, r0);
  EXPECT_EQ(encode_tally(two.tally), encode_tally(one.tally));
  EXPECT_EQ(two.tally.trials, c.trials);
}

TEST(MpiRun, TallyCodecRoundTrips) {
  const model::CredibilityModel model(model::load_scenario(std::string(CREDSIM_SOURCE_DIR) + "/scenarios/ukraine.yaml"),
                                      {"budapest"});
  RunConfig c;
  c.trials = 200;
  const RunResult r = run(model, c);
  const std::string text = encode_tally(r.tally);
  EXPECT_EQ(encode_tally(decode_tally(text)), text);
  EXPECT_EQ(decode_tally(text).metric[0][0].moments.mean, r.tally.metric[0][0].moments.mean);
}

}  // namespace
}  // namespace credsim::sim
