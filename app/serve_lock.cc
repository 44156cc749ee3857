#include "app/serve_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rectify::app {
namespace {

// What the holder wrote: "pid 1234, serving on 127.0.0.1:8080"; "" when unreadable.
std::string HolderOf(int fd) {
  char text[256];
  const ssize_t read = ::pread(fd, text, sizeof text - 1, 0);
  if (read <= 0) return "";
  std::string holder(text, static_cast<std::size_t>(read));
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
  return holder;
}

}  // namespace

Result<ServeLock> ServeLock::Take(const std::string& db_path, const std::string& what) {
  const std::string path = db_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = HolderOf(fd);
    ::close(fd);
    if (error != EWOULDBLOCK) return Status::Unavailable("cannot lock " + path + ": " + std::strerror(error));
    return Status::Unavailable(
        db_path + " is already served by another rectify (" + (holder.empty() ? "holding " + path : holder) +
        "). Stop that one first; to run several instances on one database, use PostgreSQL (deploy/README.md)");
  }
  const std::string holder = "pid " + std::to_string(::getpid()) + ", " + what + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
    // The lock holds all the same; only the next one's message is poorer.
  }
  return ServeLock(fd);
}

ServeLock::~ServeLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor lets go of the lock
}

}  // namespace rectify::app
