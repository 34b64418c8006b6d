#pragma once
// sim::run over processes (MPI ranks, through a PointComm): rank r runs the
// blocks b with b % ranks == r on its threads; rank 0 gathers every block's
// tally and merges them strictly in block order, so the result is bitwise
// that of sim::run in one process. Fixed trial counts only (the precision
// mode decides after each block, which would need a round trip per block).
// `credsim run` calls it when started by mpirun (sim/cli/run_command.cpp).
#include "sim/runner.hpp"
#include "sim/sweep.hpp"

namespace credsim::sim {

// Collective. Returns the full result on rank 0 and an empty Tally elsewhere.
// Throws RunError for the precision mode or a trial sink (per-trial rows stay on one process).
RunResult run_over_ranks(const TrialModel& model, const RunConfig& config, PointComm& comm);

}  // namespace credsim::sim
