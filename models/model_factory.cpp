#include "models/model_factory.hpp"

#include "models/credibility_model.hpp"
#include "models/outcome_layout.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"

namespace credsim::model {

namespace {

ModelConfig model_config(ModelKernel kernel) {
  ModelConfig config;
  config.sampler = kernel == ModelKernel::reference ? OpportunitySampler::per_period : OpportunitySampler::gaps;
  return config;
}

class ScenarioWorlds : public sim::WorldModels {
 public:
  ScenarioWorlds(Scenario scenario, std::vector<std::string> options, ModelKernel kernel)
      : scenario_(std::move(scenario)), options_(std::move(options)), kernel_(kernel) {
    select_options(scenario_, options_);  // an unknown name fails now, not in world 0
  }
  std::vector<std::string> epistemic_fields() const override {
    std::vector<std::string> fields;
    for (const UncertainParameter& u : scenario_.uncertain)
      if (u.epistemic) fields.push_back(u.key_path);
    return fields;
  }
  std::vector<double> world_values(std::uint64_t seed, std::uint64_t world) const override {
    return draw_world(scenario_, seed, world);
  }
  std::unique_ptr<sim::TrialModel> world_model(std::uint64_t seed, std::uint64_t world,
                                               std::uint64_t trials_per_world) const override {
    ModelConfig config = model_config(kernel_);
    config.first_trial = world * trials_per_world;
    return std::make_unique<CredibilityModel>(in_world(scenario_, seed, world), options_, config);
  }

 private:
  Scenario scenario_;
  std::vector<std::string> options_;
  ModelKernel kernel_;
};

}  // namespace

ModelKernel parse_model_kernel(const std::string& name) {
  if (name == "fast") return ModelKernel::fast;
  if (name == "reference") return ModelKernel::reference;
  throw sim::RunError("unknown model kernel '" + name + "' (expected 'fast' or 'reference')");
}

std::unique_ptr<sim::TrialModel> make_model(Scenario scenario, const std::vector<std::string>& options,
                                            ModelKernel kernel, Estimator estimator) {
  ModelConfig config = model_config(kernel);
  config.estimator = estimator;
  return std::make_unique<CredibilityModel>(std::move(scenario), options, config);
}

std::unique_ptr<sim::WorldModels> make_world_models(Scenario scenario, const std::vector<std::string>& options,
                                                    ModelKernel kernel) {
  return std::make_unique<ScenarioWorlds>(std::move(scenario), options, kernel);
}

sim::ModelFactory make_model_factory(std::string file_name, std::string base_dir, std::vector<std::string> options) {
  return [file_name = std::move(file_name), base_dir = std::move(base_dir),
          options = std::move(options)](const std::string& yaml_text) -> std::unique_ptr<sim::TrialModel> {
    return make_model(load_scenario_text(yaml_text, file_name, base_dir), options);
  };
}

}  // namespace credsim::model
