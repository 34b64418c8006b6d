#pragma once
// Checkpoints of a run, so that a run killed part-way (Ctrl-C, SIGKILL, a
// crash of the machine) and started again resumes where it stopped and ends
// byte-identical to an uninterrupted run.
//
// A checkpoint holds the exact tally of the first `next_block` blocks (counts
// as integers, doubles as their raw bits) and the request it belongs to; a
// run resumes from it only when the request is the same in every respect
// that can change a number.
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/runner.hpp"
#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim {

// What must be equal for a checkpoint to be resumed.
struct CheckpointKey {
  std::string scenario_sha256;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;       // fixed count, or 0 in precision mode
  double precision = 0.0;
  std::uint64_t max_trials = 0;   // precision mode's cap
  std::string options;            // the layout's option names, comma-separated, in order
  std::string version;
};

// The option names of a layout, as CheckpointKey::options wants them.
std::string layout_options(const OutcomeLayout& layout);

// The checkpoint file's text (line-oriented, ends with "end").
std::string checkpoint_text(const CheckpointKey& key, const Tally& tally, std::uint64_t next_block);

struct Checkpoint {
  CheckpointKey key;
  ResumePoint resume;
};

// Parses checkpoint_text() output against `layout` (the tally must have its
// shape). Throws RunError saying what is wrong with a malformed or truncated text.
Checkpoint parse_checkpoint(std::string_view text, const OutcomeLayout& layout);

// "" when `saved` is for the same request as `wanted`, else what differs ("the seed").
std::string checkpoint_mismatch(const CheckpointKey& saved, const CheckpointKey& wanted);

}  // namespace credsim::sim
