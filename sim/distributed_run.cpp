#include "sim/distributed_run.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>

#include "sim/errors.hpp"
#include "sim/tally_codec.hpp"

namespace credsim::sim {

RunResult run_over_ranks(const TrialModel& model, const RunConfig& config, PointComm& comm) {
  if (config.trials == 0) throw RunError("a run over MPI ranks needs a fixed trial count (--trials), not --precision");
  if (config.sink) throw RunError("a run over MPI ranks cannot write per-trial rows (--trials-csv)");
  if (config.trials > kMaxTrials)
    throw RunError("trials is " + std::to_string(config.trials) + ", but must be at most " + std::to_string(kMaxTrials));
  tbb::task_arena arena(config.threads > 0 ? config.threads : tbb::task_arena::automatic);  // as sim::run

  const std::uint64_t n_blocks = (config.trials + kBlockTrials - 1) / kBlockTrials;
  const auto ranks = static_cast<std::uint64_t>(comm.size());
  const auto me = static_cast<std::uint64_t>(comm.rank());
  std::vector<std::uint64_t> mine;
  for (std::uint64_t b = me; b < n_blocks; b += ranks) mine.push_back(b);
  std::vector<std::string> encoded(mine.size());
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t i) {
      const auto ws = model.make_workspace();
      const std::uint64_t first = mine[i] * kBlockTrials;
      encoded[i] = std::to_string(mine[i]) + " " +
                   encode_tally(run_range(model, config.seed, first, std::min(kBlockTrials, config.trials - first), *ws));
    });
  });
  const std::vector<std::string> all = comm.gather(encoded);

  RunResult result;
  result.seed = config.seed;
  if (comm.rank() != 0) return result;
  std::vector<std::string> by_block(n_blocks);
  for (const auto& e : all) {
    const auto space = e.find(' ');
    by_block.at(std::stoull(e.substr(0, space))) = e.substr(space + 1);
  }
  result.tally = Tally(model.layout());
  for (const auto& text : by_block) result.tally += decode_tally(text);  // block order, as sim::run
  result.widest = widest_headline_interval(model.layout(), result.tally);
  return result;
}

}  // namespace credsim::sim
