#include "sim/runner.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <sstream>
#include <vector>

#include "sim/errors.hpp"
#include "sim/tsan.hpp"

namespace credsim::sim {
namespace {

// Keeps the records of a block so they can be written in trial order later.
class BlockBuffer : public TrialSink {
 public:
  void write(std::uint64_t trial, const TrialRecord& record) override { rows.emplace_back(trial, record); }
  std::vector<std::pair<std::uint64_t, TrialRecord>> rows;
};

void check_config(const RunConfig& c) {
  if (c.trials == 0 && !(c.precision > 0.0))
    throw RunError("give a trial count (--trials N, N >= 1) or a precision target (--precision H, 0 < H < 0.5)");
  if (c.trials > kMaxTrials)
    throw RunError("trials is " + std::to_string(c.trials) + ", but must be at most " + std::to_string(kMaxTrials));
  if (c.trials == 0) {
    if (!(c.precision < 0.5) || !std::isfinite(c.precision))
      throw RunError("precision is " + std::to_string(c.precision) + ", but must be in (0, 0.5)");
    if (c.max_trials == 0 || c.max_trials > kMaxTrials)
      throw RunError("max trials is " + std::to_string(c.max_trials) + ", but must be in [1, " +
                     std::to_string(kMaxTrials) + "]");
  }
  if (c.threads < 0) throw RunError("threads is " + std::to_string(c.threads) + ", but must be >= 0 (0 = all cores)");
}

std::string precision_failure(const OutcomeLayout& layout, const RunResult& r, std::uint64_t cap) {
  std::ostringstream msg;
  const auto& opt = layout.options[r.widest.option];
  msg << "precision target not reached: after " << cap << " trials (the cap) the widest 95% half-width is "
      << r.widest.half_width << " (" << opt.metrics[r.widest.metric].label << ", option " << opt.name
      << "), target " << r.precision_target << "; raise --max-trials or loosen --precision";
  return msg.str();
}

}  // namespace

Tally run_range(const TrialModel& model, std::uint64_t seed, std::uint64_t first, std::uint64_t count,
                Workspace& ws, TrialSink* sink) {
  const auto& layout = model.layout();
  Tally tally(layout);
  TrialRecord record(layout);
  for (std::uint64_t t = first; t < first + count; ++t) {
    record.clear();
    model.run_trial(seed, t, ws, record);
    tally.add(layout, record);
    if (sink) sink->write(t, record);
  }
  return tally;
}

RunResult run(const TrialModel& model, const RunConfig& config) {
  check_config(config);
  const auto& layout = model.layout();
  const bool by_precision = config.trials == 0;
  const std::uint64_t target = by_precision ? config.max_trials : config.trials;
  const std::uint64_t n_blocks = (target + kBlockTrials - 1) / kBlockTrials;

  // An arena of this run's own width, not a process-wide global_control: two
  // runs in one process (the Python module, a sweep's points) never change
  // each other's thread count.
  tbb::task_arena arena(config.threads > 0 ? config.threads : tbb::task_arena::automatic);
  const int workers = arena.max_concurrency();
  // Blocks computed at once between merges: only memory and the progress cadence
  // depend on it, not the numbers (blocks always merge one by one, in order).
  const std::uint64_t round_size = round_blocks(workers);

  tbb::enumerable_thread_specific<std::unique_ptr<Workspace>> workspaces([&] { return model.make_workspace(); });

  RunResult result;
  result.tally = Tally(layout);
  result.seed = config.seed;
  result.precision_target = by_precision ? config.precision : 0.0;
  std::uint64_t start_block = 0;
  if (config.resume_from) {
    const ResumePoint& from = *config.resume_from;
    const std::uint64_t expected = std::min(from.next_block * kBlockTrials, target);
    if (from.next_block > n_blocks || from.tally.trials != expected || from.tally.metric.size() != layout.options.size())
      throw RunError("the resume point (" + std::to_string(from.tally.trials) + " trials, block " +
                     std::to_string(from.next_block) + ") does not fit this run of " + std::to_string(target) +
                     " trials");
    result.tally = from.tally;
    start_block = from.next_block;
  }

  std::vector<Tally> block_tallies;
  std::vector<BlockBuffer> block_rows;
  bool done = false;
  for (std::uint64_t round_first = start_block; round_first < n_blocks && !done; round_first += round_size) {
    const std::uint64_t round_n = std::min(round_size, n_blocks - round_first);
    block_tallies.assign(round_n, Tally());
    block_rows.assign(config.sink ? round_n : 0, BlockBuffer());

    int into_tasks = 0, out_of_tasks = 0;  // see sim/tsan.hpp: TBB's ordering, stated for TSan
    happens_before(&into_tasks);
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::uint64_t>(0, round_n, 1),
          [&](const tbb::blocked_range<std::uint64_t>& r) {
            const TaskSync sync(&into_tasks, &out_of_tasks);
            for (std::uint64_t b = r.begin(); b != r.end(); ++b) {
              if (config.cancel && config.cancel->load(std::memory_order_relaxed)) return;
              const std::uint64_t first = (round_first + b) * kBlockTrials;
              const std::uint64_t count = std::min(kBlockTrials, target - first);
              auto& ws = workspaces.local();
              block_tallies[b] = run_range(model, config.seed, first, count, *ws,
                                           config.sink ? &block_rows[b] : nullptr);
            }
          },
          tbb::simple_partitioner());
    });
    happens_after(&out_of_tasks);

    if (config.cancel && config.cancel->load()) throw Cancelled();

    for (std::uint64_t b = 0; b < round_n; ++b) {
      result.tally += block_tallies[b];
      if (config.sink)
        for (const auto& [trial, record] : block_rows[b].rows) config.sink->write(trial, record);
      if (by_precision) {
        result.widest = widest_headline_interval(layout, result.tally);
        if (result.widest.half_width <= config.precision) {
          done = true;
          break;
        }
      }
    }
    if (config.progress) config.progress(result.tally.trials, target);
    if (config.checkpoint && !done && round_first + round_n < n_blocks)
      config.checkpoint(result.tally, round_first + round_n);
  }

  result.widest = widest_headline_interval(layout, result.tally);
  if (by_precision && result.widest.half_width > config.precision)
    throw RunError(precision_failure(layout, result, config.max_trials));
  return result;
}

}  // namespace credsim::sim
