#pragma once
// Exit codes of the credsim command (documented in `credsim --help`).
namespace credsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;    // validate: some file is invalid
inline constexpr int kExitInput = 2;      // bad scenario, option or run request
inline constexpr int kExitOutput = 3;     // results could not be written
inline constexpr int kExitReport = 4;     // report: the run is written, the brief could not be
inline constexpr int kExitInternal = 70;  // a bug (EX_SOFTWARE)
inline constexpr int kExitCancelled = 130;  // Ctrl-C (128 + SIGINT)

}  // namespace credsim::cli
