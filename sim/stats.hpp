#pragma once
// Mergeable accumulators: sufficient statistics with an exact, associative-in-
// structure `+=`; intervals are computed only when read. Merging in a fixed
// order gives bitwise-identical results however the work was split.
#include <cstdint>
#include <vector>

namespace credsim::sim {

inline constexpr double kZ95 = 1.959963984540054;  // Phi^{-1}(0.975)

struct Interval {
  double low = 0.0;
  double high = 0.0;
  double half_width() const { return 0.5 * (high - low); }
};

// A probability estimated from k successes in n Bernoulli trials.
struct Proportion {
  std::uint64_t n = 0;
  std::uint64_t k = 0;

  void add(bool success) {
    ++n;
    k += success ? 1 : 0;
  }
  Proportion& operator+=(const Proportion& o) {
    n += o.n;
    k += o.k;
    return *this;
  }
  double estimate() const { return n ? static_cast<double>(k) / static_cast<double>(n) : 0.0; }
  // Wilson score interval; [0, 1] when n = 0.
  Interval wilson(double z = kZ95) const;
};

// Count, mean and sum of squared deviations (Welford; Chan et al. to merge).
struct Moments {
  std::uint64_t n = 0;
  double mean = 0.0;
  double m2 = 0.0;

  void add(double x) {
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
  }
  Moments& operator+=(const Moments& o);
  double variance() const { return n > 1 ? m2 / static_cast<double>(n - 1) : 0.0; }
  double std_error() const;
  // Normal-approximation interval mean +- z * SE.
  Interval interval(double z = kZ95) const;
};

// A ratio of weighted sums, sum(w*y) / sum(w), over every trial: the mean of
// y given a condition whose probability w is known per trial (a ratio
// estimator). Its standard error is the delta method's,
// sqrt(n/(n-1) * sum(w^2 (y - R)^2)) / sum(w). Kept as sums about the current
// ratio (West's weighted update, Chan-style merge) so they stay accurate.
struct WeightedMean {
  std::uint64_t n = 0;      // trials, including those of weight 0
  double weight = 0.0;      // sum of w
  double weight_sq = 0.0;   // sum of w^2
  double mean = 0.0;        // the ratio R
  double lin = 0.0;         // sum of w^2 (y - R)
  double sq = 0.0;          // sum of w^2 (y - R)^2

  void add(double w, double y);
  WeightedMean& operator+=(const WeightedMean& o);
  // Absent (0) when the weights sum to 0: the condition is impossible on every trial seen.
  double std_error() const;
  // Kish's effective sample size, (sum w)^2 / sum w^2: below 2 the weights rest
  // on about one trial, and the spread says nothing (as a mean of one).
  double effective_n() const { return weight_sq > 0.0 ? weight * weight / weight_sq : 0.0; }
  bool spread_known() const { return effective_n() >= 2.0; }

 private:
  void move_mean_to(double new_mean);
};

// Survival of "no event by t" for t = 0..T, among subjects at risk from t = 0.
// Every subject is followed to T or to its event (no censoring), so S(t) is a
// binomial proportion at each t and gets a Wilson interval.
struct Survival {
  std::uint64_t at_risk = 0;
  std::vector<std::uint64_t> events;  // events[t-1]: events at period t, t = 1..T

  explicit Survival(int horizon = 0) : events(static_cast<std::size_t>(horizon), 0) {}
  void add(bool entered, int event_time) {  // event_time 0: no event through T
    if (!entered) return;
    ++at_risk;
    if (event_time > 0) ++events[static_cast<std::size_t>(event_time - 1)];
  }
  Survival& operator+=(const Survival& o);
  int horizon() const { return static_cast<int>(events.size()); }
  // Proportion "no event by t" (t = 0 gives everyone).
  Proportion survivors(int t) const;
};

}  // namespace credsim::sim
