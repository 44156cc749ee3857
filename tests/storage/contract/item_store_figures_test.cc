// The item store's figure groups (engine/item_store.h FigureGroups, CountFigures) on every
// backend: each write moves its item from the group of its old figure item to the group of its
// new one in the same transaction, so the groups always count every item once, as it stands.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/campaign_item_store.h"
#include "engine/history_facts.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

// Every group FigureGroups gives at `as_of`, which must stand for the items then.
std::vector<FigureGroup> Read(ItemStore& store, ItemKind kind, Instant as_of) {
  FigureGroupsQuery query;
  query.kind = kind;
  query.as_of = as_of;
  std::vector<FigureGroup> groups;
  Result<bool> stood = store.FigureGroups(query, [&](const FigureGroup& group) { groups.push_back(group); });
  INFO(stood.status().ToString());
  REQUIRE(stood.ok());
  REQUIRE(*stood);
  return groups;
}

// "<figure item's unit>/<state>: <count>" per group, sorted: what the groups say.
std::vector<std::string> Groups(ItemStore& store, ItemKind kind, Instant as_of = kStart + 30 * kDay) {
  std::vector<std::string> out;
  for (const FigureGroup& group : Read(store, kind, as_of))
    out.push_back(group.item.unit + "/" + group.item.state.ToString() + ": " + std::to_string(group.count));
  std::sort(out.begin(), out.end());
  return out;
}

// The figure item of every stored item of `kind`, as FigureItemOf makes it of what Get reads,
// with how many items share it.
std::map<std::string, std::int64_t> ExpectedGroups(ItemStore& store, ItemKind kind) {
  ItemQuery query;
  query.kind = kind;
  query.limit = 1000;
  Result<std::vector<Item>> items = store.List(query);
  REQUIRE(items.ok());
  std::map<std::string, std::int64_t> out;
  for (const Item& item : *items) {
    REQUIRE(item.facts.has_value());
    const FigureItem figure = FigureItemOf(item, *item.facts);
    ++out[figure.item.unit + "/" + figure.item.state.ToString() + "/" + std::to_string(figure.item.deadline.value_or(0))];
  }
  return out;
}

std::map<std::string, std::int64_t> GroupedAs(ItemStore& store, ItemKind kind) {
  std::map<std::string, std::int64_t> out;
  for (const FigureGroup& group : Read(store, kind, kStart + 30 * kDay))
    out[group.item.unit + "/" + group.item.state.ToString() + "/" + std::to_string(group.item.deadline.value_or(0))] +=
        group.count;
  return out;
}

TEMPLATE_TEST_CASE("FigureGroups counts items alike once per group, and every write moves its item", "[item_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant deadline = kStart + 10 * kDay;
  std::vector<Item> items = InsertAll(store, {Problem("a", "town-a", deadline), Problem("b", "town-a", deadline),
                                              Problem("c", "town-b", deadline), Problem("d")});
  InsertOne(store, Enrollment("Zhao Min", "village-1"));

  // Titles and ids are not figures: a and b are one group.
  CHECK(Groups(store, ItemKind::kProblem) ==
        std::vector<std::string>{"/found: 1", "town-a/assigned: 2", "town-b/assigned: 1"});
  CHECK(Groups(store, ItemKind::kEnrollment) == std::vector<std::string>{"/found: 1"});
  for (const FigureGroup& group : Read(store, ItemKind::kProblem, kStart)) {
    CHECK(group.item.title.empty());
    CHECK(group.item.id == 0);
  }

  // Update: b starts work.
  const StatePath working{"rectifying", "working"};
  Item b = items[1];
  b.state = working;
  b.updated_at = kStart + kDay;
  REQUIRE(store.Update(b, Moved(items[1].state, working, "start", kStart + kDay)).ok());
  CHECK(Groups(store, ItemKind::kProblem) == std::vector<std::string>{"/found: 1", "town-a/assigned: 1",
                                                                      "town-a/rectifying.working: 1",
                                                                      "town-b/assigned: 1"});
  // UpdateEach: c joins b's group, d fails its version check and stays where it was.
  Item c = items[2];
  c.unit = "town-a";
  c.state = working;
  c.updated_at = kStart + 2 * kDay;
  Item stale = items[3];
  stale.version = 7;
  stale.unit = "town-b";
  Result<std::vector<Status>> each =
      store.UpdateEach({{c, Moved(items[2].state, working, "start", kStart + 2 * kDay)},
                        {stale, Moved(items[3].state, items[3].state, "note", kStart + 2 * kDay)}});
  REQUIRE(each.ok());
  CHECK((*each)[0].ok());
  CHECK((*each)[1].code() == StatusCode::kAborted);
  CHECK(Groups(store, ItemKind::kProblem) ==
        std::vector<std::string>{"/found: 1", "town-a/assigned: 1", "town-a/rectifying.working: 2"});
  // UpdateDeadlines: a's new deadline is another group.
  Item a = items[0];
  a.deadline = a.due_at = deadline + kDay;
  REQUIRE(store.UpdateDeadlines({a}).ok());
  CHECK(GroupedAs(store, ItemKind::kProblem) == ExpectedGroups(store, ItemKind::kProblem));
  CHECK(GroupedAs(store, ItemKind::kProblem).count("town-a/assigned/" + std::to_string(deadline + kDay)) == 1);

  // Counting again what is counted changes nothing.
  ItemQuery uncounted;
  uncounted.figures_uncounted = true;
  Result<std::vector<Item>> none = store.List(uncounted);
  REQUIRE(none.ok());
  CHECK(none->empty());
  ItemQuery all;
  Result<std::vector<Item>> stored = store.List(all);
  REQUIRE(stored.ok());
  const std::map<std::string, std::int64_t> before = GroupedAs(store, ItemKind::kProblem);
  REQUIRE(store.CountFigures(*stored).ok());
  CHECK(GroupedAs(store, ItemKind::kProblem) == before);

  // The groups stay across reopening.
  backend.Reopen();
  CHECK(GroupedAs(backend.stores().items(), ItemKind::kProblem) == before);
}

// UpdateEach counts a batch's moves per group at its end (sql::FigureTally): many items into a
// group the batch makes, out of one and back, and a batch whose last update fails (then each
// update runs again on its own).
TEMPLATE_TEST_CASE("UpdateEach counts a batch's moves between groups once each, made, left and failed alike",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  ItemStore& store = backend.stores().items();
  const Instant deadline = kStart + 10 * kDay;
  std::vector<Item> items;
  for (int i = 0; i < 6; ++i) items.push_back(Problem("p" + std::to_string(i), "town-a", deadline));
  items.push_back(Problem("q", "town-b", deadline));
  items = InsertAll(store, items);
  const StatePath working{"rectifying", "working"};
  auto moved = [&](std::size_t i, const std::string& unit, const StatePath& state, Instant at) {
    Item item = items[i];
    item.unit = unit;
    item.state = state;
    item.updated_at = at;
    return ItemUpdate{item, Moved(items[i].state, state, "start", at)};
  };
  auto write = [&](const std::vector<ItemUpdate>& updates) {
    Result<std::vector<Status>> each = store.UpdateEach(updates);
    REQUIRE(each.ok());
    std::vector<StatusCode> codes;
    for (const Status& one : *each) codes.push_back(one.code());
    for (std::size_t i = 0; i < updates.size(); ++i)
      if ((*each)[i].ok()) {
        Result<Item> read = store.Get(ItemKind::kProblem, updates[i].item.id);
        REQUIRE(read.ok());
        for (Item& item : items)
          if (item.id == read->id) item = *read;
      }
    return codes;
  };
  // Four into a group the batch makes, one into another unit's.
  CHECK(write({moved(0, "town-a", working, kStart + kDay), moved(1, "town-a", working, kStart + kDay),
               moved(2, "town-a", working, kStart + kDay), moved(3, "town-a", working, kStart + kDay),
               moved(4, "town-b", items[4].state, kStart + kDay)}) == std::vector<StatusCode>(5, StatusCode::kOk));
  CHECK(Groups(store, ItemKind::kProblem) ==
        std::vector<std::string>{"town-a/assigned: 1", "town-a/rectifying.working: 4", "town-b/assigned: 2"});
  // Out of the new group and into it again, and back where one came from.
  CHECK(write({moved(0, "town-b", items[0].state, kStart + 2 * kDay), moved(5, "town-a", working, kStart + 2 * kDay),
               moved(4, "town-a", items[4].state, kStart + 2 * kDay)}) == std::vector<StatusCode>(3, StatusCode::kOk));
  CHECK(Groups(store, ItemKind::kProblem) ==
        std::vector<std::string>{"town-a/assigned: 1", "town-a/rectifying.working: 4", "town-b/assigned: 1",
                                 "town-b/rectifying.working: 1"});
  // The last one fails its version check: the others are written, and counted, once.
  ItemUpdate stale = moved(6, "town-a", working, kStart + 3 * kDay);
  stale.item.version = 9;
  CHECK(write({moved(1, "town-c", working, kStart + 3 * kDay), moved(2, "town-c", working, kStart + 3 * kDay), stale}) ==
        std::vector<StatusCode>{StatusCode::kOk, StatusCode::kOk, StatusCode::kAborted});
  CHECK(Groups(store, ItemKind::kProblem) ==
        std::vector<std::string>{"town-a/assigned: 1", "town-a/rectifying.working: 2", "town-b/assigned: 1",
                                 "town-b/rectifying.working: 1", "town-c/rectifying.working: 2"});
  CHECK(GroupedAs(store, ItemKind::kProblem) == ExpectedGroups(store, ItemKind::kProblem));
}

TEMPLATE_TEST_CASE("FigureGroups stands for the items only from their latest write on, and keeps campaigns apart",
                   "[item_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  CampaignItemStore spring(backend.stores().items(), "spring");
  CampaignItemStore autumn(backend.stores().items(), "autumn");
  InsertOne(spring, Problem("spring's", "town-a"));
  Item later = Problem("autumn's", "town-a");
  later.created_at = later.updated_at = kStart + kDay;
  InsertAll(autumn, {later});

  CHECK(Groups(spring, ItemKind::kProblem, kStart + kDay) == std::vector<std::string>{"town-a/assigned: 1"});
  CHECK(Groups(autumn, ItemKind::kProblem, kStart + kDay) == std::vector<std::string>{"town-a/assigned: 1"});
  // Without a campaign the same figure item of both campaigns is one group.
  CHECK(Groups(backend.stores().items(), ItemKind::kProblem, kStart + kDay) ==
        std::vector<std::string>{"town-a/assigned: 2"});

  // Before the latest write (of any campaign) the groups do not stand for the items.
  for (ItemStore* store : std::vector<ItemStore*>{&spring, &autumn, &backend.stores().items()}) {
    const FigureGroupsQuery before{ItemKind::kProblem, std::nullopt, kStart + kDay - 1};
    int visited = 0;
    Result<bool> refused = store->FigureGroups(before, [&](const FigureGroup&) { ++visited; });
    REQUIRE(refused.ok());
    CHECK_FALSE(*refused);
    CHECK(visited == 0);
  }
  // A kind with no items has no groups, at any instant.
  CHECK(Read(spring, ItemKind::kEnrollment, 0).empty());
}

}  // namespace
}  // namespace rectify::testing
