#include "sim/cli/validate_command.hpp"

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/errors.hpp"
#include "sim/report.hpp"
#include "sim/runner.hpp"

namespace credsim::cli {

CLI::App* add_validate_command(CLI::App& app, ValidateOptions& o) {
  CLI::App* validate = app.add_subcommand("validate", "Check scenario files without running them");
  validate->add_option("scenarios", o.files, "Scenario files (YAML)")->required()->type_name("SCENARIO...");
  validate->add_flag("--no-quick-run", o.skip_quick_run, "Only check the files: skip the quick run and its warnings");
  validate->footer(
      "Every key is checked: unknown keys, missing keys, wrong types and values out of range\n"
      "are reported as file:line:column: key.path: what is wrong, every independent section's\n"
      "errors at once. Exit code 1 if any file is invalid.\n"
      "\n"
      "Then each valid file gets a quick run (" + std::to_string(kQuickRunTrials) + " trials, seed " +
      std::to_string(kQuickRunSeed) + ", well under a second):\n"
      "a headline probability at exactly 0 or exactly 1 for every option is warned about on\n"
      "stderr (\"warning: FILE: quick run: METRIC is exactly 0 for every option\"). It usually\n"
      "means a unit slip: a cost in the wrong scale, a probability given as a percentage.\n"
      "Warnings leave the exit code alone; --no-quick-run skips the run.\n"
      "\n"
      "Example:\n"
      "  credsim validate scenarios/*.yaml");
  return validate;
}

namespace {

// The headline probabilities (common to every option; P(armed defence) is a mean
// of probabilities) that the scenario does not fix, whose estimate is exactly
// 0 or exactly 1 for every option: "p_deal is exactly 0 for every option".
std::vector<std::string> degenerate_metrics(const sim::OutcomeLayout& layout, const sim::Tally& tally) {
  std::vector<std::string> found;
  for (std::size_t m = 0; m < layout.common_metrics; ++m) {
    const sim::MetricSpec& spec = layout.options.front().metrics[m];
    if (!spec.headline || spec.unit != "probability" || spec.fixed_by_scenario) continue;
    std::optional<double> shared;  // the value every option has so far
    bool same = true;
    for (std::size_t o = 0; o < layout.options.size() && same; ++o) {
      const sim::Estimate e = sim::estimate_metric(layout.options[o].metrics[m], tally.metric[o][m]);
      if (!e.value || (*e.value != 0.0 && *e.value != 1.0) || (shared && *shared != *e.value)) {
        same = false;  // not estimable (no trial met its condition) is not degenerate, just absent
      } else {
        shared = e.value;
      }
    }
    if (same && shared)
      found.push_back(spec.name + " (" + spec.label + ") is exactly " + (*shared == 0.0 ? "0" : "1") +
                      " for every option: a unit slip (a cost in the wrong scale, a probability as a percentage)" +
                      (*shared == 0.0 ? ", or an event too rare for a quick run?" : "?"));
  }
  return found;
}

void warn_on_degenerate_results(const std::string& file, const sim::TrialModel& model) {
  sim::RunConfig config;
  config.seed = kQuickRunSeed;
  config.trials = kQuickRunTrials;
  const sim::RunResult result = sim::run(model, config);
  for (const std::string& what : degenerate_metrics(model.layout(), result.tally))
    std::cerr << "warning: " << file << ": quick run (" << kQuickRunTrials << " trials, seed " << kQuickRunSeed
              << "): " << what << "\n";
}

}  // namespace

int validate_command(const ValidateOptions& o) {
  int status = kExitOk;
  for (const std::string& file : o.files) {
    try {
      const model::Scenario scenario = model::load_scenario(file);
      // Building the model checks what the loader cannot (e.g. the layout).
      const auto model = model::make_model(scenario);
      std::cout << file << ": ok (" << scenario.base.options.size() << " options, " << scenario.uncertain.size()
                << " uncertain parameters, " << scenario.provenance.size() << " provenance records)\n"
                << std::flush;  // before any warning on stderr
      if (!o.skip_quick_run) warn_on_degenerate_results(file, *model);
    } catch (const sim::ScenarioErrors& e) {
      for (const sim::ScenarioError& each : e.all()) std::cerr << "error: " << each.what() << "\n";
      status = kExitInvalid;
    } catch (const sim::ScenarioError& e) {
      std::cerr << "error: " << e.what() << "\n";  // already "file:line:column: ..."
      status = kExitInvalid;
    } catch (const sim::DomainError& e) {
      std::cerr << "error: " << file << ": " << e.what() << "\n";
      status = kExitInvalid;
    } catch (const sim::RunError& e) {
      std::cerr << "error: " << file << ": " << e.what() << "\n";
      status = kExitInvalid;
    }
  }
  return status;
}

}  // namespace credsim::cli
