#pragma once
// A one-line progress display on stderr, redrawn in place; only drawn when
// stderr is a terminal, so logs and pipes stay clean.
#include <chrono>
#include <cstdint>

namespace credsim::cli {

class ProgressBar {
 public:
  // `precision_target` > 0: a precision run, where the target passed to
  // update() is a cap rather than the end.
  ProgressBar(bool enabled, double precision_target);
  ~ProgressBar();  // erases the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Matches sim::RunConfig::progress; called on the runner's calling thread.
  void update(std::uint64_t done, std::uint64_t target);
  void clear();

  // True when stderr is a terminal (and TERM is not "dumb").
  static bool stderr_is_terminal();

 private:
  bool enabled_;
  double precision_target_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace credsim::cli
