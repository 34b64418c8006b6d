#include "sim/sweep_study.hpp"

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "credsim/version.hpp"
#include "sim/errors.hpp"
#include "sim/io/output_dir_lock.hpp"
#include "sim/io/output_files.hpp"
#include "sim/io/sweep_journal.hpp"
#include "sim/io/yaml_reader.hpp"
#include "sim/robustness.hpp"
#include "sim/sensitivity.hpp"
#include "sim/text_columns.hpp"

namespace credsim::sim {
namespace {
namespace fs = std::filesystem;
using io::SweepInfo;

nlohmann::ordered_json info_json(const SweepInfo& i) {
  nlohmann::ordered_json j;
  j["sweep_file"] = i.sweep_file;
  j["sweep_sha256"] = i.sweep_sha256;
  j["scenario_file"] = i.scenario_file;
  j["scenario_sha256"] = i.scenario_sha256;
  j["seed"] = i.seed;
  j["trials"] = i.trials;
  j["design"] = i.design;
  j["design_sha256"] = i.design_sha256;
  j["points"] = i.points;
  j["dropped_correlations"] = i.dropped_correlations;
  j["version"] = std::string(kVersion);
  return j;
}

SweepInfo info_from_json(const nlohmann::json& j) {
  SweepInfo i;
  i.sweep_file = j.at("sweep_file").get<std::string>();
  i.sweep_sha256 = j.at("sweep_sha256").get<std::string>();
  i.scenario_file = j.at("scenario_file").get<std::string>();
  i.scenario_sha256 = j.at("scenario_sha256").get<std::string>();
  i.seed = j.at("seed").get<std::uint64_t>();
  i.trials = j.at("trials").get<std::uint64_t>();
  i.design = j.at("design").get<std::string>();
  i.design_sha256 = j.at("design_sha256").get<std::string>();
  i.points = j.at("points").get<std::uint64_t>();
  i.dropped_correlations = j.at("dropped_correlations").get<std::vector<std::string>>();
  return i;
}

std::string journal_header(StudyKind kind, const SweepInfo& info, const SweepFile& file, const Shard& shard) {
  nlohmann::ordered_json j;
  j["credsim_sweep_journal"] = 1;
  j["kind"] = kind == StudyKind::sweep ? "sweep" : "sensitivity";
  j["info"] = info_json(info);
  std::vector<std::string> names;
  for (const auto& f : file.factors) names.push_back(f.name);
  j["factors"] = names;
  j["shard"] = {shard.index, shard.count};
  j["sweep_path"] = file.path;
  j["sweep_text"] = file.text;
  return j.dump();
}

// Option names in row order, and the metric's estimate per point and option.
std::vector<std::string> option_names(const std::vector<PointResult>& results) {
  std::vector<std::string> names;
  if (results.empty()) return names;
  for (const auto& row : results.front().rows)
    if (std::find(names.begin(), names.end(), row.option) == names.end()) names.push_back(row.option);
  return names;
}

std::vector<std::vector<std::optional<double>>> metric_values(const std::vector<PointResult>& results,
                                                              const std::vector<std::string>& options,
                                                              const std::string& metric) {
  std::vector<std::vector<std::optional<double>>> v;
  for (const auto& r : results) {
    std::vector<std::optional<double>> point(options.size());
    for (const auto& row : r.rows)
      if (row.metric == metric) {
        const auto k = static_cast<std::size_t>(std::find(options.begin(), options.end(), row.option) - options.begin());
        if (k < options.size()) point[k] = row.estimate.value;
      }
    v.push_back(std::move(point));
  }
  return v;
}

std::string fixed(double x, int digits = 4) { return sim::fixed(x, digits); }

std::string rank_factors(const std::vector<std::string>& names, const std::vector<double>& effect,
                         const std::string& title) {
  std::vector<std::size_t> order(names.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return effect[a] > effect[b]; });
  std::string out = title + "\n";
  for (std::size_t r = 0; r < order.size(); ++r)
    out += "  " + std::to_string(r + 1) + ". " + names[order[r]] + "  " + fixed(effect[order[r]]) + "\n";
  return out;
}

// sweep.csv and robustness.csv into `files`; returns the summary. From the results of every point.
std::string add_sweep_tables(io::ResultSet& files, const SweepInfo& info, const std::vector<std::string>& factor_names,
                        const std::vector<RobustnessSpec>& specs, const std::vector<PointResult>& results) {
  std::string summary;
  files.add("sweep.csv", io::sweep_csv(info, factor_names, results));
  const auto options = option_names(results);
  std::vector<RobustnessRow> rows;
  for (const auto& spec : specs) {
    const auto part = robustness(options, metric_values(results, options, spec.metric), spec);
    rows.insert(rows.end(), part.begin(), part.end());
    std::vector<const RobustnessRow*> sorted;
    for (const auto& r : part) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const RobustnessRow* a, const RobustnessRow* b) { return a->regret_mean < b->regret_mean; });
    summary += "Options by mean regret on " + spec.metric + " (" + (spec.maximize ? "higher" : "lower") +
                 " is better" + (spec.threshold ? ", threshold " + io::format_number(*spec.threshold) : "") + "):\n";
    summary += "  option                          mean     worst    regret   regret90  satisficing\n";
    for (const auto* r : sorted) {
      std::string name = r->option;
      name.resize(std::max<std::size_t>(name.size(), 30), ' ');
      summary += "  " + name + "  " + fixed(r->mean) + "  " + fixed(r->worst) + "  " + fixed(r->regret_mean) +
                   "  " + fixed(r->regret_p90) + "  " + (r->satisficing_share ? fixed(*r->satisficing_share, 3) : "-") +
                   "\n";
    }
  }
  files.add("robustness.csv", io::robustness_csv(info, rows));

  // Factors ranked by how much they move the first robustness metric (else the first metric), over options.
  if (!results.empty() && !results.front().rows.empty()) {
    const std::string metric = specs.empty() ? results.front().rows.front().metric : specs.front().metric;
    std::vector<std::vector<double>> x;
    for (const auto& r : results) {
      std::vector<double> p;
      for (const auto& v : r.values) p.push_back(v.number);
      x.push_back(std::move(p));
    }
    const auto values = metric_values(results, options, metric);
    std::vector<double> mean_effect(factor_names.size(), 0.0);
    std::size_t used = 0;
    for (std::size_t k = 0; k < options.size(); ++k) {
      std::vector<std::vector<double>> xs;
      std::vector<double> y;
      for (std::size_t p = 0; p < values.size(); ++p)
        if (values[p][k]) {
          xs.push_back(x[p]);
          y.push_back(*values[p][k]);
        }
      const auto e = factor_effects(xs, y);
      for (std::size_t d = 0; d < e.size(); ++d) mean_effect[d] += e[d];
      ++used;
    }
    for (auto& e : mean_effect) e /= static_cast<double>(std::max<std::size_t>(used, 1));
    summary += rank_factors(factor_names, mean_effect,
                              "Factors ranked by effect on " + metric +
                                  " (correlation ratio eta^2 = Var(E[y|factor])/Var(y), mean over options):");
  }
  return summary;
}

void add_run_json(io::ResultSet& files, const std::string& command, const SweepInfo& info, const SweepRun& run,
                    int threads, int ranks, const std::optional<Shard>& shard) {
  nlohmann::ordered_json j;
  j["command"] = command;
  j["points"] = info.points;
  j["points_in_shard"] = run.points;
  j["points_run"] = run.points_run;
  j["points_resumed"] = run.points - run.points_run;
  j["trials_per_point"] = info.trials;
  j["wall_seconds"] = run.seconds;
  j["seconds_per_point"] = run.points_run ? run.seconds / static_cast<double>(run.points_run) : 0.0;
  j["threads"] = threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
  j["ranks"] = ranks;
  j["shard"] = shard ? shard->str() : "1/1";
  j["version"] = std::string(kVersion);
  files.add("sweep_run.json", j.dump(2) + "\n");
}

}  // namespace

SweepPlan make_plan(const StudyRequest& request, std::string& design_name) {
  const SweepFile& file = request.file;
  SweepPlan plan;
  plan.base = sweep_document(file, plan.dropped_correlations);
  plan.factors = file.factors;
  plan.trials = file.trials;
  plan.seed = file.seed;
  plan.metrics = file.metrics;
  const auto map_rows = [&](const std::vector<std::vector<double>>& rows) {
    for (const auto& u : rows) {
      DesignPoint p;
      for (std::size_t d = 0; d < plan.factors.size(); ++d) p.push_back(plan.factors[d].at_unit(u[d]));
      plan.points.push_back(std::move(p));
    }
  };
  if (request.kind == StudyKind::sweep) {
    if (!file.design)
      throw ScenarioError({file.path, 1, 1}, "design", "credsim sweep needs a design: section (grid, lhs, sobol, csv)");
    plan.points = make_design(*file.design, plan.factors);
    static const char* names[] = {"grid", "lhs", "sobol", "csv"};
    design_name = names[static_cast<int>(file.design->kind)];
  } else {
    const SensitivitySpec& s = file.sensitivity;
    if (!s.present)
      throw ScenarioError({file.path, 1, 1}, "sensitivity", "credsim sensitivity needs a sensitivity: section");
    design_name.clear();
    const std::size_t D = plan.factors.size();
    for (const auto m : s.methods) {
      if (m == SensitivityMethod::sobol) {
        map_rows(saltelli_sample(D, s.samples, s.second_order).rows);
        design_name += design_name.empty() ? "saltelli" : "+saltelli";
      } else {
        map_rows(morris_sample(D, s.trajectories, s.levels, s.seed).rows);
        design_name += design_name.empty() ? "morris" : "+morris";
      }
    }
  }
  return plan;
}

StudyResult run_study(const StudyRequest& request) {
  std::string design_name;
  const SweepPlan plan = make_plan(request, design_name);
  // Before every point's model is built and before the journal is made: a refused study leaves nothing.
  check_sweep_memory(plan, request.factory, request.config);
  const std::set<std::string> reported = check_plan(plan, request.factory);
  for (const auto& spec : request.file.robustness)
    if (!reported.count(spec.metric))
      throw ScenarioError(spec.location, "robustness",
                          "metric '" + spec.metric + "' is not among the sweep's metrics" +
                              io::did_you_mean(spec.metric, {reported.begin(), reported.end()}));

  SweepInfo info;
  info.sweep_file = request.file.file_name;
  info.sweep_sha256 = request.file.sha256;
  info.scenario_file = fs::path(request.file.scenario_path).filename().string();
  info.scenario_sha256 = request.scenario_sha256;
  info.seed = plan.seed;
  info.trials = plan.trials;
  info.design = design_name;
  info.design_sha256 = design_sha256(plan.points);
  info.points = plan.points.size();
  info.dropped_correlations = plan.dropped_correlations;

  const Shard shard = request.config.shard;
  const bool root = !request.config.comm || request.config.comm->rank() == 0;
  SweepConfig config = request.config;
  std::optional<io::OutputDirLock> lock;  // held until the last file is in place
  if (root) {
    io::ensure_output_dir(request.out_dir);
    lock.emplace(request.out_dir);
    config.journal = request.out_dir / kJournalName;
    config.journal_header = journal_header(request.kind, info, request.file, shard);
  }
  StudyResult out;
  out.root = root;
  out.run = run_sweep(plan, request.factory, config);
  if (!root) return out;

  std::vector<std::string> names;
  for (const auto& f : plan.factors) names.push_back(f.name);
  const std::optional<Shard> shard_info = shard.count > 1 ? std::optional<Shard>(shard) : std::nullopt;
  info.shard = shard_info;
  const int ranks = request.config.comm ? request.config.comm->size() : 1;

  io::ResultSet files(request.out_dir);
  if (request.kind == StudyKind::sweep) {
    out.summary = add_sweep_tables(files, info, names, request.file.robustness, out.run.results);
    add_run_json(files, "sweep", info, out.run, request.config.threads, ranks, shard_info);
    out.written = files.commit();
    return out;
  }

  // Sensitivity: the sample points' table, then the indices of every option and metric.
  files.add("sensitivity_points.csv", io::sweep_csv(info, names, out.run.results));
  const SensitivitySpec& s = request.file.sensitivity;
  const std::size_t D = plan.factors.size();
  const auto options = option_names(out.run.results);
  std::vector<std::string> metrics;
  for (const auto& row : out.run.results.front().rows)
    if (std::find(metrics.begin(), metrics.end(), row.metric) == metrics.end()) metrics.push_back(row.metric);
  std::vector<io::SobolRow> sobol_rows;
  std::vector<io::MorrisRow> morris_rows;
  std::size_t offset = 0;
  std::string skipped, undefined, warnings;
  const std::string headline_metric = request.file.metrics.empty() ? metrics.front() : request.file.metrics.front();
  for (const auto m : s.methods) {
    const bool sobol = m == SensitivityMethod::sobol;
    const SaltelliSample ss = sobol ? saltelli_sample(D, s.samples, s.second_order) : SaltelliSample{};
    const MorrisSample ms = sobol ? MorrisSample{} : morris_sample(D, s.trajectories, s.levels, s.seed);
    const std::size_t count = sobol ? ss.rows.size() : ms.rows.size();
    std::vector<PointResult> part(out.run.results.begin() + static_cast<std::ptrdiff_t>(offset),
                                  out.run.results.begin() + static_cast<std::ptrdiff_t>(offset + count));
    offset += count;
    for (const auto& metric : metrics) {
      const auto values = metric_values(part, options, metric);
      for (std::size_t k = 0; k < options.size(); ++k) {
        std::vector<double> y;
        for (const auto& p : values)
          if (p[k]) y.push_back(*p[k]);
        if (y.size() != values.size()) {
          skipped += " " + options[k] + "/" + metric;
          continue;  // not estimable at every point (e.g. conditional on an event that never happened)
        }
        if (sobol) {
          const auto idx = sobol_indices(ss, y, s.bootstrap, s.confidence, s.seed);
          for (std::size_t d = 0; d < D; ++d)
            sobol_rows.push_back({names[d], options[k], metric, idx.s1[d], idx.st[d], idx.defined});
          if (!idx.defined) {
            undefined += " " + options[k] + "/" + metric;
            continue;
          }
          if (const std::string warning = sobol_sample_warning(idx, names); !warning.empty())
            warnings += options[k] + "/" + metric + ": " + warning + "\n";
          if (metric == headline_metric) {
            std::vector<double> st;
            for (const auto& e : idx.st) st.push_back(e.value);
            out.summary += rank_factors(names, st, "Factors ranked by total-order Sobol' index ST of " + metric +
                                                       ", option " + options[k] + ":");
          }
        } else {
          const auto eff = morris_effects(ms, y);
          for (std::size_t d = 0; d < D; ++d) morris_rows.push_back({names[d], options[k], metric, eff[d]});
          if (metric == headline_metric) {
            std::vector<double> mu;
            for (const auto& e : eff) mu.push_back(e.mu_star);
            out.summary += rank_factors(names, mu, "Factors ranked by Morris mu* of " + metric + ", option " +
                                                       options[k] + ":");
          }
        }
      }
    }
    files.add(sobol ? "sobol.csv" : "morris.csv",
              sobol ? io::sobol_csv(info, sobol_rows) : io::morris_csv(info, morris_rows));
  }
  if (!skipped.empty()) out.summary += "Not estimable at every point, left out:" + skipped + "\n";
  if (!undefined.empty())
    out.summary += "Sobol' indices undefined (the output does not vary; empty in sobol.csv):" + undefined + "\n";
  out.summary += warnings;
  add_run_json(files, "sensitivity", info, out.run, request.config.threads, ranks, shard_info);
  out.written = files.commit();
  return out;
}

StudyResult merge_shards(const std::vector<fs::path>& shard_dirs, const fs::path& out_dir) {
  if (shard_dirs.empty()) throw RunError("merge: name the output directories of the shards");
  std::optional<SweepInfo> info;
  nlohmann::json first;
  std::uint64_t count = 0;
  std::set<std::uint64_t> seen_shards;
  std::map<std::uint64_t, PointResult> points;
  for (const auto& dir : shard_dirs) {
    std::string header_text;
    const auto records = io::SweepJournal::read(dir / kJournalName, header_text);
    const auto header = nlohmann::json::parse(header_text);
    if (header.at("kind") != "sweep") throw RunError("merge: " + dir.string() + " holds a sensitivity analysis, not a sweep");
    const SweepInfo here = info_from_json(header.at("info"));
    const auto index = header.at("shard").at(0).get<std::uint64_t>();
    const auto n = header.at("shard").at(1).get<std::uint64_t>();
    if (!info) {
      info = here;
      first = header;
      count = n;
    } else if (header.at("info") != first.at("info") || n != count) {
      throw RunError("merge: " + dir.string() + " holds another sweep (sweep file, design points, scenario, seed, "
                     "trials, shard count or version differ) than " + shard_dirs.front().string());
    }
    if (!seen_shards.insert(index).second) throw RunError("merge: shard " + std::to_string(index) + " is given twice");
    for (const auto& payload : records) {
      PointResult r = decode_point(payload);
      const auto id = r.id;
      if (!points.emplace(id, std::move(r)).second)
        throw RunError("merge: point " + std::to_string(id) + " appears in two shards");
    }
  }
  std::string missing;
  for (std::uint64_t i = 1; i <= count; ++i)
    if (!seen_shards.count(i)) missing += " " + std::to_string(i) + "/" + std::to_string(count);
  if (!missing.empty()) throw RunError("merge: missing shards:" + missing);
  if (points.size() != info->points)
    throw RunError("merge: the shards hold " + std::to_string(points.size()) + " of the sweep's " +
                   std::to_string(info->points) + " points; finish them (rerun the same shard commands) first");

  const SweepFile file = read_sweep_text(first.at("sweep_text").get<std::string>(), first.at("sweep_path").get<std::string>());
  std::vector<PointResult> results;
  for (auto& [id, r] : points) results.push_back(std::move(r));
  io::ensure_output_dir(out_dir);
  const io::OutputDirLock lock(out_dir);
  io::ResultSet files(out_dir);
  StudyResult out;
  out.summary =
      add_sweep_tables(files, *info, first.at("factors").get<std::vector<std::string>>(), file.robustness, results);
  out.written = files.commit();
  out.run.points = info->points;
  return out;
}

}  // namespace credsim::sim
