// A file made with mkstemp in the system temp directory (readable by this user only), removed
// when the object goes away: libxlsxwriter writes and minizip reads only files.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
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

}  // namespace rectify::exports
