// The notifier's outbox (notifier/outbox.h) on every backend (backends.h): a scan enqueues each
// message once, the sender sees what is due in order, a delivery is logged exactly once however
// often it is reported, a failure is retried later or given up, and all of it survives a restart and concurrent callers.
// Catch2's assertions are not thread-safe: worker threads only record, the test thread checks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "notifier/outbox.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

using notifier::OutboxMessage;
using notifier::OutboxState;
using notifier::OutboxStore;

int EnqueueAll(OutboxStore& store, const std::vector<OutboxMessage>& messages) {
  Result<int> inserted = store.Enqueue(messages);
  INFO(inserted.status().ToString());
  REQUIRE(inserted.ok());
  return *inserted;
}

std::vector<OutboxMessage> DueAt(OutboxStore& store, Instant now, int limit = 100) {
  Result<std::vector<OutboxMessage>> due = store.Due(now, limit);
  INFO(due.status().ToString());
  REQUIRE(due.ok());
  return std::move(due).value();
}

std::vector<OutboxMessage> ListAll(OutboxStore& store, std::optional<OutboxState> state = std::nullopt,
                                   std::int64_t before_id = 0, int limit = 100) {
  Result<std::vector<OutboxMessage>> listed = store.ListOutbox(state, before_id, limit);
  INFO(listed.status().ToString());
  REQUIRE(listed.ok());
  return std::move(listed).value();
}

OutboxMessage Find(OutboxStore& store, std::int64_t id) {
  for (const OutboxMessage& message : ListAll(store)) {
    if (message.id == id) return message;
  }
  FAIL("outbox message " << id << " not listed");
  return {};
}

std::vector<std::string> Keys(const std::vector<OutboxMessage>& messages) {
  std::vector<std::string> keys;
  for (const OutboxMessage& message : messages) keys.push_back(message.idempotency_key);
  return keys;
}

std::vector<std::int64_t> Ids(const std::vector<OutboxMessage>& messages) {
  std::vector<std::int64_t> ids;
  for (const OutboxMessage& message : messages) ids.push_back(message.id);
  return ids;
}

std::vector<std::string> LogOf(OutboxStore& store, const std::string& slot) {
  Result<std::vector<std::string>> log = store.NotificationLog(slot);
  INFO(log.status().ToString());
  REQUIRE(log.ok());
  return std::move(log).value();
}

void CheckOk(const Status& status) {
  INFO(status.ToString());
  CHECK(status.ok());
}

TEMPLATE_TEST_CASE("Enqueue stores new messages as pending and a second scan of the same slot adds none",
                   "[outbox_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  const std::vector<OutboxMessage> scan = {Message(kSlot, "village_1"), Message(kSlot, "village_2"),
                                           Message(kSlot, "village_2", kStart, 1)};

  CHECK(EnqueueAll(store, scan) == 3);
  CHECK(EnqueueAll(store, scan) == 0);
  CHECK(EnqueueAll(store, {Message(kSlot, "village_1"), Message(kNextSlot, "village_1")}) == 1);

  const std::vector<OutboxMessage> stored = ListAll(store);
  REQUIRE(stored.size() == 4);
  const OutboxMessage& first = stored.back();  // newest first
  CHECK(first.id > 0);
  CHECK(first.idempotency_key == scan[0].idempotency_key);
  CHECK(first.slot == kSlot);
  CHECK(first.audience == "unit");
  CHECK(first.unit == "village_1");
  CHECK(first.channel == "village_1#0");
  CHECK(first.message == scan[0].message);
  CHECK(first.item_count == 2);
  CHECK(first.state == OutboxState::kPending);
  CHECK(first.attempts == 0);
  CHECK(first.created_at == kStart);
  CHECK(first.next_attempt_at == kStart);
  CHECK_FALSE(first.sent_at.has_value());
  CHECK(first.last_error.empty());
}

TEMPLATE_TEST_CASE("A key repeated inside one batch is stored once", "[outbox_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  CHECK(EnqueueAll(store, {Message(kSlot, "village_1"), Message(kSlot, "village_1")}) == 1);
  CHECK(ListAll(store).size() == 1);
}

TEMPLATE_TEST_CASE("A message the schema refuses fails its whole batch and stores none of it", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  OutboxMessage bad = Message(kSlot, "village_2");
  bad.audience = "everyone";

  Result<int> inserted = store.Enqueue({Message(kSlot, "village_1"), bad});

  CHECK(inserted.status().code() == StatusCode::kInternal);
  CHECK(ListAll(store).empty());
}

TEMPLATE_TEST_CASE("A slot is recorded with its messages in one transaction, so a failed enqueue leaves it to scan again",
                   "[outbox_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(store.LastSlot().ok());
  CHECK_FALSE(store.LastSlot()->has_value());
  OutboxMessage bad = Message(kSlot, "village_2");
  bad.audience = "everyone";

  Result<int> failed = store.EnqueueSlot(kSlot, {Message(kSlot, "village_1"), bad});

  CHECK(failed.status().code() == StatusCode::kInternal);
  CHECK(ListAll(store).empty());
  CHECK_FALSE(store.LastSlot()->has_value());  // neither the messages nor the slot

  Result<int> enqueued = store.EnqueueSlot(kSlot, {Message(kSlot, "village_1")});
  REQUIRE(enqueued.ok());
  CHECK(*enqueued == 1);
  CHECK(store.LastSlot().value() == std::optional<std::string>(kSlot));
  // A slot with nothing to send is done too; a repeat adds nothing and keeps the record.
  REQUIRE(store.EnqueueSlot(kNextSlot, {}).ok());
  CHECK(store.LastSlot().value() == std::optional<std::string>(kNextSlot));
  CHECK(store.EnqueueSlot(kNextSlot, {Message(kSlot, "village_1")}).value() == 0);
  backend.Reopen();
  CHECK(backend.stores().outbox().LastSlot().value() == std::optional<std::string>(kNextSlot));
}

TEMPLATE_TEST_CASE("Due returns pending and failed messages whose time has come longest due first", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "late", kStart + 30), Message(kSlot, "early", kStart),
                             Message(kSlot, "middle", kStart + 10), Message(kSlot, "future", kStart + kDay),
                             Message(kSlot, "sent", kStart), Message(kSlot, "dead", kStart),
                             Message(kSlot, "retried", kStart)}) == 7);
  const std::vector<OutboxMessage> all = ListAll(store);
  auto id_of = [&](const std::string& unit) {
    for (const OutboxMessage& message : all) {
      if (message.unit == unit) return message.id;
    }
    FAIL("no message for " << unit);
    return std::int64_t{0};
  };
  CheckOk(store.MarkSent(id_of("sent"), kStart));
  CheckOk(store.MarkFailed(id_of("dead"), "HTTP 404", kStart, /*dead=*/true));
  CheckOk(store.MarkFailed(id_of("retried"), "HTTP 503", kStart + 20, /*dead=*/false));

  auto units = [](const std::vector<OutboxMessage>& messages) {
    std::vector<std::string> out;
    for (const OutboxMessage& message : messages) out.push_back(message.unit);
    return out;
  };
  CHECK(units(DueAt(store, kStart - 1)).empty());
  CHECK(units(DueAt(store, kStart)) == std::vector<std::string>{"early"});
  CHECK(units(DueAt(store, kStart + 30)) == std::vector<std::string>{"early", "middle", "retried", "late"});
  CHECK(units(DueAt(store, kStart + 30, 2)) == std::vector<std::string>{"early", "middle"});
  CHECK(DueAt(store, kStart + kDay).size() == 5);
  CHECK(store.Due(kStart, 0).status().code() == StatusCode::kInvalidArgument);
  CHECK(store.Due(kStart, 0).status().field() == "limit");
}

TEMPLATE_TEST_CASE("MarkSent writes the notification log and takes the message out of Due", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "village_1"), Message(kSlot, "village_2")}) == 2);
  const std::vector<OutboxMessage> due = DueAt(store, kStart);
  REQUIRE(due.size() == 2);

  CheckOk(store.MarkSent(due[0].id, kStart + 5));

  CHECK(Ids(DueAt(store, kStart + kDay)) == std::vector<std::int64_t>{due[1].id});
  const OutboxMessage sent = Find(store, due[0].id);
  CHECK(sent.state == OutboxState::kSent);
  CHECK(sent.sent_at == std::optional<Instant>(kStart + 5));
  CHECK(sent.attempts == 1);
  CHECK(LogOf(store, kSlot) == std::vector<std::string>{due[0].idempotency_key});
  CHECK(LogOf(store, kNextSlot).empty());
}

TEMPLATE_TEST_CASE("A repeated MarkSent changes nothing and an unknown id is not found", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "village_1")}) == 1);
  const std::int64_t id = DueAt(store, kStart).front().id;
  CheckOk(store.MarkSent(id, kStart + 5));

  CheckOk(store.MarkSent(id, kStart + 99));

  const OutboxMessage sent = Find(store, id);
  CHECK(sent.sent_at == std::optional<Instant>(kStart + 5));
  CHECK(sent.attempts == 1);
  CHECK(LogOf(store, kSlot).size() == 1);
  CHECK(store.MarkSent(id + 1, kStart).code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("MarkFailed counts attempts and reschedules until the message is given up as dead", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "village_1")}) == 1);
  const std::int64_t id = DueAt(store, kStart).front().id;

  CheckOk(store.MarkFailed(id, "HTTP 503", kStart + 60, /*dead=*/false));
  CHECK(DueAt(store, kStart + 59).empty());
  const std::vector<OutboxMessage> retry = DueAt(store, kStart + 60);
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].state == OutboxState::kFailed);
  CHECK(retry[0].attempts == 1);
  CHECK(retry[0].last_error == "HTTP 503");

  CheckOk(store.MarkFailed(id, "errcode 45009: too many requests", kStart + 240, /*dead=*/false));
  CHECK(DueAt(store, kStart + 239).empty());
  CHECK(DueAt(store, kStart + 240).front().attempts == 2);

  CheckOk(store.MarkFailed(id, "HTTP 404", kStart + 960, /*dead=*/true));
  CHECK(DueAt(store, kStart + 100 * kDay).empty());
  const OutboxMessage dead = Find(store, id);
  CHECK(dead.state == OutboxState::kDead);
  CHECK(dead.attempts == 3);
  CHECK(dead.last_error == "HTTP 404");
  CHECK_FALSE(dead.sent_at.has_value());
  CHECK(LogOf(store, kSlot).empty());
}

TEMPLATE_TEST_CASE("MarkFailed leaves a sent message sent and does not know an unknown id", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "village_1")}) == 1);
  const std::int64_t id = DueAt(store, kStart).front().id;
  CheckOk(store.MarkSent(id, kStart));

  CHECK(store.MarkFailed(id, "late timeout", kStart + 60, false).code() == StatusCode::kFailedPrecondition);
  CHECK(store.MarkFailed(id + 1, "HTTP 503", kStart + 60, false).code() == StatusCode::kNotFound);

  const OutboxMessage sent = Find(store, id);
  CHECK(sent.state == OutboxState::kSent);
  CHECK(sent.attempts == 1);
  CHECK(sent.last_error.empty());
}

TEMPLATE_TEST_CASE("ListOutbox pages newest first and filters by state", "[outbox_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  std::vector<OutboxMessage> scan;
  for (int i = 0; i < 5; ++i) scan.push_back(Message(kSlot, "village_" + std::to_string(i)));
  REQUIRE(EnqueueAll(store, scan) == 5);
  const std::vector<std::int64_t> ids = Ids(ListAll(store));
  REQUIRE(ids.size() == 5);
  CHECK(std::is_sorted(ids.rbegin(), ids.rend()));
  CheckOk(store.MarkSent(ids[1], kStart));
  CheckOk(store.MarkSent(ids[3], kStart));
  CheckOk(store.MarkFailed(ids[4], "HTTP 500", kStart + 60, false));

  CHECK(Ids(ListAll(store, std::nullopt, 0, 2)) == std::vector<std::int64_t>{ids[0], ids[1]});
  CHECK(Ids(ListAll(store, std::nullopt, ids[1], 2)) == std::vector<std::int64_t>{ids[2], ids[3]});
  CHECK(Ids(ListAll(store, std::nullopt, ids[3], 2)) == std::vector<std::int64_t>{ids[4]});
  CHECK(ListAll(store, std::nullopt, ids[4], 2).empty());
  CHECK(Ids(ListAll(store, OutboxState::kSent)) == std::vector<std::int64_t>{ids[1], ids[3]});
  CHECK(Ids(ListAll(store, OutboxState::kSent, ids[1])) == std::vector<std::int64_t>{ids[3]});
  CHECK(Ids(ListAll(store, OutboxState::kPending, 0, 1)) == std::vector<std::int64_t>{ids[0]});
  CHECK(Ids(ListAll(store, OutboxState::kFailed)) == std::vector<std::int64_t>{ids[4]});
  CHECK(ListAll(store, OutboxState::kDead).empty());
  CHECK(store.CountOutbox(std::nullopt, {}).value() == 5);
  CHECK(store.CountOutbox(OutboxState::kSent, {}).value() == 2);
  CHECK(store.CountOutbox(std::nullopt, {"village_0", "village_1", "village_9"}).value() == 2);
  CHECK(store.CountOutbox(OutboxState::kSent, {"village_0", "village_1"}).value() == 1);
  CHECK(store.ListOutbox(std::nullopt, 0, 0).status().field() == "limit");
  CHECK(store.ListOutbox(std::nullopt, -1, 10).status().field() == "before_id");
}

// The names are the port header's own functions, the same for every backend: tested once.
TEST_CASE("Outbox state names read back as the same states and unknown names are refused") {
  for (const auto state : {OutboxState::kPending, OutboxState::kSent, OutboxState::kFailed, OutboxState::kDead}) {
    CHECK(notifier::ParseOutboxState(notifier::OutboxStateName(state)) == state);
  }
  CHECK(std::string(notifier::OutboxStateName(OutboxState::kFailed)) == "failed");
  CHECK_FALSE(notifier::ParseOutboxState("Sent").has_value());
  CHECK_FALSE(notifier::ParseOutboxState("").has_value());
}

TEMPLATE_TEST_CASE("Pending messages are still due after the store is closed and opened again", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  {
    OutboxStore& store = backend.stores().outbox();
    REQUIRE(EnqueueAll(store, {Message(kSlot, "village_1"), Message(kSlot, "village_2")}) == 2);
    // One taken and sent; the other never taken (a message taken but not marked waits out its
    // claim: "A message claimed and never marked ...").
    CheckOk(store.MarkSent(DueAt(store, kStart, 1).front().id, kStart));
  }

  backend.Reopen();

  OutboxStore& reopened = backend.stores().outbox();
  const std::vector<OutboxMessage> due = DueAt(reopened, kStart);
  REQUIRE(due.size() == 1);
  CHECK(due[0].unit == "village_2");
  CHECK(LogOf(reopened, kSlot).size() == 1);
  CHECK(EnqueueAll(reopened, {Message(kSlot, "village_1"), Message(kSlot, "village_2")}) == 0);
}

TEMPLATE_TEST_CASE("Concurrent enqueues and deliveries from many threads store and log each message exactly once",
                   "[outbox_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  constexpr int kThreads = 8;
  constexpr int kBatches = 10;
  constexpr int kPerBatch = 4;
  std::atomic<bool> go{false};
  std::atomic<int> inserted{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  auto record = [&](const Status& status) {
    if (status.ok()) return;
    std::lock_guard<std::mutex> lock(errors_mutex);
    errors.push_back(status.ToString());
  };

  // Every thread runs the same scans (all but one enqueue finds its keys there) and delivers
  // whatever is due, so most messages are reported sent by several threads at once.
  auto worker = [&] {
    while (!go.load()) std::this_thread::yield();
    for (int batch = 0; batch < kBatches; ++batch) {
      std::vector<OutboxMessage> scan;
      for (int i = 0; i < kPerBatch; ++i) {
        scan.push_back(Message(kSlot, "unit_" + std::to_string(batch), kStart, i));
      }
      Result<int> added = store.Enqueue(scan);
      record(added.status());
      if (added.ok()) inserted += *added;
      Result<std::vector<OutboxMessage>> due = store.Due(kStart, 1000);
      record(due.status());
      if (!due.ok()) continue;
      for (const OutboxMessage& message : *due) record(store.MarkSent(message.id, kStart + batch));
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker);
  go = true;
  for (std::thread& thread : threads) thread.join();

  CHECK(errors == std::vector<std::string>{});
  constexpr int kMessages = kBatches * kPerBatch;
  CHECK(inserted.load() == kMessages);
  CHECK(DueAt(store, kStart + kDay).empty());
  const std::vector<OutboxMessage> all = ListAll(store);
  REQUIRE(all.size() == kMessages);
  for (const OutboxMessage& message : all) {
    INFO(message.idempotency_key);
    CHECK(message.state == OutboxState::kSent);
    CHECK(message.attempts == 1);
  }
  const std::vector<std::string> log = LogOf(store, kSlot);
  CHECK(log.size() == kMessages);
  const std::vector<std::string> keys = Keys(all);
  CHECK(std::set<std::string>(log.begin(), log.end()) == std::set<std::string>(keys.begin(), keys.end()));
}

TEMPLATE_TEST_CASE("Enqueue sets the id, the pending state and no attempts whatever the message says", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  OutboxMessage claimed = Message(kSlot, "village_1");
  claimed.id = 99;
  claimed.state = OutboxState::kSent;
  claimed.attempts = 5;
  REQUIRE(EnqueueAll(store, {claimed}) == 1);
  const std::vector<OutboxMessage> stored = ListAll(store);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].id > 0);
  CHECK(stored[0].state == OutboxState::kPending);
  CHECK(stored[0].attempts == 0);
  CHECK(Ids(DueAt(store, kStart)) == std::vector<std::int64_t>{stored[0].id});
}

TEMPLATE_TEST_CASE("Due breaks a tie of due times by id", "[outbox_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "a", kStart + 5), Message(kSlot, "b", kStart),
                             Message(kSlot, "c", kStart + 5), Message(kSlot, "d", kStart)}) == 4);
  std::vector<std::string> units;
  for (const OutboxMessage& message : DueAt(store, kStart + 5)) units.push_back(message.unit);
  CHECK(units == std::vector<std::string>{"b", "d", "a", "c"});
}

TEMPLATE_TEST_CASE("The notification log lists a slot's sent keys in key order", "[outbox_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& store = backend.stores().outbox();
  REQUIRE(EnqueueAll(store, {Message(kSlot, "village_3"), Message(kSlot, "village_1"), Message(kSlot, "village_2"),
                             Message(kNextSlot, "village_1")}) == 4);
  for (const OutboxMessage& message : DueAt(store, kStart)) CheckOk(store.MarkSent(message.id, kStart));
  CHECK(LogOf(store, kSlot) == std::vector<std::string>{Message(kSlot, "village_1").idempotency_key,
                                                        Message(kSlot, "village_2").idempotency_key,
                                                        Message(kSlot, "village_3").idempotency_key});
  CHECK(LogOf(store, kNextSlot) == std::vector<std::string>{Message(kNextSlot, "village_1").idempotency_key});
}

// Several instances on one database (notifier/outbox.h): each holds its own stores.

TEMPLATE_TEST_CASE("Stores on one database taking due messages at once never share one, and each is sent once",
                   "[outbox_store][claims]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  constexpr int kStores = 3;
  constexpr int kMessages = 60;
  std::vector<std::unique_ptr<Stores>> others;
  std::vector<OutboxStore*> stores = {&backend.stores().outbox()};
  for (int i = 1; i < kStores; ++i) {
    others.push_back(backend.OpenAnother());
    stores.push_back(&others.back()->outbox());
  }
  std::vector<OutboxMessage> scan;
  for (int i = 0; i < kMessages; ++i) scan.push_back(Message(kSlot, "unit_" + std::to_string(i)));
  REQUIRE(EnqueueAll(*stores[0], scan) == kMessages);

  // Each store takes a few at a time and sends them, as a notifier's passes do, until none is
  // left to it; every message a store was given is recorded.
  std::atomic<bool> go{false};
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::vector<std::int64_t>> taken(kStores);
  auto deliver = [&](int index) {
    while (!go.load()) std::this_thread::yield();
    while (true) {
      Result<std::vector<OutboxMessage>> due = stores[static_cast<std::size_t>(index)]->Due(kStart, 4);
      std::lock_guard<std::mutex> lock(mutex);
      if (!due.ok()) {
        errors.push_back(due.status().ToString());
        return;
      }
      if (due->empty()) return;
      for (const OutboxMessage& message : *due) {
        taken[static_cast<std::size_t>(index)].push_back(message.id);
        Status sent = stores[static_cast<std::size_t>(index)]->MarkSent(message.id, kStart);
        if (!sent.ok()) errors.push_back(sent.ToString());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kStores; ++i) threads.emplace_back(deliver, i);
  go = true;
  for (std::thread& thread : threads) thread.join();

  CHECK(errors == std::vector<std::string>{});
  std::vector<std::int64_t> all;
  for (const std::vector<std::int64_t>& ids : taken) all.insert(all.end(), ids.begin(), ids.end());
  CHECK(all.size() == static_cast<std::size_t>(kMessages));  // none given to two stores, none twice
  CHECK(std::set<std::int64_t>(all.begin(), all.end()).size() == static_cast<std::size_t>(kMessages));
  CHECK(LogOf(*stores[0], kSlot).size() == static_cast<std::size_t>(kMessages));
  CHECK(ListAll(*stores[0], OutboxState::kSent, 0, 1000).size() == static_cast<std::size_t>(kMessages));
}

TEMPLATE_TEST_CASE("A message taken and never marked is its store's until the lease ends, then any store's",
                   "[outbox_store][claims]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& first = backend.stores().outbox();
  const std::unique_ptr<Stores> other = backend.OpenAnother();
  OutboxStore& second = other->outbox();
  constexpr Instant kLease = notifier::kOutboxClaimLease;
  REQUIRE(EnqueueAll(first, {Message(kSlot, "village_1"), Message(kSlot, "village_2")}) == 2);
  const std::vector<std::int64_t> ids = Ids(DueAt(first, kStart));
  REQUIRE(ids.size() == 2);

  CHECK(DueAt(second, kStart).empty());
  CHECK(DueAt(second, kStart + kLease - 1).empty());
  // Its own store is given it again (and the claim renewed), as a pass after a rate limit is.
  CHECK(Ids(DueAt(first, kStart + 10)) == ids);
  CHECK(DueAt(second, kStart + kLease).empty());
  // The first store died: its claims lapse, and the second store delivers.
  CHECK(Ids(DueAt(second, kStart + 10 + kLease)) == ids);
  CHECK(DueAt(first, kStart + 10 + kLease).empty());

  // Marking ends the claim, whoever marks: a failed message is anyone's at its next attempt.
  const Instant retry = kStart + 10 + kLease + 60;
  CheckOk(second.MarkFailed(ids[0], "HTTP 503", retry, /*dead=*/false));
  CheckOk(second.MarkSent(ids[1], kStart + 10 + kLease));
  CHECK(Ids(DueAt(first, retry)) == std::vector<std::int64_t>{ids[0]});

  // A restart is a store of its own: what the store before it took waits out the lease.
  backend.Reopen();
  CHECK(DueAt(backend.stores().outbox(), retry).empty());
  CHECK(Ids(DueAt(backend.stores().outbox(), retry + kLease)) == std::vector<std::int64_t>{ids[0]});
}

TEMPLATE_TEST_CASE("A released message is due to any store at once and the others stay claimed",
                   "[outbox_store][claims]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& first = backend.stores().outbox();
  const std::unique_ptr<Stores> other = backend.OpenAnother();
  OutboxStore& second = other->outbox();
  REQUIRE(EnqueueAll(first, {Message(kSlot, "village_1"), Message(kSlot, "village_2")}) == 2);
  const std::vector<std::int64_t> ids = Ids(DueAt(first, kStart));
  REQUIRE(ids.size() == 2);

  CheckOk(second.ReleaseClaims({ids[0]}));  // not its claim: left alone
  CHECK(DueAt(second, kStart).empty());
  CheckOk(first.ReleaseClaims({ids[0]}));
  CHECK(Ids(DueAt(second, kStart)) == std::vector<std::int64_t>{ids[0]});
  CHECK(Ids(DueAt(first, kStart)) == std::vector<std::int64_t>{ids[1]});
  CheckOk(first.ReleaseClaims({}));
  const OutboxMessage released = Find(first, ids[0]);
  CHECK(released.state == OutboxState::kPending);
  CHECK(released.attempts == 0);
}

TEMPLATE_TEST_CASE("A postponed message is due to no store before its time, unattempted, and a later time stays",
                   "[outbox_store][claims]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& first = backend.stores().outbox();
  const std::unique_ptr<Stores> other = backend.OpenAnother();
  OutboxStore& second = other->outbox();
  REQUIRE(EnqueueAll(first, {Message(kSlot, "village_1"), Message(kSlot, "village_2")}) == 2);
  const std::vector<std::int64_t> ids = Ids(DueAt(first, kStart));
  REQUIRE(ids.size() == 2);

  CheckOk(second.Postpone({ids[0]}, kStart + 600));  // not its claim: left alone
  CHECK(Find(first, ids[0]).next_attempt_at == kStart);
  CheckOk(first.Postpone({ids[0], ids[1]}, kStart + 600));
  CHECK(DueAt(second, kStart + 599).empty());  // the claims ended, and neither is due before 600 s
  const OutboxMessage postponed = Find(first, ids[0]);
  CHECK(postponed.state == OutboxState::kPending);
  CHECK(postponed.attempts == 0);
  CHECK(postponed.next_attempt_at == kStart + 600);
  CHECK(Ids(DueAt(second, kStart + 600)) == ids);

  // Postponed to an earlier time than it already waits for: the later one stays.
  CheckOk(second.MarkFailed(ids[0], "timed out", kStart + 900, /*dead=*/false));
  REQUIRE(Ids(DueAt(second, kStart + 900)) == std::vector<std::int64_t>{ids[1], ids[0]});  // the longest due first
  CheckOk(second.Postpone({ids[0]}, kStart + 700));
  CHECK(Find(first, ids[0]).next_attempt_at == kStart + 900);
  CHECK(Find(first, ids[0]).attempts == 1);
  CheckOk(first.Postpone({}, kStart + 700));
}

TEMPLATE_TEST_CASE("A slot is claimed by one store until it is enqueued, given up or the claim lapses", "[outbox_store][claims]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  OutboxStore& first = backend.stores().outbox();
  const std::unique_ptr<Stores> other = backend.OpenAnother();
  OutboxStore& second = other->outbox();
  auto claim = [](OutboxStore& store, const char* slot, Instant now, Instant until) {
    Result<bool> claimed = store.ClaimSlot(slot, now, until);
    INFO(claimed.status().ToString());
    REQUIRE(claimed.ok());
    return *claimed;
  };

  CHECK(claim(first, kSlot, kStart, kStart + 100));
  CHECK(claim(first, kSlot, kStart + 10, kStart + 110));  // its own claim, renewed
  CHECK_FALSE(claim(second, kSlot, kStart + 100, kStart + 200));
  CHECK(claim(second, kSlot, kStart + 110, kStart + 210));  // lapsed: the holder died
  CHECK_FALSE(claim(first, kSlot, kStart + 120, kStart + 220));
  // A newer slot is not held up by a claim on an older one.
  CHECK(claim(first, kNextSlot, kStart + 130, kStart + 230));
  // A claim until now gives the slot up (a failed scan): the next store need not wait.
  CHECK(claim(first, kNextSlot, kStart + 131, kStart + 131));
  CHECK(claim(second, kNextSlot, kStart + 131, kStart + 231));
  CHECK_FALSE(claim(first, kNextSlot, kStart + 132, kStart + 232));

  // Once enqueued, a slot is nobody's to scan, its claimant's included, claim lapsed or not.
  REQUIRE(first.EnqueueSlot(kNextSlot, {}).ok());
  CHECK_FALSE(claim(first, kNextSlot, kStart + 140, kStart + 240));
  CHECK_FALSE(claim(second, kNextSlot, kStart + 1000, kStart + 1100));
}

TEMPLATE_TEST_CASE("Of stores claiming a slot at once exactly one wins", "[outbox_store][claims]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  constexpr int kStores = 4;
  std::vector<std::unique_ptr<Stores>> others;
  std::vector<OutboxStore*> stores = {&backend.stores().outbox()};
  for (int i = 1; i < kStores; ++i) {
    others.push_back(backend.OpenAnother());
    stores.push_back(&others.back()->outbox());
  }
  // A round per slot, every store asking at the same moment.
  for (int round = 0; round < 5; ++round) {
    const std::string slot = "2021-10-" + std::to_string(20 + round) + "T09:00:00+08:00";
    std::atomic<bool> go{false};
    std::atomic<int> won{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (OutboxStore* store : stores) {
      threads.emplace_back([&, store] {
        while (!go.load()) std::this_thread::yield();
        Result<bool> claimed = store->ClaimSlot(slot, kStart, kStart + 100);
        if (!claimed.ok()) ++failed;
        if (claimed.ok() && *claimed) ++won;
      });
    }
    go = true;
    for (std::thread& thread : threads) thread.join();
    INFO("slot " << slot);
    CHECK(failed.load() == 0);
    CHECK(won.load() == 1);
  }
}

}  // namespace
}  // namespace rectify::testing
