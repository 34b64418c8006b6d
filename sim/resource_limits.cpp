#include "sim/resource_limits.hpp"

#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "sim/errors.hpp"
#include "sim/runner.hpp"
#include "sim/tally.hpp"

namespace credsim::sim {
namespace {

constexpr std::uint64_t kVectorOverhead = 3 * sizeof(void*) + 16;  // the vector and its heap block's header

std::uint64_t digits(std::uint64_t n) {
  std::uint64_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

std::uint64_t tally_bytes(const OutcomeLayout& layout) {
  std::uint64_t bytes = sizeof(Tally) + 3 * kVectorOverhead;
  const std::uint64_t curves = layout.survival_curves.size();
  for (const auto& o : layout.options) {
    bytes += 4 * kVectorOverhead + o.metrics.size() * sizeof(MetricTally) +
             curves * (sizeof(Survival) + static_cast<std::uint64_t>(layout.horizon) * sizeof(std::uint64_t)) +
             layout.common_metrics * sizeof(Moments);
  }
  return bytes;
}

std::uint64_t record_bytes(const OutcomeLayout& layout) {
  std::uint64_t metrics = 0;
  for (const auto& o : layout.options) metrics += o.metrics.size();
  const std::uint64_t options = layout.options.size();
  const std::uint64_t curves = layout.survival_curves.size();
  return sizeof(TrialRecord) + 5 * kVectorOverhead + options * sizeof(std::size_t) +
         options * curves * (1 + sizeof(int)) + metrics * (sizeof(double) + 1);
}

// a * b, saturating instead of wrapping.
std::uint64_t times(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

}  // namespace

std::uint64_t parse_byte_size(std::string_view text) {
  const auto fail = [&]() -> std::uint64_t {
    throw RunError("--max-memory is '" + std::string(text) +
                   "', but must be a byte count such as 4000000000, 512m or 8g (k, m, g, t: KiB, MiB, GiB, TiB)");
  };
  std::string s(text);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.size() > 1 && s.back() == 'b' && !std::isdigit(static_cast<unsigned char>(s[s.size() - 2]))) s.pop_back();
  double scale = 1.0;
  if (!s.empty()) {
    switch (s.back()) {
      case 'k': scale = 1024.0; break;
      case 'm': scale = 1024.0 * 1024.0; break;
      case 'g': scale = 1024.0 * 1024.0 * 1024.0; break;
      case 't': scale = 1024.0 * 1024.0 * 1024.0 * 1024.0; break;
      default: break;
    }
    if (scale != 1.0) s.pop_back();
  }
  if (s.empty() || s.find_first_not_of("0123456789.") != std::string::npos || s.find('.') != s.rfind('.') ||
      s == ".")
    return fail();
  double value = 0.0;
  try {
    value = std::stod(s) * scale;
  } catch (const std::exception&) {
    return fail();
  }
  if (!(value >= 1.0) || !(value < 1.8e19)) return fail();
  return static_cast<std::uint64_t>(value);
}

std::uint64_t default_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::uint64_t{4} << 30;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 2;
}

std::string format_bytes(double bytes) {
  static const char* const units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t u = 0;
  while (bytes >= 1000.0 && u + 1 < std::size(units)) {
    bytes /= 1000.0;
    ++u;
  }
  char buf[32];
  if (u == 0 || bytes >= 10.0) {
    std::snprintf(buf, sizeof buf, "%.0f %s", bytes, units[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", bytes, units[u]);
  }
  return buf;
}

std::string format_trials(std::uint64_t trials) {
  std::uint64_t p = 1;
  for (int k = 0; k <= 19; ++k, p *= 10) {
    if (k >= 6 && trials == p) return "10^" + std::to_string(k);
    if (p > trials / 10) break;
  }
  return std::to_string(trials);
}

std::uint64_t estimate_run_memory(const OutcomeLayout& layout, int threads, bool with_sink) {
  const int workers = threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
  const std::uint64_t blocks = round_blocks(workers);
  const std::uint64_t record = record_bytes(layout);
  // Tallies: one per block of the round, the running total, and one being built per worker.
  std::uint64_t bytes = times(blocks + 1 + static_cast<std::uint64_t>(workers), tally_bytes(layout));
  // Workspaces and their records (a model's workspace is of the order of a few records).
  bytes += times(static_cast<std::uint64_t>(workers), 4 * record + (std::uint64_t{64} << 10));
  if (with_sink) {
    const std::uint64_t row = sizeof(std::pair<std::uint64_t, TrialRecord>) + record;
    // The vectors of rows grow by doubling: up to twice the rows' size.
    bytes = times(blocks, times(kBlockTrials, 2 * row)) + bytes;
  }
  return bytes;
}

std::uint64_t estimate_sweep_memory(const OutcomeLayout& layout, int workers, std::uint64_t points_at_once,
                                    std::uint64_t round_blocks) {
  const std::uint64_t per_point = times(round_blocks + 1, tally_bytes(layout));  // + the point's running total
  const std::uint64_t workspaces = times(static_cast<std::uint64_t>(workers), 4 * record_bytes(layout) + (std::uint64_t{64} << 10));
  const std::uint64_t points = times(points_at_once, per_point);
  return points > UINT64_MAX - workspaces ? UINT64_MAX : points + workspaces;
}

std::uint64_t estimate_trials_csv_bytes(const OutcomeLayout& layout, std::uint64_t trials) {
  // Per row: trial, option, at_risk and event_time per survival curve, then each common metric. Most
  // metrics are 0/1 outcomes or empty, a few (credibilities) full-precision
  // numbers: 6 bytes a metric with its comma is about 10% above what the
  // Ukraine case writes (898 bytes a trial for its 9 options).
  std::uint64_t per_trial = 0;
  const std::uint64_t curves = layout.survival_curves.size();
  const std::uint64_t fixed = digits(trials) + 1 + curves * (3 + digits(static_cast<std::uint64_t>(layout.horizon))) +
                              1 + layout.common_metrics * 6;
  for (const auto& o : layout.options) per_trial += fixed + o.name.size();
  return times(per_trial, trials) + 4096;  // + the provenance header
}

std::uint64_t estimate_trial_rows_bytes(const OutcomeLayout& layout, std::uint64_t trials) {
  // trial, option, (at_risk, event_time) per survival curve, metrics
  const double row = 12.0 + 5.0 * static_cast<double>(layout.survival_curves.size()) +
                     8.0 * static_cast<double>(layout.common_metrics);
  const double bytes = 3.0 * row * static_cast<double>(layout.options.size()) * static_cast<double>(trials);
  return bytes >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(bytes);
}

void check_resources(const OutcomeLayout& layout, const ResourceRequest& r) {
  std::uint64_t memory = estimate_run_memory(layout, r.threads, r.trials_csv);
  if (r.trial_rows_in_memory) {
    const std::uint64_t rows = estimate_trial_rows_bytes(layout, r.trials);
    memory = rows > UINT64_MAX - memory ? UINT64_MAX : memory + rows;
  }
  if (memory > r.max_memory) {
    throw RunError("this run would need about " + format_bytes(static_cast<double>(memory)) + " of memory" +
                   (r.trials_csv ? " (trials.csv rows are buffered per round of blocks)" : "") +
                   (r.trial_rows_in_memory ? " (the trial rows are kept in memory)" : "") +
                   ", more than the limit of " + format_bytes(static_cast<double>(r.max_memory)) +
                   (r.trial_rows_in_memory ? "; run fewer trials or leave out the trial rows"
                                           : "; use fewer --threads or raise --max-memory"));
  }
  if (!r.trials_csv) return;
  const std::uint64_t csv = estimate_trials_csv_bytes(layout, r.trials);
  std::error_code ec;
  const std::filesystem::space_info space = std::filesystem::space(r.out_dir, ec);
  if (ec) return;  // unknown (e.g. a special file system): the write itself will report a full disk
  if (csv > space.available) {
    throw RunError("trials.csv for " + std::string(r.by_precision ? "up to " : "") + format_trials(r.trials) +
                   " trials would need about " + format_bytes(static_cast<double>(csv)) + ", but the output disk (" +
                   r.out_dir.string() + ") has " + format_bytes(static_cast<double>(space.available)) +
                   " free; drop --trials-csv, run fewer trials or choose another --out");
  }
}

}  // namespace credsim::sim
