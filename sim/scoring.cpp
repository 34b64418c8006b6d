#include "sim/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/errors.hpp"

namespace credsim::sim {
namespace {

void check(const std::vector<double>& p, const std::vector<bool>& y) {
  if (p.size() != y.size()) {
    throw DomainError("scores: " + std::to_string(p.size()) + " forecasts but " + std::to_string(y.size()) +
                      " outcomes");
  }
  if (p.empty()) throw DomainError("scores: no forecasts to score");
  for (double x : p) {
    if (!std::isfinite(x) || x < 0.0 || x > 1.0) {
      throw DomainError("scores: a forecast is " + std::to_string(x) + ", but must be a probability in [0, 1]");
    }
  }
}

double mean(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

}  // namespace

std::vector<double> brier_terms(const std::vector<double>& p, const std::vector<bool>& y) {
  check(p, y);
  std::vector<double> terms(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double d = p[i] - (y[i] ? 1.0 : 0.0);
    terms[i] = d * d;
  }
  return terms;
}

std::vector<double> log_loss_terms(const std::vector<double>& p, const std::vector<bool>& y, double floor) {
  check(p, y);
  if (!(floor > 0.0 && floor < 0.5)) {
    throw DomainError("log loss: the floor is " + std::to_string(floor) + ", but must be in (0, 0.5)");
  }
  std::vector<double> terms(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double q = std::clamp(p[i], floor, 1.0 - floor);
    terms[i] = -std::log(y[i] ? q : 1.0 - q);
  }
  return terms;
}

double brier_score(const std::vector<double>& p, const std::vector<bool>& y) { return mean(brier_terms(p, y)); }

double log_loss(const std::vector<double>& p, const std::vector<bool>& y, double floor) {
  return mean(log_loss_terms(p, y, floor));
}

std::optional<double> roc_auc(const std::vector<double>& p, const std::vector<bool>& y) {
  check(p, y);
  // Pairs (event, non-event): 1 when the event got the higher forecast, 1/2 on a tie.
  double wins = 0.0;
  std::size_t events = 0, non_events = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!y[i]) {
      ++non_events;
      continue;
    }
    ++events;
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (y[j]) continue;
      wins += p[i] > p[j] ? 1.0 : p[i] == p[j] ? 0.5 : 0.0;
    }
  }
  if (events == 0 || non_events == 0) return std::nullopt;
  return wins / (static_cast<double>(events) * static_cast<double>(non_events));
}

MeanSe mean_se(const std::vector<double>& x) {
  MeanSe r;
  r.n = x.size();
  if (x.empty()) return r;
  r.mean = mean(x);
  if (x.size() < 2) return r;
  double ss = 0.0;
  for (double v : x) ss += (v - r.mean) * (v - r.mean);
  r.std_error = std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
  return r;
}

}  // namespace credsim::sim
