// A file made with mkstemp in the system temp directory (readable by this user only), removed
// when the object goes away: libxlsxwriter writes and minizip reads only files.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace rectify::exports {

class PrivateTempFile {
 public:
  PrivateTempFile() {
    std::error_code error;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(error);
    if (error) return;
    std::string pattern = (dir / "rectify-export-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) return;
    close(fd);
    path_ = pattern;
  }
  ~PrivateTempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  PrivateTempFile(const PrivateTempFile&) = delete;
  PrivateTempFile& operator=(const PrivateTempFile&) = delete;

  // Empty when no file could be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A finished file held open for sending, read a piece at a time: a form of any size goes out
// without being held in memory. The file stays readable while this is open, even after its
// PrivateTempFile removed its name, so the data is gone when the last holder lets go.
class SpooledFile {
 public:
  // nullptr when `path` cannot be opened.
  static std::shared_ptr<SpooledFile> Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat about {};
    if (::fstat(fd, &about) != 0) {
      ::close(fd);
      return nullptr;
    }
    return std::shared_ptr<SpooledFile>(new SpooledFile(fd, static_cast<std::size_t>(about.st_size)));
  }
  ~SpooledFile() { ::close(fd_); }
  SpooledFile(const SpooledFile&) = delete;
  SpooledFile& operator=(const SpooledFile&) = delete;

  std::size_t size() const { return size_; }
  // Up to `length` bytes from `offset` into `buffer`: how many were read, 0 at the end, -1 on error.
  long Read(std::size_t offset, char* buffer, std::size_t length) const {
    return static_cast<long>(::pread(fd_, buffer, length, static_cast<off_t>(offset)));
  }

 private:
  SpooledFile(int fd, std::size_t size) : fd_(fd), size_(size) {}
  int fd_;
  std::size_t size_;
};

}  // namespace rectify::exports
