#include "models/model_factory.hpp"

#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"

namespace credsim::model {

sim::ModelFactory make_model_factory(std::string file_name, std::string base_dir, std::vector<std::string> options) {
  return [file_name = std::move(file_name), base_dir = std::move(base_dir),
          options = std::move(options)](const std::string& yaml_text) -> std::unique_ptr<sim::TrialModel> {
    return std::make_unique<CredibilityModel>(load_scenario_text(yaml_text, file_name, base_dir), options);
  };
}

}  // namespace credsim::model
