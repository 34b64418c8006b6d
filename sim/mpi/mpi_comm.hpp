#pragma once
// Design points over MPI ranks (compiled only with CREDSIM_WITH_MPI). Rank 0
// owns the journal and the output files; every rank runs its share of each
// batch of points and rank 0 gathers the encoded results and journals them in
// point order, so the files are bitwise those of one process.
//
// MPI is initialised only when the process was started by mpirun/srun (its
// environment says so): a plain `credsim sweep` never pays for MPI start-up.
#include <string>
#include <vector>

#include "sim/sweep.hpp"

namespace credsim::sim::mpi {

class MpiComm : public PointComm {
 public:
  MpiComm();   // MPI_Init when launched by mpirun; else a single rank
  ~MpiComm() override;  // MPI_Finalize if it initialised
  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::string> gather(const std::vector<std::string>& mine) override;
  void broadcast(std::string& text) override;

 private:
  bool initialised_ = false;
  int rank_ = 0;
  int size_ = 1;
};

// True when the environment shows a launch by mpirun, srun or another PMI launcher.
bool launched_by_mpi();

}  // namespace credsim::sim::mpi
