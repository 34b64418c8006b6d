#pragma once
// Reads a scenario file (docs/scenario-format.md): parses, validates every key,
// resolves instrument presets and builds the parameter table. Throws
// sim::ScenarioError naming file:line:column, key path, value and rule.
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace credsim::model {

Scenario load_scenario(const std::string& path);

// The same from text (e.g. a Python dict dumped as JSON, which is YAML).
// `file_name` is used in messages; presets are looked up relative to `base_dir`.
Scenario load_scenario_text(const std::string& yaml_text, const std::string& file_name,
                            const std::string& base_dir);

// One `--set PATH=VALUE`: a key path (docs/scenario-format.md, "Key paths")
// and the value's text (a number or true/false stays one; anything else, e.g.
// an instrument name, is a string).
struct Override {
  std::string key_path;
  std::string value;
};

// "PATH=VALUE" -> Override; throws sim::RunError naming what is missing.
Override parse_override(const std::string& text);

// The scenario at `path` with each override applied in order (the same key
// paths as sweeps): errors name the override and the nearest valid paths.
Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides);

}  // namespace credsim::model
