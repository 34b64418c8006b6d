#pragma once
// The one place that turns a scenario into a runnable model. The CLI, the
// Python module, sweeps and sensitivity analyses all come here, so the choice
// of how the model samples the challenger's opportunities is made here and
// nowhere else.
#include <memory>
#include <string>
#include <vector>

#include "models/credibility_model.hpp"
#include "models/scenario.hpp"
#include "sim/sweep.hpp"
#include "sim/trial_model.hpp"
#include "sim/worlds.hpp"

namespace credsim::model {

// Both run the same equations (models/model_equations.hpp) and agree in
// distribution (tests/unit/test_model_kernels.cpp); seed for seed they differ.
enum class ModelKernel {
  fast,       // opportunities by their geometric gaps: the default
  reference,  // one opportunity draw per month, as the model is written: the test oracle
};

// "fast" or "reference"; throws sim::RunError for anything else.
ModelKernel parse_model_kernel(const std::string& name);

// `options`: names of the options to run (empty = all); throws sim::RunError for an unknown name.
// `estimator`: what probability metrics record per trial (models/credibility_model.hpp).
std::unique_ptr<sim::TrialModel> make_model(Scenario scenario, const std::vector<std::string>& options = {},
                                            ModelKernel kernel = ModelKernel::fast,
                                            Estimator estimator = Estimator::plain);

// The scenario's plausible worlds (sim/worlds.hpp): its `epistemic:` fields
// drawn once per world, the rest per trial; `options` and `kernel` as make_model's.
std::unique_ptr<sim::WorldModels> make_world_models(Scenario scenario, const std::vector<std::string>& options = {},
                                                    ModelKernel kernel = ModelKernel::fast);

// `file_name` names the text in error messages; presets are looked up relative
// to `base_dir` (the scenario's folder); `options`: as make_model's.
sim::ModelFactory make_model_factory(std::string file_name, std::string base_dir, std::vector<std::string> options);

}  // namespace credsim::model
