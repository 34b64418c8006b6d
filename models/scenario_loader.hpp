#pragma once
// Reads a scenario file (docs/scenario-format.md): parses, validates every key,
// resolves instrument presets and builds the parameter table. Throws
// sim::ScenarioError naming file:line:column, key path, value and rule.
#include <string>

#include "models/scenario.hpp"

namespace credsim::model {

Scenario load_scenario(const std::string& path);

// The same from text (e.g. a Python dict dumped as JSON, which is YAML).
// `file_name` is used in messages; presets are looked up relative to `base_dir`.
Scenario load_scenario_text(const std::string& yaml_text, const std::string& file_name,
                            const std::string& base_dir);

}  // namespace credsim::model
