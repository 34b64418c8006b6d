#include "sim/io/scenario_document.hpp"

#include <algorithm>
#include <regex>
#include <variant>

#include "sim/io/yaml_reader.hpp"

namespace credsim::sim::io {

// A named struct, not std::pair: a pair holding the still-incomplete DocNode
// does not compile with libc++/clang (the fuzz build).
struct DocEntry;

struct DocNode {
  enum class Kind { null, scalar, sequence, map } kind = Kind::null;
  std::string text;
  bool quoted = false;
  int line = 0;  // where it is in the file; 0: added by set_scalar
  int column = 0;
  std::vector<DocEntry> entries;  // map, file order
  std::vector<DocNode> items;     // sequence
};

struct DocEntry {
  std::string key;
  DocNode value;
};

namespace {

DocNode build(const Node& n) {
  DocNode out;
  out.line = n.location().line;
  out.column = n.location().column;
  switch (n.kind()) {
    case Node::Kind::null: break;
    case Node::Kind::scalar:
      out.kind = DocNode::Kind::scalar;
      out.text = n.scalar_text();
      out.quoted = n.quoted();
      break;
    case Node::Kind::sequence:
      out.kind = DocNode::Kind::sequence;
      for (const Node& item : n.items()) out.items.push_back(build(item));
      break;
    case Node::Kind::map:
      out.kind = DocNode::Kind::map;
      for (const MapEntry& e : n.entries()) out.entries.push_back({e.key, build(e.value)});
      break;
  }
  return out;
}

using Step = std::variant<std::string, std::size_t>;

std::vector<Step> parse_path(const std::string& key_path, const SourceLocation& where) {
  static const std::regex step_re(R"(([^.\[\]]+)|\[(\d+)\])");
  std::vector<Step> steps;
  std::string rebuilt;
  for (auto it = std::sregex_iterator(key_path.begin(), key_path.end(), step_re); it != std::sregex_iterator(); ++it) {
    if ((*it)[1].matched) {
      steps.emplace_back((*it)[1].str());
      if (!rebuilt.empty()) rebuilt += '.';
      rebuilt += (*it)[1].str();
    } else {
      const std::string index = (*it)[2].str();
      if (index.size() > 9) throw ScenarioError(where, key_path, "index " + index + " is out of range");
      steps.emplace_back(static_cast<std::size_t>(std::stoull(index)));
      rebuilt += (*it)[0].str();
    }
  }
  if (steps.empty() || rebuilt != key_path)
    throw ScenarioError(where, key_path, "is not a key path (write it as a.b.c, list[0] or list.<name>)");
  return steps;
}

const DocNode* named_item(const DocNode& list, const std::string& name) {
  for (const auto& item : list.items) {
    if (item.kind != DocNode::Kind::map) continue;
    for (const auto& [k, v] : item.entries)
      if (k == "name" && v.kind == DocNode::Kind::scalar && v.text == name) return &item;
  }
  return nullptr;
}

DocNode* child(DocNode& node, const Step& step) {
  if (node.kind == DocNode::Kind::map) {
    if (const auto* key = std::get_if<std::string>(&step))
      for (auto& [k, v] : node.entries)
        if (k == *key) return &v;
    return nullptr;
  }
  if (node.kind == DocNode::Kind::sequence) {
    if (const auto* i = std::get_if<std::size_t>(&step)) return *i < node.items.size() ? &node.items[*i] : nullptr;
    return const_cast<DocNode*>(named_item(node, std::get<std::string>(step)));
  }
  return nullptr;
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
std::string index_text(std::size_t i) {
  std::string out(1, '[');
  out += std::to_string(i);
  out += ']';
  return out;
}

std::string step_text(const Step& s) {
  if (const auto* key = std::get_if<std::string>(&s)) return *key;
  return index_text(std::get<std::size_t>(s));
}

std::string join(const std::string& path, const std::string& step) {
  if (path.empty()) return step;
  return step[0] == '[' ? path + step : path + "." + step;
}

void collect(const DocNode& node, const std::string& path, std::vector<std::string>& out) {
  if (!path.empty()) out.push_back(path);
  if (node.kind == DocNode::Kind::map) {
    for (const auto& [k, v] : node.entries) collect(v, join(path, k), out);
  } else if (node.kind == DocNode::Kind::sequence) {
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const DocNode& item = node.items[i];
      std::string name;
      if (item.kind == DocNode::Kind::map)
        for (const auto& [k, v] : item.entries)
          if (k == "name" && v.kind == DocNode::Kind::scalar) name = v.text;
      collect(item, name.empty() ? join(path, index_text(i)) : join(path, name), out);
    }
  }
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool plain_is_typed(const std::string& s) {
  // YAML 1.2 core schema: these plain scalars are numbers, booleans or null;
  // they must stay plain for the loader to read them as such.
  static const std::regex typed(
      R"([-+]?[0-9]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)");
  return std::regex_match(s, typed);
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

void emit(const DocNode& node, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent + 1), ' ');
  switch (node.kind) {
    case DocNode::Kind::null: out += "null"; break;
    case DocNode::Kind::scalar:
      out += (!node.quoted && plain_is_typed(node.text)) ? node.text : quote(node.text);
      break;
    case DocNode::Kind::sequence:
      if (node.items.empty()) {
        out += "[]";
        break;
      }
      out += "[\n";
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        out += pad;
        emit(node.items[i], indent + 1, out);
        out += i + 1 < node.items.size() ? ",\n" : "\n";
      }
      out += std::string(static_cast<std::size_t>(indent), ' ') + "]";
      break;
    case DocNode::Kind::map:
      if (node.entries.empty()) {
        out += "{}";
        break;
      }
      out += "{\n";
      for (std::size_t i = 0; i < node.entries.size(); ++i) {
        out += pad + quote(node.entries[i].key) + ": ";
        emit(node.entries[i].value, indent + 1, out);
        out += i + 1 < node.entries.size() ? ",\n" : "\n";
      }
      out += std::string(static_cast<std::size_t>(indent), ' ') + "}";
      break;
  }
}

}  // namespace

ScenarioDocument::ScenarioDocument() : root_(std::make_unique<DocNode>()) {}
ScenarioDocument::~ScenarioDocument() = default;
ScenarioDocument::ScenarioDocument(ScenarioDocument&&) noexcept = default;
ScenarioDocument& ScenarioDocument::operator=(ScenarioDocument&&) noexcept = default;
ScenarioDocument::ScenarioDocument(const ScenarioDocument& other)
    : root_(std::make_unique<DocNode>(*other.root_)), file_(other.file_) {}
ScenarioDocument& ScenarioDocument::operator=(const ScenarioDocument& other) {
  if (this != &other) {
    root_ = std::make_unique<DocNode>(*other.root_);
    file_ = other.file_;
  }
  return *this;
}

ScenarioDocument ScenarioDocument::from_file(const std::string& path) {
  ScenarioDocument d;
  const Document doc = Document::from_file(path);
  *d.root_ = build(doc.root());
  d.file_ = path;
  return d;
}

ScenarioDocument ScenarioDocument::from_text(std::string text, std::string file_name) {
  ScenarioDocument d;
  const Document doc = Document::from_text(std::move(text), file_name);
  *d.root_ = build(doc.root());
  d.file_ = std::move(file_name);
  return d;
}

void ScenarioDocument::set_scalar(const std::string& key_path, const std::string& text, bool quoted,
                                  const SourceLocation& where) {
  const auto steps = parse_path(key_path, where);
  DocNode* node = root_.get();
  std::string walked;
  auto fail = [&](const std::string& what) {
    std::string msg = what;
    const auto near = nearest_key_paths(key_path);
    if (!near.empty()) {
      msg += "; nearest valid key paths: ";
      for (std::size_t i = 0; i < near.size(); ++i) msg += (i ? ", " : "") + near[i];
    }
    throw ScenarioError(where, key_path, msg);
  };
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    DocNode* next = child(*node, steps[i]);
    const std::string here = join(walked, step_text(steps[i]));
    if (!next) fail("'" + here + "' does not exist in " + file_);
    node = next;
    walked = here;
  }
  const Step& last = steps.back();
  DocNode* target = child(*node, last);
  if (!target) {
    // Python's set_value creates the last key of a map (an instrument field a
    // commitment does not override yet); the loader then checks the key is known.
    if (node->kind == DocNode::Kind::map && std::holds_alternative<std::string>(last)) {
      node->entries.push_back({std::get<std::string>(last), DocNode{}});
      target = &node->entries.back().value;
    } else {
      fail("'" + key_path + "' does not exist in " + file_);
    }
  }
  if (target->kind == DocNode::Kind::sequence)
    fail("'" + key_path + "' is a list; a factor sets a single value");
  const int line = target->line, column = target->column;  // still the field in the file
  *target = DocNode{};
  target->line = line;
  target->column = column;
  target->kind = DocNode::Kind::scalar;
  target->text = text;
  target->quoted = quoted;
}

bool ScenarioDocument::has(const std::string& key_path) const {
  std::vector<Step> steps;
  try {
    steps = parse_path(key_path, {});
  } catch (const ScenarioError&) {
    return false;
  }
  DocNode* node = root_.get();
  for (const auto& s : steps)
    if (!(node = child(*node, s))) return false;
  return true;
}

std::optional<std::string> ScenarioDocument::scalar(const std::string& key_path) const {
  if (!has(key_path)) return std::nullopt;
  DocNode* node = root_.get();
  for (const auto& s : parse_path(key_path, {})) node = child(*node, s);
  if (node->kind != DocNode::Kind::scalar) return std::nullopt;
  return node->text;
}

std::size_t ScenarioDocument::list_size(const std::string& key_path) const {
  if (!has(key_path)) return 0;
  DocNode* node = root_.get();
  for (const auto& s : parse_path(key_path, {})) node = child(*node, s);
  return node->kind == DocNode::Kind::sequence ? node->items.size() : 0;
}

void ScenarioDocument::erase_item(const std::string& key_path, std::size_t index) {
  if (!has(key_path)) throw ScenarioError({file_, 0, 0}, key_path, "no such list");
  DocNode* node = root_.get();
  for (const auto& s : parse_path(key_path, {})) node = child(*node, s);
  if (node->kind != DocNode::Kind::sequence || index >= node->items.size())
    throw ScenarioError({file_, 0, 0}, key_path, "no item " + std::to_string(index));
  node->items.erase(node->items.begin() + static_cast<std::ptrdiff_t>(index));
}

SourceLocation ScenarioDocument::file_location(const std::string& key_path) const {
  SourceLocation where{file_, root_->line, root_->column};
  std::vector<Step> steps;
  try {
    steps = parse_path(key_path, {});
  } catch (const ScenarioError&) {
    return where;  // no key path: the top of the file
  }
  DocNode* node = root_.get();
  for (const auto& step : steps) {
    if (!(node = child(*node, step))) break;
    if (node->line > 0) where = {file_, node->line, node->column};
  }
  return where;
}

ScenarioError ScenarioDocument::in_file(const ScenarioError& e, const std::string& text_name,
                                        const std::string& note) const {
  SourceLocation where = e.where();
  if (where.file == text_name) {
    const SourceLocation in_file = file_location(e.key_path());
    where.line = in_file.line;
    where.column = in_file.column;
  }
  return ScenarioError(where, e.key_path(), e.message() + note);
}

std::vector<std::string> ScenarioDocument::key_paths() const {
  std::vector<std::string> out;
  collect(*root_, "", out);
  return out;
}

std::vector<std::string> ScenarioDocument::nearest_key_paths(const std::string& key_path, std::size_t count) const {
  auto paths = key_paths();
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (distance, document order)
  for (std::size_t i = 0; i < paths.size(); ++i) ranked.emplace_back(edit_distance(key_path, paths[i]), i);
  std::stable_sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && out.size() < count; ++i) out.push_back(paths[ranked[i].second]);
  return out;
}

std::string ScenarioDocument::to_yaml() const {
  std::string out;
  emit(*root_, 0, out);
  out += "\n";
  return out;
}

}  // namespace credsim::sim::io
