// The bad-input corpus: every file in tests/bad_inputs/ (scenarios) and in
// tests/bad_inputs/sweeps/ (sweep files) must be rejected with a ScenarioError
// that names the file, a line and a column, and says what is wrong.
//
// Each file starts with
//   # expect: <a substring of the message>
// and may add
//   # at: LINE:COL
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "loader_test_support.hpp"
#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"
#include "sim/io/yaml_json.hpp"
#include "sim/sweep_file.hpp"

namespace credsim {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = test::source_dir() / "tests" / "bad_inputs";
const fs::path kSweepCorpus = kCorpus / "sweeps";

std::vector<std::string> corpus_files(const fs::path& folder = kCorpus) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Expectation {
  std::string message;   // from "# expect:"
  std::string location;  // from "# at:", e.g. "12:5" ("" if not given)
};

// Reads the header by lines, so that a file with invalid bytes further on still has one.
Expectation expectation(const fs::path& file) {
  Expectation e;
  std::ifstream in(file, std::ios::binary);
  std::string line;
  for (int i = 0; i < 3 && std::getline(in, line); ++i) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("# expect: ", 0) == 0) e.message = line.substr(10);
    if (line.rfind("# at: ", 0) == 0) e.location = line.substr(6);
  }
  return e;
}

class BadInputFile : public ::testing::TestWithParam<std::string> {
 protected:
  test::ScopedSeeds seeds_;
};

void expect_rejected_with_location_and_reason(const fs::path& file, const std::function<void()>& load) {
  const Expectation expected = expectation(file);
  ASSERT_FALSE(expected.message.empty()) << file << " lacks a '# expect: ...' first line";
  try {
    load();
    FAIL() << file << " was accepted";
  } catch (const sim::ScenarioError& e) {
    const std::string what = e.what();
    const std::string prefix = file.string() + ":";
    ASSERT_EQ(what.rfind(prefix, 0), 0u) << what;
    std::smatch m;
    const std::string rest = what.substr(prefix.size());
    ASSERT_TRUE(std::regex_search(rest, m, std::regex("^([0-9]+):([0-9]+): "))) << what;
    EXPECT_GE(std::stoi(m[1]), 1) << what;
    EXPECT_GE(std::stoi(m[2]), 1) << what;
    EXPECT_EQ(e.where().line, std::stoi(m[1]));
    EXPECT_NE(what.find(expected.message), std::string::npos) << "expected: " << expected.message << "\n     got: " << what;
    if (!expected.location.empty()) {
      EXPECT_EQ(m[1].str() + ":" + m[2].str(), expected.location) << what;
    }
  } catch (const std::exception& e) {
    FAIL() << file << " threw " << typeid(e).name() << " instead of ScenarioError: " << e.what();
  }
}

TEST_P(BadInputFile, IsRejectedWithLocationAndReason) {
  const fs::path file = kCorpus / GetParam();
  expect_rejected_with_location_and_reason(file, [&] { model::load_scenario(file.string()); });
}

class BadSweepFile : public ::testing::TestWithParam<std::string> {};

TEST_P(BadSweepFile, IsRejectedWithLocationAndReason) {
  const fs::path file = kSweepCorpus / GetParam();
  expect_rejected_with_location_and_reason(file, [&] { sim::read_sweep_file(file.string()); });
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(BadInputCorpus, BadInputFile, ::testing::ValuesIn(corpus_files()), test_name);
INSTANTIATE_TEST_SUITE_P(BadSweepCorpus, BadSweepFile, ::testing::ValuesIn(corpus_files(kSweepCorpus)), test_name);

TEST(BadInputCorpus, HasAtLeastSixtyFiles) { EXPECT_GE(corpus_files().size(), 60u); }

// Inputs too big to keep in the repository, generated here.

std::string expect_rejected(const fs::path& file) {
  try {
    model::load_scenario(file.string());
  } catch (const sim::ScenarioError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(BadInputGenerated, FileLargerThan16MiB) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "huge.yaml";
  {
    std::ofstream out(file, std::ios::binary);
    const std::string line = "# padding padding padding padding padding padding padding padding padding\n";
    std::size_t written = 0;
    out << "credsim: 1\n";
    while (written <= (std::size_t{16} << 20)) {
      out << line;
      written += line.size();
    }
  }
  const std::string e = expect_rejected(file);
  EXPECT_EQ(e, file.string() + ":1:1: file is " + std::to_string(fs::file_size(file)) +
                   " bytes, but must be at most 16 MiB");
}

TEST(BadInputGenerated, DeeplyNestedMaps) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "deep.yaml";
  std::string text = "credsim: 1\nname: deep\ndescription:\n";
  std::string indent = "  ";
  for (int i = 0; i < 200; ++i, indent += "  ") text += indent + "a:\n";
  text += indent + "x\n";
  test::write_text(file, text);
  const std::string e = expect_rejected(file);
  EXPECT_NE(e.find("nesting is more than 64 levels deep"), std::string::npos) << e;
  EXPECT_EQ(e.rfind(file.string() + ":", 0), 0u) << e;
}

TEST(BadInputGenerated, DeeplyNestedFlowLists) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "deep_flow.yaml";
  test::write_text(file, "credsim: 1\nname: " + std::string(500000, '[') + std::string(500000, ']') + "\n");
  const std::string e = expect_rejected(file);
  EXPECT_NE(e.find("nesting is more than 64 levels deep"), std::string::npos) << e;
}

TEST(BadInputGenerated, LongAliasChain) {
  const test::TempDir dir;
  const fs::path file = dir.path() / "laughs.yaml";
  // 30 levels of doubling: 2^30 nodes once expanded.
  std::string text = "credsim: 1\nl0: &l0 [lol, lol]\n";
  for (int i = 1; i <= 30; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [" + prev + ", " + prev + "]\n";
  }
  test::write_text(file, text);
  const std::string e = expect_rejected(file);
  EXPECT_NE(e.find("more than 1000000 nodes"), std::string::npos) << e;
}

// Issue 18, item 8: input files are read whole, so a FIFO blocked for ever and
// /dev/zero grew until the size cap (sweep files: without end). Their type is
// checked before they are opened.
TEST(BadInputGenerated, ScenarioAndSweepFilesMustBeRegularFiles) {
  const test::TempDir dir;
  const fs::path fifo = dir.path() / "fifo.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {fifo.string(), "is a FIFO (named pipe), but must be a regular file"},
      {"/dev/zero", "is a device, but must be a regular file"},
      {dir.path().string(), "is a directory, but must be a regular file"},
  };
  for (const auto& [file, why] : cases) {
    EXPECT_EQ(expect_rejected(file), file + ":1:1: " + why);
    try {
      sim::read_sweep_file(file);
      ADD_FAILURE() << file << " accepted";
    } catch (const sim::ScenarioError& e) {
      EXPECT_EQ(std::string(e.what()), file + ":1:1: " + why);
    }
    try {
      sim::io::yaml_file_to_json(file);  // Python's credsim.Scenario reads with it
      ADD_FAILURE() << file << " accepted";
    } catch (const sim::ScenarioError& e) {
      EXPECT_EQ(std::string(e.what()), file + ":1:1: " + why);
    }
  }
}

// Issue 18, item 13: "cannot open the file" says why.
TEST(BadInputGenerated, MissingFileSaysWhy) {
  const test::TempDir dir;
  const std::string file = (dir.path() / "nope.yaml").string();
  EXPECT_EQ(expect_rejected(file), file + ": cannot open the file: No such file or directory");
}

std::string scenario_with_presets(const std::string& presets) {
  std::string text = test::read_text(test::source_dir() / "tests" / "data" / "valid" / "minimal.yaml");
  return text.replace(text.find("horizon:"), 0, "presets: " + presets + "\n");
}

// Issue 18, item 8: a presets FIFO was "does not exist"; now the type, at the presets line.
TEST(BadInputGenerated, PresetsFileThatIsAFifoIsNamedAtItsLine) {
  test::ScopedSeeds seeds;
  const test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "presets.fifo").c_str(), 0600), 0);
  test::write_text(dir.path() / "s.yaml", scenario_with_presets("presets.fifo"));
  EXPECT_EQ(expect_rejected(dir.path() / "s.yaml"),
            (dir.path() / "s.yaml").string() + ":5:10: presets: " + (dir.path() / "presets.fifo").string() +
                " is a FIFO (named pipe), but must be a regular file");
}

// Issue 18, item 13: `presets: /etc/passwd` printed the file's first line.
TEST(BadInputGenerated, APresetsFileThatIsNotYamlIsNotEchoed) {
  test::ScopedSeeds seeds;
  const test::TempDir dir;
  test::write_text(dir.path() / "secret.txt", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin\n");
  test::write_text(dir.path() / "s.yaml", scenario_with_presets("secret.txt"));
  const std::string e = expect_rejected(dir.path() / "s.yaml");
  EXPECT_EQ(e.find("root:x"), std::string::npos) << e;
  EXPECT_NE(e.find("secret.txt:1:1: the file's top level is text, but must be a map"), std::string::npos) << e;
}

}  // namespace
}  // namespace credsim
