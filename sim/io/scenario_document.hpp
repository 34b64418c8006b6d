#pragma once
// A scenario file as an editable tree, addressed by key path
// (docs/scenario-format.md, "Key paths"): `guarantors.usa.resolve`,
// `options[2]`, `options.art5_style.commitments[0].ambiguity` (a list item by
// its `name`). Sweeps set one value per factor and hand the text to the
// loader; the same semantics as credsim.scenario.set_value in Python: every
// step but the last must exist, the last may create a key of a map.
//
// Generic: it knows YAML and key paths, not what a scenario means.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/errors.hpp"

namespace credsim::sim::io {

struct DocNode;

class ScenarioDocument {
 public:
  ScenarioDocument();  // an empty document
  static ScenarioDocument from_file(const std::string& path);
  static ScenarioDocument from_text(std::string text, std::string file_name);

  ScenarioDocument(const ScenarioDocument& other);
  ScenarioDocument& operator=(const ScenarioDocument& other);
  ScenarioDocument(ScenarioDocument&&) noexcept;
  ScenarioDocument& operator=(ScenarioDocument&&) noexcept;
  ~ScenarioDocument();

  // Sets a scalar. `quoted`: a string, never read as a number. Throws
  // ScenarioError at `where` ("<path>: no key 'resolv' ...; nearest valid key
  // paths: ...") when the path does not lead anywhere.
  void set_scalar(const std::string& key_path, const std::string& text, bool quoted,
                  const SourceLocation& where = {});
  // Whether the path names an existing node.
  bool has(const std::string& key_path) const;
  // The text of a scalar at the path (nullopt when absent or not a scalar).
  std::optional<std::string> scalar(const std::string& key_path) const;
  // Items of a list at the path (0 when absent or not a list).
  std::size_t list_size(const std::string& key_path) const;
  // Removes item `index` of the list at the path.
  void erase_item(const std::string& key_path, std::size_t index);

  // Every key path that names a node, in document order (list items by name
  // when they have one, else by index).
  std::vector<std::string> key_paths() const;
  // Up to `count` valid key paths closest to `key_path` (edit distance).
  std::vector<std::string> nearest_key_paths(const std::string& key_path, std::size_t count = 3) const;

  // Where the node at `key_path` (or its nearest ancestor) is in the file; a
  // node set by set_scalar keeps the place of the field it replaced.
  SourceLocation file_location(const std::string& key_path) const;
  // An error the loader raised in to_yaml()'s text, named `text_name` there,
  // moved to the line of the file it came from (the generated text's lines
  // are not the file's); errors in other files keep theirs. `note` is appended.
  ScenarioError in_file(const ScenarioError& e, const std::string& text_name, const std::string& note = "") const;

  // The document as YAML text (flow style, one key per line; plain scalars that
  // read as numbers, booleans or null stay plain, every other scalar is double-quoted).
  std::string to_yaml() const;

  const std::string& file() const { return file_; }

 private:
  std::unique_ptr<DocNode> root_;
  std::string file_;
};

}  // namespace credsim::sim::io
