// SqliteStores's writes and reads of single items, on real database files.
#include <catch2/catch.hpp>

#include "storage/sqlite_stores.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::CheckSameItem;
using testing::Created;
using testing::Enrollment;
using testing::InsertAll;
using testing::InsertOne;
using testing::kDay;
using testing::kStart;
using testing::Moved;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

// The item after one successful Update from `item`: what the store must then return.
Item Advanced(Item item, const StatePath& to, Instant at) {
  item.state = to;
  item.updated_at = at;
  return item;
}

TEST_CASE("A stored problem reads back with every field, id and version 1") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item problem = Problem("ledger not updated", "town-a", kStart + 30 * kDay);
  problem.send_back_count = 1;
  problem.reopen_count = 2;

  Item stored = InsertOne(store->items(), problem);

  CHECK(stored.id > 0);
  CHECK(stored.version == 1);
  Result<Item> read = store->items().Get(ItemKind::kProblem, stored.id);
  REQUIRE(read.ok());
  problem.id = stored.id;
  problem.version = 1;
  CheckSameItem(*read, problem);
}

TEST_CASE("A stored enrollment reads back with its household and outcome") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item enrollment = Enrollment("Wang Fang", "village-3");
  enrollment.outcome = EnrollmentOutcome{"enrolled", CivilDate{2021, 11, 5}, ""};

  Item stored = InsertOne(store->items(), enrollment);

  Result<Item> read = store->items().Get(ItemKind::kEnrollment, stored.id);
  REQUIRE(read.ok());
  enrollment.id = stored.id;
  enrollment.version = 1;
  CheckSameItem(*read, enrollment);
}

TEST_CASE("Insert returns the items in input order with their create events numbered") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  std::vector<Item> stored = InsertAll(store->items(), {Problem("first"), Problem("second"), Enrollment("Li Lei", "v1")});

  REQUIRE(stored.size() == 3);
  CHECK(stored[0].title == "first");
  CHECK(stored[1].title == "second");
  CHECK(stored[0].id < stored[1].id);
  CHECK(stored[1].id < stored[2].id);
  Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kEnrollment, stored[2].id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().item_id == stored[2].id);
  CHECK(history->front().event == "create");
  CHECK(history->front().seq > 0);
}

TEST_CASE("Insert stores all items or none when one of them is refused") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item corrupt = Problem("no state");
  corrupt.state = StatePath{};  // the schema refuses an item without a state

  std::vector<Item> items = {Problem("good one"), corrupt, Problem("good two")};
  std::vector<EventRecord> created = {Created(items[0]), Created(items[1]), Created(items[2])};
  Result<std::vector<Item>> stored = store->items().Insert(items, created);

  CHECK(stored.status().code() == StatusCode::kInternal);
  Result<std::vector<Item>> listed = store->items().List(ItemQuery{});
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  CHECK(store->items().Get(ItemKind::kProblem, 1).status().code() == StatusCode::kNotFound);
}

TEST_CASE("Insert refuses a different number of items and create events") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Result<std::vector<Item>> stored = store->items().Insert({Problem("one"), Problem("two")}, {Created(Problem("one"))});
  CHECK(stored.status().code() == StatusCode::kInvalidArgument);
  CHECK(stored.status().field() == "created");
}

TEST_CASE("Update with the current version stores the change, version plus one and the event") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item item = InsertOne(store->items(), Problem("late report", "town-a", kStart + 10 * kDay));
  const StatePath working{"rectifying", "working"};
  Item changed = Advanced(item, working, kStart + kDay);
  changed.measures = "monthly check";
  changed.deadline = std::nullopt;

  Status updated = store->items().Update(changed, Moved(item.state, working, "start", kStart + kDay));

  REQUIRE(updated.ok());
  Result<Item> read = store->items().Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  changed.version = item.version + 1;
  CheckSameItem(*read, changed);
  Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().event == "start");
  CHECK(history->back().to == "rectifying.working");
  CHECK(history->back().item_id == item.id);
}

TEST_CASE("Update with a stale version is aborted and changes nothing") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item item = InsertOne(store->items(), Problem("late report", "town-a"));
  const StatePath working{"rectifying", "working"};
  REQUIRE(store->items().Update(Advanced(item, working, kStart + kDay), Moved(item.state, working, "start", kStart + kDay))
              .ok());

  Item stale = Advanced(item, StatePath{"closed", ""}, kStart + 2 * kDay);  // still version 1
  Status updated = store->items().Update(stale, Moved(item.state, stale.state, "close", kStart + 2 * kDay));

  CHECK(updated.code() == StatusCode::kAborted);
  Result<Item> read = store->items().Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  CHECK(read->version == 2);
  CHECK(read->state == working);
  Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  CHECK(history->size() == 2);
}

TEST_CASE("An unknown id or the wrong kind is not found by Get, Update and History") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item item = InsertOne(store->items(), Problem("exists"));

  CHECK(store->items().Get(ItemKind::kProblem, item.id + 1).status().code() == StatusCode::kNotFound);
  CHECK(store->items().Get(ItemKind::kEnrollment, item.id).status().code() == StatusCode::kNotFound);
  CHECK(store->items().History(ItemKind::kProblem, 999).status().code() == StatusCode::kNotFound);
  CHECK(store->items().History(ItemKind::kEnrollment, item.id).status().code() == StatusCode::kNotFound);
  Item missing = item;
  missing.id = 999;
  CHECK(store->items().Update(missing, Moved(item.state, item.state, "progress", kStart)).code() == StatusCode::kNotFound);
  Item wrong_kind = item;
  wrong_kind.kind = ItemKind::kEnrollment;
  CHECK(store->items().Update(wrong_kind, Moved(item.state, item.state, "progress", kStart)).code() ==
        StatusCode::kNotFound);
}

TEST_CASE("History lists an item's events oldest first") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item item = InsertOne(store->items(), Problem("slow", "town-a"));
  InsertOne(store->items(), Problem("another item, whose events must not show up"));
  const std::vector<StatePath> path = {{"rectifying", "working"}, {"rectifying", "submitted"}, {"verified", ""}};
  const std::vector<std::string> events = {"start", "submit", "verify"};
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Instant at = kStart + static_cast<Instant>(i + 1) * kDay;
    REQUIRE(store->items().Update(Advanced(item, path[i], at), Moved(item.state, path[i], events[i], at)).ok());
    item.state = path[i];
    item.version += 1;
  }

  Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kProblem, item.id);

  REQUIRE(history.ok());
  REQUIRE(history->size() == 4);
  CHECK((*history)[0].event == "create");
  CHECK((*history)[1].event == "start");
  CHECK((*history)[2].event == "submit");
  CHECK((*history)[3].event == "verify");
  CHECK((*history)[2].from == "rectifying.working");
  CHECK((*history)[2].to == "rectifying.submitted");
  for (std::size_t i = 1; i < history->size(); ++i) CHECK((*history)[i - 1].seq < (*history)[i].seq);
}

TEST_CASE("Update replaces the outcome and removes it when the item no longer has one") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item item = InsertOne(store->items(), Enrollment("Zhao Min", "village-1"));
  Item closed = Advanced(item, StatePath{"closed", ""}, kStart + kDay);
  closed.outcome = EnrollmentOutcome{"not_eligible", std::nullopt, "income above the line"};
  REQUIRE(store->items().Update(closed, Moved(item.state, closed.state, "close", kStart + kDay)).ok());
  Result<Item> after_close = store->items().Get(ItemKind::kEnrollment, item.id);
  REQUIRE(after_close.ok());
  REQUIRE(after_close->outcome.has_value());
  CHECK(after_close->outcome->explanation == "income above the line");
  CHECK_FALSE(after_close->outcome->entered_on.has_value());

  Item reopened = Advanced(*after_close, StatePath{"found", ""}, kStart + 2 * kDay);
  reopened.outcome = std::nullopt;
  reopened.reopen_count = 1;
  REQUIRE(store->items().Update(reopened, Moved(closed.state, reopened.state, "reopen", kStart + 2 * kDay)).ok());

  Result<Item> after_reopen = store->items().Get(ItemKind::kEnrollment, item.id);
  REQUIRE(after_reopen.ok());
  CHECK_FALSE(after_reopen->outcome.has_value());
  CHECK(after_reopen->reopen_count == 1);
  CHECK(after_reopen->household.has_value());
}

TEST_CASE("Reopening the database file keeps items, states and history") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  Item item;
  {
    auto store = OpenStore(path);
    item = InsertOne(store->items(), Enrollment("Sun Li", "village-2", kStart + 60 * kDay));
    const StatePath submitted{"rectifying", "submitted"};
    const Item changed = Advanced(item, submitted, kStart + kDay);
    REQUIRE(store->items().Update(changed, Moved(item.state, submitted, "submit", kStart + kDay)).ok());
    item = changed;
    item.version = 2;
  }

  auto reopened = OpenStore(path);

  Result<Item> read = reopened->items().Get(ItemKind::kEnrollment, item.id);
  REQUIRE(read.ok());
  CheckSameItem(*read, item);
  Result<std::vector<EventRecord>> history = reopened->items().History(ItemKind::kEnrollment, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().to == "rectifying.submitted");
  Item next = InsertOne(reopened->items(), Problem("after restart"));
  CHECK(next.id > item.id);
}

}  // namespace
}  // namespace rectify
