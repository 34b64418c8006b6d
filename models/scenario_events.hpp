#pragma once
// Scheduled changes (`events:`, docs/scenario-format.md): each event's
// settings are applied to the scenario's document exactly as `--set` applies
// an override, and the result is loaded and validated like any scenario.
#include <string>

#include "models/scenario.hpp"
#include "sim/io/scenario_document.hpp"

namespace credsim::model {

// Fills each of `s.events`' `params` and `draws` from `doc`, the document `s`
// was read from (named `file_name`, presets relative to `base_dir`). Throws
// sim::ScenarioError at the event's setting when a path or value is invalid,
// or when an event would change the scenario's shape (guarantors, options,
// commitments).
void resolve_events(Scenario& s, sim::io::ScenarioDocument doc, const std::string& file_name,
                    const std::string& base_dir);

}  // namespace credsim::model
