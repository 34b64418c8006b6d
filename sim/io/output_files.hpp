#pragma once
// Result files: summary.json, summary.csv, paired.csv, survival.csv and the
// optional per-trial trials.csv. Every file starts with the run's provenance
// (scenario hash, seed, trial count, version), prints numbers so they
// round-trip, never prints NaN or infinity, and appears atomically (temp name,
// fsync, rename), so a reader sees the old file or the new one, never half.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/run_info.hpp"
#include "sim/runner.hpp"
#include "sim/tally.hpp"
#include "sim/trial_model.hpp"

namespace credsim::sim::io {

// The '# key: value' lines every result file starts with ("# credsim <what>", then the provenance).
std::string provenance_header(const RunInfo& info, const std::string& what);
// Shortest text that reads back to the same double; throws OutputError for NaN or infinity.
std::string csv_number(double x, const std::string& where);

// Writes `bytes` to `<path>.tmp.<pid>`, fsyncs and renames it over `path`.
// Throws OutputError naming the path and the system's reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// A set of result files that replaces the previous set whole: each file is
// written and fsynced under its temp name as it is added, and only commit()
// renames them all into place. A failure before that (a full disk) leaves the
// previous set as it was and no temp file behind.
class ResultSet {
 public:
  explicit ResultSet(std::filesystem::path dir);
  ~ResultSet();  // removes the temp files not committed
  ResultSet(const ResultSet&) = delete;
  ResultSet& operator=(const ResultSet&) = delete;

  // Writes `bytes` to the temp name of dir/name. Throws OutputError.
  void add(const std::string& name, std::string_view bytes);
  // A file already written and fsynced under a temp name (TrialsCsvWriter::finish).
  void add_written(std::filesystem::path temp, const std::string& name);
  // Renames every file into place, in order, and returns their paths. Throws
  // OutputError, before any rename, when a destination is a directory.
  std::vector<std::filesystem::path> commit();

 private:
  struct StagedFile {
    std::filesystem::path temp, path;
  };
  std::filesystem::path dir_;
  std::vector<StagedFile> files_;
};

// Creates `dir` if needed and proves it writable (writes and removes a probe
// file), so a long run does not end in "cannot write". Throws OutputError
// "cannot write to output directory '<dir>': <reason>".
void ensure_output_dir(const std::filesystem::path& dir);

// Names of the per-trial survival columns (trials.csv, the Python trial rows):
// at_risk and event_time of each curve, in layout order. The first curve's keep
// the plain names they had when there was one curve; a further curve's end in
// "_<curve name>".
std::vector<std::string> trial_survival_columns(const OutcomeLayout& layout);

// The texts of the files. Throw OutputError if a value is not finite.
std::string summary_json(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info);
std::string summary_csv(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info);
std::string paired_csv(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info);
std::string survival_csv(const OutcomeLayout& layout, const Tally& tally, const RunInfo& info);

// (name, text) of summary.json, summary.csv, paired.csv and survival.csv, in
// that order: what `credsim run` writes and the Python module hands back.
std::vector<std::pair<std::string, std::string>> summary_texts(const OutcomeLayout& layout, const Tally& tally,
                                                               const RunInfo& info);

// Adds summary.json, summary.csv, paired.csv and survival.csv to `set`.
void add_summary_files(ResultSet& set, const OutcomeLayout& layout, const Tally& tally, const RunInfo& info);

// Writes summary.json, summary.csv, paired.csv and survival.csv into `dir`
// (which must exist) as one ResultSet; returns their paths in that order.
std::vector<std::filesystem::path> write_summary_files(const std::filesystem::path& dir, const OutcomeLayout& layout,
                                                       const Tally& tally, const RunInfo& info);

// Streams one row per trial and option (trial, option, at_risk, event_time,
// then each common metric, empty when absent) to `<path>.tmp.<pid>`; commit()
// renames it into place. Destroyed without commit (cancelled or failed run),
// it removes the temp file.
class TrialsCsvWriter : public TrialSink {
 public:
  // `info.trials` may be 0 (unknown until the end in precision mode): commit() fills it in.
  TrialsCsvWriter(std::filesystem::path path, const OutcomeLayout& layout, const RunInfo& info);
  ~TrialsCsvWriter() override;
  TrialsCsvWriter(const TrialsCsvWriter&) = delete;
  TrialsCsvWriter& operator=(const TrialsCsvWriter&) = delete;

  void write(std::uint64_t trial, const TrialRecord& record) override;
  // Records the count, fsyncs and closes the temp file, and hands it over:
  // the caller renames it (ResultSet::add_written).
  std::filesystem::path finish(std::uint64_t trials);
  void commit(std::uint64_t trials);  // finish() and rename into place
  const std::filesystem::path& path() const { return path_; }

 private:
  void fail(const std::string& what);

  std::filesystem::path path_;
  std::filesystem::path temp_;
  const OutcomeLayout& layout_;
  std::FILE* file_ = nullptr;
  long trials_offset_ = 0;  // where the "# trials:" value is, rewritten by commit()
  std::string row_;
};

}  // namespace credsim::sim::io
