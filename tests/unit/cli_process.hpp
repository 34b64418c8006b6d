#pragma once
// Runs the real credsim command (CREDSIM_CLI) as a child process, with its
// stdout and stderr going to files, for tests that kill or wait for it.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

extern char** environ;

namespace credsim::test {

struct CliResult {
  int code = -1;    // exit code, or -1 when killed by a signal
  int signal = 0;   // the signal that ended it, if any
  std::string out;
  std::string err;
};

class CliProcess {
 public:
  // Starts `credsim <args>`; stdout and stderr go to <log_dir>/<name>.out and .err.
  CliProcess(const std::vector<std::string>& args, const std::filesystem::path& log_dir, const std::string& name)
      : out_(log_dir / (name + ".out")), err_(log_dir / (name + ".err")) {
    std::vector<std::string> all = {CREDSIM_CLI};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, all[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + all[0]);
  }
  ~CliProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  void send(int sig) const { ::kill(pid_, sig); }
  bool running() const {
    int status = 0;
    return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
  }
  CliResult wait() {
    CliResult r;
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) {
      if (WIFEXITED(status)) r.code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    }
    pid_ = -1;
    r.out = read_text(out_);
    r.err = read_text(err_);
    return r;
  }

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_, err_;
};

inline CliResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& log_dir,
                         const std::string& name = "cli") {
  CliProcess p(args, log_dir, name);
  return p.wait();
}

// Polls `condition` every 10 ms until it holds or `limit` passes.
template <class F>
bool wait_for(F condition, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace credsim::test
