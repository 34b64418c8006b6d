// Replays every input the fuzzer ever found a problem with (tests/fuzz/regressions/):
// each must now load or be rejected with a clean ScenarioError, never crash,
// hang or throw anything else. The fuzz target itself (tests/fuzz/) needs clang;
// this keeps its findings covered in every build.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loader_test_support.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;

TEST(FuzzRegressions, EveryFindingLoadsOrIsRejectedCleanly) {
  test::ScopedSeeds seeds;
  const fs::path dir = test::source_dir() / "tests" / "fuzz" / "regressions";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  // Same base folder as the fuzz target, so presets resolve the same way.
  const std::string base_dir = (test::source_dir() / "tests" / "bad_inputs").string();
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    try {
      (void)model::load_scenario_text(bytes.str(), "fuzz.yaml", base_dir);
    } catch (const sim::ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find("fuzz.yaml"), std::string::npos) << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a ScenarioError: " << e.what();
    }
  }
}

}  // namespace
}  // namespace credsim
