#pragma once
// Strict, model-agnostic reading of YAML input files (scenarios, presets, sweeps).
//
// yaml-cpp parses; we build our own small tree from its events so that we can
// reject what yaml-cpp accepts silently (duplicate keys, recursive aliases,
// alias bombs, deep nesting) and keep a location for every node and key. A
// `Node` is a cursor into that tree carrying its key path
// (`guarantors.usa.resolve`); every read checks its type and range and throws
// sim::ScenarioError as "<file>:<line>:<col>: <key path>: <found>, but must be <rule>".
#include <cstddef>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/errors.hpp"

namespace credsim::sim::io {

// Limits that keep a hostile or broken file from hanging or exhausting memory.
inline constexpr std::size_t kMaxFileBytes = std::size_t{16} << 20;  // 16 MiB
inline constexpr int kMaxNesting = 64;                               // maps/lists inside each other
inline constexpr std::size_t kMaxNodes = 1'000'000;                  // counting alias expansions

namespace detail {
struct RawNode;
struct DocumentData;
}  // namespace detail

// The folder of seed articles that `source: {seed: ...}` must name.
class SeedCatalog {
 public:
  SeedCatalog() = default;  // no folder: seeds are checked for their form only
  // Lists `folder`; a folder that does not exist makes every lookup an error.
  explicit SeedCatalog(std::filesystem::path folder);

  // $CREDSIM_SEEDS_DIR if set, else the first `shared/seeds` folder found walking
  // up from `start_dir`, else no folder (docs/scenario-format.md, Provenance).
  static SeedCatalog locate(const std::filesystem::path& start_dir);

  bool has_folder() const { return !folder_.empty(); }
  const std::filesystem::path& folder() const { return folder_; }
  // Full file name for a full name or a 3-digit prefix ("002"). Without a
  // folder, returns `name` once it has the 3-digit form. Empty when unknown;
  // `why` then says what is wrong.
  std::string resolve(const std::string& name, std::string& why) const;

 private:
  std::filesystem::path folder_;
  bool folder_ok_ = false;
  std::vector<std::string> files_;
};

// An interval for a numeric field, with its rule as written in messages.
struct Range {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool low_open = false;
  bool high_open = false;
  std::string why;  // optional reason appended to the rule

  static Range finite() { return {}; }
  static Range at_least(double low) { return {low, std::numeric_limits<double>::infinity(), false, false, {}}; }
  static Range above(double low) { return {low, std::numeric_limits<double>::infinity(), true, false, {}}; }
  static Range closed(double low, double high) { return {low, high, false, false, {}}; }
  static Range open(double low, double high) { return {low, high, true, true, {}}; }
  static Range unit() { return closed(0.0, 1.0); }
  Range because(std::string reason) const;

  bool contains(double x) const;
  // "a finite number", "≥ 0", "> 0", "in [0, 1]", "in (-1, 1)" (+ " (why)")
  std::string rule() const;
};

// A cursor into a parsed document: a node, the file it is in and its key path.
struct MapEntry;

class Node {
 public:
  enum class Kind { null, scalar, sequence, map };

  Kind kind() const;
  bool is_null() const { return kind() == Kind::null; }
  bool is_scalar() const { return kind() == Kind::scalar; }
  bool is_sequence() const { return kind() == Kind::sequence; }
  bool is_map() const { return kind() == Kind::map; }

  const std::string& path() const { return path_; }
  SourceLocation location() const;
  const std::string& file() const;
  const SeedCatalog& seeds() const;
  // The same node under another key path, e.g. a list item named by its key.
  Node with_path(std::string path) const;
  // Key path of a child: "a.b" + "c" -> "a.b.c".
  std::string child_path(std::string_view key) const;

  // Maps. Keys keep their file order.
  const Node& expect_map() const;
  bool has(std::string_view key) const;
  Node required(std::string_view key) const;
  std::optional<Node> optional(std::string_view key) const;
  std::vector<MapEntry> entries() const;
  SourceLocation key_location(std::string_view key) const;
  // Unknown keys are errors, with a "did you mean" hint: a typo must not
  // silently fall back to a default.
  void check_keys(const std::vector<std::string_view>& allowed) const;

  // Sequences; items are named "<path>[i]".
  const Node& expect_sequence() const;
  std::vector<Node> items() const;
  std::size_t size() const;  // items or entries

  // Scalars.
  const Node& expect_scalar() const;
  std::string as_string() const;                            // any scalar
  bool as_bool() const;                                     // true / false only
  long long as_integer(long long min, long long max) const;  // decimal digits only
  double as_double() const;                                 // finite, decimal
  double as_double(const Range& range) const;
  // The raw text of a scalar ("" otherwise) and whether it was quoted.
  const std::string& scalar_text() const;
  bool quoted() const;

  // What was found, for messages: "0.7", ".nan", "'strong'", "the string \"1\"", "a map", "empty".
  std::string describe() const;

  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_found(const std::string& rule) const;  // "<describe()>, but must be <rule>"

 private:
  friend class Document;
  Node(std::shared_ptr<const detail::DocumentData> doc, const detail::RawNode* raw, std::string path)
      : doc_(std::move(doc)), raw_(raw), path_(std::move(path)) {}
  const detail::RawNode* find(std::string_view key) const;

  std::shared_ptr<const detail::DocumentData> doc_;
  const detail::RawNode* raw_ = nullptr;
  std::string path_;
};

// A key of a map, where it is written, and its value.
struct MapEntry {
  std::string key;
  SourceLocation key_location;
  Node value;
};

// Input files are read whole, so only regular files: a FIFO would block for
// ever and a device such as /dev/zero would never end. "" for a regular
// file, else why not: "is a FIFO (named pipe), but must be a regular file",
// "cannot be opened: No such file or directory", ... Checked before opening.
std::string input_file_problem(const std::string& path);
// The bytes of a regular file of at most `max_bytes`. Throws ScenarioError:
// "<path>: cannot open the file: <why>", or at <path>:1:1 when it is not a
// regular file or too large.
std::string read_input_file(const std::string& path, std::size_t max_bytes = kMaxFileBytes);
// The checks on a YAML file's text before it is parsed: size, UTF-8 and line
// endings, indentation, and nesting of '[' and '{' (kMaxNesting).
void check_yaml_text(const std::string& file, std::string_view text);

// One parsed file.
class Document {
 public:
  // Reads and parses a file: checks its size, UTF-8, indentation, then parses.
  static Document from_file(const std::string& path, SeedCatalog seeds = {});
  // Parses text; `file_name` is used in messages.
  static Document from_text(std::string text, std::string file_name, SeedCatalog seeds = {});

  // The top-level node (null for an empty file), with an empty key path.
  Node root() const;
  bool empty() const;
  const std::string& file() const;
  const std::string& bytes() const;  // the file's bytes, e.g. for hashing

 private:
  std::shared_ptr<detail::DocumentData> data_;
};

// Closest candidate to `word` (Levenshtein distance <= 2 or equal ignoring
// case), or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// "; did you mean 'x'?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// Shortest text that reads back as the same double ("0.7", "1e+100").
std::string format_number(double x);

// Where a number came from (docs/scenario-format.md, "Numbers").
struct FieldProvenance {
  std::string seed;        // full seed file name ("" for an assumption)
  std::string quote;
  std::string assumption;
  bool empty() const { return seed.empty() && quote.empty() && assumption.empty(); }
};

// Reads the optional `source: {seed, quote}` or `assumption: "..."` of a map
// (not both; neither may be empty; a seed must name a seed file).
FieldProvenance read_provenance(const Node& node);

// A numeric field: a constant or a distribution, with its provenance.
struct NumericField {
  Distribution distribution = Distribution::constant(0.0);
  FieldProvenance provenance;
  std::string key_path;
  SourceLocation location;

  bool is_constant() const { return distribution.is_constant(); }
  // The constant, or the distribution's mean.
  double value() const { return is_constant() ? distribution.params().at(0) : distribution.mean(); }
};

// Reads `x`, `{value: x, source|assumption}` or `{dist: name, params..., source|assumption}`.
// A constant must lie in `range`; a distribution's support must lie inside it.
NumericField read_number_or_distribution(const Node& node, const Range& range);

}  // namespace credsim::sim::io
