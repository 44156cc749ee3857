// A fresh directory for one test, removed with everything in it when the object goes away.
// Made under $TMPDIR (or /tmp) with mkdtemp, so parallel test processes never share one.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace rectify::testing {

class TempDir {
 public:
  // Throws std::runtime_error when no directory can be made: the test cannot run at all.
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rectify-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The path of `name` inside the directory; nothing is created.
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

}  // namespace rectify::testing
