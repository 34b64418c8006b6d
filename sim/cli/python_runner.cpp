#include "sim/cli/python_runner.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>

extern char** environ;

namespace credsim::cli {
namespace fs = std::filesystem;
namespace {

bool is_analysis_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "credsim_analysis" / "__init__.py", ec);
}

// The binary's folder and the two above it (build/<preset>/credsim, <prefix>/bin/credsim).
std::vector<fs::path> near_binary(const char* argv0_hint) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) self = fs::path(argv0_hint);
  const fs::path bin = self.parent_path();
  return {bin, bin.parent_path(), bin.parent_path().parent_path()};
}

}  // namespace

std::string python_interpreter() {
  // Not the first python3 on PATH: it may be one without numpy.
  if (const char* given = std::getenv("CREDSIM_PYTHON"); given != nullptr && *given != '\0') return given;
  return "/usr/bin/python3";
}

fs::path find_analysis_dir(const char* argv0_hint) {
  if (const char* given = std::getenv("CREDSIM_ANALYSIS_DIR"); given != nullptr && *given != '\0')
    return fs::path(given);
  std::vector<fs::path> candidates;
#ifdef CREDSIM_SOURCE_DIR
  candidates.emplace_back(fs::path(CREDSIM_SOURCE_DIR) / "analysis");
#endif
  for (const fs::path& up : near_binary(argv0_hint)) {
    candidates.push_back(up / "analysis");
    candidates.push_back(up / "share" / "credsim" / "analysis");
  }
  for (const fs::path& dir : candidates)
    if (is_analysis_dir(dir)) return dir;
  return {};
}

fs::path find_python_module_dir(const char* argv0_hint) {
  std::error_code ec;
  const fs::path dir = near_binary(argv0_hint).front() / "python";
  return fs::is_regular_file(dir / "credsim" / "__init__.py", ec) ? dir : fs::path();
}

int run_python(const std::vector<std::string>& argv, const std::vector<fs::path>& paths) {
  std::vector<std::string> env_strings;
  std::string pythonpath;
  for (const fs::path& p : paths) {
    if (p.empty()) continue;
    pythonpath += (pythonpath.empty() ? "" : ":") + p.string();
  }
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("PYTHONPATH=", 0) == 0) {
      if (entry.size() > 11) pythonpath += (pythonpath.empty() ? "" : ":") + entry.substr(11);
    } else if (entry.rfind("MPLBACKEND=", 0) != 0) {
      env_strings.push_back(entry);
    }
  }
  env_strings.push_back("PYTHONPATH=" + pythonpath);
  env_strings.push_back("MPLBACKEND=Agg");
  std::vector<char*> env;
  for (std::string& s : env_strings) env.push_back(s.data());
  env.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (std::string& s : args) cargs.push_back(s.data());
  cargs.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, cargs[0], nullptr, nullptr, cargs.data(), env.data()) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace credsim::cli
