#include "sim/cli/validate_command.hpp"

#include <iostream>

#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/errors.hpp"

namespace credsim::cli {

CLI::App* add_validate_command(CLI::App& app, ValidateOptions& o) {
  CLI::App* validate = app.add_subcommand("validate", "Check scenario files without running them");
  validate->add_option("scenarios", o.files, "Scenario files (YAML)")->required()->type_name("SCENARIO...");
  validate->footer(
      "Every key is checked: unknown keys, missing keys, wrong types and values out of range\n"
      "are reported as file:line:column: key.path: what is wrong, every independent section's\n"
      "errors at once. Exit code 1 if any file is invalid.\n"
      "\n"
      "Example:\n"
      "  credsim validate scenarios/*.yaml");
  return validate;
}

int validate_command(const ValidateOptions& o) {
  int status = kExitOk;
  for (const std::string& file : o.files) {
    try {
      const model::Scenario scenario = model::load_scenario(file);
      // Building the model checks what the loader cannot (e.g. the layout).
      const auto model = model::make_model(scenario);
      std::cout << file << ": ok (" << scenario.base.options.size() << " options, " << scenario.uncertain.size()
                << " uncertain parameters, " << scenario.provenance.size() << " provenance records)\n";
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
