#pragma once
// Experimental designs over factors: full grid, Latin hypercube, Sobol'
// low-discrepancy sequence (Boost.Random), or points given in a CSV file.
// Factors are real, integer or categorical. A design is a pure function of its
// description (no clock, no thread count), so the same sweep file always gives
// the same points in the same order, and a point's id is its index.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/errors.hpp"

namespace credsim::sim {

enum class FactorKind { real, integer, categorical };

// A value a factor takes at one point. `text` is what is written into the
// scenario and the output table; `number` is the value on the factor's scale
// (the level index for a categorical factor), used by the estimators.
struct FactorValue {
  std::string text;
  double number = 0.0;
  bool quoted = false;  // write it as a string, not a number
};

struct Factor {
  std::string name;      // column name in the tables (default: the key path)
  std::string key_path;  // where it goes in the scenario
  FactorKind kind = FactorKind::real;
  double low = 0.0;      // real and integer factors given by a range (inclusive)
  double high = 0.0;
  // Explicit levels (any kind). Empty for a range. Categorical factors always have them.
  std::vector<FactorValue> levels;
  int steps = 0;         // grid points of a real range (>= 2); integer ranges use every integer
  SourceLocation location;

  // Value at u in [0, 1]: the range scaled, or level floor(u * k) (u = 1 -> the last).
  FactorValue at_unit(double u) const;
  // Values a grid visits, in order.
  std::vector<FactorValue> grid_values() const;
};

enum class DesignKind { grid, lhs, sobol, csv };

struct DesignSpec {
  DesignKind kind = DesignKind::grid;
  std::uint64_t points = 0;   // lhs, sobol
  std::uint64_t seed = 1;     // lhs
  std::uint64_t skip = 0;     // sobol: points of the sequence to skip first
  std::string csv_file;       // csv: path (resolved by the caller)
  SourceLocation location;
};

using DesignPoint = std::vector<FactorValue>;  // one value per factor, in factor order

// Unit-cube points. `lhs_unit`: n points, each dimension stratified into n
// equal cells with exactly one point per cell. `sobol_unit`: the first n
// points of the dim-dimensional Sobol' sequence (Boost.Random, which starts
// after the all-zero point: 0.5, 0.75, 0.25, ...), after skipping `skip`; values in [0, 1).
std::vector<std::vector<double>> lhs_unit(std::size_t dim, std::uint64_t n, std::uint64_t seed);
std::vector<std::vector<double>> sobol_unit(std::size_t dim, std::uint64_t n, std::uint64_t skip = 0);

// The points of a design. Throws ScenarioError naming the design's place for
// an impossible request (too many grid points, a CSV that does not match the
// factors, a value not among a categorical factor's levels).
std::vector<DesignPoint> make_design(const DesignSpec& design, const std::vector<Factor>& factors);

// SHA-256 of the points' values: what a sweep's results depend on, whatever
// the design's description (a CSV design's file can change between two runs).
std::string design_sha256(const std::vector<DesignPoint>& points);

// Most points a design may have: keeps a typo (steps: 1000 for six factors)
// from filling the disk.
inline constexpr std::uint64_t kMaxDesignPoints = 10'000'000;

// Deterministic uniform in (0, 1) from (seed, index, sub): for designs and bootstraps.
class DesignRng {
 public:
  DesignRng(std::uint64_t seed, std::uint64_t stream);
  double uniform();
  std::uint64_t below(std::uint64_t n);  // uniform integer in [0, n)

 private:
  std::uint64_t state_;
};

}  // namespace credsim::sim
