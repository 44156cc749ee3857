// SqliteStores when the world misbehaves: a file it may not write, a missing directory, and a
// process killed with SIGKILL in the middle of writing. Child processes keep a crash (or the
// kill) from taking the test runner with it.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::Created;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

// Reads everything a child wrote to `fd` until it closes or dies.
std::string ReadAll(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
  return out;
}

TEST_CASE("A read-only database file is refused with an error status, not a crash") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  OpenStore(path);  // a real, migrated database, closed again
  REQUIRE(chmod(path.c_str(), 0444) == 0);
  REQUIRE(chmod(dir.path().c_str(), 0755) == 0);  // enterable by the unprivileged child below

  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(pipe_fds[0]);
    // Root writes through any permission bits: become nobody to see the file as read-only.
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(100);
    Result<std::unique_ptr<SqliteStores>> store = SqliteStores::Open(path);
    const std::string message = store.status().ToString();
    if (write(pipe_fds[1], message.data(), message.size()) < 0) _exit(101);
    _exit(static_cast<int>(store.status().code()));
  }
  close(pipe_fds[1]);
  const std::string message = ReadAll(pipe_fds[0]);
  close(pipe_fds[0]);
  int wait_status = 0;
  REQUIRE(waitpid(child, &wait_status, 0) == child);

  INFO(message);
  REQUIRE(WIFEXITED(wait_status));
  // Its own code, so that a command that only reads can open the file read-only instead.
  CHECK(WEXITSTATUS(wait_status) == static_cast<int>(StatusCode::kPermissionDenied));
  CHECK(message.find("read-only") != std::string::npos);
}

TEST_CASE("A full disk is said as such: unavailable with reason disk_full, not an internal error") {
  TempDir dir;
  Result<sqlite::Db> db = sqlite::Db::Open(dir.File("full.sqlite"));
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE t (x BLOB)").ok());
  // SQLite answers SQLITE_FULL when the file would pass max_page_count, as when the disk is full.
  REQUIRE(db->Exec("PRAGMA max_page_count = 8").ok());
  Status written;
  for (int i = 0; i < 100 && written.ok(); ++i) written = db->Exec("INSERT INTO t VALUES (zeroblob(4096))");
  REQUIRE_FALSE(written.ok());
  CHECK(written.code() == StatusCode::kUnavailable);
  CHECK(written.reason() == "disk_full");
  CHECK(written.message().find("full") != std::string::npos);
}

TEST_CASE("Opening a database in a missing directory is an error status") {
  TempDir dir;
  Result<std::unique_ptr<SqliteStores>> store = SqliteStores::Open(dir.File("missing/rectify.sqlite"));
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kInternal);
  CHECK(store.status().message().find("unable to open") != std::string::npos);
}

TEST_CASE("Every insert acknowledged before a kill -9 is in the file after restart") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  OpenStore(path);
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(pipe_fds[0]);
    Result<std::unique_ptr<SqliteStores>> store = SqliteStores::Open(path);
    if (!store.ok()) _exit(2);
    for (int i = 0;; ++i) {
      Item item = Problem("written before the kill " + std::to_string(i), "town-a");
      Result<std::vector<Item>> stored = (*store)->items().Insert({item}, {Created(item)});
      if (!stored.ok()) _exit(3);
      const std::int64_t id = stored->front().id;  // acknowledged: the caller may rely on it
      if (write(pipe_fds[1], &id, sizeof id) != sizeof id) _exit(4);
    }
  }
  close(pipe_fds[1]);
  std::vector<std::int64_t> acknowledged;
  constexpr std::size_t kKillAfter = 40;
  std::int64_t id;
  while (acknowledged.size() < kKillAfter && read(pipe_fds[0], &id, sizeof id) == sizeof id) acknowledged.push_back(id);
  kill(child, SIGKILL);
  while (read(pipe_fds[0], &id, sizeof id) == sizeof id) acknowledged.push_back(id);  // sent before it died
  close(pipe_fds[0]);
  int wait_status = 0;
  REQUIRE(waitpid(child, &wait_status, 0) == child);
  REQUIRE(WIFSIGNALED(wait_status));
  REQUIRE(acknowledged.size() >= kKillAfter);

  auto restarted = OpenStore(path);
  for (std::int64_t acknowledged_id : acknowledged) {
    Result<Item> item = restarted->items().Get(ItemKind::kProblem, acknowledged_id);
    INFO("id " << acknowledged_id << ": " << item.status().ToString());
    CHECK(item.ok());
  }
  Result<std::vector<EventRecord>> history = restarted->items().History(ItemKind::kProblem, acknowledged.back());
  REQUIRE(history.ok());
  CHECK(history->size() == 1);
}

}  // namespace
}  // namespace rectify
