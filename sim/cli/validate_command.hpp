#pragma once
// `credsim validate`: load scenario files and report each one's errors.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace credsim::cli {

struct ValidateOptions {
  std::vector<std::string> files;
};

CLI::App* add_validate_command(CLI::App& app, ValidateOptions& options);

// 0 when every file is valid, kExitInvalid otherwise. Prints one line per file.
int validate_command(const ValidateOptions& options);

}  // namespace credsim::cli
