#pragma once
// One run at a time per output folder: two runs writing the same result files
// would lose one set or mix the two. The lock is flock() on the folder itself:
// it leaves no file behind and ends with the process, however that ends.
#include <filesystem>

namespace credsim::sim::io {

class OutputDirLock {
 public:
  // Locks `dir` (which must exist; see ensure_output_dir), then removes the
  // temp files that processes which have ended left in it. Throws OutputError
  // "output directory '<dir>' is in use by another credsim run" at once when
  // another process holds it.
  explicit OutputDirLock(const std::filesystem::path& dir);
  ~OutputDirLock();
  OutputDirLock(const OutputDirLock&) = delete;
  OutputDirLock& operator=(const OutputDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace credsim::sim::io
