#pragma once
// `credsim merge`: join the output directories of the shards of one sweep
// (`credsim sweep --shard i/N`) into the files one unsharded run writes.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace credsim::cli {

struct MergeOptions {
  std::vector<std::string> shard_dirs;
  std::string out;
  bool quiet = false;
};

CLI::App* add_merge_command(CLI::App& app, MergeOptions& options);
int merge_command(const MergeOptions& options);

}  // namespace credsim::cli
