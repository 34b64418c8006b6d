#pragma once
// A run request from a scenario: builds the model and the provenance every
// result file starts with. Shared by `credsim run` and the Python module, which
// then fill in the run's numbers and call sim::run_request, so both run, resume
// and write exactly the same.
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/scenario.hpp"
#include "sim/run_request.hpp"

namespace credsim::model {

// The provenance every result file starts with: the scenario's name, file
// name, hash and parameter sources, and the `overrides` applied to it (the
// --set texts, in order). Seed and trial count are the run's to fill in.
sim::RunInfo run_info(const Scenario& scenario, std::string scenario_file, std::vector<std::string> overrides);

// `scenario_file`: the name the provenance records (the file name only);
// `overrides`: the --set texts already applied to `scenario`, recorded in order;
// `options`, `estimator`: as make_model's (throws sim::RunError for an unknown option).
sim::RunRequest make_run_request(Scenario scenario, std::string scenario_file, std::vector<std::string> overrides,
                                 const std::vector<std::string>& options, Estimator estimator);

}  // namespace credsim::model
