#include "sim/sweep_file.hpp"

#include <filesystem>
#include <set>

#include "sim/hash.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim::sim {
namespace {
namespace fs = std::filesystem;
using io::Node;

bool plain_number(const Node& n, double& x) {
  if (!n.is_scalar() || n.quoted()) return false;
  try {
    x = n.as_double();
    return true;
  } catch (const ScenarioError&) {
    return false;
  }
}

Factor read_factor(const Node& node) {
  node.check_keys({"path", "name", "type", "range", "steps", "levels"});
  Factor f;
  f.location = node.location();
  f.key_path = node.required("path").as_string();
  f.name = node.has("name") ? node.required("name").as_string() : f.key_path;
  for (const char* column : {"point", "option", "metric"})  // sweep.csv's own columns
    if (f.name == column)
      node.fail("factor name '" + f.name + "' is a column of the result tables; give the factor another name (name: ...)");
  std::string type;
  if (auto t = node.optional("type")) {
    type = t->as_string();
    if (type != "real" && type != "integer" && type != "categorical")
      t->fail_found("one of real, integer, categorical" + io::did_you_mean(type, {"real", "integer", "categorical"}));
  }
  const auto range = node.optional("range");
  const auto levels = node.optional("levels");
  if (range.has_value() == levels.has_value())
    node.fail("give either range: [low, high] or levels: [...], not " + std::string(range ? "both" : "neither"));
  if (range) {
    if (type == "categorical") range->fail("a categorical factor takes levels, not a range");
    f.kind = type == "integer" ? FactorKind::integer : FactorKind::real;
    const auto items = range->expect_sequence().items();
    if (items.size() != 2) range->fail_found("[low, high]");
    if (f.kind == FactorKind::integer) {
      f.low = static_cast<double>(items[0].as_integer(-1'000'000'000, 1'000'000'000));
      f.high = static_cast<double>(items[1].as_integer(-1'000'000'000, 1'000'000'000));
    } else {
      f.low = items[0].as_double();
      f.high = items[1].as_double();
    }
    if (!(f.low < f.high)) range->fail("low is " + io::format_number(f.low) + ", but must be < high (" +
                                       io::format_number(f.high) + ")");
    if (auto s = node.optional("steps")) {
      if (f.kind == FactorKind::integer) s->fail("an integer range visits every integer; use levels for fewer");
      f.steps = static_cast<int>(s->as_integer(2, 100000));
    }
    return f;
  }
  if (node.has("steps")) node.required("steps").fail("steps goes with a range, not with levels");
  const auto items = levels->expect_sequence().items();
  if (items.empty()) levels->fail("needs at least one level");
  bool all_numbers = true;
  for (const auto& item : items) {
    double x = 0.0;
    item.expect_scalar();
    all_numbers = all_numbers && plain_number(item, x);
  }
  if (type.empty()) type = all_numbers ? "real" : "categorical";
  if (type != "categorical" && !all_numbers) levels->fail("levels of a " + type + " factor must be numbers");
  f.kind = type == "categorical" ? FactorKind::categorical : type == "integer" ? FactorKind::integer : FactorKind::real;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Node& item = items[i];
    FactorValue v;
    if (f.kind == FactorKind::categorical) {
      double x = 0.0;
      v.text = item.as_string();
      v.number = static_cast<double>(i);  // the level's index: its place on the factor's scale
      v.quoted = item.quoted() || !plain_number(item, x);
    } else {
      v.number = f.kind == FactorKind::integer ? static_cast<double>(item.as_integer(-1'000'000'000, 1'000'000'000))
                                               : item.as_double();
      v.text = io::format_number(v.number);
    }
    if (!seen.insert(v.text).second) item.fail("level " + v.text + " is repeated");
    f.levels.push_back(v);
  }
  return f;
}

DesignSpec read_design(const Node& node, const fs::path& base) {
  node.check_keys({"type", "points", "seed", "skip", "file"});
  DesignSpec d;
  d.location = node.location();
  const Node type = node.required("type");
  const std::string t = type.as_string();
  if (t == "grid") {
    d.kind = DesignKind::grid;
  } else if (t == "lhs") {
    d.kind = DesignKind::lhs;
  } else if (t == "sobol") {
    d.kind = DesignKind::sobol;
  } else if (t == "csv") {
    d.kind = DesignKind::csv;
  } else {
    type.fail_found("one of grid, lhs, sobol, csv" + io::did_you_mean(t, {"grid", "lhs", "sobol", "csv"}));
  }
  const bool sized = d.kind == DesignKind::lhs || d.kind == DesignKind::sobol;
  if (sized) {
    d.points = static_cast<std::uint64_t>(node.required("points").as_integer(1, static_cast<long long>(kMaxDesignPoints)));
  } else if (node.has("points")) {
    node.required("points").fail("only lhs and sobol designs take a point count");
  }
  if (auto s = node.optional("seed")) {
    if (d.kind != DesignKind::lhs) s->fail("only an lhs design takes a seed");
    d.seed = static_cast<std::uint64_t>(s->as_integer(0, INT64_MAX));
  }
  if (auto s = node.optional("skip")) {
    if (d.kind != DesignKind::sobol) s->fail("only a sobol design takes skip");
    d.skip = static_cast<std::uint64_t>(s->as_integer(0, 1'000'000'000));
  }
  if (d.kind == DesignKind::csv) {
    d.csv_file = (base / node.required("file").as_string()).lexically_normal().string();
  } else if (node.has("file")) {
    node.required("file").fail("only a csv design takes a file");
  }
  return d;
}

RobustnessSpec read_robustness(const Node& node) {
  node.check_keys({"metric", "goal", "threshold"});
  RobustnessSpec r;
  r.metric = node.required("metric").as_string();
  r.location = node.required("metric").location();
  if (auto g = node.optional("goal")) {
    const std::string goal = g->as_string();
    if (goal != "maximize" && goal != "minimize")
      g->fail_found("maximize or minimize" + io::did_you_mean(goal, {"maximize", "minimize"}));
    r.maximize = goal == "maximize";
  }
  if (auto t = node.optional("threshold")) r.threshold = t->as_double();
  return r;
}

SensitivitySpec read_sensitivity(const Node& node) {
  node.check_keys({"methods", "samples", "second_order", "bootstrap", "confidence", "seed", "trajectories", "levels"});
  SensitivitySpec s;
  s.present = true;
  const Node methods = node.required("methods");
  for (const Node& m : methods.expect_sequence().items()) {
    const std::string name = m.as_string();
    if (name == "sobol") {
      s.methods.push_back(SensitivityMethod::sobol);
    } else if (name == "morris") {
      s.methods.push_back(SensitivityMethod::morris);
    } else {
      m.fail_found("sobol or morris" + io::did_you_mean(name, {"sobol", "morris"}));
    }
  }
  if (s.methods.empty()) methods.fail("name at least one method: sobol, morris");
  bool sobol = false, morris = false;
  for (auto m : s.methods) (m == SensitivityMethod::sobol ? sobol : morris) = true;
  if (sobol) s.samples = static_cast<std::uint64_t>(node.required("samples").as_integer(2, 1'000'000));
  if (auto x = node.optional("second_order")) s.second_order = x->as_bool();
  // Fewer resamples give intervals of no width or no meaning.
  if (auto x = node.optional("bootstrap")) s.bootstrap = static_cast<std::uint64_t>(x->as_integer(10, 100000));
  if (auto x = node.optional("confidence")) s.confidence = x->as_double(io::Range::open(0.0, 1.0));
  if (auto x = node.optional("seed")) s.seed = static_cast<std::uint64_t>(x->as_integer(0, INT64_MAX));
  if (morris) {
    s.trajectories = static_cast<std::uint64_t>(node.required("trajectories").as_integer(2, 1'000'000));
    if (auto x = node.optional("levels")) {
      s.levels = static_cast<int>(x->as_integer(2, 1000));
      if (s.levels % 2) x->fail_found("an even number (Morris's grid needs p even)");
    }
  }
  return s;
}

}  // namespace

SweepFile read_sweep_text(const std::string& text, const std::string& path) {
  const io::Document doc = io::Document::from_text(text, path);
  const Node root = doc.root();
  root.expect_map();
  root.check_keys({"credsim_sweep", "scenario", "trials", "seed", "options", "metrics", "correlations", "factors",
                   "design", "robustness", "sensitivity"});
  root.required("credsim_sweep").as_integer(1, 1);
  SweepFile s;
  s.path = path;
  s.file_name = fs::path(path).filename().string();
  s.text = text;
  s.sha256 = sha256_hex(text);
  const fs::path base = fs::path(path).parent_path();
  s.scenario_path = (base / root.required("scenario").as_string()).lexically_normal().string();
  s.trials = static_cast<std::uint64_t>(root.required("trials").as_integer(1, 1'000'000'000'000LL));
  if (auto x = root.optional("seed")) s.seed = static_cast<std::uint64_t>(x->as_integer(0, INT64_MAX));
  // An empty list would silently mean "all", as leaving the key out does.
  const auto read_names = [&](const char* key, const char* what, std::vector<std::string>& out) {
    const auto x = root.optional(key);
    if (!x) return;
    const auto items = x->expect_sequence().items();
    if (items.empty())
      x->fail(std::string("is an empty list; name at least one ") + what + ", or leave " + key + ": out for all");
    for (const Node& o : items) out.push_back(o.as_string());
  };
  read_names("options", "option", s.options);
  read_names("metrics", "metric", s.metrics);
  if (auto x = root.optional("correlations")) {
    const std::string c = x->as_string();
    if (c != "drop_swept" && c != "keep")
      x->fail_found("drop_swept or keep" + io::did_you_mean(c, {"drop_swept", "keep"}));
    s.drop_swept_correlations = c == "drop_swept";
  }
  const Node factors = root.required("factors");
  std::set<std::string> names, paths;
  for (const Node& f : factors.expect_sequence().items()) {
    s.factors.push_back(read_factor(f));
    if (!names.insert(s.factors.back().name).second) f.fail("factor name '" + s.factors.back().name + "' is repeated");
    if (!paths.insert(s.factors.back().key_path).second)
      f.fail("key path '" + s.factors.back().key_path + "' is swept twice");
  }
  if (s.factors.empty()) factors.fail("name at least one factor");
  if (auto d = root.optional("design")) s.design = read_design(*d, base);
  if (auto r = root.optional("robustness"))
    for (const Node& item : r->expect_sequence().items()) s.robustness.push_back(read_robustness(item));
  if (auto x = root.optional("sensitivity")) s.sensitivity = read_sensitivity(*x);
  if (!s.design && !s.sensitivity.present) root.fail("give a design: (for credsim sweep) or sensitivity: (for credsim sensitivity)");
  return s;
}

SweepFile read_sweep_file(const std::string& path) {
  return read_sweep_text(io::read_input_file(path), path);
}

}  // namespace credsim::sim
