#pragma once
// A sweep or sensitivity request from a sweep file: reads the file, loads its
// scenario (for the hash) and builds the model factory. Shared by the CLI and
// the Python module so both run exactly the same study.
#include <filesystem>
#include <string>

#include "sim/sweep_study.hpp"

namespace credsim::model {

// `out_dir` empty: results/<sweeps|sensitivity>/<sweep file stem>.
sim::StudyRequest make_study_request(sim::StudyKind kind, const std::string& sweep_file,
                                     const std::filesystem::path& out_dir);

}  // namespace credsim::model
