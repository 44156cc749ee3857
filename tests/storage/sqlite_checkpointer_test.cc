// The WAL is copied back into the database by SqliteDatabase's checkpointer thread
// (storage/sqlite_checkpointer.h): writers' connections never checkpoint on commit.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <memory>
#include <thread>
#include <vector>

#include "storage/sqlite_checkpointer.h"
#include "storage/sqlite_group_commit.h"
#include "storage/sqlite_pool.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

TEST_CASE("Commits leave the WAL to the checkpointer thread, which copies it back into the database") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  {
    Result<sqlite::ConnectionPool::Lease> lease = store->database().Read();
    REQUIRE(lease.ok());
    sqlite::Query setting = lease->db().Prepare("PRAGMA wal_autocheckpoint");
    Result<bool> row = setting.Step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    CHECK(setting.Int(0) == 0);
  }
  // In WAL mode the database file itself changes only when a checkpoint copies pages back.
  const auto before = std::filesystem::file_size(path);
  for (int i = 0; i < sqlite::CheckpointLimits{}.commits_per_checkpoint + 20; ++i)
    testing::InsertOne(store->items(), Problem("problem " + std::to_string(i) + std::string(2000, 'x'), "town-a"));
  // A generous bound: the checkpointer runs within its interval (200 ms) of a commit.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::filesystem::file_size(path) <= before && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(std::filesystem::file_size(path) > before);
}

TEST_CASE("Under a steady stream of writes the WAL starts over instead of growing with every commit") {
  TempDir dir;
  const std::string path = dir.File("stream.sqlite");
  {
    Result<sqlite::Db> db = sqlite::OpenConnection(path);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("PRAGMA journal_mode = WAL; CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)").ok());
  }
  sqlite::ConnectionPool pool(path, 8);
  std::unique_ptr<sqlite::Checkpointer> checkpointer;
  sqlite::GroupCommit writes(pool, {}, [&] { checkpointer->Committed(); });
  sqlite::CheckpointLimits limits;
  limits.commits_per_checkpoint = 10;
  limits.interval = std::chrono::milliseconds(10);
  limits.restart_pages = 64;
  limits.wal_limit_pages = 1 << 30;  // never: only starting over may bound the WAL here
  Result<std::unique_ptr<sqlite::Checkpointer>> started = sqlite::Checkpointer::Start(path, writes, limits);
  REQUIRE(started.ok());
  checkpointer = std::move(started).value();

  // Each row fills about two pages: some 2,000 pages, thirty times restart_pages.
  constexpr int kThreads = 4;
  constexpr int kRowsEach = 250;
  std::vector<std::thread> writers;
  std::vector<Status> failures;
  std::mutex failures_mutex;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < kRowsEach; ++i) {
        Status written = writes.Write(
            [](sqlite::Db& db) { return db.Prepare("INSERT INTO blobs (data) VALUES (zeroblob(4000))").Run(); });
        if (written.ok()) continue;
        std::lock_guard<std::mutex> lock(failures_mutex);
        failures.push_back(written);
      }
    });
  for (std::thread& t : writers) t.join();
  checkpointer.reset();

  CHECK(failures.empty());
  // The WAL file keeps the largest size it reached.
  const auto wal_bytes = static_cast<std::int64_t>(std::filesystem::file_size(path + "-wal"));
  INFO("WAL " << wal_bytes << " bytes");
  CHECK(wal_bytes < 8 * limits.restart_pages * (4096 + 24));
}

}  // namespace
}  // namespace rectify
