// SqliteStores's List and Overdue: filters, keyset paging, ordering, and the query plans that
// keep them fast at a million items.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"
#include "storage/sqlite_item_reads.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"
#include "tests/storage/query_plan.h"

namespace rectify {
namespace {

using testing::Plan;

using testing::Enrollment;
using testing::Ids;
using testing::InsertAll;
using testing::kDay;
using testing::kStart;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

Item InState(Item item, std::string state, std::string step = "") {
  item.state = StatePath{std::move(state), std::move(step)};
  return item;
}

Item InArea(Item item, int area, std::string source) {
  item.area = area;
  item.source = std::move(source);
  return item;
}

std::vector<std::int64_t> ListIds(ItemStore& store, const ItemQuery& query) {
  Result<std::vector<Item>> items = store.List(query);
  INFO(items.status().ToString());
  REQUIRE(items.ok());
  return Ids(*items);
}

std::vector<std::int64_t> OverdueIds(ItemStore& store, const OverdueQuery& query) {
  Result<std::vector<Item>> items = store.Overdue(query);
  INFO(items.status().ToString());
  REQUIRE(items.ok());
  return Ids(*items);
}

using IdList = std::vector<std::int64_t>;

TEST_CASE("List filters by kind, state, step, unit, area, source, village and overdue") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  const std::vector<Item> s = InsertAll(
      store->items(), {
                  Problem("p1", "town-a", kStart + 1 * kDay),                                  // 0
                  InState(Problem("p2", "town-b", kStart + 2 * kDay), "rectifying", "working"),  // 1
                  InState(Problem("p3", "town-a"), "rectifying", "submitted"),                 // 2
                  InState(Problem("p4", "town-a", kStart - 1 * kDay), "closed"),               // 3
                  InArea(Problem("p5", "town-b", kStart + 5 * kDay), 3, "hotline"),            // 4
                  Enrollment("Wang", "village-1", kStart + 1 * kDay),                          // 5
                  Enrollment("Li", "village-2"),                                               // 6
                  InState(Enrollment("Zhao", "village-1"), "rectifying", "working"),           // 7
              });
  auto query = [](ItemKind kind) {
    ItemQuery q;
    q.kind = kind;
    return q;
  };

  CHECK(ListIds(store->items(), query(ItemKind::kProblem)) == IdList{s[0].id, s[1].id, s[2].id, s[3].id, s[4].id});
  CHECK(ListIds(store->items(), query(ItemKind::kEnrollment)) == IdList{s[5].id, s[6].id, s[7].id});
  ItemQuery q = query(ItemKind::kProblem);
  q.state = "rectifying";
  CHECK(ListIds(store->items(), q) == IdList{s[1].id, s[2].id});
  q.step = "submitted";
  CHECK(ListIds(store->items(), q) == IdList{s[2].id});
  q = query(ItemKind::kProblem);
  q.unit = "town-a";
  CHECK(ListIds(store->items(), q) == IdList{s[0].id, s[2].id, s[3].id});
  q.state = "closed";
  CHECK(ListIds(store->items(), q) == IdList{s[3].id});
  q = query(ItemKind::kProblem);
  q.area = 3;
  CHECK(ListIds(store->items(), q) == IdList{s[4].id});
  q = query(ItemKind::kProblem);
  q.source = "hotline";
  CHECK(ListIds(store->items(), q) == IdList{s[4].id});
  q = query(ItemKind::kEnrollment);
  q.village = "village-1";
  CHECK(ListIds(store->items(), q) == IdList{s[5].id, s[7].id});
  q.state = "rectifying";
  CHECK(ListIds(store->items(), q) == IdList{s[7].id});
  q = query(ItemKind::kProblem);
  q.overdue_as_of = kStart + 3 * kDay;  // p4's deadline passed too, but it is closed
  CHECK(ListIds(store->items(), q) == IdList{s[0].id, s[1].id});
  q = query(ItemKind::kEnrollment);
  q.overdue_as_of = kStart + 3 * kDay;
  CHECK(ListIds(store->items(), q) == IdList{s[5].id});
}

TEST_CASE("List pages by id with after_id and limit until a page comes back empty") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  std::vector<Item> items;
  for (int i = 0; i < 7; ++i) items.push_back(Problem("p" + std::to_string(i), i % 2 == 0 ? "town-a" : "town-b"));
  items.push_back(Enrollment("not a problem", "village-1"));
  const std::vector<Item> stored = InsertAll(store->items(), items);

  ItemQuery q;
  q.unit = "town-a";  // ids 0, 2, 4, 6
  q.limit = 3;
  CHECK(ListIds(store->items(), q) == IdList{stored[0].id, stored[2].id, stored[4].id});
  q.after_id = stored[4].id;
  CHECK(ListIds(store->items(), q) == IdList{stored[6].id});
  q.after_id = stored[6].id;
  CHECK(ListIds(store->items(), q).empty());

  ItemQuery all;
  all.limit = 2;
  IdList seen;
  while (true) {
    IdList page = ListIds(store->items(), all);
    if (page.empty()) break;
    CHECK(page.size() <= 2);
    seen.insert(seen.end(), page.begin(), page.end());
    all.after_id = page.back();
  }
  CHECK(seen.size() == 7);
}

TEST_CASE("List and Overdue refuse a limit below one") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  ItemQuery list;
  list.limit = 0;
  CHECK(store->items().List(list).status().field() == "limit");
  OverdueQuery overdue;
  overdue.limit = -1;
  CHECK(store->items().Overdue(overdue).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("Overdue lists open items past their deadline most overdue first") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  const Instant now = kStart + 10 * kDay;
  const std::vector<Item> s = InsertAll(
      store->items(), {
                  Problem("late 3 days", "town-a", now - 3 * kDay),                        // 0
                  Problem("late 5 days", "town-b", now - 5 * kDay),                        // 1
                  Problem("due later", "town-a", now + 1 * kDay),                          // 2
                  Problem("no deadline", "town-a"),                                        // 3
                  InState(Problem("closed late", "town-a", now - 9 * kDay), "closed"),     // 4
                  Enrollment("Wang", "village-1", now - 3 * kDay),                         // 5
                  Problem("due exactly now", "town-a", now),                               // 6
                  InState(Problem("late, working", "town-a", now - 4 * kDay), "rectifying", "working"),  // 7
              });

  OverdueQuery q;
  q.as_of = now;
  CHECK(OverdueIds(store->items(), q) == IdList{s[1].id, s[7].id, s[0].id, s[5].id});
  q.kind = ItemKind::kProblem;
  CHECK(OverdueIds(store->items(), q) == IdList{s[1].id, s[7].id, s[0].id});
  q.unit = "town-a";
  CHECK(OverdueIds(store->items(), q) == IdList{s[7].id, s[0].id});
  q.kind = std::nullopt;
  q.unit = std::nullopt;
  q.as_of = now + 2 * kDay;
  CHECK(OverdueIds(store->items(), q) == IdList{s[1].id, s[7].id, s[0].id, s[5].id, s[6].id, s[2].id});
}

TEST_CASE("Overdue pages by the last row's deadline and id, ties included") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  const Instant now = kStart + 10 * kDay;
  // Three items share a deadline: paging must neither skip nor repeat any of them.
  const std::vector<Item> s = InsertAll(store->items(), {
                                                    Problem("a", "town-a", now - 2 * kDay),
                                                    Problem("b", "town-a", now - 5 * kDay),
                                                    Problem("c", "town-a", now - 2 * kDay),
                                                    Problem("d", "town-a", now - 2 * kDay),
                                                    Problem("e", "town-a", now - 1 * kDay),
                                                });
  OverdueQuery q;
  q.as_of = now;
  q.limit = 2;
  IdList seen;
  while (true) {
    Result<std::vector<Item>> page = store->items().Overdue(q);
    REQUIRE(page.ok());
    if (page->empty()) break;
    for (const Item& item : *page) seen.push_back(item.id);
    q.after_due = page->back().due_at;
    q.after_id = page->back().id;
  }
  CHECK(seen == IdList{s[1].id, s[0].id, s[2].id, s[3].id, s[4].id});
}

TEST_CASE("A closed item is never overdue whatever its deadline") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item item = InsertAll(store->items(), {Problem("fixed late", "town-a", kStart)}).front();
  Item closed = InState(item, "closed");
  REQUIRE(store->items().Update(closed, testing::Moved(item.state, closed.state, "close", kStart + kDay)).ok());

  OverdueQuery overdue;
  overdue.as_of = kStart + 100 * kDay;
  CHECK(OverdueIds(store->items(), overdue).empty());
  ItemQuery list;
  list.overdue_as_of = kStart + 100 * kDay;
  CHECK(ListIds(store->items(), list).empty());
}


// Every loop is an index search (no SCAN of the table or of a whole index, no sort), and the
// first, which drives the query, uses one of `indexes`. Subqueries' loops are checked alike.
void CheckIndexedPlan(sqlite::Db& db, const sqlite::SqlQuery& query, const std::vector<std::string>& indexes) {
  const std::vector<std::string> plan = Plan(db, query);
  INFO(query.sql);
  REQUIRE_FALSE(plan.empty());
  INFO(plan.front());
  CHECK(std::any_of(indexes.begin(), indexes.end(), [&](const std::string& index) {
    return plan.front().find("USING INDEX " + index + " ") != std::string::npos;
  }));
  for (const std::string& line : plan) {
    INFO(line);
    // The heading of a subquery (an item's cooperating units) is not a loop; its loops follow.
    if (line.find("SUBQUERY") != std::string::npos) continue;
    CHECK(line.rfind("SEARCH ", 0) == 0);
    CHECK(line.find("TEMP B-TREE") == std::string::npos);
  }
}

sqlite::Db SchemaWithRows(const std::string& path) {
  auto store = OpenStore(path);
  InsertAll(store->items(), {Problem("p", "town-a", kStart), Enrollment("Wang", "village-1", kStart)});
  Result<sqlite::Db> db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  return std::move(db).value();
}

TEST_CASE("Each List filter is answered by an index in id order, not a scan of items") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  struct Case {
    const char* filter;
    ItemQuery query;
    std::vector<std::string> indexes;  // any of them will do
  };
  std::vector<Case> cases(9);
  cases[0] = {"kind only", {}, {"items_kind"}};
  cases[1] = {"state", {}, {"items_kind_state"}};
  cases[1].query.state = "rectifying";
  cases[2] = {"state and step", {}, {"items_kind_state_step"}};
  cases[2].query.state = "rectifying";
  cases[2].query.step = "submitted";
  cases[3] = {"unit", {}, {"items_kind_unit"}};
  cases[3].query.unit = "town-a";
  cases[4] = {"area", {}, {"items_kind_area"}};
  cases[4].query.area = 2;
  cases[5] = {"source", {}, {"items_kind_source"}};
  cases[5].query.source = "inspection";
  cases[6] = {"village", {}, {"households_village"}};
  cases[6].query.kind = ItemKind::kEnrollment;
  cases[6].query.village = "village-1";
  // Overdue in id order walks the kind in id order; Overdue() has the deadline-ordered index.
  cases[7] = {"overdue", {}, {"items_kind"}};
  cases[7].query.overdue_as_of = kStart;
  cases[8] = {"state and unit on a later page", {}, {"items_kind_state", "items_kind_unit"}};
  cases[8].query.unit = "town-a";
  cases[8].query.state = "assigned";
  cases[8].query.after_id = 10;
  for (const Case& c : cases) {
    INFO(c.filter);
    CheckIndexedPlan(db, sqlite::ListItemsSql(c.query), c.indexes);
  }
}

TEST_CASE("Overdue is answered by a partial index of open deadlines in deadline order") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  std::vector<OverdueQuery> any_unit(3);
  any_unit[1].kind = ItemKind::kProblem;
  any_unit[2].kind = ItemKind::kEnrollment;
  any_unit[2].after_due = kStart;
  any_unit[2].after_id = 7;
  for (const OverdueQuery& q : any_unit) CheckIndexedPlan(db, sqlite::OverdueItemsSql(q), {"items_open_due"});

  std::vector<OverdueQuery> one_unit(2);
  one_unit[0].unit = "town-a";
  one_unit[1].unit = "town-a";
  one_unit[1].kind = ItemKind::kProblem;
  one_unit[1].after_due = kStart;
  one_unit[1].after_id = 7;
  for (const OverdueQuery& q : one_unit) {
    CheckIndexedPlan(db, sqlite::OverdueItemsSql(q), {"items_open_unit_due"});
  }
}

}  // namespace
}  // namespace rectify
