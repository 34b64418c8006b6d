#include "sim/cli/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace credsim::cli {
namespace {

constexpr int kBarWidth = 30;

std::string with_commas(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string duration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

}  // namespace

bool ProgressBar::stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

ProgressBar::ProgressBar(bool enabled, double precision_target)
    : enabled_(enabled), precision_target_(precision_target), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::clear() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);  // carriage return, erase to end of line
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressBar::update(std::uint64_t done, std::uint64_t target) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // About ten redraws a second at most: drawing must not slow the run.
  if (drawn_ && done < target && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;

  std::string line = "\r";
  if (precision_target_ > 0.0) {
    char goal[48];
    std::snprintf(goal, sizeof goal, "running to a half-width of %g: ", precision_target_);
    line += goal + with_commas(done) + " trials (cap " + with_commas(target) + "), " +
            with_commas(static_cast<std::uint64_t>(rate)) + " trials/s, " + duration(elapsed);
  } else {
    const double share = target ? static_cast<double>(done) / static_cast<double>(target) : 1.0;
    const int filled = static_cast<int>(share * kBarWidth);
    line += '[';
    line.append(static_cast<std::size_t>(filled), '#');
    line.append(static_cast<std::size_t>(kBarWidth - filled), '.');
    line += "] ";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%3.0f%% ", 100.0 * share);
    line += pct + with_commas(done) + "/" + with_commas(target) + " trials, " +
            with_commas(static_cast<std::uint64_t>(rate)) + "/s";
    if (rate > 0.0 && done < target) line += ", ETA " + duration(static_cast<double>(target - done) / rate);
  }
  line += "\033[K";  // erase what a longer previous line left
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace credsim::cli
