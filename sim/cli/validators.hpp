#pragma once
// Checks of command-line values, with messages that say what is allowed.
// They run on the text, before CLI11 converts it, so "-1" for a count is
// refused rather than wrapped around.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace credsim::cli {

// A whole number in [low, high].
CLI::Validator whole_number(std::uint64_t low, std::uint64_t high);
// A number in the open interval (low, high).
CLI::Validator open_interval(double low, double high);

// Options several commands share, with one wording and one check.
CLI::Option* add_seed_option(CLI::App& command, std::uint64_t& seed);
CLI::Option* add_threads_option(CLI::App& command, int& threads);

// --options A,B,...: "a, b,,c" -> {"a", "b", "c"} (empty names dropped).
std::vector<std::string> split_names(const std::string& list);

}  // namespace credsim::cli
