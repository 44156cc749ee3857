// The audit log of SqliteStores: every write appends its records in its own transaction (a
// failed write appends none), the chain verifies, tampering with the file through raw SQL is
// named record by record, concurrent writers keep one chain, and the log pages by date.
// Catch2's assertions are not thread-safe: worker threads only record, the test thread checks.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/audit.h"
#include "engine/clock.h"
#include "notifier/outbox.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using notifier::OutboxMessage;
using testing::Created;
using testing::kDay;
using testing::kStart;
using testing::Moved;
using testing::Problem;
using testing::TempDir;

// A store on a temp file whose audit clock the test sets.
struct AuditFixture {
  TempDir dir;
  std::string path = dir.File("rectify.sqlite");
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStart + 3600);
  std::unique_ptr<SqliteStores> store = Open();

  std::unique_ptr<SqliteStores> Open() {
    Result<std::unique_ptr<SqliteStores>> opened = SqliteStores::Open(path, clock);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    return std::move(opened).value();
  }
};

std::vector<AuditRecord> AllAudit(AuditLog& log) {
  std::vector<AuditRecord> records;
  const Status read = log.ForEachAudit([&](const AuditRecord& record) {
    records.push_back(record);
    return Status::Ok();
  });
  INFO(read.ToString());
  REQUIRE(read.ok());
  return records;
}

ChainCheck Verify(AuditLog& log) {
  ChainVerifier verifier;
  REQUIRE(log.ForEachAudit([&](const AuditRecord& record) {
                 verifier.Feed(record);
                 return Status::Ok();
               })
              .ok());
  return verifier.check();
}

OutboxMessage Message(const std::string& key) {
  OutboxMessage message;
  message.idempotency_key = key;
  message.slot = "2021-10-26T09:00:00+08:00";
  message.audience = "unit";
  message.unit = "village_1";
  message.channel = "village_1#0";
  message.message = "【整改提醒】village_1: 2 items overdue";
  message.created_at = kStart;
  message.next_attempt_at = kStart;
  return message;
}

// Runs `write` and returns the records it appended.
template <class Write>
std::vector<AuditRecord> Appended(AuditLog& log, Write write) {
  const std::size_t before = AllAudit(log).size();
  write();
  std::vector<AuditRecord> all = AllAudit(log);
  REQUIRE(all.size() >= before);
  return std::vector<AuditRecord>(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
}

void CheckOne(const std::vector<AuditRecord>& appended, const std::string& actor, const std::string& action,
              const std::string& subject, const std::string& detail) {
  REQUIRE(appended.size() == 1);
  CHECK(appended[0].actor == actor);
  CHECK(appended[0].action == action);
  CHECK(appended[0].subject == subject);
  CHECK(appended[0].detail == detail);
}

// A second connection to the file, as someone with the file and the sqlite3 tool would open it.
sqlite::Db RawConnection(const std::string& path) {
  Result<sqlite::Db> db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  return std::move(db).value();
}

// Opens the file directly and runs `sql` with the append-only triggers dropped.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite::Db db = RawConnection(path);
  const Status done =
      db.Exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql);
  INFO(done.ToString());
  REQUIRE(done.ok());
}

TEST_CASE("Each kind of write appends exactly one audit record naming who did what to which") {
  AuditFixture f;
  SqliteStores& store = *f.store;
  Item item;
  CheckOne(Appended(store.audit(), [&] { item = testing::InsertOne(store.items(), Problem("村务公开不及时", "village_1")); }),
           "tester", kAuditItemCreate, "problem 1", "assigned unit village_1: 村务公开不及时");

  CheckOne(Appended(store.audit(),
                    [&] {
                      Item moved = item;
                      moved.state = StatePath{"rectifying", "working"};
                      EventRecord event = Moved(item.state, moved.state, "accept", kStart);
                      event.note = "accepted by the village";
                      REQUIRE(store.items().Update(moved, event).ok());
                      item = moved;
                      ++item.version;
                    }),
           "tester", kAuditItemEvent, "problem 1", "assigned -> rectifying.working accept: accepted by the village");

  CheckOne(Appended(store.audit(),
                    [&] {
                      item.deadline = ShanghaiInstant(CivilDate{2021, 10, 31}, kSecondsPerDay);
                      item.deadline_rule = "autumn_end";
                      item.due_at = item.deadline;
                      REQUIRE(store.items().UpdateDeadlines({item}).ok());
                    }),
           kAuditActorSystem, kAuditItemDeadlines, "problem 1",
           "deadline 2021-11-01T00:00:00+08:00 (autumn_end), due 2021-11-01T00:00:00+08:00");

  CheckOne(Appended(store.audit(), [&] { REQUIRE(store.items().PutMeta("deadline_fingerprint", "abc123").ok()); }),
           kAuditActorSystem, kAuditMetaPut, "meta deadline_fingerprint", "abc123");

  CheckOne(Appended(store.audit(), [&] { REQUIRE(store.outbox().Enqueue({Message("slot|unit|village_1|#0|0")}).ok()); }),
           kAuditActorNotifier, kAuditOutboxEnqueue, "outbox message 1", "slot|unit|village_1|#0|0");

  CheckOne(Appended(store.audit(), [&] { REQUIRE(store.outbox().MarkSent(1, kStart + 60).ok()); }), kAuditActorNotifier,
           kAuditOutboxSent, "outbox message 1", "slot|unit|village_1|#0|0");

  REQUIRE(store.outbox().Enqueue({Message("slot|unit|village_1|#0|1")}).ok());
  CheckOne(Appended(store.audit(), [&] { REQUIRE(store.outbox().MarkFailed(2, "HTTP 502", kStart + 600, false).ok()); }),
           kAuditActorNotifier, kAuditOutboxFailed, "outbox message 2", "retry at 2021-10-26T00:10:00+08:00: HTTP 502");
  CheckOne(Appended(store.audit(), [&] { REQUIRE(store.outbox().MarkFailed(2, "HTTP 403", kStart + 600, true).ok()); }),
           kAuditActorNotifier, kAuditOutboxFailed, "outbox message 2", "dead: HTTP 403");

  CheckOne(Appended(store.audit(),
                    [&] {
                      Silence silence;
                      silence.item_id = item.id;
                      silence.approved_by = "supervisor_li";
                      silence.reason = "延期 approved";
                      silence.until = kStart + 7 * kDay;
                      silence.created_at = kStart;
                      REQUIRE(store.silences().AddSilence(silence).ok());
                    }),
           "supervisor_li", kAuditSilenceAdd, "problem 1",
           "silence 1 until 2021-11-02T00:00:00+08:00: 延期 approved");

  CheckOne(Appended(store.audit(),
                    [&] {
                      AuditRecord login;
                      login.actor = "zhang";
                      login.action = "login.failure";
                      login.subject = "user zhang";
                      login.detail = "wrong password";
                      login.seq = 99;           // ignored: the store assigns it
                      login.prev_hash = "bad";  // ignored
                      REQUIRE(store.audit().AppendAudit(login).ok());
                    }),
           "zhang", "login.failure", "user zhang", "wrong password");

  const std::vector<AuditRecord> all = AllAudit(store.audit());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].seq == static_cast<std::int64_t>(i) + 1);
    CHECK(all[i].at == kStart + 3600);
  }
  const ChainCheck check = Verify(store.audit());
  INFO(check.problem);
  CHECK(check.intact);
  CHECK(check.records == 11);
}

TEST_CASE("An insert of several items appends one record per item in input order") {
  AuditFixture f;
  testing::InsertAll(f.store->items(), {Problem("first"), Problem("second"), testing::Enrollment("王五", "village_2")});
  const std::vector<AuditRecord> all = AllAudit(f.store->audit());
  REQUIRE(all.size() == 3);
  CHECK(all[0].subject == "problem 1");
  CHECK(all[0].detail == "found: first");
  CHECK(all[1].subject == "problem 2");
  CHECK(all[2].subject == "enrollment 3");
  CHECK(all[2].detail == "found: 王五户 edge");
}

TEST_CASE("Records are stamped with the store's clock when they are written") {
  AuditFixture f;
  testing::InsertOne(f.store->items(), Problem("one"));
  f.clock->Advance(kDay);
  REQUIRE(f.store->items().PutMeta("k", "v").ok());
  const std::vector<AuditRecord> all = AllAudit(f.store->audit());
  REQUIRE(all.size() == 2);
  CHECK(all[0].at == kStart + 3600);
  CHECK(all[1].at == kStart + 3600 + kDay);
}

TEST_CASE("A write that fails appends no audit record") {
  AuditFixture f;
  SqliteStores& store = *f.store;
  const Item item = testing::InsertOne(store.items(), Problem("contended", "town-a"));
  REQUIRE(store.outbox().Enqueue({Message("k0")}).ok());
  REQUIRE(store.outbox().MarkSent(1, kStart).ok());
  const std::size_t before = AllAudit(store.audit()).size();

  Item stale = item;
  stale.version = 0;
  CHECK(store.items().Update(stale, Moved(item.state, item.state, "note", kStart)).code() == StatusCode::kAborted);
  Item missing = item;
  missing.id = 42;
  CHECK(store.items().Update(missing, Moved(item.state, item.state, "note", kStart)).code() == StatusCode::kNotFound);
  Silence silence;
  silence.item_id = 42;
  silence.approved_by = "supervisor_li";
  CHECK(store.silences().AddSilence(silence).status().code() == StatusCode::kNotFound);
  CHECK(store.outbox().MarkFailed(1, "late failure", kStart, false).code() == StatusCode::kFailedPrecondition);
  CHECK(store.outbox().MarkSent(7, kStart).code() == StatusCode::kNotFound);
  CHECK(store.audit().AppendAudit(AuditRecord{}).code() == StatusCode::kInvalidArgument);

  CHECK(AllAudit(store.audit()).size() == before);
  CHECK(Verify(store.audit()).intact);
}

TEST_CASE("A write that fails after its first audit record rolls the record back with the change") {
  AuditFixture f;
  Item bad = Problem("refused by the schema");
  bad.state = StatePath{"", ""};  // CHECK (state <> '') fails on the second insert
  Result<std::vector<Item>> stored = f.store->items().Insert({Problem("good"), bad}, {Created(Problem("good")), Created(bad)});
  REQUIRE_FALSE(stored.ok());
  CHECK(AllAudit(f.store->audit()).empty());
  ItemQuery all;
  CHECK(f.store->items().List(all)->empty());
}

TEST_CASE("A write that changes nothing appends nothing") {
  AuditFixture f;
  SqliteStores& store = *f.store;
  REQUIRE(store.outbox().Enqueue({Message("k0")}).ok());
  REQUIRE(store.outbox().MarkSent(1, kStart).ok());
  const std::size_t before = AllAudit(store.audit()).size();

  CHECK(store.outbox().MarkSent(1, kStart + 60).ok());         // already sent
  CHECK(*store.outbox().Enqueue({Message("k0")}) == 0);        // key already there
  CHECK(*store.outbox().Enqueue({}) == 0);
  CHECK(store.items().Insert({}, {}).ok());
  CHECK(store.items().UpdateDeadlines({}).ok());
  CHECK(store.items().UpdateDeadlines({Problem("never stored")}).ok());  // id 0 matches no row

  CHECK(AllAudit(store.audit()).size() == before);
}

TEST_CASE("The audit table refuses UPDATE and DELETE even through raw SQL") {
  AuditFixture f;
  REQUIRE(f.store->items().PutMeta("k", "v").ok());
  sqlite::Db db = RawConnection(f.path);
  const Status updated = db.Exec("UPDATE audit_log SET detail = 'w' WHERE seq = 1");
  CHECK(updated.message().find("append-only") != std::string::npos);
  const Status deleted = db.Exec("DELETE FROM audit_log WHERE seq = 1");
  CHECK(deleted.message().find("append-only") != std::string::npos);
  CHECK(Verify(f.store->audit()).intact);
}

TEST_CASE("Tampering with the file through raw SQL is named at the first bad record") {
  AuditFixture f;
  for (int i = 0; i < 5; ++i) REQUIRE(f.store->items().PutMeta("key " + std::to_string(i), "value").ok());
  REQUIRE(Verify(f.store->audit()).intact);

  SECTION("an updated detail is an edited record") {
    Tamper(f.path, "UPDATE audit_log SET detail = 'other value' WHERE seq = 3");
    const ChainCheck check = Verify(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kEdited);
    CHECK(check.first_bad_seq == 3);
  }
  SECTION("a deleted middle row is a deleted record") {
    Tamper(f.path, "DELETE FROM audit_log WHERE seq = 3");
    const ChainCheck check = Verify(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kDeleted);
    CHECK(check.first_bad_seq == 3);
  }
  SECTION("a forged row with a recomputed hash but the wrong prev_hash is an inserted record") {
    const std::vector<AuditRecord> all = AllAudit(f.store->audit());
    AuditRecord forged;
    forged.at = kStart;
    forged.actor = "admin";
    forged.action = kAuditItemEvent;
    forged.subject = "problem 1";
    forged.detail = "closed -> closed close";
    forged = SealAuditRecord(forged, 6, all[3].hash);  // chained to record 4, not 5
    sqlite::Db db = RawConnection(f.path);
    REQUIRE(db.Prepare("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .BindAll(forged.seq, forged.at, forged.actor, forged.action, forged.subject, forged.detail,
                         forged.prev_hash, forged.hash)
                .Run()
                .ok());
    const ChainCheck check = Verify(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kInserted);
    CHECK(check.first_bad_seq == 6);
  }
  SECTION("a row rewritten with a recomputed hash is found at the link after it") {
    AuditRecord rewritten = AllAudit(f.store->audit())[1];
    rewritten.detail = "other value";
    rewritten = SealAuditRecord(rewritten, rewritten.seq, rewritten.prev_hash);
    sqlite::Db db = RawConnection(f.path);
    REQUIRE(db.Exec("DROP TRIGGER audit_log_no_update").ok());
    REQUIRE(db.Prepare("UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 2")
                .BindAll(rewritten.detail, rewritten.hash)
                .Run()
                .ok());
    const ChainCheck check = Verify(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kInserted);
    CHECK(check.first_bad_seq == 3);
  }
}

TEST_CASE("Concurrent writers from threads and two stores keep one unbroken chain") {
  AuditFixture f;
  std::unique_ptr<SqliteStores> second = f.Open();  // another connection pool, as another process would have
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SqliteStores& store = t % 2 == 0 ? *f.store : *second;
      for (int n = 0; n < kWritesPerThread; ++n) {
        const std::string name = "writer " + std::to_string(t) + " write " + std::to_string(n);
        Status written;
        switch (n % 3) {
          case 0: {
            Item item = Problem(name);
            EventRecord created = Created(item);
            written = store.items().Insert({item}, {created}).status();
            break;
          }
          case 1: written = store.items().PutMeta(name, "v"); break;
          default: {
            AuditRecord record;
            record.actor = name;
            record.action = "test.write";
            written = store.audit().AppendAudit(record);
          }
        }
        if (!written.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  CHECK(failures == 0);
  const std::vector<AuditRecord> all = AllAudit(f.store->audit());
  CHECK(all.size() == kThreads * kWritesPerThread);
  const ChainCheck check = VerifyChain(all);
  INFO(check.problem);
  CHECK(check.intact);
  CHECK(check.records == kThreads * kWritesPerThread);
}

TEST_CASE("AuditRange pages by seq through the records of a date range") {
  AuditFixture f;
  // Two records on each of four days: 10-26, 10-27, 10-28, 10-29.
  for (int day = 0; day < 4; ++day) {
    f.clock->Set(kStart + day * kDay + 3600);
    for (int n = 0; n < 2; ++n) REQUIRE(f.store->items().PutMeta("k", std::to_string(day * 2 + n)).ok());
  }
  const Instant from = kStart + kDay;      // 10-27 00:00
  const Instant to = kStart + 3 * kDay;    // 10-29 00:00, excluded

  std::vector<std::int64_t> seqs;
  std::int64_t after = 0;
  int pages = 0;
  while (true) {
    Result<std::vector<AuditRecord>> page = f.store->audit().AuditRange(from, to, after, 3);
    REQUIRE(page.ok());
    ++pages;
    for (const AuditRecord& record : *page) {
      CHECK(record.at >= from);
      CHECK(record.at < to);
      seqs.push_back(record.seq);
    }
    if (page->size() < 3) break;
    after = page->back().seq;
  }
  CHECK(seqs == std::vector<std::int64_t>{3, 4, 5, 6});
  CHECK(pages == 2);

  SECTION("a record written with the clock set back is found by its date") {
    f.clock->Set(kStart + kDay + 7200);
    REQUIRE(f.store->items().PutMeta("k", "late").ok());
    Result<std::vector<AuditRecord>> page = f.store->audit().AuditRange(from, from + kDay, 0, 10);
    REQUIRE(page.ok());
    REQUIRE(page->size() == 3);
    CHECK(page->back().seq == 9);
  }
  SECTION("bad arguments are named") {
    CHECK(f.store->audit().AuditRange(from, to, 0, 0).status().field() == "limit");
    CHECK(f.store->audit().AuditRange(to, from, 0, 10).status().field() == "to");
    CHECK(f.store->audit().AuditRange(from, to, -1, 10).status().field() == "after_seq");
  }
}

TEST_CASE("ForEachAudit stops at the first failed status of its visitor and returns it") {
  AuditFixture f;
  for (int i = 0; i < 4; ++i) REQUIRE(f.store->items().PutMeta("k", std::to_string(i)).ok());
  int visited = 0;
  const Status stopped = f.store->audit().ForEachAudit([&](const AuditRecord& record) {
    ++visited;
    return record.seq == 2 ? Status::Aborted("enough") : Status::Ok();
  });
  CHECK(stopped.code() == StatusCode::kAborted);
  CHECK(visited == 2);
}

TEST_CASE("The chain continues across closing and opening the store") {
  AuditFixture f;
  REQUIRE(f.store->items().PutMeta("k", "1").ok());
  f.store.reset();
  f.store = f.Open();
  REQUIRE(f.store->items().PutMeta("k", "2").ok());
  const std::vector<AuditRecord> all = AllAudit(f.store->audit());
  REQUIRE(all.size() == 2);
  CHECK(all[1].prev_hash == all[0].hash);
  CHECK(VerifyChain(all).intact);
}

}  // namespace
}  // namespace rectify
