#pragma once
// Helpers for the loader tests: temporary folders, file I/O, and a seed folder
// under the tests' control (so they do not depend on where the checkout is).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "temp_dir.hpp"

namespace credsim::test {

inline std::filesystem::path source_dir() { return CREDSIM_SOURCE_DIR; }

// Sets (or clears) an environment variable for the lifetime of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (previous_) {
      setenv(name_, previous_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> previous_;
};

// A seed folder with (empty) files named like shared/seeds, pointed to by
// CREDSIM_SEEDS_DIR.
class ScopedSeeds {
 public:
  ScopedSeeds() : env_("CREDSIM_SEEDS_DIR", (dir_.path()).string()) {
    for (const char* name : {"000_1fb50c40c82b8689.txt", "001_6b6452025307da6b.txt", "002_537cde15b9f0378c.txt",
                             "003_1cf98d323bea74a8.txt", "004_81443facbc3c5e9a.txt"}) {
      write_text(dir_.path() / name, "");
    }
  }
  const std::filesystem::path& path() const { return dir_.path(); }

 private:
  TempDir dir_;
  ScopedEnv env_;
};

}  // namespace credsim::test
