// libFuzzer target: the scenario loader and validator on arbitrary bytes.
//
// A sim::ScenarioError is the expected answer to a bad file; anything else
// (another exception, a crash, a sanitizer report, a hang, runaway memory) is
// a finding. Every input that ever failed goes into tests/fuzz/regressions/,
// which the ordinary test suite replays (tests/unit/test_fuzz_regressions.cpp).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "models/scenario_loader.hpp"
#include "sim/errors.hpp"

namespace {

// Relative preset paths in the corpus (`../data/valid/instruments.yaml`,
// `instruments.yaml`) resolve from here, so the fuzzer reaches the preset code.
const std::string kBaseDir = CREDSIM_SOURCE_DIR "/tests/bad_inputs";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)credsim::model::load_scenario_text(text, "fuzz.yaml", kBaseDir);
  } catch (const credsim::sim::ScenarioError&) {
    // A located, explained rejection: what the loader must do.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: unexpected %s exception: %s\n", typeid(e).name(), e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz: unexpected non-standard exception\n");
    std::abort();
  }
  return 0;
}
