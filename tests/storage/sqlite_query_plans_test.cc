// The query plans that keep the SQLite backend fast at a million items: every List filter and the
// overdue and outbox queries are index searches in the order asked for, never a scan of a table
// or a sort. What the queries return is the stores' contract (contract/).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "engine/workflow.h"
#include "notifier/outbox.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_item_reads.h"
#include "storage/item_sql.h"
#include "storage/outbox_sql.h"
#include "storage/sqlite_outbox.h"
#include "storage/sqlite_silence_store.h"
#include "tests/storage/query_plan.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using notifier::OutboxMessage;
using notifier::OutboxState;
using testing::Enrollment;
using testing::InsertAll;
using testing::kSlot;
using testing::kStart;
using testing::Message;
using testing::OpenStore;
using testing::Plan;
using testing::Problem;
using testing::TempDir;

// Every loop is an index search (no SCAN of the table or of a whole index, no sort), and the
// first, which drives the query, uses one of `indexes`. Subqueries' loops are checked alike.
void CheckIndexedPlan(sqlite::Db& db, const sqlite::SqlQuery& query, const std::vector<std::string>& indexes) {
  const std::vector<std::string> plan = Plan(db, query);
  INFO(query.sql);
  REQUIRE_FALSE(plan.empty());
  INFO(plan.front());
  CHECK(std::any_of(indexes.begin(), indexes.end(), [&](const std::string& index) {
    return plan.front().find("USING INDEX " + index + " ") != std::string::npos ||
           plan.front().find("USING COVERING INDEX " + index + " ") != std::string::npos;
  }));
  for (const std::string& line : plan) {
    INFO(line);
    // The heading of a subquery (an item's cooperating units) is not a loop; its loops follow.
    if (line.find("SUBQUERY") != std::string::npos) continue;
    CHECK(line.rfind("SEARCH ", 0) == 0);
    CHECK(line.find("TEMP B-TREE") == std::string::npos);
  }
}

// Both reads of an overdue page are searches of `index`; a page resumed within a deadline seeks
// on the deadline and the id together, not on the deadline alone (stepping over every item of
// the deadline read so far).
void CheckOverduePlans(sqlite::Db& db, const OverdueQuery& query, const std::string& index) {
  for (const auto resume : {sqlite::OverdueResume::kSameDeadline, sqlite::OverdueResume::kLaterDeadlines})
    CheckIndexedPlan(db, sqlite::OverdueItemsSql(query, resume), {index});
  if (!query.after_due) return;
  const std::vector<std::string> same = Plan(db, sqlite::OverdueItemsSql(query, sqlite::OverdueResume::kSameDeadline));
  REQUIRE_FALSE(same.empty());
  INFO(same.front());
  CHECK(same.front().find("due_at=? AND id>?") != std::string::npos);
}

sqlite::Db SchemaWithRows(const std::string& path) {
  auto store = OpenStore(path);
  InsertAll(store->items(), {Problem("p", "town-a", kStart), Enrollment("Wang", "village-1", kStart)});
  Result<sqlite::Db> db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  return std::move(db).value();
}

TEST_CASE("Each List filter of a campaign is answered by an index in id order, not a scan of items") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  struct Case {
    const char* filter;
    ItemQuery query;
    std::vector<std::string> indexes;  // any of them will do
    // The filter's index holds the campaign after the filter's column (schema 22): the campaign
    // is a term of the search, not a check of each item read.
    bool searches_campaign = true;
    bool count_alike = true;  // the count is planned as the page is
  };
  std::vector<Case> cases(9);
  cases[0] = {"campaign only", {}, {"items_campaign"}};
  cases[1] = {"state", {}, {"items_kind_state"}};
  cases[1].query.state = "verifying";
  cases[2] = {"state and step", {}, {"items_kind_state_step"}};
  cases[2].query.state = "rectifying";
  cases[2].query.step = "submitted";
  cases[3] = {"unit", {}, {"items_kind_unit"}};
  cases[3].query.unit = "town-a";
  cases[4] = {"area", {}, {"items_kind_area"}};
  cases[4].query.area = 2;
  cases[5] = {"source", {}, {"items_kind_source"}};
  cases[5].query.source = "inspection";
  cases[6] = {"village", {}, {"households_village"}, false};
  cases[6].query.kind = ItemKind::kEnrollment;
  cases[6].query.village = "village-1";
  // Overdue in id order walks the campaign in id order; Overdue() has the deadline-ordered index,
  // and the count reads it (below).
  cases[7] = {"overdue", {}, {"items_campaign"}, true, false};
  cases[7].query.overdue_as_of = kStart;
  cases[8] = {"state and unit on a later page", {}, {"items_kind_state", "items_kind_unit"}};
  cases[8].query.unit = "town-a";
  cases[8].query.state = "assigned";
  cases[8].query.after_id = 10;
  for (Case& c : cases) {
    INFO(c.filter);
    c.query.campaign = "gaoqiao";  // as every service asks (engine/campaign_item_store.h)
    std::vector<sqlite::SqlQuery> queries = {sqlite::ListItemsSql(c.query)};
    if (c.count_alike) queries.push_back(sqlite::CountItemsSql(c.query));
    for (const sqlite::SqlQuery& query : queries) {
      CheckIndexedPlan(db, query, c.indexes);
      const std::vector<std::string> plan = Plan(db, query);
      INFO(plan.front());
      if (c.searches_campaign) CHECK(plan.front().find("campaign_id=?") != std::string::npos);
    }
  }
}

TEST_CASE("A count of the overdue, by unit or in all, reads the index of open deadlines alone") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery overdue;
    overdue.kind = kind;
    overdue.campaign = "gaoqiao";
    overdue.overdue_as_of = kStart;
    for (const sqlite::SqlQuery& count : {sqlite::CountItemsSql(overdue), sqlite::CountByUnitSql(overdue)}) {
      const std::vector<std::string> plan = Plan(db, count);
      INFO(count.sql);
      REQUIRE_FALSE(plan.empty());
      INFO(plan.front());
      // One search of the deadlines before the instant, which holds every column the count tests
      // (no lookup of an item); the count by unit then groups what it found.
      CHECK(plan.front().rfind("SEARCH i USING COVERING INDEX items_open_due (due_at>? AND due_at<?)", 0) == 0);
      for (std::size_t i = 1; i < plan.size(); ++i) CHECK(plan[i] == "USE TEMP B-TREE FOR GROUP BY");
    }
  }
}

// Whether any loop of the plan reads `table` ("h", "o": the household, the outcome).
bool PlanReads(sqlite::Db& db, const sqlite::SqlQuery& query, const std::string& table) {
  const std::vector<std::string> plan = Plan(db, query);
  return std::any_of(plan.begin(), plan.end(),
                     [&](const std::string& line) { return line.rfind("SEARCH " + table + " ", 0) == 0; });
}

TEST_CASE("A count reads the household only for a filter of it, and never the outcome") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  ItemQuery campaign;
  campaign.campaign = "gaoqiao";
  ItemQuery village;
  village.kind = ItemKind::kEnrollment;
  village.village = "village-1";
  ItemQuery visible;
  visible.visible_to_unit = "village-1";
  for (const auto& [name, query, reads_household] :
       {std::tuple{"campaign", campaign, false}, std::tuple{"village", village, true},
        std::tuple{"visible to a unit", visible, true}}) {
    INFO(name);
    for (const sqlite::SqlQuery& count : {sqlite::CountItemsSql(query), sqlite::CountByUnitSql(query)}) {
      INFO(count.sql);
      CHECK(PlanReads(db, count, "h") == reads_household);
      CHECK_FALSE(PlanReads(db, count, "o"));
    }
    // The page itself reads both, for its items' columns.
    CHECK(PlanReads(db, sqlite::ListItemsSql(query), "h"));
    CHECK(PlanReads(db, sqlite::ListItemsSql(query), "o"));
  }
}

// The query searches `index` ("PRIMARY KEY" for a table's own) and scans no table (a scan of
// its own one-row subquery is no table).
void CheckReadsIndex(sqlite::Db& db, const sqlite::SqlQuery& query, const std::string& index) {
  const std::vector<std::string> plan = Plan(db, query);
  INFO(query.sql);
  CHECK(std::any_of(plan.begin(), plan.end(), [&](const std::string& line) {
    return line.rfind("SEARCH ", 0) == 0 &&
           (line.find("INDEX " + index + " ") != std::string::npos || line.find(" USING " + index + " ") != std::string::npos);
  }));
  for (const std::string& line : plan) {
    INFO(line);
    CHECK(line.rfind("SCAN items", 0) != 0);
    CHECK(line.rfind("SCAN figure_groups", 0) != 0);
    CHECK(line.find("TEMP B-TREE") == std::string::npos);
  }
}

TEST_CASE("The figure groups' reads and the count of earlier items are index searches, never a scan of items") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  const std::string kind = "problem";
  CheckReadsIndex(db, {sql::kAnyUncountedItem, {kind}}, "items_uncounted");
  CheckReadsIndex(db, {sql::kLatestWrite, {kind}}, "items_kind_updated");
  // A campaign's groups are one range of the table's own key (a WITHOUT ROWID table).
  CheckReadsIndex(db, {sql::kFigureGroupsOfCampaign, {std::string("gaoqiao"), kind}}, "PRIMARY KEY");
  CheckReadsIndex(db, {"UPDATE figure_groups SET items = items - 1 WHERE id = ?", {std::int64_t{1}}},
                  "sqlite_autoindex_figure_groups_1");
  ItemQuery uncounted;
  uncounted.figures_uncounted = true;
  uncounted.after_id = 10;
  CheckIndexedPlan(db, sqlite::ListItemsSql(uncounted), {"items_uncounted"});
}

TEST_CASE("Overdue is answered by a partial index of open deadlines in deadline order") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  std::vector<OverdueQuery> any_unit(3);
  any_unit[1].kind = ItemKind::kProblem;
  any_unit[2].kind = ItemKind::kEnrollment;
  any_unit[2].after_due = kStart;
  any_unit[2].after_id = 7;
  for (const OverdueQuery& q : any_unit) CheckOverduePlans(db, q, "items_open_due");

  std::vector<OverdueQuery> one_unit(2);
  one_unit[0].unit = "town-a";
  one_unit[1].unit = "town-a";
  one_unit[1].kind = ItemKind::kProblem;
  one_unit[1].after_due = kStart;
  one_unit[1].after_id = 7;
  for (const OverdueQuery& q : one_unit) CheckOverduePlans(db, q, "items_open_unit_due");
}

// A program's nightly pull asks for the open items written since an instant (a day's writes):
// the index of write times finds them, and only they are sorted by id.
TEST_CASE("The items changed since an instant are searched by their write time, not walked in id order") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  ItemQuery changed;
  changed.campaign = "gaoqiao";
  changed.open_only = true;
  changed.changed_since = kStart;
  for (const std::int64_t after_id : {std::int64_t{0}, std::int64_t{7}}) {
    changed.after_id = after_id;
    const std::vector<std::string> plan = Plan(db, sqlite::ListItemsSql(changed));
    REQUIRE_FALSE(plan.empty());
    INFO(plan.front());
    CHECK(plan.front().rfind("SEARCH i USING INDEX items_kind_updated (kind=? AND updated_at>?)", 0) == 0);
  }
}

// The notifier asks each pass for the open items with a 督办 note since its previous slot: the
// index of events and times finds the few, and the items are looked up by id, never walked.
TEST_CASE("The items with an event in a window are looked up by id from the index of events and times") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  ItemQuery supervised;
  supervised.campaign = "gaoqiao";
  supervised.open_only = true;
  supervised.event_between = EventWindow{kSuperviseEvent, kStart, kStart + 86400};
  for (const std::int64_t after_id : {std::int64_t{0}, std::int64_t{7}}) {
    supervised.after_id = after_id;
    const std::vector<std::string> plan = Plan(db, sqlite::ListItemsSql(supervised));
    REQUIRE(plan.size() >= 2);
    INFO(plan.front() << " / " << plan.back());
    CHECK(plan.front().rfind("SEARCH i USING INTEGER PRIMARY KEY (rowid=?)", 0) == 0);
    bool by_event_index = false;
    for (const std::string& step : plan)
      if (step.find("SEARCH e USING INDEX events_event_at (event=? AND at>? AND at<?)") != std::string::npos)
        by_event_index = true;
    CHECK(by_event_index);
    for (const std::string& step : plan) CHECK(step.find("TEMP B-TREE") == std::string::npos);
  }
}

TEST_CASE("Overdue in outline is read from the index of open deadlines alone, never from the items") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  std::vector<OverdueQuery> outlines(3);
  for (OverdueQuery& q : outlines) {
    q.outline = true;
    q.campaign = "gaoqiao";
    q.kind = ItemKind::kProblem;
  }
  outlines[1].due_from = kStart;
  outlines[2].after_due = kStart;
  outlines[2].after_id = 7;
  for (const OverdueQuery& q : outlines) {
    CheckOverduePlans(db, q, "items_open_due");
    for (const auto resume : {sqlite::OverdueResume::kSameDeadline, sqlite::OverdueResume::kLaterDeadlines}) {
      const std::vector<std::string> plan = Plan(db, sqlite::OverdueItemsSql(q, resume));
      REQUIRE_FALSE(plan.empty());
      INFO(plan.front());
      CHECK(plan.front().find("USING COVERING INDEX items_open_due ") != std::string::npos);
    }
  }
}

TEST_CASE("The tier records' reads are searches of the open items by recorded tier and deadline") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("rectify.sqlite"));
  // A range of deadlines of one recorded tier, bounded or open-ended below, and a later page.
  std::vector<OverdueQuery> by_tier(3);
  for (OverdueQuery& q : by_tier) {
    q.kind = ItemKind::kProblem;
    q.campaign = "gaoqiao";
    q.tier = "yellow";
    q.as_of = kStart;
  }
  by_tier[1].due_from = kStart - 86400;
  by_tier[2].after_due = kStart - 3600;
  by_tier[2].after_id = 7;
  for (const OverdueQuery& q : by_tier) CheckOverduePlans(db, q, "items_open_tier_due");
  ItemQuery undue;
  undue.kind = ItemKind::kEnrollment;
  undue.campaign = "gaoqiao";
  undue.tier_without_deadline = true;
  undue.after_id = 10;
  CheckIndexedPlan(db, sqlite::ListItemsSql(undue), {"items_open_tier_undue"});
}

// One index search in `index` order: no scan of the table, no sort.
void CheckSearches(sqlite::Db& db, const sqlite::SqlQuery& query, const std::string& index) {
  const std::vector<std::string> plan = Plan(db, query);
  INFO(query.sql);
  REQUIRE(plan.size() == 1);
  INFO(plan.front());
  CHECK(plan.front().rfind("SEARCH ", 0) == 0);
  CHECK(plan.front().find(index) != std::string::npos);
}

TEST_CASE("The due query reads only the partial index and the listings read theirs without sorting") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  std::vector<OutboxMessage> scan;
  for (int i = 0; i < 50; ++i) scan.push_back(Message(kSlot, "village_" + std::to_string(i), kStart + i));
  Result<int> enqueued = store->outbox().Enqueue(scan);
  REQUIRE(enqueued.ok());
  REQUIRE(*enqueued == 50);
  Result<sqlite::Db> db = sqlite::OpenConnection(path);
  REQUIRE(db.ok());

  CheckSearches(*db, sqlite::DueMessagesSql(kStart, 100, "claimant"), "USING INDEX outbox_due ");
  CheckSearches(*db, outbox_sql::ListOutboxSql(OutboxState::kFailed, 0, 20), "USING INDEX outbox_state ");
  CheckSearches(*db, outbox_sql::ListOutboxSql(std::nullopt, 30, 20), "USING INTEGER PRIMARY KEY ");
  CheckSearches(*db, sqlite::ActiveSilencesSql(kStart), "USING INDEX silences_until ");
}

TEST_CASE("A search word of three characters or more is answered by the trigram indexes of texts and notes") {
  TempDir dir;
  sqlite::Db db = SchemaWithRows(dir.File("plans.sqlite"));
  ItemQuery query;
  query.text = "辍学未劝返";
  const std::vector<std::string> plan = Plan(db, sqlite::ListItemsSql(query));
  for (const std::string& line : plan) INFO(line);
  for (const char* table : {"item_text VIRTUAL TABLE INDEX", "note_text VIRTUAL TABLE INDEX"}) {
    INFO(table);
    CHECK(std::any_of(plan.begin(), plan.end(), [table](const std::string& line) {
      return line.find(table) != std::string::npos && line.find(":M") != std::string::npos;
    }));
  }
}

}  // namespace
}  // namespace rectify
