#include "sim/cli/sensitivity_command.hpp"

#include "sim/cli/validators.hpp"

namespace credsim::cli {

CLI::App* add_sensitivity_command(CLI::App& app, SweepOptions& o) {
  CLI::App* cmd = app.add_subcommand("sensitivity", "Sobol' and Morris sensitivity of every metric to a sweep file's factors");
  cmd->add_option("sweep_file", o.sweep_file, "Sweep file with a sensitivity: section (docs/sweep-format.md)")
      ->required()
      ->type_name("SWEEP");
  cmd->add_option("-o,--out", o.out, "Output directory (default results/sensitivity/<sweep file name>)")->type_name("DIR");
  add_threads_option(*cmd, o.threads);
  cmd->add_flag("-q,--quiet", o.quiet, "No progress bar or summary; only errors");
  add_max_memory_option(*cmd, o.max_memory);
  cmd->footer(
      "Output files (in DIR):\n"
      "  sobol.csv                factor, option, metric, S1, S1_low, S1_high, ST, ST_low, ST_high\n"
      "                           (Saltelli 2010 S1, Jansen ST, bootstrap percentile intervals)\n"
      "  morris.csv               factor, option, metric, mu_star, sigma, mu\n"
      "  sensitivity_points.csv   every sample point's estimates (as sweep.csv)\n"
      "  sweep_run.json           wall time etc. (not byte-stable)\n"
      "Sobol' needs N(D+2) points (N(2D+2) with second_order), Morris r(D+1).\n"
      "Resumable like credsim sweep: rerun the same command after Ctrl-C or a crash.\n"
      "\n"
      "Example:\n"
      "  credsim sensitivity scenarios/sweeps/ukraine_sensitivity.yaml");
  return cmd;
}

int sensitivity_command(const SweepOptions& o) { return run_study_command(o, true); }

}  // namespace credsim::cli
