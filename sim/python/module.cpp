// The private compiled module credsim._core. Thin: it loads scenarios, runs
// them with the same library calls as the CLI (so the numbers are identical
// for the same seed), releases the GIL while the engine runs, and hands the
// tables back as numpy arrays, plus the texts of the files the CLI writes
// (for Results.save).
// The public API is the pure-Python package around it (sim/python/credsim).
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>

#include "credsim/version.hpp"
#include "models/credibility_model.hpp"  // draw_uncertain
#include "models/model_factory.hpp"
#include "models/provenance_json.hpp"
#include "models/run_request.hpp"
#include "models/scenario_loader.hpp"
#include "models/study_request.hpp"
#include "sim/errors.hpp"
#include "sim/python/result_arrays.hpp"
#include "sim/io/output_files.hpp"
#include "sim/io/worlds_output.hpp"
#include "sim/io/yaml_json.hpp"
#include "sim/report.hpp"
#include "sim/resource_limits.hpp"
#include "sim/run_request.hpp"
#include "sim/runner.hpp"

namespace py = pybind11;
using namespace credsim;

namespace {

// Per-trial rows, kept as columns for numpy.
class TrialColumns : public sim::TrialSink {
 public:
  explicit TrialColumns(const sim::OutcomeLayout& layout) : layout_(layout) {
    values_.resize(layout.common_metrics);
    at_risk_.resize(layout.survival_curves.size());
    event_time_.resize(layout.survival_curves.size());
  }
  void write(std::uint64_t trial, const sim::TrialRecord& record) override {
    for (std::size_t o = 0; o < record.options(); ++o) {
      trial_.push_back(trial);
      option_.push_back(static_cast<std::int32_t>(o));
      for (std::size_t c = 0; c < at_risk_.size(); ++c) {
        at_risk_[c].push_back(record.at_risk(o, c));
        event_time_[c].push_back(record.event_time(o, c));
      }
      for (std::size_t m = 0; m < layout_.common_metrics; ++m)
        values_[m].push_back(record.present(o, m) ? record.value(o, m) : std::numeric_limits<double>::quiet_NaN());
    }
  }
  // NaN marks "absent" (the condition did not hold) for pandas; the files never carry it.
  py::dict to_dict() const {
    py::dict d;
    d["trial"] = py::array_t<std::uint64_t>(trial_.size(), trial_.data());
    d["option"] = py::array_t<std::int32_t>(option_.size(), option_.data());
    const std::vector<std::string> names = sim::io::trial_survival_columns(layout_);  // the names trials.csv uses
    for (std::size_t c = 0; c < at_risk_.size(); ++c) {
      d[py::str(names[2 * c])] = py::array_t<std::uint8_t>(at_risk_[c].size(), at_risk_[c].data());
      d[py::str(names[2 * c + 1])] = py::array_t<std::int32_t>(event_time_[c].size(), event_time_[c].data());
    }
    for (std::size_t m = 0; m < layout_.common_metrics; ++m)
      d[py::str(layout_.options[0].metrics[m].name)] = py::array_t<double>(values_[m].size(), values_[m].data());
    return d;
  }

 private:
  const sim::OutcomeLayout& layout_;
  std::vector<std::uint64_t> trial_;
  std::vector<std::int32_t> option_;
  std::vector<std::vector<std::uint8_t>> at_risk_;     // [curve][row]
  std::vector<std::vector<std::int32_t>> event_time_;  // [curve][row]
  std::vector<std::vector<double>> values_;
};

// Reports progress to Python (a tqdm bar) between rounds, from the engine's
// thread. An exception in the bar stops the run.
std::function<void(std::uint64_t, std::uint64_t)> progress_callback(std::atomic<bool>& cancel,
                                                                    const py::object& report) {
  // `report` by reference: the engine may copy this function without the GIL.
  return [&cancel, &report](std::uint64_t done, std::uint64_t total) {
    if (report.is_none()) return;
    py::gil_scoped_acquire gil;
    try {
      report(done, total);
    } catch (py::error_already_set&) {
      cancel = true;
    }
  };
}

// Runs `work` (the engine) on its own thread while this thread, the one Python
// delivers signals to, checks for Ctrl-C / a kernel interrupt every 20 ms.
// The engine then stops within one block of trials, not at the end of a round
// (which can take seconds on a loaded machine). Called with the GIL held; an
// interrupt raises KeyboardInterrupt once the engine has stopped.
template <class Work>
auto run_interruptible(std::atomic<bool>& cancel, Work work) -> decltype(work()) {
  auto running = std::async(std::launch::async, std::move(work));
  bool interrupted = false;
  for (;;) {
    {
      py::gil_scoped_release release;
      if (running.wait_for(std::chrono::milliseconds(20)) == std::future_status::ready) break;
    }
    if (!interrupted && PyErr_CheckSignals() != 0) {
      PyErr_Clear();  // raised again below, as the engine's Cancelled
      interrupted = true;
      cancel = true;
    }
  }
  auto result = running.get();  // rethrows the engine's error, Cancelled included
  if (interrupted || cancel) throw sim::Cancelled();  // it finished before it saw the flag
  return result;
}

// The library's notices (resuming from a checkpoint, progress saved) on
// Python's sys.stderr, where a notebook shows them; from the engine's thread.
std::function<void(const std::string&)> stderr_notice() {
  return [](const std::string& line) {
    py::gil_scoped_acquire gil;
    try {
      py::print(line, py::arg("file") = py::module_::import("sys").attr("stderr"));
    } catch (py::error_already_set&) {
      // No stderr to write to: the notice is lost, the run is not.
    }
  };
}

// A run exactly as `credsim run` (the same library call, sim::run_request);
// with `out`, the same files and the same checkpoint in that folder.
py::dict run_scenario(const model::Scenario& scenario, const std::vector<std::string>& options, std::uint64_t trials,
                      double precision, std::uint64_t max_trials, std::uint64_t seed, int threads,
                      bool trial_rows, const std::string& scenario_file, const py::object& progress,
                      const std::string& estimator, const std::string& out_dir) {
  sim::RunRequest request =
      model::make_run_request(scenario, scenario_file, {}, options, model::parse_estimator(estimator));
  request.config.seed = seed;
  request.config.trials = precision > 0.0 ? 0 : trials;
  request.config.precision = precision;
  request.config.max_trials = max_trials;
  request.config.threads = threads;
  request.out_dir = out_dir;
  std::optional<TrialColumns> rows;
  if (trial_rows) rows.emplace(request.model->layout());
  request.config.sink = rows ? &*rows : nullptr;
  std::atomic<bool> cancel{false};
  request.config.cancel = &cancel;
  request.config.progress = progress_callback(cancel, progress);
  request.notice = stderr_notice();

  const sim::RunOutcome result = run_interruptible(cancel, [&] { return sim::run_request(request); });
  const sim::OutcomeLayout& layout = result.layout();

  py::dict out;
  out["summary"] = python::summary_columns(layout, result.tally);
  out["paired"] = python::paired_columns(layout, result.tally);
  out["survival"] = python::survival_columns(layout, result.tally);
  py::dict files;
  for (const auto& [name, text] : sim::io::summary_texts(layout, result.tally, result.info)) files[py::str(name)] = text;
  out["files"] = files;
  out["report"] = sim::format_report(layout, result.tally, result.info);
  std::vector<std::string> names;
  for (const auto& o : layout.options) names.push_back(o.name);
  out["options"] = names;
  if (rows) out["trials"] = rows->to_dict();
  return out;
}

// Plausible worlds, exactly as `credsim run --worlds`: the pooled summary
// files and the worlds files, as texts.
py::dict run_worlds_scenario(const model::Scenario& scenario, const std::vector<std::string>& options,
                             std::uint64_t worlds, std::uint64_t trials_per_world, std::uint64_t seed, int threads,
                             const std::string& scenario_file, const py::object& progress) {
  const auto models = model::make_world_models(scenario, options);
  sim::WorldsConfig config;
  config.seed = seed;
  config.worlds = worlds;
  config.trials_per_world = trials_per_world;
  config.threads = threads;
  const auto probe = models->world_model(seed, 0, trials_per_world);
  sim::check_resources(probe->layout(), {trials_per_world, false, threads, false, sim::default_memory_limit(), {}});
  std::atomic<bool> cancel{false};
  config.cancel = &cancel;
  config.progress = progress_callback(cancel, progress);
  const sim::WorldsResult result = run_interruptible(cancel, [&] { return sim::run_worlds(*models, config); });
  sim::RunInfo info = model::run_info(scenario, scenario_file, {});
  info.seed = seed;
  info.trials = result.pooled.trials;
  info.worlds = worlds;
  info.trials_per_world = trials_per_world;
  py::dict files;
  files["summary.json"] = sim::io::summary_json(result.layout, result.pooled, info);
  files["summary.csv"] = sim::io::summary_csv(result.layout, result.pooled, info);
  files["paired.csv"] = sim::io::paired_csv(result.layout, result.pooled, info);
  files["survival.csv"] = sim::io::survival_csv(result.layout, result.pooled, info);
  const std::vector<sim::Ranking> rankings = sim::rank_options(result);
  files["worlds.csv"] = sim::io::worlds_csv(result, info);
  files["across_worlds.csv"] = sim::io::across_worlds_csv(result, info);
  files["ranks.csv"] = sim::io::ranks_csv(result, rankings, info);
  files["decisive_fields.csv"] = sim::io::decisive_fields_csv(result, rankings, info);
  py::dict out;
  out["files"] = files;
  out["report"] = sim::format_report(result.layout, result.pooled, info) + sim::io::format_worlds_report(result, info);
  return out;
}

// A sweep or sensitivity study from a sweep file, exactly as `credsim sweep|sensitivity`.
py::dict run_study(const std::string& kind, const std::string& sweep_file, const std::string& out_dir, int threads,
                   const py::object& progress) {
  const auto study_kind = kind == "sensitivity" ? sim::StudyKind::sensitivity : sim::StudyKind::sweep;
  sim::StudyRequest request = model::make_study_request(study_kind, sweep_file, out_dir);
  request.config.threads = threads;
  request.config.max_memory = sim::default_memory_limit();  // as credsim sweep's default --max-memory
  std::atomic<bool> cancel{false};
  request.config.cancel = &cancel;
  request.config.progress = progress_callback(cancel, progress);
  const sim::StudyResult result = run_interruptible(cancel, [&] { return sim::run_study(request); });
  py::dict out;
  std::vector<std::string> written;
  for (const auto& f : result.written) written.push_back(f.string());
  out["written"] = written;
  out["summary"] = result.summary;
  out["out_dir"] = request.out_dir.string();
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "credsim's compiled engine (private; use the credsim package)";
  m.attr("__version__") = kVersion;

  static py::exception<sim::ScenarioError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  static py::exception<sim::RunError> run_error(m, "RunError", PyExc_ValueError);
  static py::exception<sim::OutputError> output_error(m, "OutputError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const sim::ScenarioError& e) {
      scenario_error(e.what());
    } catch (const sim::RunError& e) {
      run_error(e.what());
    } catch (const sim::DomainError& e) {
      run_error(e.what());
    } catch (const sim::OutputError& e) {
      output_error(e.what());
    } catch (const sim::Cancelled&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });

  py::class_<model::Scenario>(m, "Scenario")
      .def_readonly("name", &model::Scenario::name)
      .def_readonly("description", &model::Scenario::description)
      .def_readonly("file", &model::Scenario::file)
      .def_readonly("sha256", &model::Scenario::sha256)
      .def_property_readonly("options",
                             [](const model::Scenario& s) {
                               std::vector<std::string> names;
                               for (const auto& o : s.base.options) names.push_back(o.name);
                               return names;
                             })
      .def_property_readonly("option_labels",
                             [](const model::Scenario& s) {
                               std::vector<std::pair<std::string, std::string>> labels;
                               for (const auto& o : s.base.options) labels.emplace_back(o.name, o.label);
                               return labels;
                             })
      .def_property_readonly("baseline", [](const model::Scenario& s) { return s.base.options.at(s.baseline).name; })
      .def_property_readonly("uncertain_parameters",
                             [](const model::Scenario& s) {
                               std::vector<std::string> paths;
                               for (const auto& u : s.uncertain) paths.push_back(u.key_path);
                               return paths;
                             })
      .def_property_readonly("provenance_json",
                             [](const model::Scenario& s) { return model::provenance_json(s).dump(); });

  m.def(
      "load_scenario", [](const std::string& path) { return model::load_scenario(path); }, py::arg("path"),
      "Load and validate a scenario file.");
  m.def("load_scenario_text", &model::load_scenario_text, py::arg("text"), py::arg("file_name"),
        py::arg("base_dir"), "Load and validate a scenario from YAML (or JSON) text.");
  m.def(
      "yaml_to_json", [](const std::string& path) { return sim::io::yaml_file_to_json(path).dump(); },
      py::arg("path"), "A YAML file's content as JSON text (to edit a scenario as a dict).");
  m.def(
      "draw_parameters",
      [](const model::Scenario& s, std::uint64_t seed, std::uint64_t first, std::uint64_t count) {
        const std::size_t n = s.uncertain.size();
        py::array_t<double> out({static_cast<py::ssize_t>(count), static_cast<py::ssize_t>(n)});
        auto view = out.mutable_unchecked<2>();
        std::vector<double> uniforms, values;
        for (std::uint64_t k = 0; k < count; ++k) {
          model::draw_uncertain(s, seed, first + k, uniforms, values);
          for (std::size_t i = 0; i < n; ++i) view(static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(i)) = values[i];
        }
        return out;
      },
      py::arg("scenario"), py::arg("seed"), py::arg("first"), py::arg("count"),
      "The uncertain parameters' values in trials first..first+count-1 (rows), as the engine draws them.");
  m.def(
      "write_file_atomically",
      [](const std::string& path, const std::string& bytes) { sim::io::write_file_atomically(path, bytes); },
      py::arg("path"), py::arg("bytes"), "Write a file as the CLI does: temporary name, fsync, rename.");
  m.def("study", &run_study, py::arg("kind"), py::arg("sweep_file"), py::arg("out_dir"), py::arg("threads"),
        py::arg("progress") = py::none(), "Run a sweep or sensitivity study from a sweep file; returns the files written and the summary.");
  m.def("run_worlds", &run_worlds_scenario, py::arg("scenario"), py::arg("options"), py::arg("worlds"),
        py::arg("trials_per_world"), py::arg("seed"), py::arg("threads"), py::arg("scenario_file"),
        py::arg("progress") = py::none(), "Run a scenario over plausible worlds; returns the result texts.");
  m.def("run", &run_scenario, py::arg("scenario"), py::arg("options"), py::arg("trials"), py::arg("precision"),
        py::arg("max_trials"), py::arg("seed"), py::arg("threads"), py::arg("trial_rows"),
        py::arg("scenario_file"), py::arg("progress") = py::none(), py::arg("estimator") = "plain",
        py::arg("out") = "",
        "Run a scenario; returns the result texts and, on request, per-trial columns. With `out`: writes the "
        "files there and keeps a checkpoint to resume from, as `credsim run --out`.");
}
