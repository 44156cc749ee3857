// A process killed with SIGKILL while groups of writes are in flight (storage/sqlite_group_commit.h):
// every write acknowledged before the kill is in the file, every other write is wholly absent
// (an item's row, its history rows and its audit records agree), and `rectify audit verify`
// finds the chain intact. The writer is a forked child, so the kill takes nothing else with it.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_pool.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::Created;
using testing::kStart;
using testing::Moved;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

// What the child reports once a write returned Ok: the item and the version it now has
// (1: created). Small enough for one atomic write to the pipe.
struct Acknowledged {
  std::int64_t id;
  std::int64_t version;
};

constexpr int kWriters = 16;  // more than a group needs to fill up behind a committing leader

// The child: kWriters threads, each creating an item and then moving it on with progress
// notes, a new item every fourth write. Never returns.
[[noreturn]] void WriteUntilKilled(const std::string& path, int report_fd) {
  Result<std::unique_ptr<SqliteStores>> store = SqliteStores::Open(path);
  if (!store.ok()) _exit(2);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      Item current;
      for (int n = 0;; ++n) {
        Acknowledged ack{};
        if (n % 4 == 0) {
          Item item = Problem("writer " + std::to_string(w) + " item " + std::to_string(n), "town-a");
          Result<std::vector<Item>> stored = (*store)->items().Insert({item}, {Created(item)});
          if (!stored.ok()) _exit(3);
          current = stored->front();
        } else {
          EventRecord event = Moved(current.state, current.state, "progress", kStart + n);
          event.note = "note " + std::to_string(n);
          if (!(*store)->items().Update(current, event).ok()) _exit(4);
          ++current.version;
        }
        ack = {current.id, current.version};
        if (write(report_fd, &ack, sizeof ack) != sizeof ack) _exit(5);
      }
    });
  for (std::thread& t : writers) t.join();
  _exit(6);
}

// One number from `sql`, read on a connection of its own.
std::int64_t Count(sqlite::Db& db, const std::string& sql) {
  sqlite::Query query = db.Prepare(sql);
  Result<bool> row = query.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return query.Int(0);
}

TEST_CASE("A kill -9 while groups of writes are in flight keeps every acknowledged write and no half of another") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  OpenStore(path);  // created and closed again: the child opens it alone
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(pipe_fds[0]);
    WriteUntilKilled(path, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  std::vector<Acknowledged> acknowledged;
  constexpr std::size_t kKillAfter = 2000;
  Acknowledged ack{};
  while (acknowledged.size() < kKillAfter && read(pipe_fds[0], &ack, sizeof ack) == sizeof ack)
    acknowledged.push_back(ack);
  kill(child, SIGKILL);
  while (read(pipe_fds[0], &ack, sizeof ack) == sizeof ack) acknowledged.push_back(ack);  // sent before it died
  close(pipe_fds[0]);
  int wait_status = 0;
  REQUIRE(waitpid(child, &wait_status, 0) == child);
  INFO("child exit status " << wait_status);
  REQUIRE(WIFSIGNALED(wait_status));
  REQUIRE(acknowledged.size() >= kKillAfter);

  {
    auto restarted = OpenStore(path);
    for (const Acknowledged& a : acknowledged) {
      Result<Item> item = restarted->items().Get(ItemKind::kProblem, a.id);
      INFO("problem " << a.id << " acknowledged at version " << a.version << ": " << item.status().ToString());
      REQUIRE(item.ok());
      CHECK(item->version >= a.version);
    }
  }
  Result<sqlite::Db> db = sqlite::OpenConnection(path);
  REQUIRE(db.ok());
  // Each item's version counts its writes: its creation and each progress note. Its history
  // rows and its audit records must count the same, or a write is there in part.
  CHECK(Count(*db, "SELECT count(*) FROM items WHERE version != (SELECT count(*) FROM events WHERE item_id = items.id) "
                   "OR version != (SELECT count(*) FROM audit_log WHERE subject = 'problem ' || items.id)") == 0);
  CHECK(Count(*db, "SELECT count(*) FROM audit_log") == Count(*db, "SELECT count(*) FROM events"));
  CHECK(Count(*db, "SELECT count(*) FROM items") > 0);

  const std::string command = std::string(RECTIFY_BINARY) + " audit verify --db " + path + " 2>&1";
  std::FILE* verify = popen(command.c_str(), "r");
  REQUIRE(verify != nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, verify) != nullptr) output += buffer;
  const int verify_status = pclose(verify);
  INFO(output);
  CHECK(WIFEXITED(verify_status));
  CHECK(WEXITSTATUS(verify_status) == 0);
  CHECK(output.find("audit chain intact") != std::string::npos);
}

}  // namespace
}  // namespace rectify
