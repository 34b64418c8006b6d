#include "sim/sweep.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/errors.hpp"
#include "sim/io/sweep_journal.hpp"
#include "sim/io/yaml_reader.hpp"
#include "sim/resource_limits.hpp"
#include "sim/runner.hpp"

namespace credsim::sim {
namespace {

std::string describe_point(const SweepPlan& plan, std::uint64_t id) {
  std::string s = "sweep point " + std::to_string(id) + " (";
  for (std::size_t f = 0; f < plan.factors.size(); ++f)
    s += (f ? ", " : "") + plan.factors[f].name + " = " + plan.points[id][f].text;
  return s + ")";
}

std::unique_ptr<TrialModel> build_model(const SweepPlan& plan, const ModelFactory& factory, std::uint64_t id) {
  const std::string text = point_yaml(plan, id);
  try {
    return factory(text);
  } catch (const ScenarioError& e) {
    // The location is in generated text. When the error is about a factor's
    // field (or the map it adds a key to), point at the factor in the sweep file.
    for (const auto& f : plan.factors) {
      const std::string& k = e.key_path();
      const bool about_factor = !k.empty() && (f.key_path == k || f.key_path.rfind(k + ".", 0) == 0 ||
                                               f.key_path.rfind(k + "[", 0) == 0);
      if (about_factor)
        throw ScenarioError(f.location, f.key_path,
                            "the scenario rejects it at " + describe_point(plan, id) + ": " + k + ": " + e.message());
    }
    const std::string text_name = std::filesystem::path(plan.base.file()).filename().string();  // the factory's
    throw plan.base.in_file(e, text_name, " [in " + describe_point(plan, id) + "]");
  }
}

// Same options and common metrics. Option-specific metrics (one per
// commitment) may change with a categorical factor; the long table copes.
bool same_layout(const OutcomeLayout& a, const OutcomeLayout& b) {
  if (a.options.size() != b.options.size() || a.common_metrics != b.common_metrics) return false;
  for (std::size_t o = 0; o < a.options.size(); ++o) {
    if (a.options[o].name != b.options[o].name) return false;
    for (std::size_t m = 0; m < a.common_metrics; ++m)
      if (a.options[o].metrics[m].name != b.options[o].metrics[m].name) return false;
  }
  return true;
}

nlohmann::json optional_number(const std::optional<double>& x) { return x ? nlohmann::json(*x) : nlohmann::json(); }

// Points in flight at a time on one rank.
std::size_t points_per_rank(int workers) { return static_cast<std::size_t>(std::max(2, 2 * workers)); }

}  // namespace

void check_sweep_memory(const SweepPlan& plan, const ModelFactory& factory, const SweepConfig& config) {
  if (config.max_memory == 0 || plan.points.empty()) return;
  const int workers = config.threads > 0 ? config.threads : tbb::this_task_arena::max_concurrency();
  const std::size_t points_at_once = std::min(points_per_rank(workers), plan.points.size());
  const OutcomeLayout layout = build_model(plan, factory, 0)->layout();
  const std::uint64_t max_memory = config.max_memory;  // bytes
  const std::uint64_t blocks = std::min(kSweepRoundBlocks, (plan.trials + kBlockTrials - 1) / kBlockTrials);
  const std::uint64_t need = estimate_sweep_memory(layout, workers, points_at_once, blocks);
  if (need > max_memory)
    throw RunError("this sweep would need about " + format_bytes(static_cast<double>(need)) + " of memory (" +
                   std::to_string(points_at_once) + " points at a time), more than the limit of " +
                   format_bytes(static_cast<double>(max_memory)) + "; use fewer --threads or raise --max-memory");
}

io::ScenarioDocument sweep_document(const SweepFile& file, std::vector<std::string>& dropped) {
  io::ScenarioDocument doc = io::ScenarioDocument::from_file(file.scenario_path);
  dropped.clear();
  if (!file.drop_swept_correlations) return doc;
  std::set<std::string> swept;
  for (const auto& f : file.factors) swept.insert(f.key_path);
  for (std::size_t i = doc.list_size("correlations"); i-- > 0;) {
    const std::string item = "correlations[" + std::to_string(i) + "].between";
    const auto a = doc.scalar(item + "[0]");
    const auto b = doc.scalar(item + "[1]");
    if ((a && swept.count(*a)) || (b && swept.count(*b))) {
      dropped.insert(dropped.begin(), a.value_or("?") + "~" + b.value_or("?"));
      doc.erase_item("correlations", i);
    }
  }
  return doc;
}

std::string point_yaml(const SweepPlan& plan, std::uint64_t id) {
  io::ScenarioDocument doc = plan.base;
  const DesignPoint& p = plan.points.at(id);
  for (std::size_t f = 0; f < plan.factors.size(); ++f)
    doc.set_scalar(plan.factors[f].key_path, p[f].text, p[f].quoted, plan.factors[f].location);
  return doc.to_yaml();
}

std::set<std::string> check_plan(const SweepPlan& plan, const ModelFactory& factory) {
  if (plan.points.empty()) throw RunError("the design has no points");
  const auto model = build_model(plan, factory, 0);
  for (std::uint64_t id = 1; id < plan.points.size(); ++id) build_model(plan, factory, id);
  std::set<std::string> known;
  for (const auto& opt : model->layout().options)
    for (const auto& m : opt.metrics) known.insert(m.name);
  for (const auto& m : plan.metrics)
    if (!known.count(m))
      throw RunError("metric '" + m + "' is not reported by the model" +
                     io::did_you_mean(m, std::vector<std::string>(known.begin(), known.end())));
  if (plan.metrics.empty()) return known;
  return std::set<std::string>(plan.metrics.begin(), plan.metrics.end());
}

std::string encode_point(const PointResult& r) {
  nlohmann::json j;
  j["point"] = r.id;
  auto values = nlohmann::json::array();
  for (const auto& v : r.values) values.push_back({v.text, v.number, v.quoted});
  j["values"] = std::move(values);
  auto rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    const Estimate& e = row.estimate;
    rows.push_back({row.option, row.metric, e.n, optional_number(e.value), optional_number(e.std_error),
                    e.ci ? nlohmann::json(e.ci->low) : nlohmann::json(),
                    e.ci ? nlohmann::json(e.ci->high) : nlohmann::json()});
  }
  j["rows"] = std::move(rows);
  return j.dump();
}

PointResult decode_point(const std::string& payload) {
  const auto j = nlohmann::json::parse(payload);
  PointResult r;
  r.id = j.at("point").get<std::uint64_t>();
  for (const auto& v : j.at("values"))
    r.values.push_back({v.at(0).get<std::string>(), v.at(1).get<double>(), v.at(2).get<bool>()});
  for (const auto& row : j.at("rows")) {
    PointRow pr;
    pr.option = row.at(0).get<std::string>();
    pr.metric = row.at(1).get<std::string>();
    pr.estimate.n = row.at(2).get<std::uint64_t>();
    if (!row.at(3).is_null()) pr.estimate.value = row.at(3).get<double>();
    if (!row.at(4).is_null()) pr.estimate.std_error = row.at(4).get<double>();
    if (!row.at(5).is_null()) pr.estimate.ci = Interval{row.at(5).get<double>(), row.at(6).get<double>()};
    r.rows.push_back(std::move(pr));
  }
  return r;
}

PointResult run_point(const SweepPlan& plan, const TrialModel& model, std::uint64_t id,
                      const std::atomic<bool>* cancel) {
  const OutcomeLayout& layout = model.layout();
  const std::uint64_t n_blocks = (plan.trials + kBlockTrials - 1) / kBlockTrials;
  // Blocks run in rounds, each merged in block order as sim::run does: the
  // same bits as one pass, in memory that does not grow with the trials.
  Tally tally(layout);
  std::vector<Tally> blocks;
  for (std::uint64_t start = 0; start < n_blocks; start += kSweepRoundBlocks) {
    blocks.assign(std::min(kSweepRoundBlocks, n_blocks - start), Tally());
    tbb::parallel_for(
        tbb::blocked_range<std::uint64_t>(0, blocks.size(), 1),
        [&](const tbb::blocked_range<std::uint64_t>& r) {
          const auto ws = model.make_workspace();
          for (std::uint64_t b = r.begin(); b != r.end(); ++b) {
            if (cancel && cancel->load(std::memory_order_relaxed)) return;
            const std::uint64_t first = (start + b) * kBlockTrials;
            blocks[b] = run_range(model, plan.seed, first, std::min(kBlockTrials, plan.trials - first), *ws);
          }
        },
        tbb::simple_partitioner());
    if (cancel && cancel->load()) return {};  // skipped blocks hold no tally; the caller drops the point
    for (const auto& b : blocks) tally += b;
  }

  PointResult result;
  result.id = id;
  result.values = plan.points.at(id);
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const auto& opt = layout.options[o];
    for (std::size_t m = 0; m < opt.metrics.size(); ++m) {
      const auto& spec = opt.metrics[m];
      if (!plan.metrics.empty() && std::find(plan.metrics.begin(), plan.metrics.end(), spec.name) == plan.metrics.end())
        continue;
      result.rows.push_back({opt.name, spec.name, estimate_metric(spec, tally.metric[o][m])});
    }
  }
  return result;
}

SweepRun run_sweep(const SweepPlan& plan, const ModelFactory& factory, const SweepConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  PointComm local;
  PointComm& comm = config.comm ? *config.comm : local;
  const bool root = comm.rank() == 0;

  // This sweep's own arena (as sim::run), not a process-wide global_control:
  // the width applies to this call only, and to the point runs nested in it.
  tbb::task_arena arena(config.threads > 0 ? config.threads : tbb::task_arena::automatic);
  const int workers = arena.max_concurrency();

  // Rank 0 owns the journal; the other ranks learn from it which points are left.
  std::unique_ptr<io::SweepJournal> journal;
  std::map<std::uint64_t, std::string> done;  // id -> payload
  std::string done_ids;
  if (root && !config.journal.empty()) {
    journal = std::make_unique<io::SweepJournal>(config.journal, config.journal_header);
    for (const auto& payload : journal->records()) {
      const PointResult r = decode_point(payload);
      if (r.id >= plan.points.size() || !config.shard.contains(r.id))
        throw RunError("the sweep journal " + config.journal.string() + " names point " + std::to_string(r.id) +
                       ", which is not in this sweep or shard; delete it to start again");
      done[r.id] = payload;
      done_ids += std::to_string(r.id) + " ";
    }
  }
  comm.broadcast(done_ids);
  std::set<std::uint64_t> done_set;
  {
    std::istringstream in(done_ids);
    std::uint64_t id;
    while (in >> id) done_set.insert(id);
  }

  std::vector<std::uint64_t> todo;
  std::uint64_t in_shard = 0;
  for (std::uint64_t id = 0; id < plan.points.size(); ++id) {
    if (!config.shard.contains(id)) continue;
    ++in_shard;
    if (!done_set.count(id)) todo.push_back(id);
  }

  SweepRun run;
  run.points = in_shard;
  std::optional<OutcomeLayout> first_layout;
  // A batch: every rank takes its share of the next points; rank 0 journals
  // them, then the next batch. Small batches lose little work when killed.
  const std::size_t per_rank = points_per_rank(workers);
  const std::size_t batch = per_rank * static_cast<std::size_t>(comm.size());
  for (std::size_t begin = 0; begin < todo.size(); begin += batch) {
    const std::size_t end = std::min(todo.size(), begin + batch);
    std::vector<std::uint64_t> mine;
    for (std::size_t k = begin; k < end; ++k)
      if (static_cast<int>((k - begin) % static_cast<std::size_t>(comm.size())) == comm.rank()) mine.push_back(todo[k]);

    // Models are built one by one (the loader need not be thread-safe), then run in parallel.
    std::vector<std::unique_ptr<TrialModel>> models;
    for (const auto id : mine) {
      models.push_back(build_model(plan, factory, id));
      if (!first_layout) {
        first_layout = models.back()->layout();
      } else if (!same_layout(*first_layout, models.back()->layout())) {
        throw RunError(describe_point(plan, id) + " reports other options or common metrics than the first point; "
                       "a factor may not change which options exist");
      }
    }
    // One process stops within a block (this batch's points are dropped, the
    // journal keeps the earlier ones); ranks finish the batch so all stop together.
    const std::atomic<bool>* stop_now = comm.size() == 1 ? config.cancel : nullptr;
    std::vector<std::string> payloads(mine.size());
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t i) {
        payloads[i] = encode_point(run_point(plan, *models[i], mine[i], stop_now));
      });
    });
    if (stop_now && stop_now->load()) throw Cancelled();
    std::vector<std::string> all = comm.gather(payloads);
    if (root) {
      std::sort(all.begin(), all.end(), [](const std::string& a, const std::string& b) {
        return decode_point(a).id < decode_point(b).id;
      });
      if (journal) journal->append(all);
      for (auto& p : all) done[decode_point(p).id] = std::move(p);
    }
    run.points_run += end - begin;
    if (config.progress) config.progress(in_shard - todo.size() + end, in_shard);
    std::string stop = (config.cancel && config.cancel->load()) ? "1" : "0";
    comm.broadcast(stop);  // every rank stops after the same batch
    if (stop == "1") throw Cancelled();
  }

  if (root)
    for (const auto& [id, payload] : done) run.results.push_back(decode_point(payload));  // decoded: fresh == resumed
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace credsim::sim
