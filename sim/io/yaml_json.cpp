#include "sim/io/yaml_json.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <regex>

#include "sim/errors.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim::sim::io {
namespace {

nlohmann::ordered_json scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;  // quoted: always a string
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  static const std::regex integer("[-+]?[0-9]+");
  static const std::regex real("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(s, integer)) {
    long long v = 0;
    const char* first = s.data() + (s[0] == '+' ? 1 : 0);
    if (std::from_chars(first, s.data() + s.size(), v).ec == std::errc()) return v;
  }
  // Leave the rest (including .nan/.inf, which the loader rejects with a location) as text.
  if (std::regex_match(s, real)) return std::stod(s);
  return s;
}

nlohmann::ordered_json convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = convert(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& item : node) out.push_back(convert(item));
      return out;
    }
    case YAML::NodeType::Scalar: return scalar(node);
    default: return nullptr;
  }
}

}  // namespace

nlohmann::ordered_json yaml_file_to_json(const std::string& path) {
  // The same file checks as the loader's (a FIFO, /dev/zero, 16 MiB of '[').
  const std::string text = read_input_file(path);
  check_yaml_text(path, text);
  try {
    return convert(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    throw ScenarioError({path, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
}

}  // namespace credsim::sim::io
