#pragma once
// The floor of one trial: the time to draw the same random numbers and
// evaluate the same transcendental functions as the fast model, with nothing
// else (no model arithmetic, no outcomes, no tally). Shared by the kernel and
// the whole-run benchmarks (models/PERFORMANCE.md, "The floor").
#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/fast_model.hpp"
#include "sim/rng.hpp"
#include "sim/trial_model.hpp"

namespace credsim::bench {

// Mean counts per trial, measured by running the fast model.
struct FloorWork {
  std::uint64_t trials = 0;
  double uniforms = 0, normals = 0, quantiles = 0, exps = 0, logs = 0;
};

inline FloorWork measure_floor_work(const model::FastCredibilityModel& m, std::uint64_t trials = 4000,
                                    std::uint64_t seed = 1) {
  auto ws = m.make_workspace();
  sim::TrialRecord record(m.layout());
  for (std::uint64_t t = 0; t < trials; ++t) {
    record.clear();
    m.run_trial(seed, t, *ws, record);
  }
  const auto& c = model::FastCredibilityModel::counts(*ws);
  const double n = static_cast<double>(c.trials);
  return {c.trials, c.uniforms / n, c.normals / n, c.quantiles / n, c.exps / n, c.logs / n};
}

// Replays FloorWork trial by trial; fractional counts carry over between trials.
class Floor {
 public:
  Floor(const model::Scenario& s, const FloorWork& w) : s_(s), w_(w), u_(s.uncertain.size()) {
    batch_.setZero(static_cast<Eigen::Index>(std::ceil(w.exps)) + 16);
    // The successor law of the first guarantor stands for all (the fast model
    // draws a quantile per needed government change).
    if (!s.base.guarantors.empty()) successor_ = &s.base.guarantors[0].successor_resolve;
  }

  // One trial's floor; returns a value that depends on every draw (keep it).
  double trial(std::uint64_t seed, std::uint64_t trial) {
    double sink = 0.0;
    // 1. The parameter draw: the very same calls as both models.
    if (!s_.uncertain.empty()) {
      sim::RngStream stream(seed, trial, sim::Purpose::parameters);
      s_.copula.sample_uniforms(stream, u_);
      for (std::size_t i = 0; i < s_.uncertain.size(); ++i) sink += s_.uncertain[i].distribution.quantile(u_[i]);
    }
    // 2. The other draws, from streams created as the model creates them (one per use).
    sim::RngStream rng(seed, trial, sim::Purpose::decision);
    for (int i = take(acc_u_, w_.uniforms); i > 0; --i) sink += rng.uniform();
    for (int i = take(acc_n_, w_.normals); i > 0; --i) sink += rng.normal();
    for (int i = take(acc_q_, w_.quantiles); i > 0; --i) sink += successor_ ? successor_->quantile(rng.uniform()) : 0.0;
    // 3. exp, in batches with Eigen's vectorised exp as the model does, and log.
    const int n_exp = take(acc_e_, w_.exps);
    const Eigen::Index n_pad = (n_exp + 7) / 8 * 8;
    for (Eigen::Index i = 0; i < n_pad; ++i) batch_[i] = 1e-3 * static_cast<double>(i) - sink * 1e-9;
    sink += (1.0 / (1.0 + (-batch_.head(n_pad)).exp())).sum();
    for (int i = take(acc_l_, w_.logs); i > 0; --i) sink += std::log(0.25 + 1e-3 * i + sink * 1e-12);
    return sink;
  }

 private:
  static int take(double& acc, double per_trial) {
    acc += per_trial;
    const double n = std::floor(acc);
    acc -= n;
    return static_cast<int>(n);
  }

  const model::Scenario& s_;
  FloorWork w_;
  std::vector<double> u_;
  Eigen::ArrayXd batch_;
  const sim::Distribution* successor_ = nullptr;
  double acc_u_ = 0, acc_n_ = 0, acc_q_ = 0, acc_e_ = 0, acc_l_ = 0;
};

}  // namespace credsim::bench
