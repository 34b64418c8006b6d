#include "sim/io/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace credsim::sim::io {

namespace detail {

struct RawNode {
  struct Entry {
    std::string key;
    int line = 1;
    int column = 1;
    const RawNode* value = nullptr;
  };
  Node::Kind kind = Node::Kind::null;
  int line = 1;
  int column = 1;
  std::string text;  // scalars
  bool quoted = false;
  std::vector<const RawNode*> items;
  std::vector<Entry> entries;
  std::size_t expanded = 1;  // nodes once aliases are expanded (keys included)
  int height = 1;            // nesting levels once aliases are expanded
  bool open = false;         // still being built: an alias to it would recurse
};

struct DocumentData {
  std::string file;
  std::string bytes;
  SeedCatalog seeds;
  std::deque<RawNode> nodes;  // a deque: pointers stay valid as it grows
  const RawNode* root = nullptr;
  RawNode empty_root;
};

}  // namespace detail

using detail::DocumentData;
using detail::RawNode;

namespace {

[[noreturn]] void fail_at(const std::string& file, int line, int column, const std::string& message,
                          const std::string& path = {}) {
  throw ScenarioError(SourceLocation{file, std::max(line, 1), std::max(column, 1)}, path, message);
}

// ---------------------------------------------------------------------------
// Checks on the raw bytes, before yaml-cpp sees them.

void check_size(const std::string& file, std::uintmax_t size) {
  if (size > kMaxFileBytes) {
    fail_at(file, 1, 1, "file is " + std::to_string(size) + " bytes, but must be at most 16 MiB");
  }
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(c));
  return buf;
}

// Length of the UTF-8 sequence at s[i], or 0 when it is not valid (overlong
// forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return len;
}

// Valid UTF-8, no control characters but tab, LF and CR (before LF only); columns count characters.
void check_text(const std::string& file, std::string_view s) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    if (c < 0x80) {
      if (c == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) {
        // yaml-cpp does not end a line at a lone CR: the whole file would be one line (often one comment).
        fail_at(file, line, column, "has a line ending with CR alone (old Mac style), but lines must end with LF or CR LF");
      }
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
        fail_at(file, line, column,
                std::string("contains the control character ") + code + ", but must be printable text");
      }
      ++i;
    } else {
      const std::size_t len = utf8_length(s, i);
      if (len == 0) {
        fail_at(file, line, column, "contains the byte " + hex_byte(c) + ", which is not valid UTF-8, but must be UTF-8 text");
      }
      i += len;
    }
    ++column;
  }
}

// yaml-cpp's handling of tabs in indentation varies (sometimes an error,
// sometimes a silently different structure): reject them up front.
void check_indentation(const std::string& file, std::string_view s) {
  int line = 1;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::size_t i = start;
    std::size_t first_tab = std::string_view::npos;
    while (i < end && (s[i] == ' ' || s[i] == '\t')) {
      if (s[i] == '\t' && first_tab == std::string_view::npos) first_tab = i;
      ++i;
    }
    const bool has_content = i < end && s[i] != '\r';
    if (first_tab != std::string_view::npos && has_content) {
      fail_at(file, line, static_cast<int>(first_tab - start) + 1,
              "tabs are not allowed for indentation; indent with spaces");
    }
    if (end == s.size()) break;
    start = end + 1;
    ++line;
  }
}

// Flow nesting, counted before yaml-cpp parses.
//
// yaml-cpp has no depth limit, and inside '[' or '{' its scanner queues
// tokens while it looks ahead for a possible 'key:': 16 MiB of '[' took 30 s
// and 3.9 GB before the first event reached TreeBuilder (which checks the
// depth exactly, but too late). So one pass with constant memory counts the
// open brackets first. Block nesting needs no pre-scan: yaml-cpp streams it
// and TreeBuilder stops it at kMaxNesting.
//
// The look-ahead also keeps every token of a collection nested in another
// one until it closes (about 90 bytes of memory per byte of '[[a, a, ...'),
// so such a collection may span at most kMaxNestedFlowBytes.
//
// Quoted strings, comments and block scalars are skipped, and outside
// brackets a '[' or '{' counts only where a value can start ('a[1]' is plain
// text), so the scan does not see more depth than the parser would.
constexpr std::size_t kMaxNestedFlowBytes = std::size_t{1} << 20;

class FlowDepthScan {
 public:
  FlowDepthScan(const std::string& file, std::string_view s) : file_(file), s_(s) {}

  void run() {
    while (i_ < s_.size()) {
      step();
      if (depth_ >= 2 && i_ - opened_[1].offset > kMaxNestedFlowBytes) {
        const Opened& o = opened_[1];
        fail_at(file_, o.line, o.column,
                std::string("this '") + o.bracket + "' inside another '[' or '{' spans more than 1 MiB, but nested "
                "lists and maps must be shorter (write long lists one '- item' per line)");
      }
    }
  }

 private:
  char peek(std::size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; }

  void advance() {
    const auto c = static_cast<unsigned char>(s_[i_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
      line_start_ = i_;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;  // columns count characters, as in check_text
    }
  }
  int column_in_line() const { return static_cast<int>(i_ - line_start_); }  // bytes; only compared with indents

  void skip_to_line_end() {
    while (i_ < s_.size() && s_[i_] != '\n') advance();
  }

  // From an opening quote to past its closing one; false if never closed.
  bool skip_quoted(char quote) {
    advance();
    while (i_ < s_.size()) {
      const char c = peek();
      if (quote == '"' && c == '\\') {
        advance();
        if (i_ < s_.size()) advance();
      } else if (c == quote && quote == '\'' && peek(1) == '\'') {
        advance();
        advance();
      } else if (c == quote) {
        advance();
        return true;
      } else {
        advance();
      }
    }
    return false;
  }

  // Indentation of the line starting at `start`, or -1 for a blank line.
  int indent_at(std::size_t start) const {
    std::size_t k = start;
    while (k < s_.size() && s_[k] == ' ') ++k;
    if (k == s_.size() || s_[k] == '\n' || s_[k] == '\r') return -1;
    return static_cast<int>(k - start);
  }

  // '|' or '>' owned by a node at column `owner`: its content is the lines
  // below indented as the first non-blank one (which must be deeper than the owner).
  void skip_block_scalar(int owner) {
    int explicit_indent = 0;
    for (std::size_t k = i_ + 1; k < s_.size() && !is_blank(s_[k]) && s_[k] != '#'; ++k)
      if (s_[k] >= '1' && s_[k] <= '9') explicit_indent = owner + (s_[k] - '0');
    skip_to_line_end();
    int content = -1;
    while (i_ < s_.size()) {
      const int indent = indent_at(i_ + 1);
      if (indent >= 0 && content < 0) content = std::max(indent, explicit_indent);
      if (indent >= 0 && (indent <= owner || indent < content)) return;
      advance();  // the '\n'
      skip_to_line_end();
    }
  }

  void open_bracket() {
    if (depth_ < kMaxNesting) opened_[static_cast<std::size_t>(depth_)] = {i_, line_, column_, peek()};
    if (++depth_ > kMaxNesting) {
      fail_at(file_, line_, column_,
              "nesting is more than " + std::to_string(kMaxNesting) + " levels deep, but files must nest at most " +
                  std::to_string(kMaxNesting) + " levels");
    }
    value_start_ = true;
  }

  void step() {
    const char c = peek();
    if (c == '\n') {
      advance();
      if (depth_ == 0) value_start_ = true;
      after_blank_ = true;
      return;
    }
    if (is_blank(c)) {
      advance();
      after_blank_ = true;
      return;
    }
    if (c == '#' && after_blank_) return skip_to_line_end();
    after_blank_ = false;
    const bool after_quoted = after_quoted_;
    after_quoted_ = false;
    const bool value_start = value_start_;
    value_start_ = false;
    if ((c == '|' || c == '>') && value_start && depth_ == 0) return skip_block_scalar(owner_);
    if (value_start && depth_ == 0 && c != '&' && c != '!') owner_ = column_in_line();
    if ((c == '\'' || c == '"') && value_start) {
      if (!skip_quoted(c)) i_ = s_.size();  // never closed: the parser says where
      after_quoted_ = true;
    } else if (c == '[' || c == '{') {
      if (depth_ > 0 || value_start) open_bracket();
      advance();
    } else if ((c == ']' || c == '}') && depth_ > 0) {
      --depth_;
      advance();
    } else if (c == ',' && depth_ > 0) {
      value_start_ = true;
      advance();
    } else if ((c == ':' && (is_blank(peek(1)) || after_quoted)) || ((c == '-' || c == '?') && is_blank(peek(1)))) {
      value_start_ = true;  // a value or an item follows
      advance();
    } else if ((c == '&' || c == '!') && value_start) {
      while (i_ < s_.size() && !is_blank(peek())) advance();  // an anchor or a tag, then the value
      value_start_ = true;
    } else {
      advance();
    }
  }

  struct Opened {
    std::size_t offset = 0;
    int line = 0;
    int column = 0;
    char bracket = '[';
  };

  const std::string& file_;
  std::string_view s_;
  std::array<Opened, kMaxNesting> opened_{};  // the open brackets, outermost first
  std::size_t i_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
  int column_ = 1;
  int depth_ = 0;
  int owner_ = 0;             // column of the node a block scalar would belong to
  bool value_start_ = true;   // a '[' here would open a collection
  bool after_blank_ = true;   // a '#' here would start a comment
  bool after_quoted_ = false; // just after a quoted string: 'a':[...] is a key and a value
};

void check_flow_nesting(const std::string& file, std::string_view s) { FlowDepthScan(file, s).run(); }

// ---------------------------------------------------------------------------
// The tree, built from yaml-cpp's events.

class TreeBuilder final : public YAML::EventHandler {
 public:
  explicit TreeBuilder(DocumentData& doc) : doc_(doc) {}

  const RawNode* root() const { return root_; }
  int start_line() const { return start_line_; }
  int start_column() const { return start_column_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    start_line_ = mark.line + 1;
    start_column_ = mark.column + 1;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    RawNode& node = make(mark, Node::Kind::null);
    if (!stack_.empty() && is_map(stack_.back()) && !stack_.back().want_key) {
      // yaml-cpp marks an empty value at the next token; point at its key instead.
      node.line = stack_.back().key_line;
      node.column = stack_.back().key_column;
    }
    remember(anchor, node);
    attach(node, mark);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "the alias refers to an anchor that is not defined");
    const RawNode& target = *it->second;
    const std::string name = "*" + anchor_names_[anchor];
    if (target.open) {
      fail(mark, "alias '" + name + "' refers to a node that contains it, but recursive aliases are not allowed");
    }
    if (static_cast<int>(stack_.size()) + target.height > kMaxNesting) {
      fail(mark, "alias '" + name + "' nests more than " + std::to_string(kMaxNesting) +
                     " levels deep, but files must nest at most " + std::to_string(kMaxNesting) + " levels");
    }
    aliases_used_ = true;
    count(target.expanded, mark);
    attach(target, mark);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_tag(mark, tag);
    if (tag == "!") check_closed_quote(mark);
    RawNode& node = make(mark, Node::Kind::scalar);
    node.text = value;
    node.quoted = tag == "!";  // yaml-cpp tags quoted (non-plain) scalars "!"
    remember(anchor, node);
    attach(node, mark);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_collection(mark, tag, anchor, Node::Kind::sequence);
  }
  void OnSequenceEnd() override { close_collection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_collection(mark, tag, anchor, Node::Kind::map);
  }
  void OnMapEnd() override { close_collection(); }

  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_anchor_name_ = name; }

 private:
  struct Frame {
    RawNode* node = nullptr;
    bool want_key = true;  // maps: the next node is a key
    std::string key;
    int key_line = 0;
    int key_column = 0;
    std::unordered_map<std::string, int> seen;  // key -> line of its first occurrence
  };
  static bool is_map(const Frame& f) { return f.node->kind == Node::Kind::map; }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    fail_at(doc_.file, mark.line + 1, mark.column + 1, message, current_path());
  }

  // Key path of the node being built, for messages raised while parsing.
  // Below the top, each frame's last key or item is the open child.
  std::string current_path() const {
    std::string path;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      const bool top = i + 1 == stack_.size();
      if (is_map(f)) {
        if (!top || !f.want_key) path += (path.empty() ? "" : ".") + f.key;
      } else {
        const std::size_t n = f.node->items.size();
        path += "[" + std::to_string(top ? n : n - 1) + "]";
      }
    }
    return path;
  }

  // yaml-cpp ends an unterminated quoted string at the end of the file
  // without complaint, so the error would surface far away as missing keys.
  void check_closed_quote(const YAML::Mark& mark) const {
    const std::string& b = doc_.bytes;
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= b.size()) return;
    const char quote = b[static_cast<std::size_t>(mark.pos)];
    if (quote != '"' && quote != '\'') return;  // a block scalar (| or >)
    for (std::size_t i = static_cast<std::size_t>(mark.pos) + 1; i < b.size(); ++i) {
      if (quote == '"' && b[i] == '\\') {
        ++i;
      } else if (b[i] == quote) {
        if (quote == '\'' && i + 1 < b.size() && b[i + 1] == '\'') {
          ++i;  // '' is an escaped quote
        } else {
          return;
        }
      }
    }
    fail(mark, std::string("the string opened here with ") + quote + " is never closed");
  }

  void check_tag(const YAML::Mark& mark, const std::string& tag) const {
    if (tag != "?" && tag != "!" && !tag.empty()) {
      const std::string core = "tag:yaml.org,2002:";
      const std::string shown = tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
      fail(mark, "has the explicit tag '" + shown + "', but tags are not supported: write plain values");
    }
  }

  void count(std::size_t nodes, const YAML::Mark& mark) {
    total_ += std::min(nodes, kMaxNodes + 1);
    if (total_ > kMaxNodes) {
      const std::string most = ", but it must have at most " + std::to_string(kMaxNodes);
      fail(mark, aliases_used_ ? "aliases expand the document to more than " + std::to_string(kMaxNodes) + " nodes" + most
                               : "the document has more than " + std::to_string(kMaxNodes) + " nodes (keys and values)" + most);
    }
  }

  RawNode& make(const YAML::Mark& mark, Node::Kind kind) {
    count(1, mark);
    RawNode& node = doc_.nodes.emplace_back();
    node.kind = kind;
    node.line = mark.line + 1;
    node.column = mark.column + 1;
    return node;
  }

  void remember(YAML::anchor_t anchor, RawNode& node) {
    if (anchor != YAML::NullAnchor) {
      anchors_[anchor] = &node;
      anchor_names_[anchor] = pending_anchor_name_;
    }
    pending_anchor_name_.clear();
  }

  void open_collection(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, Node::Kind kind) {
    check_tag(mark, tag);
    if (static_cast<int>(stack_.size()) >= kMaxNesting) {
      fail(mark, "nesting is more than " + std::to_string(kMaxNesting) + " levels deep, but files must nest at most " +
                     std::to_string(kMaxNesting) + " levels");
    }
    RawNode& node = make(mark, kind);
    node.open = true;
    remember(anchor, node);
    attach(node, mark);
    Frame frame;
    frame.node = &node;
    stack_.push_back(std::move(frame));
  }

  void close_collection() {
    RawNode& node = *stack_.back().node;
    std::size_t expanded = 1;
    int height = 0;
    for (const RawNode* item : node.items) {
      expanded += item->expanded;
      height = std::max(height, item->height);
    }
    for (const RawNode::Entry& e : node.entries) {
      expanded += 1 + e.value->expanded;
      height = std::max(height, e.value->height);
    }
    node.expanded = std::min(expanded, kMaxNodes + 1);
    node.height = height + 1;
    node.open = false;
    stack_.pop_back();
  }

  // Adds a finished or just-opened node to its parent (or makes it the root).
  void attach(const RawNode& node, const YAML::Mark& mark) {
    if (stack_.empty()) {
      root_ = &node;
      return;
    }
    Frame& top = stack_.back();
    if (!is_map(top)) {
      top.node->items.push_back(&node);
      return;
    }
    if (!top.want_key) {
      top.node->entries.push_back({top.key, top.key_line, top.key_column, &node});
      top.want_key = true;
      return;
    }
    if (node.kind != Node::Kind::scalar) {
      fail(mark, node.kind == Node::Kind::null ? "has an empty key, but keys must be names"
                                               : "has a map or a list as a key, but keys must be names");
    }
    const auto [it, inserted] = top.seen.emplace(node.text, mark.line + 1);
    if (!inserted) {
      fail(mark, "key '" + node.text + "' appears twice (first at line " + std::to_string(it->second) +
                     "), but keys must be unique");
    }
    top.key = node.text;
    top.key_line = mark.line + 1;
    top.key_column = mark.column + 1;
    top.want_key = false;
  }

  DocumentData& doc_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, const RawNode*> anchors_;
  std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
  std::string pending_anchor_name_;
  const RawNode* root_ = nullptr;
  std::size_t total_ = 0;
  bool aliases_used_ = false;  // for the message when total_ is too large
  int start_line_ = 1;
  int start_column_ = 1;
};

// yaml-cpp's messages are terse; say what usually causes the common ones.
std::string syntax_hint(const std::string& msg) {
  static const std::pair<const char*, const char*> kHints[] = {
      {"illegal map value", " (check the indentation of this line and the line above)"},
      {"end of map flow not found", " (a '{' is not closed by '}')"},
      {"end of sequence flow not found", " (a '[' is not closed by ']')"},
      {"block sequence entries are not allowed", " (check the indentation of the '-')"},
  };
  for (const auto& [key, hint] : kHints) {
    if (msg.find(key) != std::string::npos) return hint;
  }
  return "";
}

void parse_tree(DocumentData& doc) {
  std::istringstream in(doc.bytes);
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(doc);
    if (!parser.HandleNextDocument(builder)) return;  // empty: no document at all
    doc.root = builder.root();
    // A second document would be silently ignored by most readers.
    DocumentData scratch;
    scratch.file = doc.file;
    TreeBuilder extra(scratch);
    if (parser.HandleNextDocument(extra)) {
      fail_at(doc.file, extra.start_line(), extra.start_column(),
              "a second YAML document starts here, but a file must hold exactly one");
    }
  } catch (const YAML::Exception& e) {
    const bool known = !e.mark.is_null();
    // e.g. a line of only a tab between two keys, which the pre-check lets through
    const bool tab = e.msg.find("illegal tab") != std::string::npos;
    fail_at(doc.file, known ? e.mark.line + 1 : 1, known ? e.mark.column + 1 : 1,
            tab ? "tabs are not allowed for indentation; indent with spaces" : "YAML syntax error: " + e.msg + syntax_hint(e.msg));
  }
}

// ---------------------------------------------------------------------------
// Scalars.

bool is_decimal_integer(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (i == s.size()) return false;
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// YAML 1.2 core schema float/int in decimal: [-+]? (.d+ | d+(.d*)?) ([eE][-+]?d+)?
bool is_decimal_number(std::string_view s) {
  const auto digit = [&](std::size_t k) { return k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])); };
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  std::size_t digits = 0;
  while (digit(i)) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (digit(i)) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

bool is_special_float(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  static const char* const kSpecial[] = {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
                                         "nan",  "NaN",  "inf",  "Inf",  "infinity", "Infinity"};
  return std::any_of(std::begin(kSpecial), std::end(kSpecial), [&](const char* k) { return s == k; });
}

bool is_bool_word(std::string_view s) {
  return s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string join(const std::vector<std::string>& words, const char* sep = ", ") {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Helpers.

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;
  const std::string word_lower = lower(word);
  for (const auto& c : candidates) {
    const std::size_t d = lower(c) == word_lower ? 0 : levenshtein(word, c);
    // Very short words are all within 2 edits of each other: require a real likeness.
    if (d < best_distance && (d == 0 || d < std::max(word.size(), c.size()))) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

std::string format_number(double x) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(x);
}

Range Range::because(std::string reason) const {
  Range r = *this;
  r.why = std::move(reason);
  return r;
}

bool Range::contains(double x) const {
  if (!std::isfinite(x)) return false;
  const bool low_ok = low_open ? x > low : x >= low;
  const bool high_ok = high_open ? x < high : x <= high;
  return low_ok && high_ok;
}

std::string Range::rule() const {
  std::string text;
  const bool bounded_low = std::isfinite(low), bounded_high = std::isfinite(high);
  if (!bounded_low && !bounded_high) {
    text = "a finite number";
  } else if (!bounded_high) {
    text = std::string(low_open ? "> " : "≥ ") + format_number(low);
  } else if (!bounded_low) {
    text = std::string(high_open ? "< " : "≤ ") + format_number(high);
  } else {
    text = std::string("in ") + (low_open ? "(" : "[") + format_number(low) + ", " + format_number(high) +
           (high_open ? ")" : "]");
  }
  return why.empty() ? text : text + " (" + why + ")";
}

// ---------------------------------------------------------------------------
// Seeds.

SeedCatalog::SeedCatalog(std::filesystem::path folder) : folder_(std::move(folder)) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder_, ec)) return;
  folder_ok_ = true;
  for (const auto& entry : std::filesystem::directory_iterator(folder_, ec)) {
    if (entry.is_regular_file(ec)) files_.push_back(entry.path().filename().string());
  }
  std::sort(files_.begin(), files_.end());
}

SeedCatalog SeedCatalog::locate(const std::filesystem::path& start_dir) {
  if (const char* env = std::getenv("CREDSIM_SEEDS_DIR"); env != nullptr && *env != '\0') {
    return SeedCatalog(env);
  }
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start_dir.empty() ? "." : start_dir, ec);
  if (ec) return {};
  dir = dir.lexically_normal();
  for (;;) {
    const auto candidate = dir / "shared" / "seeds";
    if (std::filesystem::is_directory(candidate, ec)) return SeedCatalog(candidate);
    if (!dir.has_parent_path() || dir.parent_path() == dir) return {};
    dir = dir.parent_path();
  }
}

std::string SeedCatalog::resolve(const std::string& name, std::string& why) const {
  const auto digit = [&](std::size_t k) { return k < name.size() && std::isdigit(static_cast<unsigned char>(name[k])); };
  const bool prefix_only = name.size() == 3 && digit(0) && digit(1) && digit(2);
  const bool full_form = name.size() > 3 && digit(0) && digit(1) && digit(2) && !digit(3);
  if (!prefix_only && !full_form) {
    why = "a seed file name or its 3-digit prefix (e.g. '002')";
    return {};
  }
  if (!has_folder()) return name;  // nowhere to check: keep it as written
  if (!folder_ok_) {
    why = "a file in the seed folder, but " + folder_.string() + " is not a directory";
    return {};
  }
  if (full_form) {
    if (std::binary_search(files_.begin(), files_.end(), name)) return name;
    why = "a file in " + folder_.string() + did_you_mean(name, files_);
    return {};
  }
  std::vector<std::string> matches;
  for (const auto& f : files_) {
    if (f.compare(0, 3, name) == 0 && (f.size() == 3 || !std::isdigit(static_cast<unsigned char>(f[3])))) {
      matches.push_back(f);
    }
  }
  if (matches.size() == 1) return matches.front();
  why = matches.empty() ? "the prefix of a file in " + folder_.string() + " (no file starts with '" + name + "')"
                        : "the prefix of exactly one file in " + folder_.string() + " (it matches " +
                              join(matches) + ")";
  return {};
}

// ---------------------------------------------------------------------------
// Document.

std::string input_file_problem(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec) return "cannot be opened: " + ec.message();
  const auto but = [](const char* what) { return std::string("is ") + what + ", but must be a regular file"; };
  switch (st.type()) {
    case fs::file_type::regular: return "";
    case fs::file_type::directory: return but("a directory");
    case fs::file_type::fifo: return but("a FIFO (named pipe)");
    case fs::file_type::socket: return but("a socket");
    case fs::file_type::block:
    case fs::file_type::character: return but("a device");
    default: return but("not a regular file");
  }
}

std::string read_input_file(const std::string& path, std::size_t max_bytes) {
  const auto too_big = [&](std::uintmax_t size) {
    fail_at(path, 1, 1, "file is " + std::to_string(size) + " bytes, but must be at most " + std::to_string(max_bytes >> 20) + " MiB");
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) throw ScenarioError(SourceLocation{path, 0, 0}, "", "cannot open the file: " + ec.message());
  if (!std::filesystem::is_regular_file(status)) fail_at(path, 1, 1, input_file_problem(path));
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) too_big(size);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(SourceLocation{path, 0, 0}, "", std::string("cannot open the file: ") + std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) too_big(bytes.size());  // it grew while being read
  }
  if (in.bad()) throw ScenarioError(SourceLocation{path, 0, 0}, "", std::string("cannot read the file: ") + std::strerror(errno));
  return bytes;
}

void check_yaml_text(const std::string& file, std::string_view text) {
  check_size(file, text.size());
  check_text(file, text);
  check_indentation(file, text);
  check_flow_nesting(file, text);
}

Document Document::from_file(const std::string& path, SeedCatalog seeds) {
  return from_text(read_input_file(path), path, std::move(seeds));
}

Document Document::from_text(std::string text, std::string file_name, SeedCatalog seeds) {
  Document doc;
  doc.data_ = std::make_shared<DocumentData>();
  DocumentData& data = *doc.data_;
  data.file = std::move(file_name);
  data.bytes = std::move(text);
  data.seeds = std::move(seeds);
  check_yaml_text(data.file, data.bytes);
  parse_tree(data);
  return doc;
}

Node Document::root() const {
  return Node(data_, data_->root != nullptr ? data_->root : &data_->empty_root, "");
}
bool Document::empty() const { return data_->root == nullptr; }
const std::string& Document::file() const { return data_->file; }
const std::string& Document::bytes() const { return data_->bytes; }

// ---------------------------------------------------------------------------
// Node.

Node::Kind Node::kind() const { return raw_->kind; }
SourceLocation Node::location() const { return SourceLocation{doc_->file, raw_->line, raw_->column}; }
const std::string& Node::file() const { return doc_->file; }
const SeedCatalog& Node::seeds() const { return doc_->seeds; }
Node Node::with_path(std::string path) const { return Node(doc_, raw_, std::move(path)); }
std::string Node::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void Node::fail(const std::string& message) const { throw ScenarioError(location(), path_, message); }
void Node::fail_found(const std::string& rule) const { fail("is " + describe() + ", but must be " + rule); }

std::string Node::describe() const {
  switch (kind()) {
    case Kind::null: return "empty";
    case Kind::map: return "a map";
    case Kind::sequence: return raw_->items.empty() ? "an empty list" : "a list";
    case Kind::scalar: break;
  }
  // A whole file that is one value is seldom YAML (`presets: /etc/passwd`): do not echo it.
  if (raw_ == doc_->root && path_.empty()) return "text";
  std::string text = raw_->text;
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  if (raw_->quoted) return "the string \"" + text + "\"";
  const char c = text.empty() ? ' ' : text[0];
  const bool numeric_like = std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
  return numeric_like || is_bool_word(text) ? text : "'" + text + "'";
}

const Node& Node::expect_map() const {
  if (!is_map()) fail_found("a map");
  return *this;
}
const Node& Node::expect_sequence() const {
  if (!is_sequence()) fail_found("a list");
  return *this;
}
const Node& Node::expect_scalar() const {
  if (!is_scalar()) fail_found("a single value");
  return *this;
}

const RawNode* Node::find(std::string_view key) const {
  expect_map();
  for (const auto& e : raw_->entries) {
    if (e.key == key) return e.value;
  }
  return nullptr;
}

bool Node::has(std::string_view key) const { return is_map() && find(key) != nullptr; }

Node Node::required(std::string_view key) const {
  const RawNode* child = find(key);
  if (child == nullptr) fail("missing required key '" + std::string(key) + "'");
  return Node(doc_, child, child_path(key));
}

std::optional<Node> Node::optional(std::string_view key) const {
  const RawNode* child = find(key);
  if (child == nullptr) return std::nullopt;
  return Node(doc_, child, child_path(key));
}

std::vector<MapEntry> Node::entries() const {
  expect_map();
  std::vector<MapEntry> out;
  out.reserve(raw_->entries.size());
  for (const auto& e : raw_->entries) {
    out.push_back(MapEntry{e.key, SourceLocation{doc_->file, e.line, e.column}, Node(doc_, e.value, child_path(e.key))});
  }
  return out;
}

SourceLocation Node::key_location(std::string_view key) const {
  expect_map();
  for (const auto& e : raw_->entries) {
    if (e.key == key) return SourceLocation{doc_->file, e.line, e.column};
  }
  return location();
}

void Node::check_keys(const std::vector<std::string_view>& allowed) const {
  expect_map();
  for (const auto& e : raw_->entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    std::vector<std::string> names(allowed.begin(), allowed.end());
    std::string message;
    if (e.key == "<<") {
      message = "merge keys ('<<') are not supported; write the keys out";
    } else {
      const std::string hint = did_you_mean(e.key, names);
      message = "unknown key '" + e.key + "'" + (hint.empty() ? "; the keys allowed here are: " + join(names) : hint);
    }
    throw ScenarioError(SourceLocation{doc_->file, e.line, e.column}, path_, message);
  }
}

std::vector<Node> Node::items() const {
  expect_sequence();
  std::vector<Node> out;
  out.reserve(raw_->items.size());
  for (std::size_t i = 0; i < raw_->items.size(); ++i) {
    out.push_back(Node(doc_, raw_->items[i], path_ + "[" + std::to_string(i) + "]"));
  }
  return out;
}

std::size_t Node::size() const { return is_map() ? raw_->entries.size() : raw_->items.size(); }

const std::string& Node::scalar_text() const { return raw_->text; }
bool Node::quoted() const { return raw_->quoted; }

std::string Node::as_string() const {
  if (!is_scalar()) fail_found("a string");
  return raw_->text;
}

bool Node::as_bool() const {
  if (!is_scalar() || raw_->quoted) fail_found("true or false");
  const std::string& t = raw_->text;
  if (t == "true" || t == "True" || t == "TRUE") return true;
  if (t == "false" || t == "False" || t == "FALSE") return false;
  fail_found("true or false");
}

long long Node::as_integer(long long min, long long max) const {
  // INT_MAX and LLONG_MAX mean "no limit"; a real limit above them (trials: 10^12) is named.
  const bool unbounded = max == std::numeric_limits<int>::max() || max == std::numeric_limits<long long>::max();
  const std::string rule = unbounded ? "an integer ≥ " + std::to_string(min)
                                     : "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!is_scalar() || raw_->quoted || !is_decimal_integer(raw_->text)) fail_found(rule);
  std::string_view text = raw_->text;
  if (text[0] == '+') text.remove_prefix(1);
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) fail_found(rule);
  return value;
}

double Node::as_double() const {
  if (!is_scalar()) fail_found("a number");
  const std::string& text = raw_->text;
  if (raw_->quoted) fail("is " + describe() + ", but must be a number (written without quotes)");
  if (is_special_float(text)) fail_found("a finite number");
  if (text.size() > 2 && text[0] == '0' && std::isalpha(static_cast<unsigned char>(text[1]))) {
    fail_found("a decimal number");  // 0x1F, 0o17
  }
  if (!is_decimal_number(text)) fail_found("a number");
  std::string_view digits = text;
  if (digits[0] == '+') digits.remove_prefix(1);
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    fail("is " + text + ", which is outside the range of a double, but must be a finite number");
  }
  if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(value)) fail_found("a number");
  return value;
}

double Node::as_double(const Range& range) const {
  const double value = as_double();
  if (!range.contains(value)) fail_found(range.rule());
  return value;
}

// ---------------------------------------------------------------------------
// Numbers and distributions.

namespace {

struct DistSpec {
  const char* name;
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
};

const std::vector<DistSpec>& dist_specs() {
  static const std::vector<DistSpec> specs = {
      {"uniform", {"low", "high"}, {}},
      {"normal", {"mean", "sd"}, {}},
      {"truncated_normal", {"mean", "sd", "low", "high"}, {}},
      {"lognormal", {"meanlog", "sdlog"}, {}},
      {"beta", {"a", "b"}, {"low", "high"}},
      {"triangular", {"low", "mode", "high"}, {}},
      {"bernoulli", {"p"}, {}},
      {"discrete", {"values", "weights"}, {}},
  };
  return specs;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

[[noreturn]] void fail_at_key(const Node& map, std::string_view key, const std::string& message) {
  throw ScenarioError(map.key_location(key), map.path(), message);
}

}  // namespace

FieldProvenance read_provenance(const Node& node) {
  FieldProvenance p;
  const auto source = node.optional("source");
  const auto assumption = node.optional("assumption");
  if (source && assumption) {
    fail_at_key(node, "assumption", "has both 'source' and 'assumption', but must have one of them");
  }
  if (source) {
    source->expect_map();
    source->check_keys({"seed", "quote"});
    const Node seed = source->required("seed");
    std::string why;
    // Checked against the folder, but recorded as written: outputs must not
    // depend on whether this machine has the seed folder.
    if (source->seeds().resolve(seed.as_string(), why).empty()) seed.fail_found(why);
    p.seed = seed.as_string();
    const Node quote = source->required("quote");
    p.quote = quote.as_string();
    if (trim(p.quote).empty()) quote.fail_found("the phrase quoted from the seed (non-empty)");
  }
  if (assumption) {
    p.assumption = assumption->as_string();
    if (trim(p.assumption).empty()) assumption->fail_found("a non-empty reason for the value");
  }
  return p;
}

namespace {

std::vector<double> read_numbers(const Node& list, const char* what) {
  list.expect_sequence();
  if (list.size() == 0) list.fail_found(std::string("a list of at least one ") + what);
  std::vector<double> out;
  for (const Node& item : list.items()) out.push_back(item.as_double());
  return out;
}

// A DomainError from a factory names the parameter ("beta: a is -1, ..."):
// point at that parameter's line when we can.
SourceLocation parameter_location(const Node& node, const std::string& message) {
  const auto colon = message.find(": ");
  if (colon == std::string::npos) return node.location();
  const auto is = message.find(" is ", colon + 2);
  if (is == std::string::npos) return node.location();
  const std::string name = message.substr(colon + 2, is - colon - 2);
  if (const auto param = node.optional(name)) return param->location();
  return node.location();
}

Distribution make_distribution(const Node& node, const std::string& name) {
  const auto num = [&](std::string_view key) { return node.required(key).as_double(); };
  const auto opt = [&](std::string_view key, double fallback) {
    const auto n = node.optional(key);
    return n ? n->as_double() : fallback;
  };
  if (name == "uniform") return Distribution::uniform(num("low"), num("high"), name);
  if (name == "normal") return Distribution::normal(num("mean"), num("sd"), name);
  if (name == "truncated_normal") {
    return Distribution::truncated_normal(num("mean"), num("sd"), num("low"), num("high"), name);
  }
  if (name == "lognormal") return Distribution::lognormal(num("meanlog"), num("sdlog"), name);
  if (name == "beta") return Distribution::beta(num("a"), num("b"), opt("low", 0.0), opt("high", 1.0), name);
  if (name == "triangular") return Distribution::triangular(num("low"), num("mode"), num("high"), name);
  if (name == "bernoulli") return Distribution::bernoulli(num("p"), name);
  const Node values = node.required("values");
  const Node weights = node.required("weights");
  std::vector<double> v = read_numbers(values, "value");
  std::vector<double> w = read_numbers(weights, "weight");
  if (v.size() != w.size()) {
    weights.fail("has " + std::to_string(w.size()) + (w.size() == 1 ? " weight" : " weights") + " for " +
                 std::to_string(v.size()) + (v.size() == 1 ? " value" : " values") +
                 ", but must have one weight per value");
  }
  return Distribution::discrete(std::move(v), std::move(w), name);
}

// Every value the distribution can take must be allowed by the field.
void check_support(const Node& node, const Distribution& d, const Range& range) {
  const std::string name = dist_kind_name(d.kind());
  const std::string rule = "the field must be " + range.rule();
  if (d.kind() == DistKind::discrete || d.kind() == DistKind::bernoulli) {
    // Atoms are taken with positive probability, so open bounds matter.
    std::vector<double> atoms;
    if (d.kind() == DistKind::bernoulli) {
      const double p = d.params().at(0);
      if (p < 1.0) atoms.push_back(0.0);
      if (p > 0.0) atoms.push_back(1.0);
    } else {
      for (std::size_t i = 0; i < d.values().size(); ++i) {
        if (d.weights()[i] > 0.0) atoms.push_back(d.values()[i]);
      }
    }
    for (double x : atoms) {
      if (!range.contains(x)) node.fail(name + " can take the value " + format_number(x) + ", but " + rule);
    }
    return;
  }
  // A continuous law puts no mass on an open bound, so only the closure must fit.
  const double lo = d.support_low(), hi = d.support_high();
  if (lo >= range.low && hi <= range.high) return;
  if (!std::isfinite(lo) || !std::isfinite(hi)) node.fail(name + " has unbounded support, but " + rule);
  node.fail(name + " has support [" + format_number(lo) + ", " + format_number(hi) + "], but " + rule);
}

std::vector<std::string> dist_names() {
  std::vector<std::string> names;
  for (const auto& s : dist_specs()) names.emplace_back(s.name);
  return names;
}

NumericField read_distribution(const Node& node, const Range& range, NumericField field) {
  const Node dist = node.required("dist");
  const std::string name = dist.as_string();
  const auto& specs = dist_specs();
  const auto spec = std::find_if(specs.begin(), specs.end(), [&](const DistSpec& s) { return name == s.name; });
  if (spec == specs.end()) {
    dist.fail("is " + dist.describe() + ", but must be one of " + join(dist_names()) +
              did_you_mean(name, dist_names()));
  }
  std::vector<std::string_view> allowed = {"dist", "source", "assumption"};
  allowed.insert(allowed.end(), spec->required.begin(), spec->required.end());
  allowed.insert(allowed.end(), spec->optional.begin(), spec->optional.end());
  node.check_keys(allowed);
  for (const auto key : spec->required) node.required(key);  // a missing parameter names itself
  field.provenance = read_provenance(node);
  try {
    field.distribution = make_distribution(node, name);
  } catch (const DomainError& e) {
    throw ScenarioError(parameter_location(node, e.what()), node.path(), e.what());
  }
  check_support(node, field.distribution, range);
  return field;
}

}  // namespace

NumericField read_number_or_distribution(const Node& node, const Range& range) {
  NumericField field;
  field.key_path = node.path();
  field.location = node.location();
  if (node.is_scalar()) {
    field.distribution = Distribution::constant(node.as_double(range));
    return field;
  }
  if (!node.is_map()) node.fail_found("a number or a distribution ({dist: ..., ...})");
  const bool has_value = node.has("value"), has_dist = node.has("dist");
  if (has_value && has_dist) fail_at_key(node, "dist", "has both 'value' and 'dist', but must have one of them");
  if (!has_value && !has_dist) {
    node.check_keys({"value", "dist", "source", "assumption"});
    node.fail("is a map without 'value' or 'dist', but must be a number, {value: ...} or {dist: ..., ...}");
  }
  if (has_dist) return read_distribution(node, range, std::move(field));
  node.check_keys({"value", "source", "assumption"});
  field.provenance = read_provenance(node);
  field.distribution = Distribution::constant(node.required("value").as_double(range));
  return field;
}

}  // namespace credsim::sim::io
