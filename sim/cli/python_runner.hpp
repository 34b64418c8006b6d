#pragma once
// Running a module of the Python analysis package (credsim_analysis) from the
// CLI: `credsim report` and `credsim backtest --cv` hand their work to it.
#include <filesystem>
#include <string>
#include <vector>

namespace credsim::cli {

// Debian's interpreter (it has numpy, scipy, pandas, matplotlib), or CREDSIM_PYTHON.
std::string python_interpreter();

// The folder that holds the credsim_analysis package: CREDSIM_ANALYSIS_DIR, the
// source tree this binary was built from, or next to the binary; empty if none.
std::filesystem::path find_analysis_dir(const char* argv0_hint);

// The folder that holds the compiled credsim module next to this binary
// (<build>/python in a build tree); empty if there is none.
std::filesystem::path find_python_module_dir(const char* argv0_hint);

// Runs `argv` with PYTHONPATH=<paths...>[:$PYTHONPATH] and MPLBACKEND=Agg; returns
// its exit status, or -1 if it could not start.
int run_python(const std::vector<std::string>& argv, const std::vector<std::filesystem::path>& paths);

}  // namespace credsim::cli
