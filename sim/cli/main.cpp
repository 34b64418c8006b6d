// The credsim command. Thin: parses the command line, calls the command, and
// turns the library's typed errors into messages and exit codes. No exception
// leaves main.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "credsim/version.hpp"
#include "sim/cli/backtest_command.hpp"
#include "sim/cli/bench_command.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/merge_command.hpp"
#include "sim/cli/report_command.hpp"
#include "sim/cli/run_command.hpp"
#include "sim/cli/sensitivity_command.hpp"
#include "sim/cli/sweep_command.hpp"
#include "sim/cli/validate_command.hpp"
#include "sim/errors.hpp"
#include "sim/io/yaml_reader.hpp"

namespace {

const char* kFooter =
    "Start here:\n"
    "  credsim validate scenarios/ukraine.yaml   check a scenario file\n"
    "  credsim run scenarios/ukraine.yaml        compare every guarantee option (10,000 trials):\n"
    "                                            a table on screen, files in results/ukraine/\n"
    "  credsim run scenarios/ukraine.yaml --precision 0.005\n"
    "                                            run until every headline probability is known\n"
    "                                            to +/- 0.005 (95% interval)\n"
    "  credsim report scenarios/ukraine.yaml --out brief\n"
    "                                            the same comparison as a policy brief: one\n"
    "                                            self-contained brief/report.html (--pdf: and a PDF)\n"
    "  credsim run --help                        every option of a command\n"
    "\n"
    "Scenario files are described in docs/scenario-format.md.\n"
    "Exit codes: 0 ok, 1 invalid file (validate), 2 bad input, 3 cannot write results,\n"
    "            4 report: results written but not the brief,\n"
    "            70 internal error, 100-120 bad command line, 130 stopped by Ctrl-C.";

int fail(int code, const std::string& message) {
  std::cerr << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace credsim;
  try {
    CLI::App app{
        "credsim: how credible is a security guarantee? A Monte Carlo engine that compares\n"
        "guarantee options on the same random draws, with 95% intervals on every number.",
        "credsim"};
    app.set_version_flag("--version", std::string("credsim ") + kVersion);
    app.footer(kFooter);
    app.require_subcommand(1);
    app.get_formatter()->column_width(28);

    cli::RunOptions run_options;
    cli::ValidateOptions validate_options;
    cli::BenchOptions bench_options;
    CLI::App* run = cli::add_run_command(app, run_options);
    CLI::App* validate = cli::add_validate_command(app, validate_options);
    CLI::App* bench = cli::add_bench_command(app, bench_options);
    cli::SweepOptions sweep_options, sensitivity_options;
    cli::MergeOptions merge_options;
    CLI::App* sweep = cli::add_sweep_command(app, sweep_options);
    CLI::App* sensitivity = cli::add_sensitivity_command(app, sensitivity_options);
    CLI::App* merge = cli::add_merge_command(app, merge_options);
    cli::BacktestOptions backtest_options;
    CLI::App* backtest = cli::add_backtest_command(app, backtest_options);
    cli::ReportOptions report_options;
    CLI::App* report = cli::add_report_command(app, report_options);

    if (argc <= 1) {
      std::cout << app.help();
      return cli::kExitInvalid;
    }
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // A mistyped command ("credsim runn x") reads as unexpected arguments: name it and the nearest command.
      std::vector<std::string> commands;
      for (const CLI::App* c : app.get_subcommands([](CLI::App*) { return true; })) commands.push_back(c->get_name());
      const std::string first = argv[1];
      if (!first.empty() && first[0] != '-' && std::find(commands.begin(), commands.end(), first) == commands.end())
        return fail(e.get_exit_code(), "error: '" + first + "' is not a credsim command" +
                                           sim::io::did_you_mean(first, commands) + " (credsim --help lists them)");
      return app.exit(e);
    }
    if (run->parsed()) return cli::run_command(run_options);
    if (validate->parsed()) return cli::validate_command(validate_options);
    if (bench->parsed()) return cli::bench_command(bench_options);
    if (sweep->parsed()) return cli::sweep_command(sweep_options);
    if (sensitivity->parsed()) return cli::sensitivity_command(sensitivity_options);
    if (merge->parsed()) return cli::merge_command(merge_options);
    if (backtest->parsed()) return cli::backtest_command(backtest_options);
    if (report->parsed()) return cli::report_command(report_options);
    return fail(cli::kExitInternal, "internal error: no command ran");
  } catch (const sim::Cancelled&) {
    return fail(cli::kExitCancelled, "stopped by the user; no files written");
  } catch (const sim::ScenarioError& e) {
    return fail(cli::kExitInput, std::string("error: ") + e.what());
  } catch (const sim::DomainError& e) {
    return fail(cli::kExitInput, std::string("error: ") + e.what());
  } catch (const sim::RunError& e) {
    return fail(cli::kExitInput, std::string("error: ") + e.what());
  } catch (const sim::OutputError& e) {
    return fail(cli::kExitOutput, std::string("error: ") + e.what());
  } catch (const std::exception& e) {
    return fail(cli::kExitInternal, std::string("internal error: ") + e.what() +
                                        "\nPlease report it with the command line and the scenario file.");
  } catch (...) {
    return fail(cli::kExitInternal, "internal error: unknown exception");
  }
}
