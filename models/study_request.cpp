#include "models/study_request.hpp"

#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"

namespace credsim::model {
namespace fs = std::filesystem;

sim::StudyRequest make_study_request(sim::StudyKind kind, const std::string& sweep_file, const fs::path& out_dir) {
  sim::StudyRequest request;
  request.kind = kind;
  request.file = sim::read_sweep_file(sweep_file);
  const fs::path scenario_path = request.file.scenario_path;
  request.scenario_sha256 = load_scenario(scenario_path.string()).sha256;
  request.factory = make_model_factory(scenario_path.filename().string(), scenario_path.parent_path().string(),
                                       request.file.options);
  const char* folder = kind == sim::StudyKind::sensitivity ? "sensitivity" : "sweeps";
  request.out_dir = out_dir.empty() ? fs::path("results") / folder / fs::path(sweep_file).stem() : out_dir;
  return request;
}

}  // namespace credsim::model
