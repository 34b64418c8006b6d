#pragma once
// The scenario's provenance records as the JSON array every output file carries
// (sim::RunInfo::parameters_provenance). Lives on the model side: sim/ does not
// know what a scenario is.
#include <nlohmann/json.hpp>

#include "models/scenario.hpp"

namespace credsim::model {

// One object per record, in the scenario's order: key_path, then seed and quote
// (a cited source) and/or assumption; empty fields are left out.
nlohmann::ordered_json provenance_json(const Scenario& scenario);

}  // namespace credsim::model
