// The item store's contract (engine/item_store.h) on every backend (backends.h): writes and reads
// of single items, all-or-none inserts, the version check under concurrent writers, the computed
// deadlines, the named values and durability across reopening.
// Catch2's assertions are not thread-safe: worker threads only record, the test thread checks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/campaign_item_store.h"
#include "engine/history_facts.h"
#include "engine/workflow.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

// The item after one successful Update from `item`: what the store must then return.
Item Advanced(Item item, const StatePath& to, Instant at) {
  item.state = to;
  item.updated_at = at;
  return item;
}

TEMPLATE_TEST_CASE("A stored problem reads back with every field, id and version 1", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item problem = Problem("ledger not updated", "town-a", kStart + 30 * kDay);
  problem.send_back_count = 1;
  problem.reopen_count = 2;

  Item stored = InsertOne(store, problem);

  CHECK(stored.id > 0);
  CHECK(stored.version == 1);
  Result<Item> read = store.Get(ItemKind::kProblem, stored.id);
  REQUIRE(read.ok());
  problem.id = stored.id;
  problem.version = 1;
  CheckSameItem(*read, problem);
}

TEMPLATE_TEST_CASE("A stored enrollment reads back with its household and outcome", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item enrollment = Enrollment("Wang Fang", "village-3");
  enrollment.outcome = EnrollmentOutcome{"enrolled", CivilDate{2021, 11, 5}, ""};

  Item stored = InsertOne(store, enrollment);

  Result<Item> read = store.Get(ItemKind::kEnrollment, stored.id);
  REQUIRE(read.ok());
  enrollment.id = stored.id;
  enrollment.version = 1;
  CheckSameItem(*read, enrollment);
}

TEMPLATE_TEST_CASE("Insert returns the items in input order with their create events numbered", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  std::vector<Item> stored = InsertAll(store, {Problem("first"), Problem("second"), Enrollment("Li Lei", "v1")});

  REQUIRE(stored.size() == 3);
  CHECK(stored[0].title == "first");
  CHECK(stored[1].title == "second");
  CHECK(stored[0].id < stored[1].id);
  CHECK(stored[1].id < stored[2].id);
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kEnrollment, stored[2].id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().item_id == stored[2].id);
  CHECK(history->front().event == "create");
  CHECK(history->front().seq > 0);
}

TEMPLATE_TEST_CASE("Insert stores all items or none when one of them is refused", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item corrupt = Problem("no state");
  corrupt.state = StatePath{};  // every backend refuses an item without a state (backends.h)

  std::vector<Item> items = {Problem("good one"), corrupt, Problem("good two")};
  std::vector<EventRecord> created = {Created(items[0]), Created(items[1]), Created(items[2])};
  Result<std::vector<Item>> stored = store.Insert(items, created);

  CHECK(stored.status().code() == StatusCode::kInternal);
  Result<std::vector<Item>> listed = store.List(ItemQuery{});
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  CHECK(store.Get(ItemKind::kProblem, 1).status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("Insert refuses a different number of items and create events", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Result<std::vector<Item>> stored = store.Insert({Problem("one"), Problem("two")}, {Created(Problem("one"))});
  CHECK(stored.status().code() == StatusCode::kInvalidArgument);
  CHECK(stored.status().field() == "created");
}

TEMPLATE_TEST_CASE("Update with the current version stores the change, version plus one and the event", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("late report", "town-a", kStart + 10 * kDay));
  const StatePath working{"rectifying", "working"};
  Item changed = Advanced(item, working, kStart + kDay);
  changed.measures = "monthly check";
  changed.deadline = std::nullopt;

  Status updated = store.Update(changed, Moved(item.state, working, "start", kStart + kDay));

  REQUIRE(updated.ok());
  Result<Item> read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  changed.version = item.version + 1;
  CheckSameItem(*read, changed);
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().event == "start");
  CHECK(history->back().to == "rectifying.working");
  CHECK(history->back().item_id == item.id);
}

TEMPLATE_TEST_CASE("The 督办 fields of an item read back as written and are cleared by an update", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item problem = Problem("ledger not updated", "town-a", kStart + 30 * kDay);
  problem.found_on = CivilDate{2021, 9, 28};
  problem.sign_for = SignForRequest{"town-a", kStart};
  Item item = InsertOne(store, problem);
  problem.id = item.id;
  problem.version = 1;
  Result<Item> read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  CheckSameItem(*read, problem);

  Item changed = Advanced(*read, read->state, kStart + kDay);
  changed.sign_for.reset();
  changed.original_deadline = changed.deadline;
  changed.deadline = kStart + 40 * kDay;
  changed.extension = ExtensionRequest{kStart + 50 * kDay, "flood", "user li", kStart + kDay};
  changed.tier = "yellow";
  changed.tier_entries = {{"blue", 1}, {"yellow", 2}};
  REQUIRE(store.Update(changed, Moved(item.state, item.state, "request_extension", kStart + kDay)).ok());
  read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  changed.version = 2;
  CheckSameItem(*read, changed);

  changed = Advanced(*read, read->state, kStart + 2 * kDay);
  changed.extension.reset();
  changed.found_on.reset();
  changed.tier.clear();
  changed.tier_entries.clear();
  REQUIRE(store.Update(changed, Moved(item.state, item.state, "refuse_extension", kStart + 2 * kDay)).ok());
  read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  changed.version = 3;
  CheckSameItem(*read, changed);
}

TEMPLATE_TEST_CASE("A history row keeps the unit that held the item and what the event asked of it", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("slow", "town-a"));
  const StatePath working{"rectifying", "working"};
  EventRecord sent_back = Moved(StatePath{"rectifying", "submitted"}, working, "send_back", kStart + kDay);
  sent_back.unit = "town-a";
  sent_back.sent_back = true;
  sent_back.sign_for_due = kStart + 2 * kDay;
  REQUIRE(store.Update(Advanced(item, working, kStart + kDay), sent_back).ok());
  EventRecord signed_for = Moved(working, working, "sign_for", kStart + kDay + 60);
  signed_for.unit = "town-a";
  signed_for.signed_for = true;
  item.state = working;
  item.version += 1;
  REQUIRE(store.Update(Advanced(item, working, kStart + kDay + 60), signed_for).ok());

  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  const EventRecord& back = (*history)[1];
  CHECK(back.unit == "town-a");
  CHECK(back.sent_back);
  CHECK_FALSE(back.signed_for);
  CHECK(back.sign_for_due == std::optional<Instant>(kStart + 2 * kDay));
  const EventRecord& signing = (*history)[2];
  CHECK(signing.signed_for);
  CHECK_FALSE(signing.sent_back);
  CHECK_FALSE(signing.sign_for_due.has_value());
}

TEMPLATE_TEST_CASE("A history row keeps the deadline and the outcome its event changed, as they were before it",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("extended", "town-a"));
  const StatePath working{"rectifying", "working"};
  EventRecord extended = Moved(item.state, working, "approve_extension", kStart + kDay);
  extended.before.deadline = DeadlineSetting{kStart + 3 * kDay, "problem_default", std::nullopt};
  REQUIRE(store.Update(Advanced(item, working, kStart + kDay), extended).ok());
  item.state = working;
  item.version += 1;
  EventRecord reopened = Moved(working, working, "reopen", kStart + 2 * kDay);
  reopened.before.deadline = DeadlineSetting{std::nullopt, "", kStart + 3 * kDay};
  EnrollmentOutcome enrolled;
  enrolled.result = "enrolled";
  enrolled.entered_on = CivilDate{2021, 10, 30};
  enrolled.explanation = "录入系统，\n第二行";
  reopened.before.outcome = enrolled;
  REQUIRE(store.Update(Advanced(item, working, kStart + 2 * kDay), reopened).ok());
  item.version += 1;
  EventRecord not_eligible = Moved(working, working, "reopen", kStart + 3 * kDay);
  not_eligible.before.outcome = EnrollmentOutcome{"not_eligible", std::nullopt, ""};
  REQUIRE(store.Update(Advanced(item, working, kStart + 3 * kDay), not_eligible).ok());

  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 4);
  CHECK((*history)[0].before.empty());
  CHECK((*history)[1].before == extended.before);
  CHECK_FALSE((*history)[1].before.outcome.has_value());
  CHECK((*history)[2].before == reopened.before);
  CHECK((*history)[3].before == not_eligible.before);
  CHECK_FALSE((*history)[3].before.deadline.has_value());
  HistoriesQuery query;
  query.kind = ItemKind::kProblem;
  query.ids = {item.id};
  auto histories = store.Histories(query);
  REQUIRE(histories.ok());
  REQUIRE(histories->size() == 1);
  REQUIRE((*histories)[0].size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK((*histories)[0][i].before == (*history)[i].before);
}

TEMPLATE_TEST_CASE("The store keeps each item's history facts as its rows make them, whatever the caller's copy holds",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("slow", "town-a"));
  const StatePath working{"rectifying", "working"};
  const StatePath closed{"closed", ""};
  EventRecord sent_back = Moved(StatePath{"rectifying", "submitted"}, working, "send_back", kStart + kDay);
  sent_back.unit = "town-a";
  sent_back.sent_back = true;
  sent_back.sign_for_due = kStart + 2 * kDay;
  REQUIRE(store.Update(Advanced(item, working, kStart + kDay), sent_back).ok());
  // A copy whose facts are those of version 1 (and a made-up one): the store keeps its own.
  Item stale = Advanced(item, closed, kStart + 3 * kDay);
  stale.version += 1;
  stale.facts = HistoryFacts{};
  stale.facts->send_backs["someone"] = 9;
  EventRecord closing = Moved(working, closed, "close", kStart + 3 * kDay);
  closing.unit = "town-a";
  REQUIRE(store.Update(stale, closing).ok());
  // UpdateEach advances them too.
  Result<Item> now = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(now.ok());
  EventRecord reopened = Moved(closed, working, "reopen", kStart + 4 * kDay);
  reopened.unit = "town-b";
  Result<std::vector<Status>> each = store.UpdateEach({{Advanced(*now, working, kStart + 4 * kDay), reopened}});
  REQUIRE(each.ok());
  REQUIRE(each->front().ok());

  Result<Item> read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  REQUIRE(read->facts.has_value());
  const HistoryFacts& facts = *read->facts;
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  CHECK(facts == HistoryFactsOf(ItemKind::kProblem, *history));
  CHECK(facts.send_backs == std::map<std::string, int>{{"town-a", 1}});
  CHECK(facts.last_closed_at == std::optional<Instant>(kStart + 3 * kDay));
  const std::vector<std::pair<Instant, bool>> open_changes{{item.created_at, true}, {kStart + 3 * kDay, false},
                                                           {kStart + 4 * kDay, true}};
  CHECK(facts.open_changes == open_changes);
  REQUIRE(facts.sign_for_requests.size() == 1);
  CHECK(facts.sign_for_requests[0].released_at == std::optional<Instant>(kStart + 3 * kDay));  // closed unsigned
  CHECK(facts.holders.back() == std::pair<Instant, std::string>{kStart + 4 * kDay, "town-b"});
}

TEMPLATE_TEST_CASE("The store keeps each item's newest progress note as its rows come, whatever the caller's copy holds",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("slow", "town-a"));
  Result<Item> read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  REQUIRE(read->latest_progress.has_value());
  CHECK(read->latest_progress->note.empty());  // none yet
  const StatePath working{"rectifying", "working"};
  EventRecord noted = Moved(working, working, "progress", kStart + kDay);
  noted.note = "已完成入户走访";
  Item next = Advanced(*read, working, kStart + kDay);
  next.latest_progress = ProgressNote{kStart, "a caller's made-up note"};
  REQUIRE(store.Update(next, noted).ok());
  // A progress row without a note, and another event with one, leave the newest note as it was.
  read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  EventRecord silent = Moved(working, working, "progress", kStart + 2 * kDay);
  EventRecord supervised = Moved(working, working, "supervise", kStart + 2 * kDay);
  supervised.note = "请加快进度";
  Result<std::vector<Status>> each = store.UpdateEach({{Advanced(*read, working, kStart + 2 * kDay), silent}});
  REQUIRE(each.ok());
  REQUIRE(each->front().ok());
  read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  REQUIRE(store.Update(Advanced(*read, working, kStart + 2 * kDay), supervised).ok());

  read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  REQUIRE(read->latest_progress.has_value());
  CHECK(*read->latest_progress == (ProgressNote{kStart + kDay, "已完成入户走访"}));
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  CHECK(*read->latest_progress == LatestProgressOf(*history));
}

TEMPLATE_TEST_CASE("Update with a stale version is aborted and changes nothing", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("late report", "town-a"));
  const StatePath working{"rectifying", "working"};
  REQUIRE(
      store.Update(Advanced(item, working, kStart + kDay), Moved(item.state, working, "start", kStart + kDay)).ok());

  Item stale = Advanced(item, StatePath{"closed", ""}, kStart + 2 * kDay);  // still version 1
  Status updated = store.Update(stale, Moved(item.state, stale.state, "close", kStart + 2 * kDay));

  CHECK(updated.code() == StatusCode::kAborted);
  Result<Item> read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  CHECK(read->version == 2);
  CHECK(read->state == working);
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  CHECK(history->size() == 2);
}

TEMPLATE_TEST_CASE("CarryOver begins the problem in the later campaign and marks the old one in one transaction, or neither",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item old_problem = Problem("ledger not updated", "town-a", kStart + 5 * kDay);
  old_problem.campaign = "town-2021";
  old_problem.send_back_count = 2;
  const Item left_behind = InsertOne(store, old_problem);
  const Instant arrival = kStart + 300 * kDay;

  auto carry = [&](const Item& leaving_as_read) {
    Item arriving = Problem(left_behind.title, left_behind.unit, arrival + 20 * kDay);
    arriving.campaign = "town-2022";
    arriving.carried_from = left_behind.campaign;
    arriving.carried_from_id = left_behind.id;
    arriving.carried_at = arrival;
    arriving.state_since = arrival;
    arriving.created_at = arrival;
    arriving.updated_at = arrival;
    EventRecord arrived = Created(arriving, arrival);
    arrived.event = kCarryOverEvent;
    Item leaving = leaving_as_read;
    leaving.carried_to = "town-2022";
    leaving.updated_at = arrival;
    return store.CarryOver(arriving, arrived, leaving, Moved(leaving.state, leaving.state, kCarriedOutEvent, arrival));
  };

  Result<Item> carried = carry(left_behind);
  INFO(carried.status().ToString());
  REQUIRE(carried.ok());
  CHECK(carried->id != left_behind.id);
  CHECK(carried->version == 1);

  Result<Item> arrived = store.Get(ItemKind::kProblem, carried->id);
  REQUIRE(arrived.ok());
  CHECK(arrived->campaign == "town-2022");
  CHECK(arrived->carried_from == "town-2021");
  CHECK(arrived->carried_from_id == left_behind.id);
  CHECK(arrived->carried_at == arrival);
  CHECK(arrived->carried_to.empty());
  CHECK(arrived->send_back_count == 0);
  Result<Item> left = store.Get(ItemKind::kProblem, left_behind.id);
  REQUIRE(left.ok());
  CHECK(left->campaign == "town-2021");
  CHECK(left->carried_to == "town-2022");
  CHECK(left->carried_to_id == carried->id);
  CHECK(left->carried_from_id == 0);
  CHECK(left->version == 2);
  CHECK(left->state == left_behind.state);
  CHECK(left->send_back_count == 2);
  Result<std::vector<EventRecord>> old_history = store.History(ItemKind::kProblem, left_behind.id);
  REQUIRE(old_history.ok());
  REQUIRE(old_history->size() == 2);
  CHECK(old_history->back().event == kCarriedOutEvent);
  Result<std::vector<EventRecord>> new_history = store.History(ItemKind::kProblem, carried->id);
  REQUIRE(new_history.ok());
  REQUIRE(new_history->size() == 1);
  CHECK(new_history->front().event == kCarryOverEvent);

  // The old problem as read before the first carry-over: refused whole, nothing begins twice.
  Result<Item> again = carry(left_behind);
  CHECK(again.status().code() == StatusCode::kAborted);
  ItemQuery later;
  later.campaign = "town-2022";
  Result<std::int64_t> in_later = store.Count(later);
  REQUIRE(in_later.ok());
  CHECK(*in_later == 1);
  Result<std::vector<EventRecord>> unchanged = store.History(ItemKind::kProblem, left_behind.id);
  REQUIRE(unchanged.ok());
  CHECK(unchanged->size() == 2);
}

TEMPLATE_TEST_CASE("UpdateEach checks each version on its own: a stale or unknown item spoils none of the others",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Item first = InsertOne(store, Problem("first", "town-a"));
  const Item second = InsertOne(store, Problem("second", "town-a"));
  const StatePath working{"rectifying", "working"};
  // Someone else moves the second item first: the batch's copy of it is stale.
  REQUIRE(store.Update(Advanced(second, working, kStart + kDay), Moved(second.state, working, "start", kStart + kDay))
              .ok());
  Item unknown = first;
  unknown.id = first.id + 1000;

  std::vector<ItemUpdate> updates;
  for (const Item& item : {first, second, unknown})
    updates.push_back({Advanced(item, working, kStart + 2 * kDay), Moved(item.state, working, "start", kStart + 2 * kDay)});
  Result<std::vector<Status>> written = store.UpdateEach(updates);

  REQUIRE(written.ok());
  REQUIRE(written->size() == 3);
  CHECK((*written)[0].ok());
  CHECK((*written)[1].code() == StatusCode::kAborted);
  CHECK((*written)[2].code() == StatusCode::kNotFound);
  Result<Item> read_first = store.Get(ItemKind::kProblem, first.id);
  REQUIRE(read_first.ok());
  CHECK(read_first->version == 2);
  CHECK(read_first->state == working);
  Result<Item> read_second = store.Get(ItemKind::kProblem, second.id);
  REQUIRE(read_second.ok());
  CHECK(read_second->version == 2);  // the other writer's change alone
  CHECK(read_second->updated_at == kStart + kDay);
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, second.id);
  REQUIRE(history.ok());
  CHECK(history->size() == 2);
  CHECK(store.UpdateEach({}).ok());
}

TEMPLATE_TEST_CASE("UpdateEach leaves out an update the schema refuses and writes the ones after it", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const std::vector<Item> s = InsertAll(store, {Problem("first"), Problem("refused"), Problem("third")});
  const StatePath working{"rectifying", "working"};
  std::vector<ItemUpdate> updates;
  for (const Item& item : s)
    updates.push_back({Advanced(item, working, kStart + kDay), Moved(item.state, working, "start", kStart + kDay)});
  updates[1].item.state = StatePath{"", ""};  // CHECK (state <> '') fails: on PostgreSQL, a failed statement

  Result<std::vector<Status>> written = store.UpdateEach(updates);

  INFO(written.status().ToString());
  REQUIRE(written.ok());
  REQUIRE(written->size() == 3);
  CHECK((*written)[0].ok());
  CHECK((*written)[1].code() == StatusCode::kInternal);
  CHECK((*written)[2].ok());
  for (std::size_t i = 0; i < s.size(); ++i) {
    Result<Item> read = store.Get(ItemKind::kProblem, s[i].id);
    REQUIRE(read.ok());
    CHECK(read->version == (i == 1 ? 1 : 2));
    CHECK(read->state == (i == 1 ? s[i].state : working));
  }
  CHECK(store.History(ItemKind::kProblem, s[1].id)->size() == 1);
  CHECK(store.History(ItemKind::kProblem, s[2].id)->size() == 2);
}

TEMPLATE_TEST_CASE("A campaign's view writes its own items in UpdateEach and none of another campaign's",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  CampaignItemStore spring(backend.stores().items(), "spring");
  CampaignItemStore autumn(backend.stores().items(), "autumn");
  const Item own = InsertOne(spring, Problem("spring's", "town-a"));
  const Item foreign = InsertOne(autumn, Problem("autumn's", "town-a"));
  const StatePath working{"rectifying", "working"};

  std::vector<ItemUpdate> updates;
  for (const Item& item : {foreign, own})
    updates.push_back({Advanced(item, working, kStart + kDay), Moved(item.state, working, "start", kStart + kDay)});
  Result<std::vector<Status>> written = spring.UpdateEach(updates);

  REQUIRE(written.ok());
  REQUIRE(written->size() == 2);
  CHECK((*written)[0].code() == StatusCode::kNotFound);
  CHECK((*written)[1].ok());
  CHECK(autumn.Get(ItemKind::kProblem, foreign.id)->version == 1);
  CHECK(spring.Get(ItemKind::kProblem, own.id)->state == working);
}

TEMPLATE_TEST_CASE("An unknown id or the wrong kind is not found by Get, Update and History", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("exists"));

  CHECK(store.Get(ItemKind::kProblem, item.id + 1).status().code() == StatusCode::kNotFound);
  CHECK(store.Get(ItemKind::kEnrollment, item.id).status().code() == StatusCode::kNotFound);
  CHECK(store.History(ItemKind::kProblem, 999).status().code() == StatusCode::kNotFound);
  CHECK(store.History(ItemKind::kEnrollment, item.id).status().code() == StatusCode::kNotFound);
  Item missing = item;
  missing.id = 999;
  CHECK(store.Update(missing, Moved(item.state, item.state, "progress", kStart)).code() == StatusCode::kNotFound);
  Item wrong_kind = item;
  wrong_kind.kind = ItemKind::kEnrollment;
  CHECK(store.Update(wrong_kind, Moved(item.state, item.state, "progress", kStart)).code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("History lists an item's events oldest first", "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Problem("slow", "town-a"));
  InsertOne(store, Problem("another item, whose events must not show up"));
  const std::vector<StatePath> path = {{"rectifying", "working"}, {"rectifying", "submitted"}, {"verified", ""}};
  const std::vector<std::string> events = {"start", "submit", "verify"};
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Instant at = kStart + static_cast<Instant>(i + 1) * kDay;
    REQUIRE(store.Update(Advanced(item, path[i], at), Moved(item.state, path[i], events[i], at)).ok());
    item.state = path[i];
    item.version += 1;
  }

  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);

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

// The events of `history`, by name, for comparing histories read two ways.
std::vector<std::string> EventNames(const std::vector<EventRecord>& history) {
  std::vector<std::string> names;
  for (const EventRecord& event : history) names.push_back(event.event + "@" + std::to_string(event.seq));
  return names;
}

TEMPLATE_TEST_CASE("Histories reads many items' histories in one batch, in the order asked, as History reads each",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  std::vector<Item> items = InsertAll(store, {Problem("a", "town-a"), Problem("b"), Problem("c", "town-b")});
  const StatePath working{"rectifying", "working"};
  for (Item* item : {&items[2], &items[0], &items[2]}) {
    const Instant at = kStart + static_cast<Instant>(item->version) * kDay;
    REQUIRE(store.Update(Advanced(*item, working, at), Moved(item->state, working, "progress", at)).ok());
    item->state = working;
    item->version += 1;
  }
  HistoriesQuery query;
  query.kind = ItemKind::kProblem;
  query.ids = {items[2].id, items[1].id, items[0].id, items[2].id};

  Result<std::vector<std::vector<EventRecord>>> histories = store.Histories(query);

  REQUIRE(histories.ok());
  REQUIRE(histories->size() == 4);
  CHECK((*histories)[0].size() == 3);
  CHECK((*histories)[1].size() == 1);
  CHECK((*histories)[2].size() == 2);
  for (std::size_t i = 0; i < query.ids.size(); ++i) {
    Result<std::vector<EventRecord>> one = store.History(ItemKind::kProblem, query.ids[i]);
    REQUIRE(one.ok());
    CHECK(EventNames((*histories)[i]) == EventNames(*one));
    for (const EventRecord& event : (*histories)[i]) CHECK(event.item_id == query.ids[i]);
  }
  query.ids.clear();
  Result<std::vector<std::vector<EventRecord>>> none = store.Histories(query);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEMPLATE_TEST_CASE("Histories refuses an unknown id, the wrong kind, another campaign's item and too many ids",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  CampaignItemStore spring(backend.stores().items(), "spring");
  CampaignItemStore autumn(backend.stores().items(), "autumn");
  const Item own = InsertOne(spring, Problem("spring's"));
  const Item foreign = InsertOne(autumn, Problem("autumn's"));
  HistoriesQuery query;
  query.kind = ItemKind::kProblem;

  query.ids = {own.id, foreign.id + 1000};
  Result<std::vector<std::vector<EventRecord>>> unknown = backend.stores().items().Histories(query);
  CHECK(unknown.status().code() == StatusCode::kNotFound);
  CHECK(unknown.status().message().find(std::to_string(foreign.id + 1000)) != std::string::npos);

  query.ids = {own.id};
  query.kind = ItemKind::kEnrollment;
  CHECK(spring.Histories(query).status().code() == StatusCode::kNotFound);

  query.kind = ItemKind::kProblem;
  query.ids = {own.id, foreign.id};
  CHECK(spring.Histories(query).status().code() == StatusCode::kNotFound);
  query.campaign = "autumn";  // the campaign's view asks for its own, whatever the caller set
  CHECK(spring.Histories(query).status().code() == StatusCode::kNotFound);
  query.ids = {own.id};
  CHECK(spring.Histories(query).ok());
  CHECK(backend.stores().items().Histories(query).status().code() == StatusCode::kNotFound);

  query.campaign.reset();
  query.ids.assign(kMaxHistoriesBatch + 1, own.id);
  Result<std::vector<std::vector<EventRecord>>> too_many = backend.stores().items().Histories(query);
  CHECK(too_many.status().code() == StatusCode::kInvalidArgument);
  CHECK(too_many.status().field() == "ids");
  query.ids.pop_back();
  Result<std::vector<std::vector<EventRecord>>> most = backend.stores().items().Histories(query);
  REQUIRE(most.ok());
  CHECK(most->size() == kMaxHistoriesBatch);
}

TEMPLATE_TEST_CASE("Update replaces the outcome and removes it when the item no longer has one", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item item = InsertOne(store, Enrollment("Zhao Min", "village-1"));
  Item closed = Advanced(item, StatePath{"closed", ""}, kStart + kDay);
  closed.outcome = EnrollmentOutcome{"not_eligible", std::nullopt, "income above the line"};
  REQUIRE(store.Update(closed, Moved(item.state, closed.state, "close", kStart + kDay)).ok());
  Result<Item> after_close = store.Get(ItemKind::kEnrollment, item.id);
  REQUIRE(after_close.ok());
  REQUIRE(after_close->outcome.has_value());
  CHECK(after_close->outcome->explanation == "income above the line");
  CHECK_FALSE(after_close->outcome->entered_on.has_value());

  Item reopened = Advanced(*after_close, StatePath{"found", ""}, kStart + 2 * kDay);
  reopened.outcome = std::nullopt;
  reopened.reopen_count = 1;
  REQUIRE(store.Update(reopened, Moved(closed.state, reopened.state, "reopen", kStart + 2 * kDay)).ok());

  Result<Item> after_reopen = store.Get(ItemKind::kEnrollment, item.id);
  REQUIRE(after_reopen.ok());
  CHECK_FALSE(after_reopen->outcome.has_value());
  CHECK(after_reopen->reopen_count == 1);
  CHECK(after_reopen->household.has_value());
}

TEMPLATE_TEST_CASE("Reopening the database keeps items, states and history", "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Item item = InsertOne(backend.stores().items(), Enrollment("Sun Li", "village-2", kStart + 60 * kDay));
  const StatePath submitted{"rectifying", "submitted"};
  const Item changed = Advanced(item, submitted, kStart + kDay);
  REQUIRE(backend.stores().items().Update(changed, Moved(item.state, submitted, "submit", kStart + kDay)).ok());
  item = changed;
  item.version = 2;

  backend.Reopen();

  ItemStore& reopened = backend.stores().items();
  Result<Item> read = reopened.Get(ItemKind::kEnrollment, item.id);
  REQUIRE(read.ok());
  CheckSameItem(*read, item);
  Result<std::vector<EventRecord>> history = reopened.History(ItemKind::kEnrollment, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().to == "rectifying.submitted");
  Item next = InsertOne(reopened, Problem("after restart"));
  CHECK(next.id > item.id);
}

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

TEMPLATE_TEST_CASE("Concurrent updates of one item let exactly one writer win per version and lose none",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Item item = InsertOne(store, Problem("contended", "town-a"));
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
      Result<Item> current = store.Get(ItemKind::kProblem, item.id);
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
      Status updated = store.Update(next, event);
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
  Result<Item> final_item = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(final_item.ok());
  CHECK(final_item->version == static_cast<std::int64_t>(won_from_version.size()) + 1);
  Result<std::vector<EventRecord>> history = store.History(ItemKind::kProblem, item.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == won_from_version.size() + 1);
  CHECK(history->back().note == final_item->measures);
  std::multiset<std::string> noted;
  for (std::size_t i = 1; i < history->size(); ++i) noted.insert((*history)[i].note);
  CHECK(noted == std::multiset<std::string>(winners.begin(), winners.end()));
}

TEMPLATE_TEST_CASE("Concurrent inserts from many threads all land with distinct ids", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  constexpr int kThreads = 6;
  constexpr int kBatches = 10;
  std::mutex results_mutex;
  std::vector<std::int64_t> ids;
  std::vector<std::string> failures;
  auto worker = [&](int thread) {
    for (int batch = 0; batch < kBatches; ++batch) {
      std::vector<Item> items = {Problem("t" + std::to_string(thread)), Problem("u" + std::to_string(batch))};
      std::vector<EventRecord> created = {Created(items[0]), Created(items[1])};
      Result<std::vector<Item>> stored = store.Insert(items, created);
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
  Result<std::vector<Item>> listed = store.List(all);
  REQUIRE(listed.ok());
  CHECK(listed->size() == kThreads * kBatches * 2);
}

// The rule InsertUnless and UpdateUnless are for: one open enrollment request per ID number.
ItemQuery OpenRequestsOf(const std::string& id_number) {
  ItemQuery query;
  query.kind = ItemKind::kEnrollment;
  query.id_number = id_number;
  query.open_only = true;
  return query;
}

Item WithIdNumber(Item item, std::string id_number) {
  item.household->personal.id_number = std::move(id_number);
  return item;
}

TEMPLATE_TEST_CASE("InsertUnless and UpdateUnless write only while nothing matches the blocker, in any campaign",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  CampaignItemStore spring(backend.stores().items(), "spring");
  CampaignItemStore autumn(backend.stores().items(), "autumn");
  const std::string wang = "11010519491231002X";
  const Item open_in_spring = InsertOne(spring, WithIdNumber(Enrollment("Wang", "village-1"), wang));
  const std::size_t audited = AllAudit(backend.stores().audit()).size();

  // Autumn's view is blocked by spring's open request: nothing is written, nor audited.
  Item again = WithIdNumber(Enrollment("Wang", "village-2"), wang);
  Result<GuardedWrite> blocked = autumn.InsertUnless(again, Created(again), OpenRequestsOf(wang));
  REQUIRE(blocked.ok());
  CHECK_FALSE(blocked->written);
  REQUIRE(blocked->blocking);
  CHECK(blocked->blocking->id == open_in_spring.id);
  CHECK(blocked->blocking->campaign == "spring");
  ItemQuery enrollments;
  enrollments.kind = ItemKind::kEnrollment;
  CHECK(*backend.stores().items().Count(enrollments) == 1);
  CHECK(AllAudit(backend.stores().audit()).size() == audited);

  // Another person is written, stamped with the view's campaign, as Insert writes.
  Item li = WithIdNumber(Enrollment("Li", "village-2"), "430922198005120030");
  Result<GuardedWrite> written = autumn.InsertUnless(li, Created(li), OpenRequestsOf("430922198005120030"));
  REQUIRE(written.ok());
  CHECK_FALSE(written->blocking);
  REQUIRE(written->written);
  CHECK(written->written->version == 1);
  CHECK(written->written->campaign == "autumn");
  Result<Item> read = autumn.Get(ItemKind::kEnrollment, written->written->id);
  REQUIRE(read.ok());
  CHECK(read->household->head_name == "Li");

  // Once spring's request is closed, autumn's may be written; reopening spring's is then blocked
  // by autumn's, and a request never blocks its own update.
  const StatePath closed{"closed", ""};
  REQUIRE(spring.Update(Advanced(open_in_spring, closed, kStart + kDay),
                        Moved(open_in_spring.state, closed, "close_ineligible", kStart + kDay))
              .ok());
  Result<GuardedWrite> now_free = autumn.InsertUnless(again, Created(again), OpenRequestsOf(wang));
  REQUIRE(now_free.ok());
  REQUIRE(now_free->written);
  Item closed_one = *spring.Get(ItemKind::kEnrollment, open_in_spring.id);
  const StatePath reopened{"found", ""};
  Result<GuardedWrite> reopen = spring.UpdateUnless(Advanced(closed_one, reopened, kStart + 2 * kDay),
                                                    Moved(closed, reopened, "reopen", kStart + 2 * kDay),
                                                    OpenRequestsOf(wang));
  REQUIRE(reopen.ok());
  REQUIRE(reopen->blocking);
  CHECK(reopen->blocking->id == now_free->written->id);
  CHECK(spring.Get(ItemKind::kEnrollment, open_in_spring.id)->state == closed);

  Item progressed = Advanced(*now_free->written, StatePath{"assigned", ""}, kStart + 2 * kDay);
  Result<GuardedWrite> own = autumn.UpdateUnless(
      progressed, Moved(now_free->written->state, progressed.state, "assign", kStart + 2 * kDay), OpenRequestsOf(wang));
  REQUIRE(own.ok());
  CHECK_FALSE(own->blocking);
  REQUIRE(own->written);
  CHECK(own->written->version == 2);
  CHECK(autumn.Get(ItemKind::kEnrollment, progressed.id)->version == 2);

  // The version check holds as in Update: a stale copy is aborted.
  Result<GuardedWrite> stale = autumn.UpdateUnless(
      progressed, Moved(progressed.state, progressed.state, "progress", kStart + 3 * kDay), OpenRequestsOf(wang));
  CHECK(stale.status().code() == StatusCode::kAborted);
  // The item written must be the view's own.
  CHECK(spring.UpdateUnless(*own->written, Moved(progressed.state, progressed.state, "progress", kStart + 3 * kDay),
                            OpenRequestsOf(wang))
            .status()
            .code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("Concurrent InsertUnless through two openings of one database write exactly one of the same household",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  std::unique_ptr<Stores> other = backend.OpenAnother();  // as a second instance on the database
  ItemStore* const openings[] = {&backend.stores().items(), &other->items()};
  constexpr int kThreads = 8;
  constexpr int kRounds = 10;
  Barrier barrier(kThreads);
  std::mutex results_mutex;
  std::vector<int> written_per_round(kRounds, 0);
  std::vector<int> blocked_per_round(kRounds, 0);
  std::vector<std::string> unexpected;

  auto worker = [&](int thread) {
    ItemStore& store = *openings[thread % 2];
    for (int round = 0; round < kRounds; ++round) {
      const std::string id_number = "4309221980051200" + std::to_string(10 + round);
      Item item = WithIdNumber(Enrollment("round " + std::to_string(round), "village-1"), id_number);
      barrier.Wait();  // every thread writes the round's household at once
      Result<GuardedWrite> stored = store.InsertUnless(item, Created(item), OpenRequestsOf(id_number));
      std::lock_guard<std::mutex> lock(results_mutex);
      if (!stored.ok()) {
        unexpected.push_back(stored.status().ToString());
      } else if (stored->written) {
        ++written_per_round[static_cast<std::size_t>(round)];
      } else if (stored->blocking) {
        ++blocked_per_round[static_cast<std::size_t>(round)];
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (std::thread& thread : threads) thread.join();

  CHECK(unexpected.empty());
  CHECK(written_per_round == std::vector<int>(kRounds, 1));
  CHECK(blocked_per_round == std::vector<int>(kRounds, kThreads - 1));
  ItemQuery enrollments;
  enrollments.kind = ItemKind::kEnrollment;
  CHECK(*backend.stores().items().Count(enrollments) == kRounds);
}

TEMPLATE_TEST_CASE("Cooperating units are stored with the item and replaced by each update", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Item problem = Problem("shared ledger", "town-a");
  problem.cooperating_units = {"village_2", "village_1"};
  Item item = InsertOne(store, problem);
  CHECK(Sorted(store.Get(ItemKind::kProblem, item.id)->cooperating_units) ==
        std::vector<std::string>{"village_1", "village_2"});

  Item changed = item;
  changed.cooperating_units = {"village_3"};
  REQUIRE(store.Update(changed, Moved(item.state, item.state, "progress", kStart + kDay)).ok());
  CHECK(store.Get(ItemKind::kProblem, item.id)->cooperating_units == std::vector<std::string>{"village_3"});

  changed.version = 2;
  changed.cooperating_units.clear();
  REQUIRE(store.Update(changed, Moved(item.state, item.state, "progress", kStart + 2 * kDay)).ok());
  CHECK(store.Get(ItemKind::kProblem, item.id)->cooperating_units.empty());

  // None stored, none given: nothing to write. None stored, some given: written.
  changed.version = 3;
  REQUIRE(store.Update(changed, Moved(item.state, item.state, "progress", kStart + 3 * kDay)).ok());
  CHECK(store.Get(ItemKind::kProblem, item.id)->cooperating_units.empty());
  changed.version = 4;
  changed.cooperating_units = {"village_1"};
  REQUIRE(store.Update(changed, Moved(item.state, item.state, "progress", kStart + 4 * kDay)).ok());
  CHECK(store.Get(ItemKind::kProblem, item.id)->cooperating_units == std::vector<std::string>{"village_1"});
}

TEMPLATE_TEST_CASE("UpdateDeadlines writes only the deadline fields, without a history row or a new version",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Item item = InsertOne(store, Problem("late report", "town-a", kStart + 10 * kDay));
  Item recomputed = item;
  recomputed.deadline = kStart + 12 * kDay;
  recomputed.deadline_rule = "autumn_end";
  recomputed.due_at = kStart + 11 * kDay;
  recomputed.due_rule = "working_step";
  recomputed.title = "not written by UpdateDeadlines";
  recomputed.measures = "nor this";
  recomputed.version = 7;

  REQUIRE(store.UpdateDeadlines({recomputed}).ok());

  Result<Item> read = store.Get(ItemKind::kProblem, item.id);
  REQUIRE(read.ok());
  Item expected = item;
  expected.deadline = recomputed.deadline;
  expected.deadline_rule = recomputed.deadline_rule;
  expected.due_at = recomputed.due_at;
  expected.due_rule = recomputed.due_rule;
  CheckSameItem(*read, expected);
  CHECK(store.History(ItemKind::kProblem, item.id)->size() == 1);
  OverdueQuery overdue;  // the deadline in force is the one queried
  overdue.as_of = kStart + 11 * kDay + 1;
  CHECK(Ids(store.Overdue(overdue).value()) == std::vector<std::int64_t>{item.id});
}

TEMPLATE_TEST_CASE("A named value reads back as last put and an unknown name has none", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  Result<std::optional<std::string>> missing = store.GetMeta("deadline_fingerprint");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  REQUIRE(store.PutMeta("deadline_fingerprint", "abc123").ok());
  REQUIRE(store.PutMeta("other", "x").ok());
  CHECK(store.GetMeta("deadline_fingerprint").value() == std::optional<std::string>("abc123"));
  REQUIRE(store.PutMeta("deadline_fingerprint", "def456").ok());
  CHECK(store.GetMeta("deadline_fingerprint").value() == std::optional<std::string>("def456"));
  CHECK(store.GetMeta("other").value() == std::optional<std::string>("x"));
}

TEMPLATE_TEST_CASE("PutMetaIf writes only while the name holds the value expected, with its records, or nothing at all",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  AuditLog& log = backend.stores().audit();
  const AuditRecord because = MakeAuditRecord(kAuditActorSystem, "config.change", "configuration", "a (first start)");

  const std::size_t before = AllAudit(log).size();
  CHECK(store.PutMetaIf("fingerprint", std::nullopt, "a", because).value());
  std::vector<AuditRecord> all = AllAudit(log);
  REQUIRE(all.size() == before + 2);
  CHECK(all[before].action == "config.change");  // the reason first, then the value it wrote
  CHECK(all[before].detail == "a (first start)");
  CHECK(all[before + 1].action == kAuditMetaPut);
  CHECK(all[before + 1].detail == "a");

  // Expected absent, but it is there now; expected another value: refused, nothing written.
  CHECK_FALSE(store.PutMetaIf("fingerprint", std::nullopt, "b", because).value());
  CHECK_FALSE(store.PutMetaIf("fingerprint", std::string("z"), "b", because).value());
  CHECK(store.GetMeta("fingerprint").value() == std::optional<std::string>("a"));
  CHECK(AllAudit(log).size() == before + 2);

  // Expected as it is: written, and without a reason only the meta.put record.
  CHECK(store.PutMetaIf("fingerprint", std::string("a"), "b", std::nullopt).value());
  CHECK(store.GetMeta("fingerprint").value() == std::optional<std::string>("b"));
  all = AllAudit(log);
  REQUIRE(all.size() == before + 3);
  CHECK(all.back().action == kAuditMetaPut);
  CHECK(all.back().detail == "b");
}

TEMPLATE_TEST_CASE("Concurrent PutMetaIf through two openings of one database: one writer per reading wins",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  std::unique_ptr<Stores> other = backend.OpenAnother();  // as a second instance starting together
  ItemStore* const openings[] = {&backend.stores().items(), &other->items()};
  constexpr int kThreads = 8;
  constexpr int kRounds = 10;
  Barrier barrier(kThreads);
  std::mutex results_mutex;
  std::vector<int> won_per_round(kRounds, 0);
  std::vector<std::string> unexpected;

  auto worker = [&](int thread) {
    ItemStore& store = *openings[thread % 2];
    for (int round = 0; round < kRounds; ++round) {
      // Round 0 races to create the value, each later round to replace the one the round before wrote.
      const std::optional<std::string> expected =
          round == 0 ? std::nullopt : std::optional<std::string>("round " + std::to_string(round - 1));
      const AuditRecord because = MakeAuditRecord("writer " + std::to_string(thread), "test.because", "meta", "");
      barrier.Wait();
      Result<bool> won = store.PutMetaIf("race", expected, "round " + std::to_string(round), because);
      {
        std::lock_guard<std::mutex> lock(results_mutex);
        if (!won.ok()) unexpected.push_back(won.status().ToString());
        else if (*won) ++won_per_round[static_cast<std::size_t>(round)];
      }
      barrier.Wait();  // the round's value is written before the next round reads it as expected
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (std::thread& thread : threads) thread.join();

  CHECK(unexpected.empty());
  CHECK(won_per_round == std::vector<int>(kRounds, 1));
  CHECK(backend.stores().items().GetMeta("race").value() == std::optional<std::string>("round 9"));
  int reasons = 0;
  for (const AuditRecord& record : AllAudit(backend.stores().audit())) reasons += record.action == "test.because";
  CHECK(reasons == kRounds);
}

}  // namespace
}  // namespace rectify::testing
