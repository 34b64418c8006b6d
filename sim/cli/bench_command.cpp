#include "sim/cli/bench_command.hpp"

#include <oneapi/tbb/info.h>

#include <cstdio>
#include <iostream>

#include "models/model_factory.hpp"
#include "models/scenario_loader.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/validators.hpp"
#include "sim/runner.hpp"
#include "sim/throughput.hpp"

namespace credsim::cli {

CLI::App* add_bench_command(CLI::App& app, BenchOptions& o) {
  CLI::App* bench = app.add_subcommand("bench", "Measure throughput: trials per second on 1 thread and on all cores");
  bench->add_option("scenario", o.scenario, "Scenario file")->type_name("SCENARIO")->capture_default_str();
  bench->add_option("-n,--trials", o.trials, "Trials per measurement")
      ->type_name("N")
      ->check(whole_number(1, sim::kMaxTrials))
      ->capture_default_str();
  bench->add_option("-t,--threads", o.max_threads, "Largest thread count to measure (0 = all cores)")
      ->type_name("T")
      ->check(whole_number(0, 4096))
      ->capture_default_str();
  bench->add_option("--model", o.model, "Model kernel: fast (what runs use) or reference (the test oracle)")
      ->check(CLI::IsMember({"fast", "reference"}))
      ->capture_default_str();
  auto* precision =
      bench->add_option("-p,--precision", o.precision,
                        "Also time a run to this 95% half-width on every headline probability, with the plain\n"
                        "and the conditional estimator, on 1 thread and on all cores")
          ->type_name("H")
          ->check(CLI::Range(0.0, 0.5).description("in (0, 0.5)"));
  bench->add_option("--max-trials", o.max_trials, "With --precision: give up after this many trials")
      ->type_name("N")
      ->check(whole_number(1, sim::kMaxTrials))
      ->needs(precision)
      ->capture_default_str();
  bench->footer(
      "A trial-option is one trial of one option over the whole horizon. Efficiency is the\n"
      "speed-up over one thread divided by the thread count.\n\n"
      "Examples:\n  credsim bench scenarios/ukraine.yaml --trials 200000\n"
      "  credsim bench scenarios/ukraine.yaml --precision 0.002");
  return bench;
}

namespace {

// Time to --precision H for each estimator, on 1 thread and on `cores`.
void print_time_to_precision(const BenchOptions& o, int cores) {
  std::printf("\ntime to a 95%% half-width <= %g on every headline probability (max %llu trials):\n", o.precision,
              static_cast<unsigned long long>(o.max_trials));
  std::printf("%12s %8s %12s %10s %20s  %s\n", "estimator", "threads", "trials", "seconds", "trial-options/s",
              "widest at the end");
  std::vector<int> threads = {1};
  if (cores > 1) threads.push_back(cores);
  for (const auto estimator : {model::Estimator::plain, model::Estimator::conditional}) {
    const auto model = model::make_model(model::load_scenario(o.scenario), {}, model::parse_model_kernel(o.model),
                                         estimator);
    const auto& layout = model->layout();
    for (const auto& p : sim::measure_time_to_precision(*model, o.precision, o.max_trials, threads)) {
      const std::string widest =
          p.reached ? std::to_string(p.widest.half_width) + " (" + layout.options[p.widest.option].name + ", " +
                          layout.options[p.widest.option].metrics[p.widest.metric].name + ")"
                    : "not reached within the cap";
      std::printf("%12s %8d %12llu %10.2f %20.4g  %s\n",
                  estimator == model::Estimator::plain ? "plain" : "conditional", p.threads,
                  static_cast<unsigned long long>(p.trials), p.seconds, p.trial_options_per_second, widest.c_str());
    }
  }
}

}  // namespace

int bench_command(const BenchOptions& o) {
  const auto model = model::make_model(model::load_scenario(o.scenario), {}, model::parse_model_kernel(o.model));
  const int cores = o.max_threads > 0 ? o.max_threads : tbb::info::default_concurrency();
  std::vector<int> threads;
  for (int t = 1; t < cores; t *= 2) threads.push_back(t);
  threads.push_back(cores);

  const auto& layout = model->layout();
  std::printf("credsim bench: %s (%s model), %zu options, horizon %d, %llu trials per measurement\n", o.scenario.c_str(), o.model.c_str(),
              layout.options.size(), layout.horizon, static_cast<unsigned long long>(o.trials));
  std::printf("%8s %10s %14s %20s %18s %11s\n", "threads", "seconds", "trials/s", "trial-options/s",
              "per core", "efficiency");
  const auto points = sim::measure_throughput(*model, o.trials, threads);
  for (const auto& p : points) {
    std::printf("%8d %10.3f %14.4g %20.4g %18.4g %10.0f%%\n", p.threads, p.seconds, p.trials_per_second,
                p.trial_options_per_second, p.per_core, 100.0 * p.efficiency);
  }
  // The sweep workload at the all-core rate, trials only:
  // scenarios/sweeps/speed_1000_points.yaml runs it for real, with each point's
  // scenario set-up and output (measured 68 s against an estimate of 54 s).
  const double sweep_minutes = 1000.0 * 10000.0 / points.back().trials_per_second / 60.0;
  std::printf("a sweep of 1,000 points x 10,000 trials of these options: ~%.1f min of trials on %d threads\n", sweep_minutes,
              points.back().threads);
  if (o.precision > 0.0) print_time_to_precision(o, cores);
  std::printf("peak memory: %.1f MiB\n", sim::peak_memory_mib());
  return kExitOk;
}

}  // namespace credsim::cli
