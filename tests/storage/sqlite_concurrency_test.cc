// SQLite's own locking under another connection: readers never wait for a writer (WAL
// snapshots), and a writer waits for another connection's write lock instead of failing. The
// version check under concurrent writers is the item store's contract (contract/). And no
// process-wide lock on every allocation: SQLite's memory statistics are off.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_db.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::kStart;
using testing::Moved;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

TEST_CASE("Connections of one process allocate without SQLite's memory statistics and their mutex") {
  // Each test case runs in a process of its own (ctest), so this store is the first use of
  // SQLite here, as in rectify's programs.
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  const Item item = testing::InsertOne(store->items(), Problem("allocated"));
  REQUIRE(store->items().Get(item.kind, item.id).ok());
  // With the statistics on, every sqlite3_malloc counts here (under the mutex they need).
  CHECK(sqlite3_memory_used() == 0);
  CHECK(sqlite3_memory_highwater(0) == 0);
}

TEST_CASE("A read does not wait for another connection's open write transaction") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item item = testing::InsertOne(store->items(), Problem("committed title"));
  Result<sqlite::Db> writer = sqlite::Db::Open(path);
  REQUIRE(writer.ok());
  Result<sqlite::Transaction> open_write = sqlite::Transaction::Begin(*writer, sqlite::Transaction::Mode::kWrite);
  REQUIRE(open_write.ok());
  REQUIRE(writer->Prepare("UPDATE items SET title = 'uncommitted' WHERE id = ?").BindAll(item.id).Run().ok());

  const auto started = std::chrono::steady_clock::now();
  Result<Item> read = store->items().Get(ItemKind::kProblem, item.id);
  Result<std::vector<Item>> listed = store->items().List(ItemQuery{});
  const auto waited = std::chrono::steady_clock::now() - started;

  REQUIRE(read.ok());
  CHECK(read->title == "committed title");
  REQUIRE(listed.ok());
  CHECK(listed->size() == 1);
  CHECK(waited < std::chrono::milliseconds(sqlite::kBusyTimeoutMs / 5));
}

TEST_CASE("A write waits for another connection's write lock and then succeeds") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item item = testing::InsertOne(store->items(), Problem("queued"));
  Result<sqlite::Db> other = sqlite::Db::Open(path);
  REQUIRE(other.ok());
  Result<sqlite::Transaction> lock = sqlite::Transaction::Begin(*other, sqlite::Transaction::Mode::kWrite);
  REQUIRE(lock.ok());

  std::atomic<bool> done{false};
  Status updated;
  std::thread writer([&] {
    updated = store->items().Update(item, Moved(item.state, item.state, "progress", kStart));
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const bool finished_while_locked = done;
  const Status released = lock->Commit();
  writer.join();

  CHECK(released.ok());
  CHECK_FALSE(finished_while_locked);
  INFO(updated.ToString());
  CHECK(updated.ok());
}

}  // namespace
}  // namespace rectify
