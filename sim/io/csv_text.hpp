#pragma once
// Text helpers shared by the CSV writers.
#include <string>

namespace credsim::sim::io {

// A value for a one-line `# key: value` header: line breaks become spaces.
inline std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

// One CSV field (RFC 4180): quoted, with doubled quotes, only when it needs to be.
inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace credsim::sim::io
