#pragma once
// A YAML document as JSON, so that callers (the Python module) can edit a
// scenario as a plain dict and hand it back as text. Scalars become numbers
// or booleans when they read as such in YAML 1.2 core schema terms, else strings.
#include <string>

#include <nlohmann/json.hpp>

namespace credsim::sim::io {

// Throws ScenarioError (file:line:column) when the file cannot be read or parsed.
nlohmann::ordered_json yaml_file_to_json(const std::string& path);

}  // namespace credsim::sim::io
