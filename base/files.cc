#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

namespace samrad {
namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path, std::uintmax_t max_bytes) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec) return Status::IOError(path.string() + ": " + ec.message());
  if (!fs::is_regular_file(st)) return Status::DataError(path.string() + ": not a regular file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::IOError(path.string() + ": " + ec.message());
  if (size > max_bytes) {
    return Status::DataError(path.string() + ": file is " + std::to_string(size) +
                             " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path.string() + ": cannot open: " + std::strerror(errno));
  std::string data(static_cast<size_t>(size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    return Status::IOError(path.string() + ": short read");
  }
  return data;
}

Status WriteFileAtomically(const fs::path& path, std::string_view contents) {
  Result<std::unique_ptr<AtomicFileWriter>> out = AtomicFileWriter::Open(path);
  if (!out.ok()) return out.status();
  (*out)->Write(contents);
  return (*out)->Commit();
}

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::Open(const fs::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Status::IOError(path.parent_path().string() + ": " + ec.message());
  }
  std::string tmp = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::IOError(tmp + ": cannot create: " + std::strerror(errno));
  // mkstemp creates 0600; state files are meant to be read by the search page too.
  ::fchmod(fd, 0644);
  std::FILE* f = ::fdopen(fd, "wb");
  if (f == nullptr) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::IOError(tmp + ": cannot open: " + why);
  }
  return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(path, tmp, f));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    ::unlink(tmp_.c_str());
  }
}

void AtomicFileWriter::Write(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) failed_ = true;
}

Status AtomicFileWriter::Commit() {
  std::FILE* f = file_;
  file_ = nullptr;
  if (f == nullptr) return Status::IOError(path_.string() + ": committed twice");
  const bool ok = !failed_ && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const std::string why = std::strerror(errno);
  if (std::fclose(f) != 0 || !ok) {
    ::unlink(tmp_.c_str());
    return Status::IOError(path_.string() + ": write failed: " + why);
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const std::string rwhy = std::strerror(errno);
    ::unlink(tmp_.c_str());
    return Status::IOError(path_.string() + ": rename failed: " + rwhy);
  }
  return Status::Ok();
}

std::uint64_t Fnv1a64Continue(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::uint64_t Fnv1a64(std::string_view bytes) { return Fnv1a64Continue(kFnv1a64Offset, bytes); }

std::string ContentHash(std::string_view bytes) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(Fnv1a64(bytes)));
  return buf;
}

int OpenUnnamedFile(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string name = (dir / "unnamed.XXXXXX").string();
  const int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named >= 0) ::unlink(name.c_str());
  return named;
}

}  // namespace samrad
