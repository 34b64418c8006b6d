#pragma once
// `credsim validate`: load scenario files and report each one's errors.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace credsim::cli {

struct ValidateOptions {
  std::vector<std::string> files;
  bool skip_quick_run = false;  // --no-quick-run: check the files only
};

// The quick run after a file loads: enough trials to see a headline metric
// stuck at exactly 0 or 1 for every option (a unit slip, usually), in well under a second.
inline constexpr std::uint64_t kQuickRunTrials = 2000;
inline constexpr std::uint64_t kQuickRunSeed = 1;

CLI::App* add_validate_command(CLI::App& app, ValidateOptions& options);

// 0 when every file is valid, kExitInvalid otherwise. Prints one line per file,
// and a warning on stderr per degenerate headline metric of the quick run
// (warnings leave the exit code alone).
int validate_command(const ValidateOptions& options);

}  // namespace credsim::cli
