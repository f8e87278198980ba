#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
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
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Status::IOError(path.parent_path().string() + ": " + ec.message());
  }
  std::string tmp = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::IOError(tmp + ": cannot create: " + std::strerror(errno));
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IOError(path.string() + ": write failed: " + why);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  // mkstemp creates 0600; state files are meant to be read by the search page too.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::IOError(path.string() + ": flush failed: " + why);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::IOError(path.string() + ": rename failed: " + why);
  }
  return Status::Ok();
}

std::string ContentHash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace samrad
