#include "sim/trial_model.hpp"

#include <algorithm>

namespace credsim::sim {

TrialRecord::TrialRecord(const OutcomeLayout& layout) {
  std::size_t total = 0;
  for (const auto& option : layout.options) {
    offset_.push_back(total);
    total += option.metrics.size();
  }
  values_.assign(total, 0.0);
  present_.assign(total, 0);
  weights_.assign(total, 0.0);
  weighted_.assign(total, 0);
  curves_ = layout.survival_curves.size();
  at_risk_.assign(layout.options.size() * curves_, 0);
  event_time_.assign(layout.options.size() * curves_, 0);
}

void TrialRecord::clear() {
  std::fill(present_.begin(), present_.end(), 0);
  std::fill(weighted_.begin(), weighted_.end(), 0);
  std::fill(at_risk_.begin(), at_risk_.end(), 0);
  std::fill(event_time_.begin(), event_time_.end(), 0);
}

}  // namespace credsim::sim
