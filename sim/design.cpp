#include "sim/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/hash.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim::sim {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

[[noreturn]] void design_error(const SourceLocation& where, const std::string& message) {
  throw ScenarioError(where, "design", message);
}

// The points file is read whole, so only a plain file of a sane size: a FIFO
// would block for ever, /dev/zero would never end.
void check_points_file(const DesignSpec& design) {
  constexpr std::uintmax_t kMaxBytes = std::uintmax_t{256} << 20;
  const std::string prefix = "the points file '" + design.csv_file + "' ";
  if (const std::string problem = io::input_file_problem(design.csv_file); !problem.empty())
    design_error(design.location, prefix + problem);
  std::error_code ec;
  const auto size = std::filesystem::file_size(design.csv_file, ec);
  if (!ec && size > kMaxBytes)
    design_error(design.location, prefix + "is " + std::to_string(size) + " bytes, but must be at most 256 MiB");
}

// A factor's name or key path: letters, digits, '_', '.', '[', ']', '-'.
bool looks_like_a_column_name(const std::string& s) {
  return !s.empty() && s.size() <= 200 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']' || c == '-';
  });
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool in_quotes = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(trim(cell));
  return cells;
}

FactorValue parse_csv_value(const Factor& f, const std::string& text, const SourceLocation& where) {
  if (!f.levels.empty() && (f.kind == FactorKind::categorical)) {
    for (const auto& level : f.levels)
      if (level.text == text) return level;
    std::vector<std::string> names;
    for (const auto& level : f.levels) names.push_back(level.text);
    design_error(where, "factor " + f.name + ": '" + text + "' is not one of its levels" +
                            io::did_you_mean(text, names));
  }
  double x = 0.0;
  std::size_t used = 0;
  try {
    x = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !std::isfinite(x))
    design_error(where, "factor " + f.name + ": '" + text + "' is not a finite number");
  if (f.kind == FactorKind::integer && x != std::floor(x))
    design_error(where, "factor " + f.name + ": " + text + " is not a whole number");
  return {io::format_number(x), x, false};
}

}  // namespace

DesignRng::DesignRng(std::uint64_t seed, std::uint64_t stream) : state_(seed) {
  std::uint64_t s = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  state_ = splitmix64(s) ^ stream;
}

double DesignRng::uniform() { return (static_cast<double>(splitmix64(state_) >> 11) + 0.5) * 0x1.0p-53; }

std::uint64_t DesignRng::below(std::uint64_t n) {
  // Rejection keeps it exactly uniform (and identical on every platform, unlike std::uniform_int_distribution).
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    const std::uint64_t r = splitmix64(state_);
    if (r < limit) return r % n;
  }
}

FactorValue Factor::at_unit(double u) const {
  u = std::clamp(u, 0.0, 1.0);
  if (!levels.empty()) {
    const auto k = levels.size();
    const auto i = std::min<std::size_t>(k - 1, static_cast<std::size_t>(u * static_cast<double>(k)));
    return levels[i];
  }
  if (kind == FactorKind::integer) {
    const double count = high - low + 1.0;
    const double v = std::min(high, low + std::floor(u * count));
    return {io::format_number(v), v, false};
  }
  const double v = low + u * (high - low);
  return {io::format_number(v), v, false};
}

std::vector<FactorValue> Factor::grid_values() const {
  if (!levels.empty()) return levels;
  std::vector<FactorValue> out;
  if (kind == FactorKind::integer) {
    for (double v = low; v <= high; v += 1.0) out.push_back({io::format_number(v), v, false});
    return out;
  }
  const int n = std::max(steps, 2);
  for (int i = 0; i < n; ++i) {
    // Exact end points; interior points from the same formula every time.
    const double v = i == n - 1 ? high : low + (high - low) * static_cast<double>(i) / (n - 1);
    out.push_back({io::format_number(v), v, false});
  }
  return out;
}

std::vector<std::vector<double>> lhs_unit(std::size_t dim, std::uint64_t n, std::uint64_t seed) {
  std::vector<std::vector<double>> points(n, std::vector<double>(dim));
  std::vector<std::uint64_t> perm(n);
  for (std::size_t d = 0; d < dim; ++d) {
    DesignRng rng(seed, d);
    for (std::uint64_t i = 0; i < n; ++i) perm[i] = i;
    for (std::uint64_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);  // Fisher-Yates
    for (std::uint64_t i = 0; i < n; ++i)
      points[i][d] = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(n);
  }
  return points;
}

std::vector<std::vector<double>> sobol_unit(std::size_t dim, std::uint64_t n, std::uint64_t skip) {
  boost::random::sobol_engine<std::uint64_t, 64> gen(dim);
  if (skip) gen.discard(skip * dim);
  std::vector<std::vector<double>> points(n, std::vector<double>(dim));
  for (auto& p : points)
    for (auto& x : p) x = static_cast<double>(gen() >> 11) * 0x1.0p-53;
  return points;
}

std::vector<DesignPoint> make_design(const DesignSpec& design, const std::vector<Factor>& factors) {
  std::vector<DesignPoint> points;
  const std::size_t dim = factors.size();
  auto from_unit = [&](const std::vector<std::vector<double>>& unit) {
    for (const auto& u : unit) {
      DesignPoint p;
      for (std::size_t d = 0; d < dim; ++d) p.push_back(factors[d].at_unit(u[d]));
      points.push_back(std::move(p));
    }
  };
  switch (design.kind) {
    case DesignKind::grid: {
      std::vector<std::vector<FactorValue>> values;
      double total = 1.0;
      for (const auto& f : factors) {
        values.push_back(f.grid_values());
        total *= static_cast<double>(values.back().size());
      }
      if (total > static_cast<double>(kMaxDesignPoints))
        design_error(design.location, "the grid has " + io::format_number(total) + " points, but must have at most " +
                                          std::to_string(kMaxDesignPoints));
      // Row-major: the first factor varies slowest, so ids are stable and readable.
      std::vector<std::size_t> idx(dim, 0);
      const auto n = static_cast<std::uint64_t>(total);
      for (std::uint64_t k = 0; k < n; ++k) {
        DesignPoint p;
        for (std::size_t d = 0; d < dim; ++d) p.push_back(values[d][idx[d]]);
        points.push_back(std::move(p));
        for (std::size_t d = dim; d-- > 0;) {
          if (++idx[d] < values[d].size()) break;
          idx[d] = 0;
        }
      }
      break;
    }
    case DesignKind::lhs:
      from_unit(lhs_unit(dim, design.points, design.seed));
      break;
    case DesignKind::sobol:
      from_unit(sobol_unit(dim, design.points, design.skip));
      break;
    case DesignKind::csv: {
      check_points_file(design);
      std::ifstream in(design.csv_file);
      if (!in) design_error(design.location, "cannot read the points file '" + design.csv_file + "'");
      std::string line;
      int line_no = 0;
      std::vector<int> column_of(dim, -1);
      bool header = false;
      while (std::getline(in, line)) {
        ++line_no;
        const SourceLocation where{design.csv_file, line_no, 1};
        if (!header && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a spreadsheet's byte order mark
        if (const auto cr = line.find('\r'); cr != std::string::npos && cr + 1 < line.size())
          design_error({design.csv_file, line_no, static_cast<int>(cr) + 1},
                       "has a line ending with CR alone (old Mac style), but lines must end with LF or CR LF");
        if (trim(line).empty() || trim(line)[0] == '#') continue;
        const auto cells = split_csv_line(line);
        if (!header) {
          header = true;
          for (std::size_t c = 0; c < cells.size(); ++c) {
            bool found = false;
            for (std::size_t d = 0; d < dim; ++d)
              if (factors[d].name == cells[c] || factors[d].key_path == cells[c]) {
                if (column_of[d] >= 0) design_error(where, "factor " + factors[d].name + " has two columns");
                column_of[d] = static_cast<int>(c);
                found = true;
              }
            if (!found && cells[c] != "point") {
              // Another kind of file (`file: /etc/passwd`): name the column by its number, not its text.
              if (!looks_like_a_column_name(cells[c]))
                design_error(where, "column " + std::to_string(c + 1) +
                                        " is not named like a factor (a key path or a name), but the first line "
                                        "must name the factors: is this a points file?");
              std::vector<std::string> names;
              for (const auto& f : factors) names.push_back(f.name);
              design_error(where, "column '" + cells[c] + "' is not a factor" + io::did_you_mean(cells[c], names));
            }
          }
          for (std::size_t d = 0; d < dim; ++d)
            if (column_of[d] < 0) design_error(where, "no column for factor " + factors[d].name);
          continue;
        }
        DesignPoint p;
        for (std::size_t d = 0; d < dim; ++d) {
          const auto c = static_cast<std::size_t>(column_of[d]);
          if (c >= cells.size()) design_error(where, "the row has " + std::to_string(cells.size()) + " cells");
          p.push_back(parse_csv_value(factors[d], cells[c], where));
        }
        points.push_back(std::move(p));
        if (points.size() > kMaxDesignPoints) design_error(where, "more than " + std::to_string(kMaxDesignPoints) + " points");
      }
      if (points.empty()) design_error(design.location, "the points file '" + design.csv_file + "' has no points");
      break;
    }
  }
  return points;
}

std::string design_sha256(const std::vector<DesignPoint>& points) {
  Sha256 sha;
  for (const auto& point : points) {
    for (const auto& v : point) {
      sha.add(v.quoted ? "\"" : "=");
      sha.add(v.text);
      sha.add("\t");
    }
    sha.add("\n");
  }
  return sha.hex();
}

}  // namespace credsim::sim
