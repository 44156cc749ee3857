// SqliteStores under concurrent callers: the version check lets exactly one writer win, readers
// never wait for a writer, and writers wait for each other instead of failing.
// Catch2's assertions are not thread-safe: worker threads only record, the test thread checks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_db.h"
#include "storage/sqlite_stores.h"
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

// Lets `count` threads go on only when all of them have arrived; reusable round after round.
class Barrier {
 public:
  explicit Barrier(int count) : count_(count) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    const int generation = generation_;
    if (++arrived_ == count_) {
      arrived_ = 0;
      ++generation_;
      released_.notify_all();
      return;
    }
    released_.wait(lock, [&] { return generation_ != generation; });
  }

 private:
  const int count_;
  std::mutex mutex_;
  std::condition_variable released_;
  int arrived_ = 0;
  int generation_ = 0;
};

TEST_CASE("Concurrent updates of one item let exactly one writer win per version and lose none") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  const Item item = testing::InsertOne(store->items(), Problem("contended", "town-a"));
  constexpr int kThreads = 8;
  constexpr int kRounds = 15;
  Barrier barrier(kThreads);
  std::mutex results_mutex;
  std::vector<std::int64_t> won_from_version;
  std::vector<std::string> winners;
  std::vector<std::string> unexpected;
  std::atomic<int> aborted{0};

  auto worker = [&](int thread) {
    for (int round = 0; round < kRounds; ++round) {
      barrier.Wait();  // every thread reads the same version...
      Result<Item> current = store->items().Get(ItemKind::kProblem, item.id);
      barrier.Wait();  // ...before any of them writes
      if (!current.ok()) {
        std::lock_guard<std::mutex> lock(results_mutex);
        unexpected.push_back(current.status().ToString());
        continue;
      }
      Item next = *current;
      next.measures = "thread " + std::to_string(thread) + " round " + std::to_string(round);
      EventRecord event = Moved(next.state, next.state, "progress", kStart + round);
      event.note = next.measures;
      Status updated = store->items().Update(next, event);
      std::lock_guard<std::mutex> lock(results_mutex);
      if (updated.ok()) {
        won_from_version.push_back(current->version);
        winners.push_back(next.measures);
      } else if (updated.code() == StatusCode::kAborted) {
        ++aborted;
      } else {
        unexpected.push_back(updated.ToString());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (std::thread& thread : threads) thread.join();

  CHECK(unexpected.empty());
  REQUIRE(won_from_version.size() == kRounds);
  CHECK(aborted == kRounds * (kThreads - 1));
  std::sort(won_from_version.begin(), won_from_version.end());
  for (int i = 0; i < kRounds; ++i) CHECK(won_from_version[static_cast<std::size_t>(i)] == i + 1);
  Result<Item> final_item = store->items().Get(ItemKind::kProblem, item.id);
  REQUIRE(final_item.ok());
  CHECK(final_item->version == static_cast<std::int64_t>(won_from_version.size()) + 1);
  Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == won_from_version.size() + 1);
  CHECK(history->back().note == final_item->measures);
  std::multiset<std::string> noted;
  for (std::size_t i = 1; i < history->size(); ++i) noted.insert((*history)[i].note);
  CHECK(noted == std::multiset<std::string>(winners.begin(), winners.end()));
}

TEST_CASE("Concurrent inserts from many threads all land with distinct ids") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  constexpr int kThreads = 6;
  constexpr int kBatches = 10;
  std::mutex results_mutex;
  std::vector<std::int64_t> ids;
  std::vector<std::string> failures;
  auto worker = [&](int thread) {
    for (int batch = 0; batch < kBatches; ++batch) {
      std::vector<Item> items = {Problem("t" + std::to_string(thread)), Problem("u" + std::to_string(batch))};
      std::vector<EventRecord> created = {Created(items[0]), Created(items[1])};
      Result<std::vector<Item>> stored = store->items().Insert(items, created);
      std::lock_guard<std::mutex> lock(results_mutex);
      if (!stored.ok()) {
        failures.push_back(stored.status().ToString());
        continue;
      }
      for (const Item& item : *stored) ids.push_back(item.id);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (std::thread& thread : threads) thread.join();

  CHECK(failures.empty());
  CHECK(std::set<std::int64_t>(ids.begin(), ids.end()).size() == kThreads * kBatches * 2);
  ItemQuery all;
  all.limit = 1000;
  Result<std::vector<Item>> listed = store->items().List(all);
  REQUIRE(listed.ok());
  CHECK(listed->size() == kThreads * kBatches * 2);
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
