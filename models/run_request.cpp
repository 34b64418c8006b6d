#include "models/run_request.hpp"

#include "models/model_factory.hpp"
#include "models/provenance_json.hpp"

namespace credsim::model {

sim::RunInfo run_info(const Scenario& scenario, std::string scenario_file, std::vector<std::string> overrides) {
  sim::RunInfo info;
  info.scenario_name = scenario.name;
  info.scenario_file = std::move(scenario_file);
  info.scenario_sha256 = scenario.sha256;  // of the file with the overrides applied
  info.overrides = std::move(overrides);
  info.parameters_provenance = provenance_json(scenario);
  return info;
}

sim::RunRequest make_run_request(Scenario scenario, std::string scenario_file, std::vector<std::string> overrides,
                                 const std::vector<std::string>& options, Estimator estimator) {
  sim::RunRequest request;
  request.info = run_info(scenario, std::move(scenario_file), std::move(overrides));
  request.model = make_model(std::move(scenario), options, ModelKernel::fast, estimator);
  return request;
}

}  // namespace credsim::model
