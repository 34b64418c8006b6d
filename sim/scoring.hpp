#pragma once
// Scores of probability forecasts of yes/no events: how far predictions were
// from what happened. Knows nothing of what the events are.
//
// - Brier score: mean of (p - y)^2; 0 is perfect, 0.25 is a constant 1/2.
// - Log loss: mean of -ln(probability given to what happened), with p first
//   clamped to [floor, 1 - floor] so that one confident miss costs at most
//   -ln(floor) instead of infinity; lower is better.
// - ROC AUC: the chance that a random event case got a higher forecast than
//   a random non-event case, ties counting one half (Mann-Whitney); 0.5 is no
//   discrimination. Not defined without both kinds of case.
#include <cstddef>
#include <optional>
#include <vector>

namespace credsim::sim {

inline constexpr double kDefaultLogFloor = 0.01;

// Each throws DomainError when the lists differ in length, are empty, or a
// forecast is outside [0, 1] or not finite.
double brier_score(const std::vector<double>& p, const std::vector<bool>& y);
double log_loss(const std::vector<double>& p, const std::vector<bool>& y, double floor = kDefaultLogFloor);
std::optional<double> roc_auc(const std::vector<double>& p, const std::vector<bool>& y);

// The per-case terms of the two scores (their means are the scores), for paired comparisons.
std::vector<double> brier_terms(const std::vector<double>& p, const std::vector<bool>& y);
std::vector<double> log_loss_terms(const std::vector<double>& p, const std::vector<bool>& y,
                                   double floor = kDefaultLogFloor);

// Mean of x and its standard error sd/sqrt(n) (absent for n < 2).
struct MeanSe {
  std::size_t n = 0;
  double mean = 0.0;
  std::optional<double> std_error;
};
MeanSe mean_se(const std::vector<double>& x);

}  // namespace credsim::sim
