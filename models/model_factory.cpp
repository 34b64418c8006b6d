#include "models/model_factory.hpp"

#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"

namespace credsim::model {

ModelKernel parse_model_kernel(const std::string& name) {
  if (name == "fast") return ModelKernel::fast;
  if (name == "reference") return ModelKernel::reference;
  throw sim::RunError("unknown model kernel '" + name + "' (expected 'fast' or 'reference')");
}

std::unique_ptr<sim::TrialModel> make_model(Scenario scenario, const std::vector<std::string>& options,
                                            ModelKernel kernel) {
  ModelConfig config;
  config.sampler = kernel == ModelKernel::reference ? OpportunitySampler::per_period : OpportunitySampler::gaps;
  return std::make_unique<CredibilityModel>(std::move(scenario), options, config);
}

sim::ModelFactory make_model_factory(std::string file_name, std::string base_dir, std::vector<std::string> options) {
  return [file_name = std::move(file_name), base_dir = std::move(base_dir),
          options = std::move(options)](const std::string& yaml_text) -> std::unique_ptr<sim::TrialModel> {
    return make_model(load_scenario_text(yaml_text, file_name, base_dir), options);
  };
}

}  // namespace credsim::model
