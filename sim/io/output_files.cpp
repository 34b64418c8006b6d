#include "sim/io/output_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#include "sim/errors.hpp"
#include "sim/io/csv_text.hpp"
#include "sim/report.hpp"

namespace credsim::sim::io {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string reason(int err) { return std::strerror(err); }

fs::path temp_name(const fs::path& path) {
  return fs::path(path.string() + ".tmp." + std::to_string(static_cast<long long>(::getpid())));
}

// Durability of the rename itself; a failure here is not worth failing the run for.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void check_finite(double x, const std::string& where) {
  if (!std::isfinite(x))
    throw OutputError("refusing to write a non-finite value (" + std::to_string(x) + ") for " + where +
                      "; this is a bug in the model");
}

// Shortest text that reads back to the same double: files compare bitwise.
std::string number(double x, const std::string& where) {
  check_finite(x, where);
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}


const char* kind_name(MetricKind k) { return k == MetricKind::probability ? "probability" : "mean"; }

// Header comment lines: pandas skips them with read_csv(..., comment='#').
std::string provenance_comments(const RunInfo& info, const std::string& what, bool with_trials = true) {
  std::string s = "# credsim " + what + "\n";
  s += "# scenario: " + one_line(info.scenario_name) + "\n";
  s += "# scenario_file: " + one_line(info.scenario_file) + "\n";
  s += "# scenario_sha256: " + one_line(info.scenario_sha256) + "\n";
  for (const std::string& o : info.overrides) s += "# set: " + one_line(o) + "\n";
  s += "# seed: " + std::to_string(info.seed) + "\n";
  if (with_trials) s += "# trials: " + std::to_string(info.trials) + "\n";
  s += "# precision_target: " + number(info.precision_target, "precision_target") + "\n";
  if (info.worlds > 0) {
    s += "# worlds: " + std::to_string(info.worlds) + "\n";
    s += "# trials_per_world: " + std::to_string(info.trials_per_world) + "\n";
  }
  s += "# version: " + one_line(info.version) + "\n";
  return s;
}

const char* kIntervalNote =
    "# intervals: 95%; probabilities Wilson score, means estimate +/- 1.96 SE; "
    "empty = not estimable (no trial met the condition)\n";
const char* kPairedNote =
    "# intervals: 95%; probability differences Agresti-Min (matched pairs), mean differences estimate +/- 1.96 SE; "
    "empty = not estimable\n";

// The estimate's cells: n, estimate, std_error, ci_low, ci_high (empty when absent).
std::string estimate_cells(const Estimate& e, const std::string& where) {
  std::string s = std::to_string(e.n) + ",";
  s += (e.value ? number(*e.value, where) : "") + ",";
  s += (e.std_error ? number(*e.std_error, where) : "") + ",";
  s += (e.ci ? number(e.ci->low, where) : "") + ",";
  s += e.ci ? number(e.ci->high, where) : "";
  return s;
}

Json json_number(const std::optional<double>& x, const std::string& where) {
  if (!x) return nullptr;
  check_finite(*x, where);
  return *x;
}

void put_estimate(Json& j, const Estimate& e, const std::string& where) {
  j["n"] = e.n;
  j["estimate"] = json_number(e.value, where);
  j["std_error"] = json_number(e.std_error, where);
  j["ci_low"] = e.ci ? json_number(e.ci->low, where) : Json(nullptr);
  j["ci_high"] = e.ci ? json_number(e.ci->high, where) : Json(nullptr);
}

Json metric_json(const MetricSpec& spec, const Estimate& e, const std::string& where) {
  Json j;
  j["name"] = spec.name;
  j["label"] = spec.label;
  j["kind"] = kind_name(spec.kind);
  j["given"] = spec.given;
  // Only under conditional Monte Carlo, so plain runs keep their bytes.
  if (spec.ratio)
    j["estimated_by"] = "ratio over every trial: sum of P(" + spec.given + ") x value / sum of P(" + spec.given + ")";
  else if (spec.expected)
    j["estimated_by"] = "mean of conditional probabilities";
  put_estimate(j, e, where);
  return j;
}

Json survival_json(const SurvivalSpec& spec, const Survival& s, const std::string& where) {
  Json j;
  j["name"] = spec.name;
  j["label"] = spec.label;
  j["definition"] = spec.definition;
  j["given"] = spec.given;
  j["at_risk"] = s.at_risk;
  Json survivors = Json::array(), estimate = Json::array(), low = Json::array(), high = Json::array();
  for (int t = 0; t <= s.horizon(); ++t) {
    const Estimate e = estimate_survival(s, t);
    survivors.push_back(s.survivors(t).k);
    estimate.push_back(json_number(e.value, where));
    low.push_back(e.ci ? json_number(e.ci->low, where) : Json(nullptr));
    high.push_back(e.ci ? json_number(e.ci->high, where) : Json(nullptr));
  }
  j["survivors"] = std::move(survivors);
  j["survival"] = std::move(estimate);
  j["ci_low"] = std::move(low);
  j["ci_high"] = std::move(high);
  return j;
}

std::string where(const OutcomeLayout& layout, std::size_t o, const std::string& metric) {
  return "option '" + layout.options[o].name + "', " + metric;
}

}  // namespace

namespace {

// Writes `bytes` to the temp name of `path` and fsyncs it; returns that name.
fs::path write_temp_file(const fs::path& path, std::string_view bytes) {
  const fs::path temp = temp_name(path);
  auto fail = [&](const std::string& step, int err) {
    ::unlink(temp.c_str());
    throw OutputError("cannot write '" + path.string() + "' (" + step + "): " + reason(err));
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw OutputError("cannot write '" + path.string() + "': " + reason(errno));
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail("write", err);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    fail("fsync", err);
  }
  if (::close(fd) != 0) fail("close", errno);
  return temp;
}

void rename_into_place(const fs::path& temp, const fs::path& path) {
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw OutputError("cannot write '" + path.string() + "' (rename): " + reason(err));
  }
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  rename_into_place(write_temp_file(path, bytes), path);
  sync_directory(path.parent_path());
}

ResultSet::ResultSet(fs::path dir) : dir_(std::move(dir)) {}

ResultSet::~ResultSet() {
  for (const auto& f : files_)
    if (!f.temp.empty()) ::unlink(f.temp.c_str());
}

void ResultSet::add(const std::string& name, std::string_view bytes) {
  files_.push_back({write_temp_file(dir_ / name, bytes), dir_ / name});
}

void ResultSet::add_written(fs::path temp, const std::string& name) {
  files_.push_back({std::move(temp), dir_ / name});
}

std::vector<fs::path> ResultSet::commit() {
  std::error_code ec;
  for (const auto& f : files_)
    if (fs::is_directory(f.path, ec)) throw OutputError("cannot write '" + f.path.string() + "': it is a directory");
  std::vector<fs::path> written;
  for (auto& f : files_) {
    rename_into_place(f.temp, f.path);
    f.temp.clear();  // not ours to remove any more
    written.push_back(f.path);
  }
  files_.clear();
  sync_directory(dir_);
  return written;
}

void ensure_output_dir(const fs::path& dir) {
  const std::string prefix = "cannot write to output directory '" + dir.string() + "': ";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw OutputError(prefix + ec.message());
  if (!fs::is_directory(dir, ec)) throw OutputError(prefix + "it exists and is not a directory");
  // Permissions alone do not tell (read-only mounts, full disks, ACLs): try it.
  const fs::path probe = dir / (".credsim-probe." + std::to_string(static_cast<long long>(::getpid())));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw OutputError(prefix + reason(errno));
  const char byte = 0;
  const bool wrote = ::write(fd, &byte, 1) == 1;
  const int err = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!wrote) throw OutputError(prefix + reason(err));
}

std::string summary_json(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info) {
  Json root;
  root["format"] = "credsim-summary";
  root["format_version"] = 2;  // 2: "survival" is a list of named curves
  Json prov;
  prov["scenario"] = info.scenario_name;
  prov["scenario_file"] = info.scenario_file;
  prov["scenario_sha256"] = info.scenario_sha256;
  if (!info.overrides.empty()) prov["overrides"] = info.overrides;
  prov["seed"] = info.seed;
  prov["trials"] = info.trials;
  prov["precision_target"] = json_number(info.precision_target, "precision_target");
  if (info.worlds > 0) {
    prov["worlds"] = info.worlds;
    prov["trials_per_world"] = info.trials_per_world;
  }
  prov["version"] = info.version;
  prov["parameters"] = info.parameters_provenance;
  root["provenance"] = std::move(prov);
  root["intervals"] = {{"level", 0.95},
                       {"probability", "Wilson score"},
                       {"mean", "normal: estimate +/- 1.96 standard errors"},
                       {"difference",
                        "paired on the same trials; probabilities: Agresti-Min adjusted Wald for matched pairs; "
                        "means: estimate +/- 1.96 standard errors"}};
  root["uncertainty"] = intervals_meaning(info);
  Json terms = Json::object();
  for (const MetricSpec& m : glossary(layout)) {
    terms[m.name] = {{"label", m.label},
                     {"definition", m.definition},
                     {"unit", m.unit},
                     {"over", m.given.empty() ? "all trials" : "the trials with: " + m.given}};
  }
  root["glossary"] = std::move(terms);
  root["baseline"] = layout.options.empty() ? "" : layout.options[layout.baseline].name;
  root["horizon"] = layout.horizon;

  Json options = Json::array();
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const OptionLayout& opt = layout.options[o];
    Json jo;
    jo["name"] = opt.name;
    jo["label"] = opt.label;
    Json metrics = Json::array();
    for (std::size_t m = 0; m < opt.metrics.size(); ++m)
      metrics.push_back(metric_json(opt.metrics[m], estimate_metric(opt.metrics[m], tally.metric[o][m]),
                                    where(layout, o, opt.metrics[m].name)));
    jo["metrics"] = std::move(metrics);
    Json curves = Json::array();
    for (std::size_t c = 0; c < layout.survival_curves.size(); ++c)
      curves.push_back(survival_json(layout.survival_curves[c], tally.survival[o][c],
                                     where(layout, o, "survival " + layout.survival_curves[c].name)));
    jo["survival"] = std::move(curves);
    options.push_back(std::move(jo));
  }
  root["options"] = std::move(options);

  Json paired = Json::array();
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    if (o == layout.baseline) continue;
    Json jo;
    jo["option"] = layout.options[o].name;
    jo["baseline"] = layout.options[layout.baseline].name;
    Json metrics = Json::array();
    for (std::size_t m = 0; m < layout.common_metrics; ++m) {
      const MetricSpec& spec = layout.options[layout.baseline].metrics[m];
      metrics.push_back(metric_json(spec, estimate_difference(spec, tally.paired[o][m]),
                                    where(layout, o, spec.name + " minus baseline")));
    }
    jo["metrics"] = std::move(metrics);
    paired.push_back(std::move(jo));
  }
  root["paired_differences"] = std::move(paired);
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// Under conditional Monte Carlo some probabilities are means of per-trial
// probabilities or ratios, not counts (plain runs keep their bytes).
const char* kConditionalNote =
    "# conditional estimator: metrics summary.json marks \"estimated_by\" have estimate +/- 1.96 SE "
    "(within [0, 1] for probabilities); a ratio metric's n is every trial\n";

std::string summary_csv(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info) {
  std::string s = provenance_comments(info, "summary: one row per option and metric");
  s += kIntervalNote;
  const auto conditional = [](const OptionLayout& o) {
    return std::any_of(o.metrics.begin(), o.metrics.end(), [](const MetricSpec& m) { return m.expected || m.ratio; });
  };
  if (std::any_of(layout.options.begin(), layout.options.end(), conditional)) s += kConditionalNote;
  s += "option,metric,kind,given,n,estimate,std_error,ci_low,ci_high\n";
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    const OptionLayout& opt = layout.options[o];
    for (std::size_t m = 0; m < opt.metrics.size(); ++m) {
      const MetricSpec& spec = opt.metrics[m];
      s += csv_field(opt.name) + "," + csv_field(spec.name) + "," + kind_name(spec.kind) + "," +
           csv_field(spec.given) + "," +
           estimate_cells(estimate_metric(spec, tally.metric[o][m]), where(layout, o, spec.name)) + "\n";
    }
  }
  return s;
}

std::string paired_csv(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info) {
  std::string s = provenance_comments(info, "paired differences: option minus baseline, on the same trials");
  s += kPairedNote;
  s += "option,baseline,metric,kind,given,n,estimate,std_error,ci_low,ci_high\n";
  if (layout.options.empty()) return s;
  const OptionLayout& base = layout.options[layout.baseline];
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    if (o == layout.baseline) continue;
    for (std::size_t m = 0; m < layout.common_metrics; ++m) {
      const MetricSpec& spec = base.metrics[m];
      s += csv_field(layout.options[o].name) + "," + csv_field(base.name) + "," + csv_field(spec.name) + "," +
           kind_name(spec.kind) + "," + csv_field(spec.given) + "," +
           estimate_cells(estimate_difference(spec, tally.paired[o][m]), where(layout, o, spec.name + " minus baseline")) +
           "\n";
    }
  }
  return s;
}

std::string survival_csv(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info) {
  std::string s = provenance_comments(info, "survival: share of the trials at risk with no event by period t");
  for (const SurvivalSpec& c : layout.survival_curves)
    s += "# curve " + one_line(c.name) + ": " + one_line(c.label) + "; " + one_line(c.definition) + "\n";
  s += "# at_risk: trials in which the curve's condition held (the subjects followed)\n";
  s += kIntervalNote;
  s += "option,curve,t,at_risk,survivors,survival,ci_low,ci_high\n";
  for (std::size_t o = 0; o < layout.options.size(); ++o) {
    for (std::size_t c = 0; c < layout.survival_curves.size(); ++c) {
      const Survival& sv = tally.survival[o][c];
      const std::string& curve = layout.survival_curves[c].name;
      const std::string w = where(layout, o, "survival " + curve);
      for (int t = 0; t <= sv.horizon(); ++t) {
        const Estimate e = estimate_survival(sv, t);
        s += csv_field(layout.options[o].name) + "," + csv_field(curve) + "," + std::to_string(t) + "," +
             std::to_string(sv.at_risk) + "," + std::to_string(sv.survivors(t).k) + "," +
             (e.value ? number(*e.value, w) : "") + "," + (e.ci ? number(e.ci->low, w) : "") + "," +
             (e.ci ? number(e.ci->high, w) : "") + "\n";
      }
    }
  }
  return s;
}

std::vector<std::pair<std::string, std::string>> summary_texts(const OutcomeLayout& layout, const Tally& tally,
                                                               const RunInfo& info) {
  return {{"summary.json", summary_json(layout, tally, info)},
          {"summary.csv", summary_csv(layout, tally, info)},
          {"paired.csv", paired_csv(layout, tally, info)},
          {"survival.csv", survival_csv(layout, tally, info)}};
}

void add_summary_files(ResultSet& set, const OutcomeLayout& layout, const Tally& tally, const RunInfo& info) {
  for (const auto& [name, text] : summary_texts(layout, tally, info)) set.add(name, text);
}

std::vector<fs::path> write_summary_files(const fs::path& dir, const OutcomeLayout& layout, const Tally& tally,
                                          const RunInfo& info) {
  ResultSet set(dir);
  add_summary_files(set, layout, tally, info);
  return set.commit();
}

std::vector<std::string> trial_survival_columns(const OutcomeLayout& layout) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < layout.survival_curves.size(); ++c) {
    const std::string suffix = c == 0 ? "" : "_" + layout.survival_curves[c].name;
    names.push_back("at_risk" + suffix);
    names.push_back("event_time" + suffix);
  }
  return names;
}

// ---- trials.csv ----

namespace {

std::string trial_survival_comments(const OutcomeLayout& layout) {
  const std::vector<std::string> names = trial_survival_columns(layout);
  std::string s = "# ";
  for (std::size_t c = 0; c < layout.survival_curves.size(); ++c) {
    const SurvivalSpec& spec = layout.survival_curves[c];
    s += (c == 0 ? "" : "; ") + names[2 * c] + ", " + names[2 * c + 1] + ": survival curve " + one_line(spec.name) +
         " (at risk: \"" + one_line(spec.given) + "\")";
  }
  return s + "\n# at_risk: 1 when the curve's condition held; event_time: period of the event, 0 = none through the "
             "horizon; empty = metric not defined\n";
}
constexpr int kTrialsWidth = 20;  // room for any uint64, so commit() can overwrite in place
}

TrialsCsvWriter::TrialsCsvWriter(fs::path path, const OutcomeLayout& layout, const RunInfo& info)
    : path_(std::move(path)), temp_(temp_name(path_)), layout_(layout) {
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw OutputError("cannot write '" + path_.string() + "': " + reason(errno));
  file_ = ::fdopen(fd, "w");
  if (!file_) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp_.c_str());
    throw OutputError("cannot write '" + path_.string() + "': " + reason(err));
  }
  std::setvbuf(file_, nullptr, _IOFBF, std::size_t{1} << 20);

  std::string head = provenance_comments(info, "trials: one row per trial and option", false);
  const std::size_t cut = head.find("# precision_target:");
  std::string before = head.substr(0, cut) + "# trials: ";
  std::fputs(before.c_str(), file_);
  trials_offset_ = std::ftell(file_);
  std::string count = info.trials ? std::to_string(info.trials) : "";
  count.resize(kTrialsWidth, ' ');
  std::string rest = count + "\n" + head.substr(cut);
  rest += trial_survival_comments(layout);
  rest += "trial,option";
  for (const std::string& name : trial_survival_columns(layout)) rest += "," + csv_field(name);
  for (std::size_t m = 0; m < layout.common_metrics && !layout.options.empty(); ++m) {
    rest += ',';
    rest += csv_field(layout.options[0].metrics[m].name);
  }
  rest += "\n";
  std::fputs(rest.c_str(), file_);
  if (std::ferror(file_)) fail("write");
}

TrialsCsvWriter::~TrialsCsvWriter() {
  if (file_) {
    std::fclose(file_);
    ::unlink(temp_.c_str());
  }
}

void TrialsCsvWriter::fail(const std::string& what) {
  const int err = errno;
  if (file_) std::fclose(file_);
  file_ = nullptr;
  ::unlink(temp_.c_str());
  throw OutputError("cannot write '" + path_.string() + "' (" + what + "): " + reason(err));
}

void TrialsCsvWriter::write(std::uint64_t trial, const TrialRecord& record) {
  if (!file_) throw OutputError("internal: '" + path_.string() + "' written after commit or failure");
  for (std::size_t o = 0; o < layout_.options.size(); ++o) {
    row_ = std::to_string(trial);
    row_ += ',';
    row_ += csv_field(layout_.options[o].name);
    for (std::size_t c = 0; c < layout_.survival_curves.size(); ++c) {
      row_ += record.at_risk(o, c) ? ",1," : ",0,";
      row_ += std::to_string(record.event_time(o, c));
    }
    for (std::size_t m = 0; m < layout_.common_metrics; ++m) {
      row_ += ',';
      if (!record.present(o, m)) continue;
      const double v = record.value(o, m);
      if (!std::isfinite(v))  // the message is built only when needed: this is the hot path
        check_finite(v, "trial " + std::to_string(trial) + ", " + where(layout_, o, layout_.options[o].metrics[m].name));
      char buf[32];
      row_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    }
    row_ += '\n';
    std::fwrite(row_.data(), 1, row_.size(), file_);
  }
  if (std::ferror(file_)) fail("write");
}

fs::path TrialsCsvWriter::finish(std::uint64_t trials) {
  if (!file_) throw OutputError("internal: '" + path_.string() + "' committed twice");
  std::string count = std::to_string(trials);
  count.resize(kTrialsWidth, ' ');
  if (std::fflush(file_) != 0) fail("write");
  if (std::fseek(file_, trials_offset_, SEEK_SET) != 0) fail("seek");
  std::fwrite(count.data(), 1, count.size(), file_);
  if (std::fflush(file_) != 0 || std::ferror(file_)) fail("write");
  if (::fsync(::fileno(file_)) != 0) fail("fsync");
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    throw OutputError("cannot write '" + path_.string() + "' (close): " + reason(err));
  }
  return temp_;
}

void TrialsCsvWriter::commit(std::uint64_t trials) {
  rename_into_place(finish(trials), path_);
  sync_directory(path_.parent_path());
}

std::string provenance_header(const RunInfo& info, const std::string& what) { return provenance_comments(info, what); }

std::string csv_number(double x, const std::string& where) { return number(x, where); }

}  // namespace credsim::sim::io
