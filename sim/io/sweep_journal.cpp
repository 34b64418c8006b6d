#include "sim/io/sweep_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/errors.hpp"
#include "sim/hash.hpp"

namespace credsim::sim::io {
namespace {

// A record's checksum covers the sweep's identity (the sha256 of its header:
// sweep file, scenario, seed, design, version), so a record copied from the
// journal of another sweep does not check. The header's identity is "".
std::string checksum(const std::string& identity, const std::string& payload) {
  return sha256_hex(identity + "\n" + payload);
}

std::string journal_line(const std::string& identity, const std::string& payload) {
  return payload + "\t" + checksum(identity, payload) + "\n";
}

// Parses `bytes`; returns the byte length of the valid prefix (header and
// complete records). A bad line that is not the last is an error.
std::size_t parse(const std::string& bytes, const std::filesystem::path& path, std::string& header,
                  std::vector<std::string>& records) {
  std::size_t pos = 0;
  bool have_header = false;
  std::string identity;
  while (pos < bytes.size()) {
    const auto nl = bytes.find('\n', pos);
    const bool last = nl == std::string::npos || nl + 1 == bytes.size();
    bool ok = false;
    std::string payload;
    if (nl != std::string::npos) {
      const std::string line = bytes.substr(pos, nl - pos);
      const auto tab = line.rfind('\t');
      if (tab != std::string::npos) {
        payload = line.substr(0, tab);
        ok = line.substr(tab + 1) == checksum(identity, payload);
      }
    }
    if (!ok) {
      if (last) return pos;  // torn by a crash mid-write: drop it, the point is run again
      throw RunError("the sweep journal " + path.string() + " is damaged at byte " + std::to_string(pos) +
                     "; delete it to start the sweep again");
    }
    if (!have_header) {
      header = payload;
      identity = sha256_hex(header);
      have_header = true;
    } else {
      records.push_back(std::move(payload));
    }
    pos = nl + 1;
  }
  return pos;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_all(int fd, const std::string& bytes, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OutputError("cannot write " + path.string() + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw OutputError("cannot write " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

SweepJournal::SweepJournal(std::filesystem::path path, const std::string& header)
    : path_(std::move(path)), identity_(sha256_hex(header)) {
  std::size_t valid = 0;
  if (std::filesystem::exists(path_)) {
    std::string found;
    valid = parse(read_all(path_), path_, found, records_);
    if (valid > 0 && found != header)
      throw RunError("the output directory holds the journal of another sweep (" + path_.string() +
                     ": other sweep file, design points, scenario, trials, seed, shard or version); use another "
                     "--out, or delete the journal to start again");
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputError("cannot write " + path_.string() + ": " + std::strerror(errno));
  // Cut a torn last record (or everything, for an empty or headerless file).
  if (::ftruncate(fd_, static_cast<off_t>(valid)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0)
    throw OutputError("cannot write " + path_.string() + ": " + std::strerror(errno));
  if (valid == 0) {
    records_.clear();
    write_all(fd_, journal_line("", header), path_);
  }
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::append(const std::vector<std::string>& payloads) {
  std::string bytes;
  for (const auto& p : payloads) bytes += journal_line(identity_, p);
  write_all(fd_, bytes, path_);
  records_.insert(records_.end(), payloads.begin(), payloads.end());
}

std::vector<std::string> SweepJournal::read(const std::filesystem::path& path, std::string& header) {
  if (!std::filesystem::exists(path)) throw RunError("no sweep journal at " + path.string());
  std::vector<std::string> records;
  header.clear();
  parse(read_all(path), path, header, records);
  if (header.empty()) throw RunError("the sweep journal " + path.string() + " is empty");
  return records;
}

}  // namespace credsim::sim::io
