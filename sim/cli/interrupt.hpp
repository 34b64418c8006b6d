#pragma once
// Ctrl-C during a run: the first SIGINT asks the runner to stop cleanly (it
// then throws sim::Cancelled and nothing is written); a second one, should the
// stop take too long, gets the default action and ends the process.
#include <atomic>

namespace credsim::cli {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the handler and clears the flag
  ~InterruptGuard();  // restores the previous handler
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set by the first SIGINT; give it to sim::RunConfig::cancel.
  const std::atomic<bool>& flag() const;
};

}  // namespace credsim::cli
