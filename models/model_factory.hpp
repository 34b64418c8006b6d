#pragma once
// The one place that turns a scenario into a runnable model. The CLI, the
// Python module, sweeps and sensitivity analyses all come here, so the choice
// between the two implementations of the v1 model is made here and nowhere else.
#include <memory>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/sweep.hpp"
#include "sim/trial_model.hpp"

namespace credsim::model {

// Both implement models/README.md and agree in distribution
// (tests/unit/test_fast_model.cpp); seed for seed their numbers differ.
enum class ModelKernel {
  fast,       // event-driven politics, thinned attack times: the default (models/PERFORMANCE.md)
  reference,  // period by period, as the model is written: the test oracle
};

// "fast" or "reference"; throws sim::RunError for anything else.
ModelKernel parse_model_kernel(const std::string& name);

// `options`: names of the options to run (empty = all); throws sim::RunError for an unknown name.
std::unique_ptr<sim::TrialModel> make_model(Scenario scenario, const std::vector<std::string>& options = {},
                                            ModelKernel kernel = ModelKernel::fast);

// `file_name` names the text in error messages; presets are looked up relative
// to `base_dir` (the scenario's folder); `options`: as make_model's.
sim::ModelFactory make_model_factory(std::string file_name, std::string base_dir, std::vector<std::string> options);

}  // namespace credsim::model
