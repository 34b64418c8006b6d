#pragma once
// The files of a sweep and of a sensitivity analysis. Every byte-stable file
// starts with the same '# key: value' provenance header and holds nothing that
// varies from run to run (no time, thread count or rank count); run
// statistics go to a separate JSON file.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/robustness.hpp"
#include "sim/sensitivity.hpp"
#include "sim/sweep.hpp"

namespace credsim::sim::io {

struct SweepInfo {
  std::string sweep_file;      // file name only
  std::string sweep_sha256;
  std::string scenario_file;   // file name only
  std::string scenario_sha256; // of the scenario and its presets (the loader's hash)
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;    // per option and point
  std::string design;          // grid, lhs, sobol, csv, saltelli, morris
  std::string design_sha256;   // of the points (design_sha256): part of the sweep's identity, not printed
  std::uint64_t points = 0;    // in the whole sweep
  std::vector<std::string> dropped_correlations;
  std::optional<Shard> shard;  // only in a shard's own files
};

std::string provenance_header(const SweepInfo& info);

// Long format: point, one column per factor, option, metric, estimate,
// std_error, ci_low, ci_high, n. Rows by point id, then option, then metric.
std::string sweep_csv(const SweepInfo& info, const std::vector<std::string>& factor_names,
                      const std::vector<PointResult>& results);

std::string robustness_csv(const SweepInfo& info, const std::vector<RobustnessRow>& rows);

struct SobolRow {
  std::string factor, option, metric;
  IndexEstimate s1, st;
  bool defined = true;  // false: the output did not vary, every cell of the indices is left empty
};
std::string sobol_csv(const SweepInfo& info, const std::vector<SobolRow>& rows);

struct MorrisRow {
  std::string factor, option, metric;
  MorrisEffect effect;
};
std::string morris_csv(const SweepInfo& info, const std::vector<MorrisRow>& rows);

// One CSV cell: quoted when it holds a comma, quote or newline.
std::string csv_cell(const std::string& text);

}  // namespace credsim::sim::io
