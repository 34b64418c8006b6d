#include "sim/io/output_dir_lock.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "sim/errors.hpp"

namespace credsim::sim::io {
namespace fs = std::filesystem;
namespace {

// The pid in "<name>.tmp.<pid>" or ".credsim-probe.<pid>", or 0.
pid_t temp_file_owner(const std::string& name) {
  for (const std::string marker : {".tmp.", ".credsim-probe."}) {
    const auto at = name.rfind(marker);
    if (at == std::string::npos) continue;
    const std::string digits = name.substr(at + marker.size());
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    return static_cast<pid_t>(std::stol(digits));
  }
  return 0;
}

bool has_ended(pid_t pid) { return pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH; }

// A run killed while writing (SIGKILL, a second Ctrl-C, a crash) leaves its
// temp files; with the folder locked, those of ended processes are garbage.
void remove_temp_files_of_ended_processes(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const pid_t owner = temp_file_owner(entry.path().filename().string());
    if (owner > 0 && has_ended(owner) && entry.is_regular_file(ec)) fs::remove(entry.path(), ec);
  }
}

}  // namespace

OutputDirLock::OutputDirLock(const fs::path& dir) {
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw OutputError("cannot write to output directory '" + dir.string() + "': " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    if (err == EWOULDBLOCK)
      throw OutputError("output directory '" + dir.string() +
                        "' is in use by another credsim run; wait for it to end or give another --out");
    throw OutputError("cannot lock output directory '" + dir.string() + "': " + std::strerror(err));
  }
  remove_temp_files_of_ended_processes(dir);
}

OutputDirLock::~OutputDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace credsim::sim::io
