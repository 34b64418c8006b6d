#pragma once
// The parallel Monte Carlo runner.
//
// Trials are cut into fixed blocks of kBlockTrials; each block is tallied on
// its own, in trial order, and blocks are merged strictly in block order. The
// numbers therefore depend on (model, seed, trial count) only, never on the
// number of threads or processes.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>

#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

inline constexpr std::uint64_t kBlockTrials = 1024;
inline constexpr std::uint64_t kMaxTrials = 1'000'000'000'000ULL;  // 10^12

// Receives every trial's record, in trial order, on the calling thread.
class TrialSink {
 public:
  virtual ~TrialSink() = default;
  virtual void write(std::uint64_t trial, const TrialRecord& record) = 0;
};

// Where a run stopped: the exact tally of blocks [0, next_block). A run given
// it continues with block next_block and ends bit-identical to one that never
// stopped (blocks merge in order either way).
struct ResumePoint {
  Tally tally;
  std::uint64_t next_block = 0;
};

// Blocks computed at once between merges for `workers` threads.
inline std::uint64_t round_blocks(int workers) {
  return std::max<std::uint64_t>(16, 4 * static_cast<std::uint64_t>(workers));
}

struct RunConfig {
  std::uint64_t seed = 1;
  std::uint64_t trials = 0;        // fixed count, or 0 with precision > 0
  double precision = 0.0;          // target 95% half-width of every headline probability
  std::uint64_t max_trials = 10'000'000;  // cap for the precision mode
  int threads = 0;                 // 0 = all cores
  std::function<void(std::uint64_t done, std::uint64_t target)> progress;  // on the calling thread
  const std::atomic<bool>* cancel = nullptr;  // set to stop; run() then throws Cancelled
  TrialSink* sink = nullptr;
  // Checkpointing (both optional; neither changes the numbers). `checkpoint` is
  // called on the calling thread after each merged round that leaves work to
  // do, with the tally so far and the next block; `resume_from` starts from
  // such a point. Not for use with `sink` (trials before next_block are not replayed).
  std::function<void(const Tally& tally, std::uint64_t next_block)> checkpoint;
  const ResumePoint* resume_from = nullptr;
};

struct RunResult {
  Tally tally;
  std::uint64_t seed = 0;
  double precision_target = 0.0;  // 0 when a fixed count was asked
  WidestInterval widest;          // of the headline probabilities, at the end
};

// Throws RunError for an impossible request (0 trials, above kMaxTrials, precision
// not reached within max_trials) and Cancelled when *cancel becomes true.
RunResult run(const TrialModel& model, const RunConfig& config);

// Tally of the trials [first, first + count) on the calling thread, in order.
Tally run_range(const TrialModel& model, std::uint64_t seed, std::uint64_t first, std::uint64_t count,
                Workspace& ws, TrialSink* sink = nullptr);

}  // namespace credsim::sim
