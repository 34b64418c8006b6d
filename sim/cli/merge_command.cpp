#include "sim/cli/merge_command.hpp"

#include <filesystem>
#include <iostream>

#include "sim/cli/exit_codes.hpp"
#include "sim/sweep_study.hpp"

namespace credsim::cli {
namespace fs = std::filesystem;

CLI::App* add_merge_command(CLI::App& app, MergeOptions& o) {
  CLI::App* cmd = app.add_subcommand("merge", "Join the shards of a sweep (credsim sweep --shard i/N) into one result");
  cmd->add_option("shard_dirs", o.shard_dirs, "Output directories of all N shards")->required()->type_name("DIR...");
  cmd->add_option("-o,--out", o.out, "Output directory of the merged result")->required()->type_name("DIR");
  cmd->add_flag("-q,--quiet", o.quiet, "No summary; only errors");
  cmd->footer(
      "Writes sweep.csv and robustness.csv: byte-identical to one unsharded run of the sweep.\n"
      "Example:\n"
      "  credsim merge shards/1 shards/2 shards/3 --out results/sweeps/usa_resolve");
  return cmd;
}

int merge_command(const MergeOptions& o) {
  std::vector<fs::path> dirs(o.shard_dirs.begin(), o.shard_dirs.end());
  const sim::StudyResult result = sim::merge_shards(dirs, o.out);
  if (!o.quiet) {
    std::cout << result.summary << "\nMerged " << dirs.size() << " shards, " << result.run.points << " points\nWrote";
    for (const auto& f : result.written) std::cout << ' ' << f.filename().string();
    std::cout << "\n   to " << o.out << "/\n";
  }
  return kExitOk;
}

}  // namespace credsim::cli
