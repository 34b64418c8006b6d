#pragma once
// The one place that turns scenario text into a runnable model: sweeps and
// sensitivity analyses call it at every design point. When a faster model
// kernel exists, the choice between models is made here and nowhere else.
#include <string>
#include <vector>

#include "sim/sweep.hpp"

namespace credsim::model {

// `file_name` names the text in error messages; presets are looked up relative
// to `base_dir` (the scenario's folder); `options`: as CredibilityModel's (empty = all).
sim::ModelFactory make_model_factory(std::string file_name, std::string base_dir, std::vector<std::string> options);

}  // namespace credsim::model
