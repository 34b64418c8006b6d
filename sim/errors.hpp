#pragma once
// Typed errors. The library throws; only the CLI turns them into exit codes and
// the Python module into exceptions. Nothing in the library calls exit().
#include <stdexcept>
#include <string>
#include <vector>

namespace credsim::sim {

// A parameter outside its domain. Message format (one for the whole project):
//   "<where>: <name> is <value>, but must be <rule>"
class DomainError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Where a value came from in a scenario file: 1-based line and column.
struct SourceLocation {
  std::string file;
  int line = 0;    // 0 = unknown
  int column = 0;
  std::string str() const {
    return line > 0 ? file + ":" + std::to_string(line) + ":" + std::to_string(column) : file;
  }
};

// An error in a scenario, sweep or preset file. what() is the full message:
//   "ukraine.yaml:42:7: guarantors.usa.resolve: beta distribution needs a > 0, got -1"
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(SourceLocation where, std::string key_path, std::string message)
      : std::runtime_error(where.str() + ": " + (key_path.empty() ? "" : key_path + ": ") + message),
        where_(std::move(where)),
        key_path_(std::move(key_path)),
        message_(std::move(message)) {}
  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::string message_;
};

// Several errors found in one file; what() and where() are the first's.
// credsim validate lists them all.
class ScenarioErrors : public ScenarioError {
 public:
  explicit ScenarioErrors(std::vector<ScenarioError> all) : ScenarioError(all.at(0)), all_(std::move(all)) {}
  const std::vector<ScenarioError>& all() const { return all_; }

 private:
  std::vector<ScenarioError> all_;
};

// A run that cannot be done as asked (bad trial count, precision not reached within the cap, ...).
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Output that cannot be written (unwritable directory, full disk).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user asked to stop (Ctrl-C).
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("stopped by the user") {}
};

}  // namespace credsim::sim
