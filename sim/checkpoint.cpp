#include "sim/checkpoint.hpp"

#include <bit>
#include <cinttypes>
#include <cstdio>
#include <sstream>
#include <vector>

#include "sim/errors.hpp"
#include "sim/hash.hpp"

namespace credsim::sim {
namespace {

// Format 4: each metric line also carries the ratio estimator's sums (format 3
// had none; format 2 had one survival curve per option).
constexpr std::string_view kMagicWord = "credsim-run-checkpoint";
constexpr std::string_view kFormat = "4";
// The last line: the sha256 of everything before it, so that a checkpoint
// edited or damaged after it was saved is refused, not resumed into a wrong result.
constexpr std::string_view kChecksum = "\nsha256: ";

// Doubles travel as their 64 bits in hex: exact, including -0 and subnormals.
std::string bits(double x) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, std::bit_cast<std::uint64_t>(x));
  return buf;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : in_(std::string(text)) {}

  std::string word(const char* what) {
    std::string w;
    if (!(in_ >> w)) fail(std::string("ends before ") + what);
    return w;
  }
  void expect(std::string_view w) {
    if (word(std::string(w).c_str()) != w) fail("expected '" + std::string(w) + "'");
  }
  std::uint64_t count(const char* what) {
    const std::string w = word(what);
    if (w.empty() || w.size() > 20 || w.find_first_not_of("0123456789") != std::string::npos)
      fail(std::string(what) + " is not a count");
    try {
      return std::stoull(w);
    } catch (const std::exception&) {
      fail(std::string(what) + " is out of range");
    }
  }
  double real(const char* what) {
    const std::string w = word(what);
    if (w.size() != 16 || w.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail(std::string(what) + " is not 16 hex digits");
    return std::bit_cast<double>(static_cast<std::uint64_t>(std::stoull(w, nullptr, 16)));
  }
  [[noreturn]] void fail(const std::string& why) { throw RunError("checkpoint is unreadable: " + why); }
  bool at_end() {
    std::string w;
    return !(in_ >> w);
  }

 private:
  std::istringstream in_;
};

}  // namespace

std::string layout_options(const OutcomeLayout& layout) {
  std::string names;
  for (const auto& o : layout.options) names += (names.empty() ? "" : ",") + o.name;
  // A tally of conditional probabilities must not be resumed as one of coins.
  for (const auto& o : layout.options)
    for (const auto& m : o.metrics)
      if (m.expected) return names + " (conditional estimator)";
  return names;
}

std::string checkpoint_text(const CheckpointKey& key, const Tally& tally, std::uint64_t next_block) {
  std::ostringstream out;
  out << kMagicWord << " " << kFormat << "\n"
      << "scenario_sha256: " << key.scenario_sha256 << "\n"
      << "seed: " << key.seed << "\n"
      << "trials: " << key.trials << "\n"
      << "precision: " << bits(key.precision) << "\n"
      << "max_trials: " << key.max_trials << "\n"
      << "options: " << key.options << "\n"
      << "version: " << key.version << "\n"
      << "next_block: " << next_block << "\n"
      << "tally_trials: " << tally.trials << "\n"
      << "shape: " << tally.metric.size() << "\n";
  for (std::size_t o = 0; o < tally.metric.size(); ++o) {
    const std::size_t horizon = tally.survival[o].empty() ? 0 : tally.survival[o][0].events.size();
    out << "option " << o << " " << tally.metric[o].size() << " " << tally.survival[o].size() << " " << horizon << " "
        << tally.paired[o].size() << "\n";
    for (const auto& m : tally.metric[o])
      out << "m " << m.proportion.n << " " << m.proportion.k << " " << m.moments.n << " " << bits(m.moments.mean)
          << " " << bits(m.moments.m2) << " " << m.weighted.n << " " << bits(m.weighted.weight) << " "
          << bits(m.weighted.weight_sq) << " " << bits(m.weighted.mean) << " " << bits(m.weighted.lin) << " "
          << bits(m.weighted.sq) << "\n";
    for (const Survival& sv : tally.survival[o]) {
      out << "s " << sv.at_risk;
      for (auto e : sv.events) out << " " << e;
      out << "\n";
    }
    for (const auto& m : tally.paired[o]) out << "p " << m.n << " " << bits(m.mean) << " " << bits(m.m2) << "\n";
  }
  out << "end\n";
  const std::string body = out.str();
  return body + std::string(kChecksum.substr(1)) + sha256_hex(body) + "\n";
}

Checkpoint parse_checkpoint(std::string_view text, const OutcomeLayout& layout) {
  const auto sum = text.rfind(kChecksum);
  if (sum == std::string_view::npos) throw RunError("checkpoint is unreadable: it has no checksum");
  const std::string_view body = text.substr(0, sum + 1);
  if (text.substr(sum + kChecksum.size()) != sha256_hex(body) + "\n")
    throw RunError("checkpoint is unreadable: its checksum does not match (edited or damaged)");
  Reader r(body);
  Checkpoint c;
  {
    const std::string first = r.word("the header");
    const std::string second = r.word("the header");
    if (first != kMagicWord) r.fail("not a credsim run checkpoint");
    if (second != kFormat)
      r.fail("it is in format " + second + ", from another credsim version (this one reads format " +
             std::string(kFormat) + ")");
  }
  r.expect("scenario_sha256:");
  c.key.scenario_sha256 = r.word("scenario_sha256");
  r.expect("seed:");
  c.key.seed = r.count("seed");
  r.expect("trials:");
  c.key.trials = r.count("trials");
  r.expect("precision:");
  c.key.precision = r.real("precision");
  r.expect("max_trials:");
  c.key.max_trials = r.count("max_trials");
  r.expect("options:");
  c.key.options = r.word("options");
  r.expect("version:");
  c.key.version = r.word("version");
  r.expect("next_block:");
  c.resume.next_block = r.count("next_block");

  Tally& t = c.resume.tally;
  t = Tally(layout);
  r.expect("tally_trials:");
  t.trials = r.count("tally_trials");
  r.expect("shape:");
  if (r.count("shape") != t.metric.size()) r.fail("it has another number of options");
  for (std::size_t o = 0; o < t.metric.size(); ++o) {
    r.expect("option");
    const std::size_t horizon = t.survival[o].empty() ? 0 : t.survival[o][0].events.size();
    if (r.count("option") != o || r.count("metrics") != t.metric[o].size() ||
        r.count("survival curves") != t.survival[o].size() || r.count("horizon") != horizon ||
        r.count("paired") != t.paired[o].size())
      r.fail("option " + std::to_string(o) + " has another shape");
    for (auto& m : t.metric[o]) {
      r.expect("m");
      m.proportion.n = r.count("n");
      m.proportion.k = r.count("k");
      m.moments.n = r.count("n");
      m.moments.mean = r.real("mean");
      m.moments.m2 = r.real("m2");
      m.weighted.n = r.count("n");
      m.weighted.weight = r.real("weight");
      m.weighted.weight_sq = r.real("weight_sq");
      m.weighted.mean = r.real("mean");
      m.weighted.lin = r.real("lin");
      m.weighted.sq = r.real("sq");
    }
    for (Survival& sv : t.survival[o]) {
      r.expect("s");
      sv.at_risk = r.count("at_risk");
      for (auto& e : sv.events) e = r.count("events");
    }
    for (auto& m : t.paired[o]) {
      r.expect("p");
      m.n = r.count("n");
      m.mean = r.real("mean");
      m.m2 = r.real("m2");
    }
  }
  r.expect("end");
  if (!r.at_end()) r.fail("text after 'end'");
  return c;
}

std::string checkpoint_mismatch(const CheckpointKey& saved, const CheckpointKey& wanted) {
  if (saved.version != wanted.version) return "the credsim version";
  if (saved.scenario_sha256 != wanted.scenario_sha256) return "the scenario (its sha256)";
  if (saved.seed != wanted.seed) return "the seed";
  if (saved.trials != wanted.trials) return "the trial count";
  if (std::bit_cast<std::uint64_t>(saved.precision) != std::bit_cast<std::uint64_t>(wanted.precision))
    return "the precision target";
  if (saved.max_trials != wanted.max_trials) return "--max-trials";
  if (saved.options != wanted.options) return "the options";
  return "";
}

}  // namespace credsim::sim
