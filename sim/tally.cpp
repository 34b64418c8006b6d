#include "sim/tally.hpp"

#include "sim/errors.hpp"

namespace credsim::sim {

Tally::Tally(const OutcomeLayout& layout) {
  for (const auto& option : layout.options) {
    metric.emplace_back(option.metrics.size());
    survival.emplace_back(layout.survival_curves.size(), Survival(layout.horizon));
    paired.emplace_back(layout.common_metrics);
  }
}

void Tally::add(const OutcomeLayout& layout, const TrialRecord& record) {
  ++trials;
  const std::size_t base = layout.baseline;
  for (std::size_t o = 0; o < metric.size(); ++o) {
    const auto& specs = layout.options[o].metrics;
    for (std::size_t m = 0; m < specs.size(); ++m) {
      if (record.weighted(o, m)) metric[o][m].weighted.add(record.weight(o, m), record.value(o, m));
      if (!record.present(o, m)) continue;
      const double v = record.value(o, m);
      if (specs[m].kind == MetricKind::probability && !specs[m].expected) metric[o][m].proportion.add(v != 0.0);
      metric[o][m].moments.add(v);
    }
    for (std::size_t c = 0; c < survival[o].size(); ++c) survival[o][c].add(record.at_risk(o, c), record.event_time(o, c));
    for (std::size_t m = 0; m < layout.common_metrics; ++m) {
      if (record.present(o, m) && record.present(base, m)) paired[o][m].add(record.value(o, m) - record.value(base, m));
    }
  }
}

Tally& Tally::operator+=(const Tally& other) {
  trials += other.trials;
  for (std::size_t o = 0; o < metric.size(); ++o) {
    for (std::size_t m = 0; m < metric[o].size(); ++m) metric[o][m] += other.metric[o][m];
    if (other.survival[o].size() != survival[o].size())
      throw RunError("internal: merging tallies with different numbers of survival curves");
    for (std::size_t c = 0; c < survival[o].size(); ++c) survival[o][c] += other.survival[o][c];
    for (std::size_t m = 0; m < paired[o].size(); ++m) paired[o][m] += other.paired[o][m];
  }
  return *this;
}

WidestInterval widest_headline_interval(const OutcomeLayout& layout, const Tally& tally) {
  WidestInterval widest;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const auto& specs = layout.options[o].metrics;
    for (std::size_t m = 0; m < specs.size(); ++m) {
      if (!specs[m].headline || specs[m].kind != MetricKind::probability) continue;
      // A condition never met (e.g. no attack at all) carries no information to refine.
      const MetricTally& t = tally.metric[o][m];
      if (specs[m].ratio) {
        // No weight yet: the condition was impossible in every trial so far.
        if (t.weighted.weight == 0.0) continue;
        const double h = !t.weighted.spread_known() ? 0.5 : kZ95 * t.weighted.std_error();
        if (h > widest.half_width) widest = {h, o, m};
        continue;
      }
      if ((specs[m].expected ? t.moments.n : t.proportion.n) == 0) continue;
      // An expected value seen once says nothing of its spread: as wide as can be.
      const double h = !specs[m].expected ? t.proportion.wilson().half_width()
                       : t.moments.n < 2  ? 0.5
                                          : kZ95 * t.moments.std_error();
      if (h > widest.half_width) widest = {h, o, m};
    }
  }
  return widest;
}

}  // namespace credsim::sim
