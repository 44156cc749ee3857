// Schema versions: a new file is migrated to the newest, an older one step by step (a version 1
// file keeps its items), a newer one is refused untouched, and a failed step rolls back alone.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "notifier/outbox.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_migrations.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Migration;
using testing::TempDir;

Db OpenDb(const std::string& path) {
  Result<Db> db = Db::Open(path);
  INFO(db.status().ToString());
  REQUIRE(db.ok());
  return std::move(db).value();
}

int VersionOf(Db& db) {
  Result<int> version = sqlite::SchemaVersion(db);
  REQUIRE(version.ok());
  return *version;
}

bool HasTable(Db& db, const std::string& name) {
  sqlite::Query query = db.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.BindAll(name);
  Result<bool> row = query.Step();
  REQUIRE(row.ok());
  return query.Int(0) == 1;
}

TEST_CASE("Opening a new file applies every migration and records the schema version") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  testing::OpenStore(path);

  Db db = OpenDb(path);
  CHECK(VersionOf(db) == static_cast<int>(sqlite::SchemaMigrations().size()));
  for (const char* table :
       {"items", "households", "enrollment_outcomes", "events", "outbox", "notification_log", "silences",
        "audit_log"}) {
    CHECK(HasTable(db, table));
  }
  sqlite::Query mode = db.Prepare("PRAGMA journal_mode");
  REQUIRE(mode.Step().ok());
  CHECK(mode.Text(0) == "wal");
}

TEST_CASE("An older database is upgraded one step at a time without repeating old steps") {
  TempDir dir;
  Db db = OpenDb(dir.File("old.sqlite"));
  const std::vector<Migration> first = {{1, "CREATE TABLE a (x INTEGER)"}};
  REQUIRE(sqlite::Migrate(db, first).ok());
  REQUIRE(VersionOf(db) == 1);

  // Step 1 would fail if it ran again ("table a already exists").
  const std::vector<Migration> later = {
      {1, "CREATE TABLE a (x INTEGER)"},
      {2, "ALTER TABLE a ADD COLUMN y TEXT"},
      {3, "CREATE TABLE b (z INTEGER); INSERT INTO b VALUES (3)"},
  };
  Status upgraded = sqlite::Migrate(db, later);

  INFO(upgraded.ToString());
  REQUIRE(upgraded.ok());
  CHECK(VersionOf(db) == 3);
  CHECK(db.Exec("INSERT INTO a (x, y) VALUES (1, 'two')").ok());
  CHECK(HasTable(db, "b"));
}

TEST_CASE("A failed migration step is rolled back and the version stays at the last good step") {
  TempDir dir;
  Db db = OpenDb(dir.File("partial.sqlite"));
  const std::vector<Migration> steps = {
      {1, "CREATE TABLE a (x INTEGER)"},
      {2, "CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER)"},  // fails half way
  };

  Status migrated = sqlite::Migrate(db, steps);

  CHECK(migrated.code() == StatusCode::kInternal);
  CHECK(migrated.message().find("migration 2") != std::string::npos);
  CHECK(VersionOf(db) == 1);
  CHECK(HasTable(db, "a"));
  CHECK_FALSE(HasTable(db, "b"));
}

TEST_CASE("Migrations not numbered one two three in order are refused before any runs") {
  TempDir dir;
  Db db = OpenDb(dir.File("misnumbered.sqlite"));
  const std::vector<Migration> steps = {{1, "CREATE TABLE a (x INTEGER)"}, {3, "CREATE TABLE b (x INTEGER)"}};
  CHECK(sqlite::Migrate(db, steps).code() == StatusCode::kInternal);
  CHECK(VersionOf(db) == 0);
  CHECK_FALSE(HasTable(db, "a"));
}

TEST_CASE("A database written by a newer program is refused with a clear error and left untouched") {
  TempDir dir;
  const std::string path = dir.File("future.sqlite");
  const int newer = static_cast<int>(sqlite::SchemaMigrations().size()) + 1;
  {
    Db db = OpenDb(path);
    REQUIRE(db.Exec("CREATE TABLE from_the_future (x INTEGER); PRAGMA user_version = " + std::to_string(newer)).ok());
  }

  Result<std::unique_ptr<SqliteStores>> store = SqliteStores::Open(path);

  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kInternal);
  CHECK(store.status().message().find("newer than this program") != std::string::npos);
  Db db = OpenDb(path);
  CHECK(VersionOf(db) == newer);
  CHECK_FALSE(HasTable(db, "items"));
  sqlite::Query mode = db.Prepare("PRAGMA journal_mode");
  REQUIRE(mode.Step().ok());
  CHECK(mode.Text(0) == "delete");
}

TEST_CASE("A version 1 database is migrated to the newest schema and keeps its items") {
  TempDir dir;
  const std::string path = dir.File("v1.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    const std::vector<sqlite::Migration> first = {sqlite::SchemaMigrations().front()};
    REQUIRE(first.front().version == 1);
    REQUIRE(sqlite::Migrate(*db, first).ok());
    REQUIRE(db->Exec("INSERT INTO items (id, kind, state, version, title, unit, created_at, updated_at) "
                     "VALUES (7, 'problem', 'assigned', 3, 'written by version 1', 'village_1', 100, 200)")
                .ok());
  }

  auto store = testing::OpenStore(path);

  Result<sqlite::Db> db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  CHECK(sqlite::SchemaVersion(*db).value() == static_cast<int>(sqlite::SchemaMigrations().size()));
  Result<Item> item = store->items().Get(ItemKind::kProblem, 7);
  INFO(item.status().ToString());
  REQUIRE(item.ok());
  CHECK(item->title == "written by version 1");
  CHECK(item->version == 3);
  CHECK(item->unit == "village_1");
  notifier::OutboxMessage message;  // the outbox, added by a later version, works too
  message.idempotency_key = "2021-10-26T09:00:00+08:00|unit|village_1|village_1#0|0";
  message.slot = "2021-10-26T09:00:00+08:00";
  message.audience = "unit";
  message.unit = "village_1";
  message.channel = "village_1#0";
  Result<int> enqueued = store->outbox().Enqueue({message});
  REQUIRE(enqueued.ok());
  CHECK(*enqueued == 1);
}

TEST_CASE("Outbox rows written before channels had ids are marked as naming their channel by position") {
  TempDir dir;
  const std::string path = dir.File("v10.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> to_ten(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 10);
    REQUIRE(to_ten.back().version == 10);
    REQUIRE(sqlite::Migrate(*db, to_ten).ok());
    for (const char* channel : {"village_1#0", "village_1#12", "rural_office#3"}) {
      REQUIRE(db->Exec(std::string("INSERT INTO outbox (idempotency_key, slot, audience, unit, channel, message, state, "
                                   "created_at, next_attempt_at) VALUES ('key ") + channel +
                       "', '2021-10-26T09:00:00+08:00', 'unit', 'village_1', '" + channel +
                       "', 'text', 'pending', 100, 100)")
                  .ok());
    }
  }

  auto store = testing::OpenStore(path);
  Result<std::vector<notifier::OutboxMessage>> rows = store->outbox().ListOutbox(std::nullopt, 0, 10);
  REQUIRE(rows.ok());
  std::vector<std::string> channels;
  for (const notifier::OutboxMessage& row : *rows) channels.push_back(row.channel);
  CHECK(channels == std::vector<std::string>{"rural_office#position:3", "village_1#position:12", "village_1#position:0"});
  CHECK(rows->back().idempotency_key == "key village_1#0");  // keys stay as they were sent
}

TEST_CASE("Items written before search existed are found by their titles, households and notes after the upgrade") {
  TempDir dir;
  const std::string path = dir.File("v11.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 11);
    REQUIRE(before.back().version == 11);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    REQUIRE(db->Exec("INSERT INTO items (id, kind, state, version, title, measures, created_at, updated_at) VALUES "
                     "(1, 'problem', 'found', 1, '危房改造未完成', '', 100, 100), "
                     "(2, 'enrollment', 'found', 1, '户', '', 100, 100); "
                     "INSERT INTO households (item_id, head_name, village, category, risk_type, risk_found_on, "
                     "clue_source) VALUES (2, '王五六', 'village_1', 'edge', '因病', '2021-09-20', 'cadre'); "
                     "INSERT INTO events (item_id, from_state, to_state, event, actor, at, note) VALUES "
                     "(1, 'found', 'found', 'supervise', 'u', 100, '限期三日内整改')")
                .ok());
  }
  auto store = testing::OpenStore(path);
  ItemQuery query;
  query.text = "三日内";
  Result<std::vector<Item>> found = store->items().List(query);
  REQUIRE(found.ok());
  CHECK(testing::Ids(*found) == std::vector<std::int64_t>{1});
  query.kind = ItemKind::kEnrollment;
  query.text = "王五六";
  found = store->items().List(query);
  REQUIRE(found.ok());
  CHECK(testing::Ids(*found) == std::vector<std::int64_t>{2});
}

TEST_CASE("Version 17 moves the history notes out of item_text into a row per note, and they are still found") {
  TempDir dir;
  const std::string path = dir.File("v16.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 16);
    REQUIRE(before.back().version == 16);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    REQUIRE(db->Exec("INSERT INTO items (id, kind, state, version, title, measures, created_at, updated_at) VALUES "
                     "(1, 'problem', 'found', 1, '危房改造未完成', '加固', 100, 100); "
                     "INSERT INTO events (item_id, from_state, to_state, event, actor, at, note) VALUES "
                     "(1, 'found', 'found', 'supervise', 'u', 100, '限期三日内整改'), "
                     "(1, 'found', 'found', 'progress', 'u', 200, '已完成加固')")
                .ok());
    sqlite::Query notes = db->Prepare("SELECT notes FROM item_text WHERE rowid = 1");
    REQUIRE(*notes.Step());
    REQUIRE(notes.Text(0) == "限期三日内整改\n已完成加固");  // version 12's one row of notes
  }
  auto store = testing::OpenStore(path);
  ItemQuery query;
  for (const char* words : {"三日内", "完成加固", "危房 三日内", "三日内 完成加固", "加固"}) {
    query.text = words;
    Result<std::vector<Item>> found = store->items().List(query);
    REQUIRE(found.ok());
    INFO(words);
    CHECK(testing::Ids(*found) == std::vector<std::int64_t>{1});
  }
  query.text = "三日内完成";  // across two notes: never one text
  CHECK(store->items().List(query)->empty());
  Db db = OpenDb(path);
  CHECK(VersionOf(db) == static_cast<int>(sqlite::SchemaMigrations().size()));
  sqlite::Query rows = db.Prepare("SELECT count(*) FROM note_text");
  REQUIRE(*rows.Step());
  CHECK(rows.Int(0) == 2);
  CHECK_FALSE(db.Prepare("SELECT notes FROM item_text").Step().ok());  // the column is gone
}

TEST_CASE("Version 18's figure groups stand for an older database's items once the start has counted them") {
  TempDir dir;
  const std::string path = dir.File("v17.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 17);
    REQUIRE(before.back().version == 17);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    // Two problems alike but for their titles, one of another unit; one without kept facts.
    REQUIRE(db->Exec("INSERT INTO items (id, kind, state, version, title, unit, deadline, due_at, campaign_id, "
                     "created_at, updated_at, history_facts) VALUES "
                     "(1, 'problem', 'assigned', 1, 'a', 'village_1', 900000, 900000, 'c', 100, 100, NULL), "
                     "(2, 'problem', 'assigned', 1, 'b', 'village_1', 900000, 900000, 'c', 100, 100, NULL), "
                     "(3, 'problem', 'assigned', 1, 'c', 'village_2', 900000, 900000, 'c', 100, 100, NULL); "
                     "INSERT INTO events (item_id, from_state, to_state, event, actor, at, unit) VALUES "
                     "(1, '', 'assigned', 'create', 'u', 100, 'village_1'), "
                     "(2, '', 'assigned', 'create', 'u', 100, 'village_1'), "
                     "(3, '', 'assigned', 'create', 'u', 100, 'village_2')")
                .ok());
  }
  auto store = testing::OpenStore(path);
  FigureGroupsQuery query;
  query.as_of = 200;
  std::map<std::string, std::int64_t> groups;
  const auto read = [&] {
    groups.clear();
    return store->items().FigureGroups(query, [&](const FigureGroup& group) { groups[group.item.unit] += group.count; });
  };
  // Uncounted after the upgrade: the figures read the items.
  Result<bool> stood = read();
  REQUIRE(stood.ok());
  CHECK_FALSE(*stood);
  CHECK(groups.empty());
  // The start's count, from their histories.
  Result<std::int64_t> counted = CountUncountedFigures(store->items(), 2);
  REQUIRE(counted.ok());
  CHECK(*counted == 3);
  stood = read();
  REQUIRE(stood.ok());
  CHECK(*stood);
  CHECK(groups == std::map<std::string, std::int64_t>{{"village_1", 2}, {"village_2", 1}});
  Db db = OpenDb(path);
  sqlite::Query rows = db.Prepare("SELECT count(*), sum(items) FROM figure_groups");
  REQUIRE(*rows.Step());
  CHECK(rows.Int(0) == 2);
  CHECK(rows.Int(1) == 3);
}

TEST_CASE("Version 25 drops the facts of a note on a closed item and of a carry-over, and a carried problem's limits run from its arrival") {
  TempDir dir;
  const std::string path = dir.File("v24.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 24);
    REQUIRE(before.back().version == 24);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    // A request due at 500, closed (enrolled) at 300 and followed up (帮扶跟进) at 600: version 24's
    // fold kept 600 as its closing and counted it in a group of its own (closed late). Beside it a
    // problem closed once, whose facts and group stay.
    REQUIRE(db->Exec("INSERT INTO figure_groups (campaign_id, kind, figure_key, id, items) VALUES "
                     "('c', 'enrollment', 'closed late', 1, 1), ('c', 'problem', 'closed', 2, 2); "
                     "INSERT INTO items (id, kind, state, version, title, unit, deadline, due_at, campaign_id, "
                     "created_at, updated_at, history_facts, figure_group) VALUES "
                     "(1, 'enrollment', 'closed', 3, '张三户', 'village_1', 500, NULL, 'c', 100, 600, "
                     "'o 100:1 300:0\nh 100:village_1\ns\nr\nc 600\np 1', 1), "
                     "(2, 'problem', 'closed', 2, 'a', 'village_1', 500, NULL, 'c', 100, 300, "
                     "'o 100:1 300:0\nh 100:village_1\ns\nr\nc 300\np 0', 2); "
                     // Carried into campaign c at 400 while its signature was awaited since 150.
                     "INSERT INTO items (id, kind, state, version, title, unit, deadline, due_at, campaign_id, "
                     "created_at, updated_at, history_facts, figure_group, state_since, sign_for_unit, sign_for_since, "
                     "carried_from, carried_at) VALUES (3, 'problem', 'assigned', 3, 'b', 'village_1', 900000, 250, "
                     "'c', 100, 400, 'o 100:1\nh 100:village_1\ns\nr village_1:150:250:-:-\nc -\np 0', 2, 150, "
                     "'village_1', 150, 'b', 400); "
                     "INSERT INTO meta (key, value) VALUES ('campaign/c/deadline_fingerprint', 'x'); "
                     "INSERT INTO households (item_id, head_name, village, category, risk_type, risk_found_on, "
                     "clue_source) VALUES (1, '张三', 'village_1', 'marginal', 'illness', '2021-09-01', 'cadre_found'); "
                     "INSERT INTO enrollment_outcomes (item_id, result, entered_on) VALUES (1, 'enrolled', '2021-10-18'); "
                     "INSERT INTO events (item_id, from_state, to_state, event, actor, at, unit, note) VALUES "
                     "(1, '', 'found', 'create', 'u', 100, 'village_1', ''), "
                     "(1, 'verified', 'closed', 'close', 'u', 300, 'village_1', ''), "
                     "(1, 'closed', 'closed', 'follow_up', 'u', 600, 'village_1', '落实医疗救助'), "
                     "(2, '', 'found', 'create', 'u', 100, 'village_1', ''), "
                     "(2, 'verified', 'closed', 'close', 'u', 300, 'village_1', ''), "
                     "(3, '', 'assigned', 'create', 'u', 100, 'village_1', ''), "
                     "(3, 'assigned', 'assigned', 'carry_over', 'u', 400, '', '')")
                .ok());
  }
  auto store = testing::OpenStore(path);
  {
    Db db = OpenDb(path);
    CHECK(VersionOf(db) == static_cast<int>(sqlite::SchemaMigrations().size()));
    sqlite::Query items = db.Prepare("SELECT id, figure_group IS NULL, history_facts IS NULL FROM items ORDER BY id");
    std::vector<std::vector<std::int64_t>> rows;
    while (*items.Step()) rows.push_back({items.Int(0), items.Int(1), items.Int(2)});
    CHECK(rows == std::vector<std::vector<std::int64_t>>{{1, 1, 1}, {2, 0, 0}, {3, 1, 1}});
    sqlite::Query groups = db.Prepare("SELECT id, items FROM figure_groups ORDER BY id");
    rows.clear();
    while (*groups.Step()) rows.push_back({groups.Int(0), groups.Int(1)});
    CHECK(rows == std::vector<std::vector<std::int64_t>>{{1, 0}, {2, 1}});
    // The carried problem's limits run from its arrival, recomputed at the next start.
    sqlite::Query carried = db.Prepare("SELECT state_since, sign_for_since FROM items WHERE id = 3");
    REQUIRE(*carried.Step());
    CHECK(carried.Int(0) == 400);
    CHECK(carried.Int(1) == 400);
    CHECK_FALSE(*db.Prepare("SELECT 1 FROM meta WHERE key = 'campaign/c/deadline_fingerprint'").Step());
  }
  // Read off its history, the request closed at 300; counted again, in time.
  Result<Item> request = store->items().Get(ItemKind::kEnrollment, 1);
  REQUIRE(request.ok());
  CHECK_FALSE(request->facts.has_value());
  Result<std::int64_t> counted = CountUncountedFigures(store->items(), 10);
  REQUIRE(counted.ok());
  CHECK(*counted == 2);
  FigureGroupsQuery query;
  query.kind = ItemKind::kEnrollment;
  query.as_of = 1000;
  std::vector<std::pair<std::optional<Instant>, std::int64_t>> closings;
  Result<bool> stood = store->items().FigureGroups(query, [&](const FigureGroup& group) {
    if (group.count > 0) closings.emplace_back(group.facts.last_closed_at, group.count);
  });
  REQUIRE(stood.ok());
  REQUIRE(*stood);
  // A group's closing in time is the deadline itself (engine/figure_items.h).
  CHECK(closings == std::vector<std::pair<std::optional<Instant>, std::int64_t>>{{Instant{500}, 1}});
}


TEST_CASE("Version 26 notes when each session was last seen: sessions made before read as not seen since made") {
  TempDir dir;
  const std::string path = dir.File("v25.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 25);
    REQUIRE(before.back().version == 25);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    REQUIRE(db->Exec("INSERT INTO users (id, username, display_name, unit, roles, disabled, password_hash, created_at, "
                     "password_changed_at, town) VALUES (1, 'zhangwei', '', 'rural_office', 'office', 0, 'x', 100, 100, "
                     "'gaoqiao'); "
                     "INSERT INTO sessions (token_hash, user_id, kind, label, created_at, expires_at, revoked_at) VALUES "
                     "('" + std::string(64, 'a') + "', 1, 'session', '', 100, 43300, NULL)")
                .ok());
  }
  auto store = testing::OpenStore(path);
  Result<accounts::SessionOfUser> found = store->accounts().FindSession(std::string(64, 'a'));
  REQUIRE(found.ok());
  CHECK(found->session.last_seen_at == 0);
  CHECK(found->session.created_at == 100);
  REQUIRE(store->accounts().TouchSession(std::string(64, 'a'), 200).ok());
  CHECK(store->accounts().FindSession(std::string(64, 'a')).value().session.last_seen_at == 200);
}

TEST_CASE("Version 29 reads a problem carried over before as moved whole: no id it came from, nowhere it went") {
  TempDir dir;
  const std::string path = dir.File("v28.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 28);
    REQUIRE(before.back().version == 28);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    REQUIRE(db->Exec("INSERT INTO items (id, kind, state, version, title, unit, campaign_id, created_at, updated_at, "
                     "carried_from, carried_at) VALUES (7, 'problem', 'assigned', 3, 'b', 'village_1', 'c2022', 100, 400, "
                     "'c2021', 400); "
                     "INSERT INTO events (item_id, from_state, to_state, event, actor, at, unit, note) VALUES "
                     "(7, '', 'assigned', 'create', 'u', 100, 'village_1', ''), "
                     "(7, 'assigned', 'assigned', 'carry_over', 'u', 400, 'village_1', '')")
                .ok());
  }
  auto store = testing::OpenStore(path);
  Result<Item> moved = store->items().Get(ItemKind::kProblem, 7);
  REQUIRE(moved.ok());
  CHECK(moved->campaign == "c2022");
  CHECK(moved->carried_from == "c2021");
  CHECK(moved->carried_from_id == 0);
  CHECK(moved->carried_at == Instant{400});
  CHECK(moved->carried_to.empty());
  CHECK(moved->carried_to_id == 0);
}

TEST_CASE("Version 30 reads the history rows written before as changing nothing they would have to restore") {
  TempDir dir;
  const std::string path = dir.File("v29.sqlite");
  {
    Result<sqlite::Db> db = sqlite::Db::Open(path);
    REQUIRE(db.ok());
    std::vector<sqlite::Migration> before(sqlite::SchemaMigrations().begin(), sqlite::SchemaMigrations().begin() + 29);
    REQUIRE(before.back().version == 29);
    REQUIRE(sqlite::Migrate(*db, before).ok());
    REQUIRE(db->Exec("INSERT INTO items (id, kind, state, version, title, unit, campaign_id, created_at, updated_at, "
                     "deadline) VALUES (7, 'problem', 'assigned', 2, 'b', 'village_1', 'c2021', 100, 400, 900); "
                     "INSERT INTO events (item_id, from_state, to_state, event, actor, at, unit, note) VALUES "
                     "(7, '', 'assigned', 'create', 'u', 100, 'village_1', ''), "
                     "(7, 'assigned', 'assigned', 'approve_extension', 'u', 400, 'village_1', 'extended to ...')")
                .ok());
  }
  auto store = testing::OpenStore(path);
  Result<std::vector<EventRecord>> history = store->items().History(ItemKind::kProblem, 7);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  for (const EventRecord& row : *history) CHECK(row.before.empty());
}

}  // namespace
}  // namespace rectify
