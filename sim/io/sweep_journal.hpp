#pragma once
// The journal of a sweep: one line per finished design point, appended and
// fsynced as the sweep goes, so a sweep killed at any moment (Ctrl-C, SIGKILL,
// a cluster's time limit) resumes where it stopped. Each line carries a
// checksum; a torn last line (the process died mid-write) is cut off on
// reopening, a damaged line elsewhere is an error.
//
// Line format: <payload, single-line text without tabs>\t<checksum>\n, the
// checksum being the sha256 of the header's sha256 and the payload (of "" and
// the payload for the header itself). The first line is the header, which
// identifies the sweep: reopening with another header is an error (the
// directory holds another sweep's results), and a record copied from another
// sweep's journal fails its checksum.
#include <filesystem>
#include <string>
#include <vector>

namespace credsim::sim::io {

class SweepJournal {
 public:
  // Opens `path` (creating it with `header` if absent) and loads its records.
  // Throws RunError if it belongs to another sweep or is damaged, OutputError
  // if it cannot be written.
  SweepJournal(std::filesystem::path path, const std::string& header);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  // Payloads of the complete records, in file order.
  const std::vector<std::string>& records() const { return records_; }
  // Appends records and fsyncs: once it returns they survive a crash.
  void append(const std::vector<std::string>& payloads);
  const std::filesystem::path& path() const { return path_; }

  // Reads a journal without writing to it (for `credsim merge`): header and
  // complete records. Throws RunError when it is missing or damaged.
  static std::vector<std::string> read(const std::filesystem::path& path, std::string& header);

 private:
  std::filesystem::path path_;
  std::string identity_;  // sha256 of the header
  int fd_ = -1;
  std::vector<std::string> records_;
};

}  // namespace credsim::sim::io
