// The audit log (engine/audit_log.h, and what engine/item_store.h and notifier/outbox.h say each
// write records) on every backend (backends.h): every write appends its records in its own
// transaction, a failed or empty write appends none, records are stamped with the store's clock,
// concurrent writers keep one chain, the chain survives reopening, and the log pages by date.
// Catch2's assertions are not thread-safe: worker threads only record, the test thread checks.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/audit.h"
#include "notifier/outbox.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

using notifier::OutboxMessage;

// A message of the 10-26 slot whose idempotency key is `key`.
OutboxMessage MessageWithKey(const std::string& key) {
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

TEMPLATE_TEST_CASE("Each kind of write appends exactly one audit record naming who did what to which", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Stores& store = backend.stores();
  Item item;
  CheckOne(Appended(store.audit(), [&] { item = InsertOne(store.items(), Problem("村务公开不及时", "village_1")); }),
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

  CheckOne(Appended(store.audit(),
                    [&] { REQUIRE(store.outbox().Enqueue({MessageWithKey("slot|unit|village_1|#0|0")}).ok()); }),
           kAuditActorNotifier, kAuditOutboxEnqueue, "outbox message 1", "slot|unit|village_1|#0|0");

  CheckOne(Appended(store.audit(), [&] { REQUIRE(store.outbox().MarkSent(1, kStart + 60).ok()); }), kAuditActorNotifier,
           kAuditOutboxSent, "outbox message 1", "slot|unit|village_1|#0|0");

  REQUIRE(store.outbox().Enqueue({MessageWithKey("slot|unit|village_1|#0|1")}).ok());
  CheckOne(
      Appended(store.audit(), [&] { REQUIRE(store.outbox().MarkFailed(2, "HTTP 502", kStart + 600, false).ok()); }),
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
           "supervisor_li", kAuditSilenceAdd, "problem 1", "silence 1 until 2021-11-02T00:00:00+08:00: 延期 approved");

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
  const ChainCheck check = VerifyAudit(store.audit());
  INFO(check.problem);
  CHECK(check.intact);
  CHECK(check.records == 11);
}

TEMPLATE_TEST_CASE("An insert of several items appends one record per item in input order", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  InsertAll(backend.stores().items(), {Problem("first"), Problem("second"), Enrollment("王五", "village_2")});
  const std::vector<AuditRecord> all = AllAudit(backend.stores().audit());
  REQUIRE(all.size() == 3);
  CHECK(all[0].subject == "problem 1");
  CHECK(all[0].detail == "found: first");
  CHECK(all[1].subject == "problem 2");
  CHECK(all[2].subject == "enrollment 3");
  CHECK(all[2].detail == "found: 王五户 edge");
}

TEMPLATE_TEST_CASE("Records are stamped with the store's clock when they are written", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  InsertOne(backend.stores().items(), Problem("one"));
  backend.clock().Advance(kDay);
  REQUIRE(backend.stores().items().PutMeta("k", "v").ok());
  const std::vector<AuditRecord> all = AllAudit(backend.stores().audit());
  REQUIRE(all.size() == 2);
  CHECK(all[0].at == kStart + 3600);
  CHECK(all[1].at == kStart + 3600 + kDay);
}

TEMPLATE_TEST_CASE("A write that fails appends no audit record", "[audit_log]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Stores& store = backend.stores();
  const Item item = InsertOne(store.items(), Problem("contended", "town-a"));
  REQUIRE(store.outbox().Enqueue({MessageWithKey("k0")}).ok());
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
  CHECK(VerifyAudit(store.audit()).intact);
}

TEMPLATE_TEST_CASE("A write that fails after its first audit record rolls the record back with the change",
                   "[audit_log]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Item bad = Problem("refused by the schema");
  bad.state = StatePath{"", ""};  // CHECK (state <> '') fails on the second insert
  Result<std::vector<Item>> stored =
      backend.stores().items().Insert({Problem("good"), bad}, {Created(Problem("good")), Created(bad)});
  REQUIRE_FALSE(stored.ok());
  CHECK(AllAudit(backend.stores().audit()).empty());
  ItemQuery all;
  CHECK(backend.stores().items().List(all)->empty());
}

TEMPLATE_TEST_CASE("UpdateEach's refused update takes its audit record back and the chain goes on unbroken",
                   "[audit_log]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Stores& store = backend.stores();
  const std::vector<Item> items = InsertAll(store.items(), {Problem("first"), Problem("refused"), Problem("third")});
  const StatePath working{"rectifying", "working"};
  std::vector<ItemUpdate> updates;
  for (Item item : items) {
    const StatePath from = item.state;
    item.state = working;
    updates.push_back({item, Moved(from, working, "start", kStart + kDay)});
  }
  // The first update's record is written, then the batch goes back to its savepoint at the
  // second and runs again one update at a time: the record made before the rollback is gone.
  updates[1].item.state = StatePath{"", ""};

  Result<std::vector<Status>> written = store.items().UpdateEach(updates);

  REQUIRE(written.ok());
  CHECK((*written)[0].ok());
  CHECK_FALSE((*written)[1].ok());
  CHECK((*written)[2].ok());
  std::vector<AuditRecord> all = AllAudit(store.audit());
  REQUIRE(all.size() == 5);  // three inserts, two updates
  CHECK(all[3].subject == "problem " + std::to_string(items[0].id));
  CHECK(all[4].subject == "problem " + std::to_string(items[2].id));
  CHECK(VerifyAudit(store.audit()).intact);
  // The next write, in a transaction of its own, appends after the last record kept.
  Item again = items[0];
  again.state = working;
  again.version = 2;
  REQUIRE(store.items().Update(again, Moved(working, working, "progress", kStart + 2 * kDay)).ok());
  all = AllAudit(store.audit());
  REQUIRE(all.size() == 6);
  CHECK(all[5].seq == 6);
  CHECK(all[5].prev_hash == all[4].hash);
  CHECK(VerifyAudit(store.audit()).intact);
}

TEMPLATE_TEST_CASE("A write that changes nothing appends nothing", "[audit_log]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Stores& store = backend.stores();
  REQUIRE(store.outbox().Enqueue({MessageWithKey("k0")}).ok());
  REQUIRE(store.outbox().MarkSent(1, kStart).ok());
  const std::size_t before = AllAudit(store.audit()).size();

  CHECK(store.outbox().MarkSent(1, kStart + 60).ok());          // already sent
  CHECK(*store.outbox().Enqueue({MessageWithKey("k0")}) == 0);  // key already there
  CHECK(*store.outbox().Enqueue({}) == 0);
  CHECK(store.items().Insert({}, {}).ok());
  CHECK(store.items().UpdateDeadlines({}).ok());
  CHECK(store.items().UpdateDeadlines({Problem("never stored")}).ok());  // id 0 matches no row

  CHECK(AllAudit(store.audit()).size() == before);
}

TEMPLATE_TEST_CASE("Concurrent writers from threads and two stores keep one unbroken chain", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  std::unique_ptr<Stores> second = backend.OpenAnother();  // as another process would hold them
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Stores& store = t % 2 == 0 ? backend.stores() : *second;
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
          case 1:
            written = store.items().PutMeta(name, "v");
            break;
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
  const std::vector<AuditRecord> all = AllAudit(backend.stores().audit());
  CHECK(all.size() == kThreads * kWritesPerThread);
  const ChainCheck check = VerifyChain(all);
  INFO(check.problem);
  CHECK(check.intact);
  CHECK(check.records == kThreads * kWritesPerThread);
}

TEMPLATE_TEST_CASE("AuditRange pages by seq through the records of a date range", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  // Two records on each of four days: 10-26, 10-27, 10-28, 10-29.
  for (int day = 0; day < 4; ++day) {
    backend.clock().Set(kStart + day * kDay + 3600);
    for (int n = 0; n < 2; ++n) REQUIRE(backend.stores().items().PutMeta("k", std::to_string(day * 2 + n)).ok());
  }
  const Instant from = kStart + kDay;    // 10-27 00:00
  const Instant to = kStart + 3 * kDay;  // 10-29 00:00, excluded

  std::vector<std::int64_t> seqs;
  std::int64_t after = 0;
  int pages = 0;
  while (true) {
    Result<std::vector<AuditRecord>> page = backend.stores().audit().AuditRange(from, to, after, 3);
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
    backend.clock().Set(kStart + kDay + 7200);
    REQUIRE(backend.stores().items().PutMeta("k", "late").ok());
    Result<std::vector<AuditRecord>> page = backend.stores().audit().AuditRange(from, from + kDay, 0, 10);
    REQUIRE(page.ok());
    REQUIRE(page->size() == 3);
    CHECK(page->back().seq == 9);
  }
  SECTION("bad arguments are named") {
    CHECK(backend.stores().audit().AuditRange(from, to, 0, 0).status().field() == "limit");
    CHECK(backend.stores().audit().AuditRange(to, from, 0, 10).status().field() == "to");
    CHECK(backend.stores().audit().AuditRange(from, to, -1, 10).status().field() == "after_seq");
  }
}

TEMPLATE_TEST_CASE("ForEachAudit stops at the first failed status of its visitor and returns it", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  for (int i = 0; i < 4; ++i) REQUIRE(backend.stores().items().PutMeta("k", std::to_string(i)).ok());
  int visited = 0;
  const Status stopped = backend.stores().audit().ForEachAudit([&](const AuditRecord& record) {
    ++visited;
    return record.seq == 2 ? Status::Aborted("enough") : Status::Ok();
  });
  CHECK(stopped.code() == StatusCode::kAborted);
  CHECK(visited == 2);
}

TEMPLATE_TEST_CASE("The chain continues across closing and opening the store", "[audit_log]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  REQUIRE(backend.stores().items().PutMeta("k", "1").ok());
  backend.Reopen();
  REQUIRE(backend.stores().items().PutMeta("k", "2").ok());
  const std::vector<AuditRecord> all = AllAudit(backend.stores().audit());
  REQUIRE(all.size() == 2);
  CHECK(all[1].prev_hash == all[0].hash);
  CHECK(VerifyChain(all).intact);
}

TEMPLATE_TEST_CASE("ForEachAudit reads one snapshot: a record appended while it runs is not visited", "[audit_log]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  for (int i = 0; i < 3; ++i) REQUIRE(backend.stores().items().PutMeta("k", std::to_string(i)).ok());
  std::vector<std::int64_t> visited;
  Status appended;
  const Status read = backend.stores().audit().ForEachAudit([&](const AuditRecord& record) {
    if (visited.empty()) appended = backend.stores().audit().AppendAudit(MakeAuditRecord("t", "test.write", "", ""));
    visited.push_back(record.seq);
    return Status::Ok();
  });
  INFO(appended.ToString());
  REQUIRE(appended.ok());
  REQUIRE(read.ok());
  CHECK(visited == std::vector<std::int64_t>{1, 2, 3});
  CHECK(AllAudit(backend.stores().audit()).size() == 4);
}

TEMPLATE_TEST_CASE("Every port's AppendAudit refuses a record without an action, names the field and appends nothing",
                   "[audit_log]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Stores& stores = backend.stores();
  const AuditRecord nameless = MakeAuditRecord("user zhang", "", "user zhang", "wrong password");
  for (const Status& refused : {stores.audit().AppendAudit(nameless), stores.accounts().AppendAudit(nameless),
                                stores.survey().AppendAudit(nameless)}) {
    CHECK(refused.code() == StatusCode::kInvalidArgument);
    CHECK(refused.field() == "action");
  }
  CHECK(AllAudit(stores.audit()).empty());
  REQUIRE(stores.accounts().AppendAudit(MakeAuditRecord("zhang", "login.failure", "user zhang", "")).ok());
  REQUIRE(stores.survey().AppendAudit(MakeAuditRecord("user t.o", "export", "visits village_1", "3 rows")).ok());
  CHECK(AuditActions(stores.audit()) == std::vector<std::string>{"login.failure", "export"});
  CHECK(VerifyAudit(stores.audit()).intact);
}

}  // namespace
}  // namespace rectify::testing
