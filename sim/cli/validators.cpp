#include "sim/cli/validators.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace credsim::cli {
namespace {

std::string show(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

CLI::Validator whole_number(std::uint64_t low, std::uint64_t high) {
  const std::string rule = "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto r = std::from_chars(text.data(), end, value);
        if (text.empty() || r.ec != std::errc() || r.ptr != end || value < low || value > high)
          return "is '" + text + "', but must be " + rule;
        return {};
      },
      "", "whole_number");
}

CLI::Validator open_interval(double low, double high) {
  const std::string rule = "a number greater than " + show(low) + " and less than " + show(high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || !(value > low) ||
            !(value < high))
          return "is '" + text + "', but must be " + rule;
        return {};
      },
      "", "open_interval");
}

CLI::Option* add_seed_option(CLI::App& command, std::uint64_t& seed) {
  return command.add_option("-s,--seed", seed, "Master seed: the same seed, the same numbers")
      ->type_name("S")
      ->check(whole_number(0, UINT64_MAX))
      ->capture_default_str();
}

CLI::Option* add_threads_option(CLI::App& command, int& threads) {
  return command.add_option("-t,--threads", threads, "Worker threads, 0 = all cores; the numbers do not depend on it")
      ->type_name("T")
      ->check(whole_number(0, 4096))
      ->capture_default_str();
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::string name;
  for (char c : list + ",") {
    if (c != ',') {
      if (c != ' ') name += c;
      continue;
    }
    if (!name.empty()) names.push_back(name);
    name.clear();
  }
  return names;
}

}  // namespace credsim::cli
