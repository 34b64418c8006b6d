#pragma once
// Up-front resource checks: a run that would exceed the memory limit or fill
// the output disk is refused before any work, with a message that says how
// much it would need and how much there is.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "sim/trial_model.hpp"

namespace credsim::sim {

// "4000000000", "512m", "8g", "1.5t", "64k" (k/m/g/t: powers of 1024; case
// ignored; an optional trailing "b"). Throws RunError for anything else or 0.
std::uint64_t parse_byte_size(std::string_view text);

// Half the physical memory (sysconf), or 4 GiB when it cannot be known.
std::uint64_t default_memory_limit();

// "9.3 TB", "80 GB", "512 kB", "12 bytes" (decimal units, as disks are sold).
std::string format_bytes(double bytes);

// "10^10" for powers of ten from 10^6 up, else the digits ("2500000").
std::string format_trials(std::uint64_t trials);

// Peak memory of sim::run for `layout` with `workers` threads (0 = all cores):
// the round's block tallies and, with a trial sink, the round's buffered
// records, plus the per-thread workspaces. An estimate; errs on the high side.
std::uint64_t estimate_run_memory(const OutcomeLayout& layout, int threads, bool with_sink);

// Peak memory of a sweep's trials: `points_at_once` points in flight, each
// with a round of `round_blocks` block tallies, plus the per-thread workspaces.
std::uint64_t estimate_sweep_memory(const OutcomeLayout& layout, int workers, std::uint64_t points_at_once,
                                    std::uint64_t round_blocks);

// Size of trials.csv for `trials` trials (one row per trial and option).
std::uint64_t estimate_trials_csv_bytes(const OutcomeLayout& layout, std::uint64_t trials);

// Per-trial rows kept in memory (Python's trial_rows=True): one row per trial
// and option, with room for the vectors' growth and the copy handed to numpy.
std::uint64_t estimate_trial_rows_bytes(const OutcomeLayout& layout, std::uint64_t trials);

struct ResourceRequest {
  std::uint64_t trials = 0;       // the trial count, or the cap in precision mode
  bool by_precision = false;
  int threads = 0;
  bool trials_csv = false;
  std::uint64_t max_memory = 0;   // bytes
  std::filesystem::path out_dir;  // must exist (with trials_csv)
  bool trial_rows_in_memory = false;
};

// Throws RunError when the run would need more memory than `max_memory`
// or (with trials.csv) more disk than the output directory's free space.
void check_resources(const OutcomeLayout& layout, const ResourceRequest& request);

}  // namespace credsim::sim
