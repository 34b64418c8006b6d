#include "sim/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "sim/text_columns.hpp"

namespace credsim::sim {

namespace {

// Mean +- 1.96 SE, inside [0, 1] for a probability; no spread from one observation.
Estimate normal_estimate(const MetricSpec& spec, std::uint64_t n, double mean, double std_error) {
  Estimate e;
  e.n = n;
  e.value = mean;
  if (n < 2) return e;
  e.std_error = std_error;
  const double h = kZ95 * std_error;
  e.ci = Interval{mean - h, mean + h};
  if (spec.kind == MetricKind::probability) e.ci = Interval{std::max(0.0, e.ci->low), std::min(1.0, e.ci->high)};
  return e;
}

}  // namespace

Estimate estimate_metric(const MetricSpec& spec, const MetricTally& tally) {
  if (spec.ratio) {
    const WeightedMean& w = tally.weighted;
    if (w.weight == 0.0) return {};  // the condition was impossible in every trial
    Estimate e = normal_estimate(spec, w.n, w.mean, w.std_error());
    if (!w.spread_known()) {  // about one trial's worth of weight
      e.std_error.reset();
      e.ci.reset();
    }
    return e;
  }
  if (spec.kind == MetricKind::probability && !spec.expected) {
    Estimate e;
    const Proportion& p = tally.proportion;
    e.n = p.n;
    if (p.n == 0) return e;
    const double x = p.estimate();
    e.value = x;
    e.std_error = std::sqrt(x * (1.0 - x) / static_cast<double>(p.n));
    e.ci = p.wilson();
    return e;
  }
  const Moments& m = tally.moments;
  if (m.n == 0) return {};
  return normal_estimate(spec, m.n, m.mean, m.std_error());
}

Estimate estimate_difference(const MetricSpec& spec, const Moments& differences) {
  MetricSpec mean_spec;
  mean_spec.kind = MetricKind::mean;
  MetricTally t;
  t.moments = differences;
  Estimate e = estimate_metric(mean_spec, t);
  // Expected values are not 0/1: their differences are plain means.
  if (spec.kind != MetricKind::probability || spec.expected || !e.std_error) return e;
  // Differences of 0/1 outcomes are -1, 0 or 1, so (n, mean, M2) give back the
  // discordant pair counts: b - c = n * mean and b + c = M2 + n * mean^2.
  const double n = static_cast<double>(differences.n);
  const double net = std::round(n * differences.mean);
  const double discordant = std::clamp(std::round(differences.m2 + n * differences.mean * differences.mean),
                                       std::fabs(net), n);
  const double b = 0.5 * (discordant + net) + 0.5;  // Agresti & Min (2005): add 1/2 to each of the four cells
  const double c = 0.5 * (discordant - net) + 0.5;
  const double na = n + 2.0;
  const double d = (b - c) / na;
  const double half = kZ95 * std::sqrt(std::max(0.0, (b + c) - (b - c) * (b - c) / na)) / na;
  e.ci = Interval{std::max(-1.0, d - half), std::min(1.0, d + half)};
  return e;
}

Estimate estimate_survival(const Survival& survival, int t) {
  if (t == 0 && survival.at_risk > 0) return {survival.at_risk, 1.0, 0.0, Interval{1.0, 1.0}};  // by definition
  MetricSpec prob_spec;
  prob_spec.kind = MetricKind::probability;
  MetricTally tally;
  tally.proportion = survival.survivors(t);
  return estimate_metric(prob_spec, tally);
}

namespace {

constexpr std::size_t kMinLabel = 24;
constexpr std::size_t kMaxLabel = 40;

// Shortens to `width` columns without cutting a UTF-8 sequence, marking the cut with "~".
std::string fit(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s + std::string(width - display_width(s), ' ');
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && cols == width - 1) break;
    if (starts) ++cols;
    out += s[i];
  }
  return out + "~";
}

std::string right(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string number(double x) {
  char buf[48];
  std::snprintf(buf, sizeof buf, std::fabs(x) < 1000.0 ? "%.4f" : "%.4g", x);
  std::string s = buf;
  if (s == "-0.0000") s = "0.0000";  // a rounded tiny negative is not a sign worth showing
  return s;
}

// 1234567 -> "1,234,567".
std::string count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string interval_text(const Estimate& e, const std::string& given) {
  if (!e.value) return given.empty() ? "(no trials)" : "(no " + given + " in any trial)";
  if (!e.ci) return "(one trial: no interval)";
  std::string s(1, '[');  // appending, not "[" + ...: GCC 12 warns falsely (-Wrestrict) on the latter
  s += number(e.ci->low);
  s += ", ";
  s += number(e.ci->high);
  return s + "]";
}

struct Row {
  std::string label;
  Estimate estimate;
  std::string given;
  bool show_n = false;
  bool mark = false;  // paired table: the interval excludes 0
};

void print_rows(std::ostringstream& out, const std::vector<Row>& rows, const char* value_title,
                std::size_t label_width) {
  out << "  " << fit("Metric", label_width) << "  " << right(value_title, 10) << "  " << fit("95% interval", 24)
      << "  " << right("n", 11) << "\n";
  for (const Row& r : rows) {
    std::string line = "  " + fit(r.label, label_width) + "  " +
                       right(r.estimate.value ? number(*r.estimate.value) : "n/a", 10) + "  " +
                       fit(interval_text(r.estimate, r.given), 24) + "  " +
                       right(r.show_n ? count(r.estimate.n) : "", 11);
    if (r.mark) line += "  *";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

std::string option_title(const OptionLayout& o) {
  return o.label == o.name ? o.name : o.label + " [" + o.name + "]";
}

}  // namespace

std::vector<MetricSpec> glossary(const OutcomeLayout& layout) {
  std::vector<MetricSpec> out;
  for (const auto& o : layout.options) {
    for (const auto& m : o.metrics) {
      const bool seen = std::any_of(out.begin(), out.end(), [&](const MetricSpec& x) { return x.name == m.name; });
      if (!seen) out.push_back(m);
    }
  }
  return out;
}

std::string format_glossary(const OutcomeLayout& layout) {
  std::ostringstream out;
  out << "\nGlossary (the metrics above; summary.json has every metric):\n";
  for (const MetricSpec& m : glossary(layout)) {
    if ((!m.headline && m.table.empty()) || m.definition.empty()) continue;
    out << "  " << m.label << ": " << m.definition << " (" << m.unit
        << (m.given.empty() ? "; over all trials" : "; over the trials with: " + m.given) << ").\n";
  }
  return out.str();
}

namespace {

// The secondary tables (MetricSpec::table), in order of first appearance: one
// row per option, one column per metric, each estimate with its 95%
// interval, so that they add a few lines, not a block per option.
void print_secondary_tables(std::ostringstream& out, const OutcomeLayout& layout, const Tally& tally) {
  const std::vector<MetricSpec> metrics = glossary(layout);
  std::vector<std::string> tables;
  for (const MetricSpec& m : metrics)
    if (!m.headline && !m.table.empty() && std::find(tables.begin(), tables.end(), m.table) == tables.end())
      tables.push_back(m.table);
  std::size_t name_width = 6;
  for (const auto& o : layout.options) name_width = std::max(name_width, display_width(o.name));
  for (const std::string& table : tables) {
    std::vector<const MetricSpec*> columns;
    for (const MetricSpec& m : metrics)
      if (!m.headline && m.table == table) columns.push_back(&m);
    // "0.3596 [0.3420, 0.3775]": an estimate and its interval.
    constexpr std::size_t kCellWidth = 23;
    const auto width = [&](const MetricSpec* c) { return std::max(kCellWidth, display_width(c->label)); };
    out << "\n" << table << " (95% intervals as above; summary.csv has n):\n  " << fit("Option", name_width);
    for (const MetricSpec* c : columns) out << "  " << right(c->label, width(c));
    out << "\n";
    for (std::size_t o = 0; o < layout.options.size(); ++o) {
      std::string line = "  " + fit(layout.options[o].name, name_width);
      const auto& specs = layout.options[o].metrics;
      for (const MetricSpec* c : columns) {
        const auto at = std::find_if(specs.begin(), specs.end(), [&](const MetricSpec& s) { return s.name == c->name; });
        const Estimate e = at == specs.end()
                               ? Estimate{}
                               : estimate_metric(*at, tally.metric[o][static_cast<std::size_t>(at - specs.begin())]);
        // A value the scenario fixes is not an estimate: no interval to show.
        const std::string cell = !e.value                ? "n/a"
                                 : at->fixed_by_scenario ? number(*e.value) + " (by design)"
                                                         : number(*e.value) + " " + interval_text(e, c->given);
        line += "  " + right(cell, width(c));
      }
      out << line << "\n";
    }
  }
}

}  // namespace

std::string intervals_meaning(const RunInfo& info) {
  if (info.worlds == 0)
    return "Monte Carlo error only: the intervals say how precisely these trials estimate each number, "
           "not how uncertain the scenario's inputs are";
  return "Pooled over " + std::to_string(info.worlds) +
         " plausible worlds (the epistemic fields drawn once per world): the intervals are Monte Carlo "
         "error of the pooled trials and leave out the spread between worlds, which is reported apart "
         "(across worlds, 5-95%)";
}

std::string format_report(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info) {
  std::ostringstream out;
  out << "credsim " << info.version << ": scenario " << info.scenario_name;
  if (!info.scenario_file.empty()) out << " (" << info.scenario_file << ")";
  out << ", seed " << info.seed << ", " << count(tally.trials) << " trials\n";
  if (!info.scenario_sha256.empty()) out << "scenario sha256 " << info.scenario_sha256 << "\n";
  out << "Estimates with 95% intervals (probabilities Wilson score, means +/- 1.96 standard errors).\n"
      << wrap_words(intervals_meaning(info) + ".", 96) << "\nn = trials in which the condition after \"|\" held.\n";

  std::size_t label_width = kMinLabel;
  for (const auto& o : layout.options)
    for (const auto& m : o.metrics)
      if (m.headline) label_width = std::max(label_width, std::min(kMaxLabel, display_width(m.label)));

  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const OptionLayout& opt = layout.options[o];
    const bool mark_baseline = o == layout.baseline && layout.options.size() > 1 &&
                               opt.label.find("baseline") == std::string::npos;  // some labels already say so
    out << "\n" << option_title(opt) << (mark_baseline ? "  (baseline)" : "") << "\n";
    std::vector<Row> rows;
    for (std::size_t m = 0; m < opt.metrics.size(); ++m) {
      const MetricSpec& spec = opt.metrics[m];
      if (!spec.headline) continue;
      rows.push_back({spec.label, estimate_metric(spec, tally.metric[o][m]), spec.given, !spec.given.empty(), false});
    }
    print_rows(out, rows, "Estimate", label_width);
  }

  if (layout.options.size() > 1 && layout.baseline < layout.options.size()) {
    const OptionLayout& base = layout.options[layout.baseline];
    out << "\nPaired differences: each option minus the baseline option,\n  " << option_title(base) << ",\n"
           "on the same trials; * = the 95% interval excludes 0. A conditional metric is compared on\n"
           "the trials in which its condition held under both options (n). Intervals: Agresti-Min\n"
           "for probabilities, +/- 1.96 standard errors for means.\n";
    for (std::size_t o = 0; o < layout.options.size(); ++o) {
      if (o == layout.baseline) continue;
      out << "\n" << option_title(layout.options[o]) << "\n";
      std::vector<Row> rows;
      for (std::size_t m = 0; m < layout.common_metrics && m < base.metrics.size(); ++m) {
        const MetricSpec& spec = base.metrics[m];
        if (!spec.headline) continue;
        Row r{spec.label, estimate_difference(spec, tally.paired[o][m]), spec.given, !spec.given.empty(), false};
        r.mark = r.estimate.ci && (r.estimate.ci->low > 0.0 || r.estimate.ci->high < 0.0);
        rows.push_back(r);
      }
      print_rows(out, rows, "Difference", label_width);
    }
  }

  print_secondary_tables(out, layout, tally);

  if (info.precision_target > 0.0) {
    const WidestInterval w = widest_headline_interval(layout, tally);
    out << "\nPrecision: widest 95% half-width among the headline probabilities is " << number(w.half_width)
        << " (target " << info.precision_target << ").\n";
  }
  out << format_glossary(layout);
  return out.str();
}

}  // namespace credsim::sim
