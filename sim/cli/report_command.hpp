#pragma once
// `credsim report`: run the comparison as `credsim run` does, then write the
// policy brief (report.html, and report.pdf with --pdf) with the Python
// analysis package (credsim_analysis.report) on the written folder.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace credsim::cli {

struct ReportOptions {
  std::string scenario;
  std::uint64_t trials = 0;  // 0: the default of `credsim run`
  std::uint64_t seed = 1;
  int threads = 0;
  std::string out;      // "": results/<scenario name>
  std::string options;  // comma-separated option names; "": all
  bool pdf = false;
  bool keep_trials = false;  // keep trials.csv (the per-trial rows the paired tests use)
  bool quiet = false;
  std::uint64_t worlds = 0;            // --worlds M: also a plausible-worlds run, into DIR/worlds
  std::uint64_t trials_per_world = 0;  // 0: the default of `credsim run --worlds`
};

CLI::App* add_report_command(CLI::App& app, ReportOptions& options);

// Returns the exit code; lets the library's typed errors through to main.
int report_command(const ReportOptions& options);

}  // namespace credsim::cli
