#pragma once
// Text for the tables printed on a terminal (run report, sweep summary,
// backtest): widths counted in columns, numbers with fixed decimals.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>

namespace credsim::sim {

// Display width of UTF-8 text: one column per code point (labels may hold "é").
inline std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Left-aligned in `width` columns; longer text is kept whole.
inline std::string pad_right(std::string s, std::size_t width) {
  const std::size_t w = display_width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

// x with `digits` decimals ("%.*f").
inline std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Words of `text` in lines of at most `width` columns (a longer word gets a line of its own).
inline std::string wrap_words(const std::string& text, std::size_t width) {
  std::istringstream words(text);
  std::string word, out;
  std::size_t line = 0;
  while (words >> word) {
    const std::size_t w = display_width(word);
    if (line > 0 && line + 1 + w > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out += word;
    line += w;
  }
  return out;
}

}  // namespace credsim::sim
