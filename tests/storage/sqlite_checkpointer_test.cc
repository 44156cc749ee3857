// The WAL is copied back into the database by SqliteDatabase's checkpointer thread
// (storage/sqlite_checkpointer.h): writers' connections never checkpoint on commit.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "storage/sqlite_stores.h"
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
  for (int i = 0; i < sqlite::Checkpointer::kCommitsPerCheckpoint + 20; ++i)
    testing::InsertOne(store->items(), Problem("problem " + std::to_string(i) + std::string(2000, 'x'), "town-a"));
  // A generous bound: the checkpointer runs within kInterval of a commit.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::filesystem::file_size(path) <= before && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(std::filesystem::file_size(path) > before);
}

}  // namespace
}  // namespace rectify
