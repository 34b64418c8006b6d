// Whole-run benchmark: sim::run on the fixed workloads, with both kernels of the
// model (opportunities by their gaps, "fast", and one draw per month,
// "reference"), one thread and every core; prints trial-options per second,
// per core, the scaling efficiency and the peak memory (models/PERFORMANCE.md).
//
//   credsim_bench_run [--seconds S] [--case NAME] [--no-reference]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "models/bench_cases.hpp"
#include "models/credibility_model.hpp"
#include "models/scenario_loader.hpp"
#include "sim/runner.hpp"
#include "sim/throughput.hpp"

namespace {

using namespace credsim;

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

// Trials for about `seconds` of one-thread work, from a short pilot run.
std::uint64_t trials_for(const sim::TrialModel& m, double seconds) {
  sim::RunConfig config;
  config.threads = 1;
  config.trials = 1024;
  const auto start = std::chrono::steady_clock::now();
  sim::run(m, config);
  const double pilot = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double n = 1024.0 * seconds / std::max(pilot, 1e-6);
  return std::max<std::uint64_t>(1024, static_cast<std::uint64_t>(n) / 1024 * 1024);
}

void print_points(const std::string& name, const char* model, const std::vector<sim::ThroughputPoint>& points) {
  for (const auto& p : points)
    std::printf("%-14s %-10s %7d %10llu %14.0f %14.0f %9.2f %9.1f\n", name.c_str(), model, p.threads,
                static_cast<unsigned long long>(p.trials), p.trial_options_per_second, p.per_core, p.efficiency,
                sim::peak_memory_mib());
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;
  std::string only;
  bool reference = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::stod(argv[++i]);
    else if (!std::strcmp(argv[i], "--case") && i + 1 < argc) only = argv[++i];
    else if (!std::strcmp(argv[i], "--no-reference")) reference = false;
    else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--case NAME] [--no-reference]\n", argv[0]);
      return 2;
    }
  }

  std::unique_ptr<model::Scenario> ukraine;
  try {
    ukraine = std::make_unique<model::Scenario>(model::load_scenario(CREDSIM_SOURCE_DIR "/scenarios/ukraine.yaml"));
  } catch (const std::exception& e) {
    std::printf("scenarios/ukraine.yaml not used: %s\n", e.what());
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<int> threads{1};
  if (cores > 1) threads.push_back(cores);

  std::printf("load average at start: %s; %d cores\n", load_average().c_str(), cores);
  std::printf("%-14s %-10s %7s %10s %14s %14s %9s %9s\n", "case", "model", "threads", "trials", "trial-opt/s",
              "per core", "scaling", "peak MiB");
  for (const auto& c : model::bench_cases(ukraine.get())) {
    if (!only.empty() && c.name != only) continue;
    const model::CredibilityModel fast(c.scenario, {}, {model::OpportunitySampler::gaps});
    double ref_rate = 0.0;
    if (reference) {
      const model::CredibilityModel ref(c.scenario, {}, {model::OpportunitySampler::per_period});
      const auto points = sim::measure_throughput(ref, trials_for(ref, seconds / 2), threads);
      print_points(c.name, "reference", points);
      ref_rate = points.front().per_core;
    }
    const auto points = sim::measure_throughput(fast, trials_for(fast, seconds), threads);
    print_points(c.name, "fast", points);
    if (ref_rate > 0.0) {
      std::printf("%-14s fast/reference speed %.2fx\n", c.name.c_str(), points.front().per_core / ref_rate);
    }
  }
  std::printf("load average at end: %s\n", load_average().c_str());
  return 0;
}
