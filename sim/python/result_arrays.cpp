#include "sim/python/result_arrays.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <limits>
#include <string>
#include <vector>

#include "sim/report.hpp"

namespace py = pybind11;

namespace credsim::python {
namespace {

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

template <class T>
py::array_t<T> array(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

// Rows of (option, metric, kind, given, n, estimate, std_error, ci_low, ci_high).
struct EstimateColumns {
  std::vector<std::string> option, metric, kind, given;
  std::vector<std::int64_t> n;
  std::vector<double> estimate, std_error, ci_low, ci_high;

  void add(const std::string& option_name, const sim::MetricSpec& spec, const sim::Estimate& e) {
    option.push_back(option_name);
    metric.push_back(spec.name);
    kind.push_back(spec.kind == sim::MetricKind::probability ? "probability" : "mean");
    given.push_back(spec.given);
    n.push_back(static_cast<std::int64_t>(e.n));
    estimate.push_back(e.value.value_or(kAbsent));
    std_error.push_back(e.std_error.value_or(kAbsent));
    ci_low.push_back(e.ci ? e.ci->low : kAbsent);
    ci_high.push_back(e.ci ? e.ci->high : kAbsent);
  }

  // `extra` columns (name, values) go right after `option`, as in paired.csv.
  py::dict to_dict(const std::vector<std::pair<std::string, std::vector<std::string>>>& extra = {}) const {
    py::dict d;
    d["option"] = option;
    for (const auto& [name, values] : extra) d[py::str(name)] = values;
    d["metric"] = metric;
    d["kind"] = kind;
    d["given"] = given;
    d["n"] = array(n);
    d["estimate"] = array(estimate);
    d["std_error"] = array(std_error);
    d["ci_low"] = array(ci_low);
    d["ci_high"] = array(ci_high);
    return d;
  }
};

}  // namespace

py::dict summary_columns(const sim::OutcomeLayout& layout, const sim::Tally& tally) {
  EstimateColumns c;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const auto& opt = layout.options[o];
    for (std::size_t m = 0; m < opt.metrics.size(); ++m)
      c.add(opt.name, opt.metrics[m], sim::estimate_metric(opt.metrics[m], tally.metric[o][m]));
  }
  return c.to_dict();
}

py::dict paired_columns(const sim::OutcomeLayout& layout, const sim::Tally& tally) {
  EstimateColumns c;
  std::vector<std::string> baseline;
  if (!layout.options.empty()) {
    const auto& base = layout.options[layout.baseline];
    for (std::size_t o = 0; o < layout.options.size(); ++o) {
      if (o == layout.baseline) continue;
      for (std::size_t m = 0; m < layout.common_metrics; ++m) {
        c.add(layout.options[o].name, base.metrics[m], sim::estimate_difference(base.metrics[m], tally.paired[o][m]));
        baseline.push_back(base.name);
      }
    }
  }
  return c.to_dict({{"baseline", baseline}});
}

py::dict survival_columns(const sim::OutcomeLayout& layout, const sim::Tally& tally) {
  std::vector<std::string> option, curve;
  std::vector<std::int64_t> t, at_risk, survivors;
  std::vector<double> survival, ci_low, ci_high;
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t c = 0; c < layout.survival_curves.size(); ++c) {
      const sim::Survival& sv = tally.survival[o][c];
      for (int k = 0; k <= sv.horizon(); ++k) {
        const sim::Estimate e = sim::estimate_survival(sv, k);
        option.push_back(layout.options[o].name);
        curve.push_back(layout.survival_curves[c].name);
        t.push_back(k);
        at_risk.push_back(static_cast<std::int64_t>(sv.at_risk));
        survivors.push_back(static_cast<std::int64_t>(sv.survivors(k).k));
        survival.push_back(e.value.value_or(kAbsent));
        ci_low.push_back(e.ci ? e.ci->low : kAbsent);
        ci_high.push_back(e.ci ? e.ci->high : kAbsent);
      }
    }
  }
  py::dict d;
  d["option"] = option;
  d["curve"] = curve;
  d["t"] = array(t);
  d["at_risk"] = array(at_risk);
  d["survivors"] = array(survivors);
  d["survival"] = array(survival);
  d["ci_low"] = array(ci_low);
  d["ci_high"] = array(ci_high);
  return d;
}

}  // namespace credsim::python
