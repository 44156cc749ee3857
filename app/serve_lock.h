// One serving process per SQLite file. SQLite itself lets a second `rectify serve` open the
// same file, but then two processes each run a notifier, a checkpointer and their own login
// throttles and rate limits on one campaign, and `demo` would delete the file under a running
// server. Several instances are what PostgreSQL is for (deploy/README.md); on SQLite the
// second start is refused and names the first.
#pragma once

#include <string>

#include "engine/status.h"

namespace rectify::app {

class ServeLock {
 public:
  // Takes `<db_path>.lock` (created when missing), and writes this process's id and `what` into
  // it for the next one's message. Unavailable while another process, or another ServeLock in
  // this one, holds it. The kernel lets go when the process ends, kill -9 included, so a file
  // left behind never blocks a start.
  static Result<ServeLock> Take(const std::string& db_path, const std::string& what);

  ServeLock(ServeLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ServeLock& operator=(ServeLock&&) = delete;
  ServeLock(const ServeLock&) = delete;
  ServeLock& operator=(const ServeLock&) = delete;
  ~ServeLock();

 private:
  explicit ServeLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace rectify::app
