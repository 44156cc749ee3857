#include "storage/file_blobs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rectify {
namespace {

Status Failed(const std::string& what, const std::string& path) {
  const int error = errno;
  std::string message = what + " " + path + ": " + std::strerror(error);
  // As a full database (storage/sqlite_db.cc): the operator's to fix, the client's to retry.
  if (error == ENOSPC || error == EDQUOT) return Status::Unavailable(std::move(message)).WithReason("disk_full", {});
  return Status::Internal(std::move(message));
}

Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0750) == 0 || errno == EEXIST) return Status::Ok();
  return Failed("cannot create the directory", path);
}

// A rename is durable only once the directory holding the new name is synced.
Status SyncDir(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Failed("cannot open the directory", path);
  const int synced = fsync(fd);
  close(fd);
  if (synced != 0) return Failed("cannot sync the directory", path);
  return Status::Ok();
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Failed("cannot write", path);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

std::string PathOf(const std::string& dir, const std::string& sha256) {
  return dir + "/" + sha256.substr(0, 2) + "/" + sha256;
}

}  // namespace

Status WriteBlob(const std::string& dir, const std::string& sha256, std::string_view bytes) {
  const std::string shard = dir + "/" + sha256.substr(0, 2);
  const std::string path = PathOf(dir, sha256);
  struct stat existing;
  if (stat(path.c_str(), &existing) == 0 && static_cast<std::size_t>(existing.st_size) == bytes.size())
    return Status::Ok();
  RECTIFY_RETURN_IF_ERROR(MakeDir(dir));
  RECTIFY_RETURN_IF_ERROR(MakeDir(shard));
  std::string temp = shard + "/." + sha256 + ".XXXXXX";
  const int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return Failed("cannot create a temporary file in", shard);
  Status written = WriteAll(fd, bytes, temp);
  if (written.ok() && fsync(fd) != 0) written = Failed("cannot sync", temp);
  if (close(fd) != 0 && written.ok()) written = Failed("cannot close", temp);
  if (written.ok() && rename(temp.c_str(), path.c_str()) != 0) written = Failed("cannot rename into place", path);
  if (!written.ok()) {
    unlink(temp.c_str());
    return written;
  }
  RECTIFY_RETURN_IF_ERROR(SyncDir(shard));
  return SyncDir(dir);  // the shard's own name, when it was just made
}

Result<std::string> ReadBlob(const std::string& dir, const std::string& sha256) {
  const std::string path = PathOf(dir, sha256);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound("no stored file " + sha256);
    return Failed("cannot open", path);
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return Failed("cannot read", path);
  return bytes.str();
}

}  // namespace rectify
