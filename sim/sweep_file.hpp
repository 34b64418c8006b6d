#pragma once
// The sweep file (docs/sweep-format.md): which scenario, which factors (key
// paths with ranges or levels), which design, how many trials per point, and
// what robustness and sensitivity to report. Read strictly, like a scenario:
// unknown keys are errors with "did you mean", every error names file:line:col.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/design.hpp"

namespace credsim::sim {

// What "good" means for the robustness table: a metric, its direction, and
// optionally a threshold for the satisficing share.
struct RobustnessSpec {
  std::string metric;
  bool maximize = true;
  std::optional<double> threshold;
  SourceLocation location{};  // of the metric's name
};

enum class SensitivityMethod { sobol, morris };

struct SensitivitySpec {
  bool present = false;
  std::vector<SensitivityMethod> methods;
  std::uint64_t samples = 0;          // Sobol': N base samples -> N(D+2) points (N(2D+2) with second order)
  bool second_order = false;
  std::uint64_t bootstrap = 200;      // resamples for the confidence intervals
  double confidence = 0.95;
  std::uint64_t seed = 1;             // bootstrap and Morris trajectories
  std::uint64_t trajectories = 0;     // Morris r -> r(D+1) points
  int levels = 4;                     // Morris p (even)
};

struct SweepFile {
  std::string path;             // as given
  std::string file_name;        // file name only, for provenance
  std::string sha256;           // of the sweep file's bytes
  std::string text;             // the bytes, kept so shards can be merged without the file
  std::string scenario_path;    // resolved against the sweep file's folder
  std::uint64_t trials = 0;     // per option and point
  std::uint64_t seed = 1;       // the same at every point: common random numbers
  std::vector<std::string> options;  // empty = all
  std::vector<std::string> metrics;  // empty = all
  bool drop_swept_correlations = true;
  std::vector<Factor> factors;
  std::optional<DesignSpec> design;
  std::vector<RobustnessSpec> robustness;
  SensitivitySpec sensitivity;
};

// Throws ScenarioError (file:line:col: key path: ...) for any mistake in the file.
SweepFile read_sweep_file(const std::string& path);
SweepFile read_sweep_text(const std::string& text, const std::string& path);

}  // namespace credsim::sim
