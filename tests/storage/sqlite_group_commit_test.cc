// Group commit (storage/sqlite_group_commit.h): writes that queue together share one
// transaction and one COMMIT, and each caller still gets exactly its own result.
// The writes are lined up deterministically: a first write holds the queue inside its body
// until every other write is queued behind it, in a known order (GroupCommit::Queued).
// Catch2's assertions are not thread-safe: writer threads only record, the test thread checks.
#include <catch2/catch.hpp>

#include <atomic>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite_group_commit.h"
#include "storage/sqlite_pool.h"
#include "tests/temp_dir.h"

namespace rectify::sqlite {
namespace {

using Body = std::function<Status(Db&)>;
using testing::TempDir;

// Room for every write queued in a test: the production bound on a group's body time (2 ms)
// splits a group whenever a loaded machine deschedules the leader, so a test that counts commits
// would depend on the machine. The bounds have a test of their own, with limits it gives.
const GroupLimits kRoomForAll{64, std::chrono::seconds(10)};

// A WAL file with one table, and a GroupCommit over it that counts its commits.
class Fixture {
 public:
  explicit Fixture(GroupLimits limits = kRoomForAll, std::function<Status(Db&)> before_commit = nullptr)
      : path_(dir_.File("group.sqlite")),
        pool_(path_, 4),
        writes_(pool_, limits, [this] { ++commits_; }, std::move(before_commit)) {
    Result<Db> db = OpenConnection(path_);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("PRAGMA journal_mode = WAL; CREATE TABLE rows (writer INTEGER PRIMARY KEY, seen INTEGER)").ok());
  }

  GroupCommit& writes() { return writes_; }
  int commits() const { return commits_; }

  // Starts each of `calls` (one Write or BetweenGroups on writes() each) on a thread of its
  // own, queued in this order behind a first write that holds the queue until all of them
  // wait; returns when all are done.
  void RunQueued(const std::vector<std::function<void()>>& calls) {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
      static_cast<void>(writes_.Write([&](Db&) {
        released.wait();
        return Status::Ok();
      }));
    });
    WaitUntilQueued(1);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      threads.emplace_back(calls[i]);
      WaitUntilQueued(i + 2);
    }
    release.set_value();
    for (std::thread& t : threads) t.join();
  }

  // RunQueued with writes of `bodies`: each one's result, or what it threw, by index.
  void RunQueued(const std::vector<Body>& bodies, std::vector<Status>& results, std::vector<std::string>& thrown) {
    results.assign(bodies.size(), Status::Ok());
    thrown.assign(bodies.size(), "");
    std::vector<std::function<void()>> calls;
    for (std::size_t i = 0; i < bodies.size(); ++i)
      calls.push_back([&, i] {
        try {
          results[i] = writes_.Write(bodies[i]);
        } catch (const std::exception& e) {
          thrown[i] = e.what();
        }
      });
    RunQueued(calls);
  }

  const std::string& path() const { return path_; }

  // writer -> what it saw (rows before its own), as committed.
  std::map<std::int64_t, std::int64_t> Rows() {
    Result<Db> db = OpenConnection(path_);
    REQUIRE(db.ok());
    Query query = db->Prepare("SELECT writer, seen FROM rows ORDER BY writer");
    std::map<std::int64_t, std::int64_t> rows;
    while (true) {
      Result<bool> row = query.Step();
      REQUIRE(row.ok());
      if (!*row) return rows;
      rows[query.Int(0)] = query.Int(1);
    }
  }

 private:
  void WaitUntilQueued(std::size_t count) {
    while (writes_.Queued() < count) std::this_thread::yield();
  }

  TempDir dir_;
  const std::string path_;
  ConnectionPool pool_;
  std::atomic<int> commits_{0};
  GroupCommit writes_;
};

// Stores a row for `writer` holding how many rows it saw, then answers `answer`.
Body InsertRow(std::int64_t writer, Status answer = Status::Ok()) {
  return [writer, answer](Db& db) {
    Query count = db.Prepare("SELECT count(*) FROM rows");
    Result<bool> row = count.Step();
    if (!row.ok()) return row.status();
    const std::int64_t seen = count.Int(0);
    RECTIFY_RETURN_IF_ERROR(db.Prepare("INSERT INTO rows (writer, seen) VALUES (?, ?)").BindAll(writer, seen).Run());
    return answer;
  };
}

TEST_CASE("Writes queued together commit once and each caller gets its own result") {
  Fixture fixture;
  std::vector<Status> results;
  std::vector<std::string> thrown;
  const Body throws = [](Db& db) -> Status {
    RECTIFY_RETURN_IF_ERROR(db.Prepare("INSERT INTO rows (writer, seen) VALUES (4, -1)").Run());
    throw std::runtime_error("writer 4 gave up");
  };
  fixture.RunQueued({InsertRow(1), InsertRow(2, Status::Aborted("writer 2 is stale")), InsertRow(3), throws,
                     InsertRow(5, Status::NotFound("writer 5 found nothing")), InsertRow(6)},
                    results, thrown);

  CHECK(fixture.commits() == 2);  // the first write alone, then the six together
  CHECK(results[0].ok());
  CHECK(results[1].code() == StatusCode::kAborted);
  CHECK(results[1].message() == "writer 2 is stale");
  CHECK(results[2].ok());
  CHECK(thrown[3] == "writer 4 gave up");  // rethrown on its caller's thread, nobody else's
  CHECK(results[4].code() == StatusCode::kNotFound);
  CHECK(results[5].ok());
  for (std::size_t i : {0u, 1u, 2u, 4u, 5u}) CHECK(thrown[i].empty());
  // The failed writes left nothing; each later write saw the earlier ones that stayed.
  CHECK(fixture.Rows() == std::map<std::int64_t, std::int64_t>{{1, 0}, {3, 1}, {6, 2}});
}

TEST_CASE("A group stops at its size and time bounds and the writes left over commit in the next groups") {
  struct Case {
    const char* name;
    GroupLimits limits;
    int commits;  // the first write's, then the five queued behind it
  };
  for (const Case& c : {Case{"two writes a group", {2, std::chrono::seconds(10)}, 1 + 3},
                        Case{"no body time to spare after the first", {64, std::chrono::microseconds(0)}, 1 + 5},
                        Case{"room for all", {64, std::chrono::seconds(10)}, 1 + 1}}) {
    SECTION(c.name) {
      Fixture fixture(c.limits);
      std::vector<Status> results;
      std::vector<std::string> thrown;
      fixture.RunQueued({InsertRow(1), InsertRow(2), InsertRow(3), InsertRow(4), InsertRow(5)}, results, thrown);
      CHECK(fixture.commits() == c.commits);
      for (const Status& result : results) CHECK(result.ok());
      CHECK(fixture.Rows() == std::map<std::int64_t, std::int64_t>{{1, 0}, {2, 1}, {3, 2}, {4, 3}, {5, 4}});
    }
  }
}

TEST_CASE("When SQLite ends the shared transaction, the writes run in it fail and the rest run in the next group") {
  Fixture fixture;
  std::vector<Status> results;
  std::vector<std::string> thrown;
  // As SQLite does after a disk-full or I/O error: the whole transaction is rolled back.
  const Body ends_transaction = [](Db& db) {
    RECTIFY_RETURN_IF_ERROR(db.Prepare("INSERT INTO rows (writer, seen) VALUES (2, -1)").Run());
    RECTIFY_RETURN_IF_ERROR(db.Exec("ROLLBACK"));
    return Status::Internal("disk I/O error");
  };
  fixture.RunQueued({InsertRow(1), ends_transaction, InsertRow(3)}, results, thrown);

  CHECK(results[0].code() == StatusCode::kInternal);  // it was acknowledged to no one
  CHECK(results[0].message().find("disk I/O error") != std::string::npos);
  CHECK(results[1].code() == StatusCode::kInternal);
  CHECK(results[1].message() == "disk I/O error");
  CHECK(results[2].ok());
  CHECK(fixture.commits() == 2);  // the first write's, and writer 3's
  CHECK(fixture.Rows() == std::map<std::int64_t, std::int64_t>{{3, 0}});
}


TEST_CASE("The step before each COMMIT runs in the group's transaction, and when it fails nothing of the group is kept") {
  // It adds a row of its own (writer 100 + how many rows it found), and fails when told to.
  bool fail = false;
  const auto before_commit = [&fail](Db& db) -> Status {
    Query count = db.Prepare("SELECT count(*) FROM rows");
    Result<bool> row = count.Step();
    if (!row.ok()) return row.status();
    const std::int64_t found = count.Int(0);
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("INSERT OR REPLACE INTO rows (writer, seen) VALUES (?, ?)").BindAll(100 + found, found).Run());
    return fail && found > 0 ? Status::Internal("the search index refused") : Status::Ok();
  };
  Fixture fixture(kRoomForAll, before_commit);
  std::vector<Status> results;
  std::vector<std::string> thrown;

  fixture.RunQueued({InsertRow(1), InsertRow(2, Status::Aborted("writer 2 is stale")), InsertRow(3)}, results, thrown);

  CHECK(results[0].ok());
  CHECK(results[1].code() == StatusCode::kAborted);
  CHECK(results[2].ok());
  CHECK(fixture.commits() == 2);
  // The holding write's group found no row; the three's found its marker and the two that stayed.
  const std::map<std::int64_t, std::int64_t> kept = {{1, 1}, {3, 2}, {100, 0}, {103, 3}};
  CHECK(fixture.Rows() == kept);

  fail = true;
  fixture.RunQueued({InsertRow(4), InsertRow(5, Status::NotFound("writer 5 found nothing")), InsertRow(6)}, results,
                    thrown);

  CHECK(results[0].code() == StatusCode::kInternal);
  CHECK(results[0].message() == "the search index refused");
  CHECK(results[1].code() == StatusCode::kNotFound);  // its own failure, not the group's
  CHECK(results[2].code() == StatusCode::kInternal);
  CHECK(fixture.commits() == 2);  // neither the holding write's group nor the three's
  CHECK(fixture.Rows() == kept);
}

TEST_CASE("Work between groups runs alone, after the writes before it and before the writes behind it") {
  Fixture fixture;
  Result<Db> other = OpenConnection(fixture.path());
  REQUIRE(other.ok());
  other->SetBusyTimeout(0);
  Status lock_free = Status::Internal("the work did not run");
  std::int64_t rows_seen = -1;
  std::vector<Status> results(2, Status::Internal("not run"));
  fixture.RunQueued({[&] { results[0] = fixture.writes().Write(InsertRow(1)); },
                     [&] {
                       fixture.writes().BetweenGroups([&] {
                         lock_free = other->Exec("BEGIN IMMEDIATE; ROLLBACK;");
                         Query count = other->Prepare("SELECT count(*) FROM rows");
                         if (count.Step().ok()) rows_seen = count.Int(0);
                       });
                     },
                     [&] { results[1] = fixture.writes().Write(InsertRow(2)); }});

  INFO(lock_free.ToString());
  CHECK(lock_free.ok());  // no write transaction was open: another connection took the lock at once
  CHECK(rows_seen == 1);  // the write before it had committed, the one behind it had not run
  CHECK(results[0].ok());
  CHECK(results[1].ok());
  CHECK(fixture.commits() == 3);  // the first write's, then one group on each side of the work
  CHECK(fixture.Rows() == std::map<std::int64_t, std::int64_t>{{1, 0}, {2, 1}});
}

TEST_CASE("The stats count what each write waited in the queue, once, until its own group began") {
  Fixture fixture({1, std::chrono::seconds(10)});  // one write a group: each waits for those before
  const auto slow = [](Db& db) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return InsertRow(1)(db);
  };
  std::vector<Status> results;
  std::vector<std::string> thrown;
  fixture.RunQueued({slow, InsertRow(2), InsertRow(3)}, results, thrown);
  for (const Status& result : results) CHECK(result.ok());
  const GroupStats stats = fixture.writes().Stats();
  CHECK(stats.transactions == 4);  // the holder's, then one per write
  CHECK(stats.writes == 4);
  // Writes 2 and 3 each waited behind the slow one's 50 ms at least.
  CHECK(stats.queue_wait >= std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace rectify::sqlite
