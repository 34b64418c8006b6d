#include "sim/cli/worlds_command.hpp"

#include <iostream>
#include <optional>

#include "models/model_factory.hpp"
#include "sim/cli/exit_codes.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/progress_bar.hpp"
#include "sim/cli/validators.hpp"
#include "sim/distributed_run.hpp"
#include "sim/io/output_dir_lock.hpp"
#include "sim/io/output_files.hpp"
#include "sim/io/worlds_output.hpp"
#include "sim/report.hpp"
#include "sim/resource_limits.hpp"
#include "sim/worlds.hpp"
#ifdef CREDSIM_WITH_MPI
#include "sim/mpi/mpi_comm.hpp"
#endif

namespace credsim::cli {
namespace fs = std::filesystem;

int run_worlds_command(const RunOptions& o, model::Scenario scenario, sim::RunInfo info, const fs::path& out_dir) {
  const auto worlds = model::make_world_models(std::move(scenario), split_names(o.options));

  sim::WorldsConfig config;
  config.seed = o.seed;
  config.worlds = o.worlds;
  config.trials_per_world = o.trials ? o.trials : kDefaultTrialsPerWorld;
  config.threads = o.threads;
  info.worlds = config.worlds;
  info.trials_per_world = config.trials_per_world;

#ifdef CREDSIM_WITH_MPI
  sim::mpi::MpiComm comm;
#else
  sim::PointComm comm;
#endif
  const bool distributed = comm.size() > 1;
  const bool root = comm.rank() == 0;
  if (distributed) {
    config.run_world = [&comm](const sim::TrialModel& m, const sim::RunConfig& c) {
      return sim::run_over_ranks(m, c, comm);
    };
  }

  const std::uint64_t max_memory =
      o.max_memory.empty() ? sim::default_memory_limit() : sim::parse_byte_size(o.max_memory);
  sim::io::ensure_output_dir(out_dir);
  std::optional<sim::io::OutputDirLock> lock;
  if (root) lock.emplace(out_dir);
  const auto probe = worlds->world_model(config.seed, 0, config.trials_per_world);
  sim::check_resources(probe->layout(), {config.trials_per_world, false, config.threads, false, max_memory, out_dir});

  InterruptGuard interrupt;
  config.cancel = &interrupt.flag();
  sim::WorldsResult result;
  {
    ProgressBar bar(root && !o.quiet && ProgressBar::stderr_is_terminal(), 0.0);
    config.progress = [&bar](std::uint64_t done, std::uint64_t target) { bar.update(done, target); };
    try {
      result = sim::run_worlds(*worlds, config);
    } catch (const sim::Cancelled&) {
      bar.clear();
      std::cerr << "stopped; a --worlds run is not resumable: the same command starts it over\n";
      throw;
    }
  }
  if (!root) return kExitOk;
  info.trials = result.pooled.trials;

  if (!o.quiet) {
    std::cout << sim::format_report(result.layout, result.pooled, info)
              << sim::io::format_worlds_report(result, info) << std::flush;
  }
  sim::io::ResultSet files(out_dir);
  sim::io::add_summary_files(files, result.layout, result.pooled, info);
  sim::io::add_worlds_files(files, result, info);
  const std::vector<fs::path> written = files.commit();
  if (!o.quiet) {
    std::cout << "\nWrote";
    for (const auto& f : written) std::cout << ' ' << f.filename().string();
    std::cout << "\n   to " << out_dir.string() << "/\n";
    if (distributed) std::cout << "(computed on " << comm.size() << " MPI ranks)\n";
  }
  return kExitOk;
}

}  // namespace credsim::cli
