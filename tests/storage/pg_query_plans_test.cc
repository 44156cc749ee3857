// The query plans of PostgreSQL: the item search reaches the trigram indexes of item_text and
// note_text, the figure groups' and the tier records' reads are index lookups, and the overdue
// in outline an index-only scan.
// What the queries return is the stores' contract (contract/).
#include <catch2/catch.hpp>

#include <string>

#include "storage/item_reads.h"
#include "storage/item_sql.h"
#include "storage/pg_database.h"
#include "tests/storage/pg_test_database.h"

namespace rectify {
namespace {

// Enough items, of different titles, that reading item_text whole costs more than its index.
void AddItems(pg::Conn& conn) {
  const Status added = conn.Exec(
      "INSERT INTO items (kind, state, version, title, measures, created_at, updated_at) "
      "SELECT 'problem', 'assigned', 1, '第' || g || '户' || md5(g::text), md5((g * 7)::text), 0, 0 "
      "FROM generate_series(1, 20000) g");
  INFO(added.ToString());
  REQUIRE(added.ok());
  const Status noted = conn.Exec(
      "INSERT INTO events (item_id, from_state, to_state, event, actor, at, note) "
      "SELECT id, 'assigned', 'assigned', 'progress', 'u', 0, '回访' || md5((id * 3)::text) FROM items");
  INFO(noted.ToString());
  REQUIRE(noted.ok());
  // VACUUM moves the new rows out of GIN's pending list (fastupdate), which a search reads
  // whole, into the index proper, as autovacuum does on a live database.
  REQUIRE(conn.Exec("VACUUM ANALYZE item_text").ok());
  REQUIRE(conn.Exec("VACUUM ANALYZE note_text").ok());
  REQUIRE(conn.Exec("ANALYZE items").ok());
}

// EXPLAIN's lines for `query`.
std::string Plan(pg::Conn& conn, sql::SqlQuery query) {
  query.sql = "EXPLAIN " + query.sql;
  pg::Query explain = sql::PrepareBound(conn, query);
  std::string plan;
  while (true) {
    Result<bool> row = explain.Step();
    INFO(row.status().ToString());
    REQUIRE(row.ok());
    if (!*row) return plan;
    plan += explain.Text(0) + "\n";
  }
}

TEST_CASE("A search word of three characters or more is answered through the trigram indexes of texts and notes") {
  testing::PgTestDatabase database;
  Result<std::unique_ptr<PgDatabase>> opened = PgDatabase::Open(database.url());
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  Result<PgDatabase::Lease> lease = (*opened)->Read();
  REQUIRE(lease.ok());
  ItemQuery query;
  query.text = "辍学未劝返 road";
  AddItems(lease->conn());
  const std::string plan = Plan(lease->conn(), sql::ListItemsSql(query, sql::Dialect::kPostgres));
  INFO(plan);
  CHECK(plan.find("Bitmap Index Scan on item_text_trigrams") != std::string::npos);
  CHECK(plan.find("Bitmap Index Scan on note_text_trigrams") != std::string::npos);
}

TEST_CASE("The figure groups' reads are index lookups, never a scan of items") {
  testing::PgTestDatabase database;
  Result<std::unique_ptr<PgDatabase>> opened = PgDatabase::Open(database.url());
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  Result<PgDatabase::Lease> lease = (*opened)->Read();
  REQUIRE(lease.ok());
  pg::Conn& conn = lease->conn();
  AddItems(conn);
  // Every item counted, in the groups of a county's fifty campaigns.
  REQUIRE(conn.Exec("INSERT INTO figure_groups (campaign_id, kind, figure_key, items) "
                    "SELECT 'campaign-' || (g % 50), 'problem', md5(g::text), 4 FROM generate_series(1, 5000) g")
              .ok());
  REQUIRE(conn.Exec("UPDATE items SET figure_group = 1 + id % 5000").ok());
  REQUIRE(conn.Exec("VACUUM ANALYZE items").ok());
  REQUIRE(conn.Exec("VACUUM ANALYZE figure_groups").ok());
  const std::string kind = "problem";

  const std::string uncounted = Plan(conn, {sql::kAnyUncountedItem, {kind}});
  INFO(uncounted);
  CHECK(uncounted.find("items_uncounted") != std::string::npos);
  const std::string latest = Plan(conn, {sql::kLatestWrite, {kind}});
  INFO(latest);
  CHECK(latest.find("items_kind_updated") != std::string::npos);
  const std::string groups = Plan(conn, {sql::kFigureGroupsOfCampaign, {std::string("campaign-7"), kind}});
  INFO(groups);
  CHECK(groups.find("figure_groups_key") != std::string::npos);
  CHECK(uncounted.find("Seq Scan on items") == std::string::npos);
  CHECK(latest.find("Seq Scan on items") == std::string::npos);
}

TEST_CASE("The tier records' reads find the open items by recorded tier and deadline through their index") {
  testing::PgTestDatabase database;
  Result<std::unique_ptr<PgDatabase>> opened = PgDatabase::Open(database.url());
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  Result<PgDatabase::Lease> lease = (*opened)->Read();
  REQUIRE(lease.ok());
  pg::Conn& conn = lease->conn();
  AddItems(conn);
  // Every item open with a deadline over 200 days, most of them already red.
  REQUIRE(conn.Exec("UPDATE items SET due_at = 86400 * (id % 200), tier = CASE WHEN id % 10 = 0 THEN 'yellow' "
                    "ELSE 'red' END").ok());
  REQUIRE(conn.Exec("VACUUM ANALYZE items").ok());
  OverdueQuery yellow;
  yellow.kind = ItemKind::kProblem;
  yellow.tier = "yellow";
  yellow.due_from = 86400 * 150;
  yellow.as_of = 86400 * 152;
  const std::string ranged = Plan(conn, sql::OverdueItemsSql(yellow, sql::Dialect::kPostgres, sql::OverdueResume::kLaterDeadlines));
  INFO(ranged);
  CHECK(ranged.find("items_open_tier_due") != std::string::npos);
  CHECK(ranged.find("Seq Scan on items") == std::string::npos);
  ItemQuery undue;
  undue.kind = ItemKind::kProblem;
  undue.tier_without_deadline = true;
  const std::string lost = Plan(conn, sql::ListItemsSql(undue, sql::Dialect::kPostgres));
  INFO(lost);
  CHECK(lost.find("items_open_tier_undue") != std::string::npos);
  CHECK(lost.find("Seq Scan on items") == std::string::npos);
}

TEST_CASE("Overdue in outline is an index-only scan of the open deadlines once the items are vacuumed") {
  testing::PgTestDatabase database;
  Result<std::unique_ptr<PgDatabase>> opened = PgDatabase::Open(database.url());
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  Result<PgDatabase::Lease> lease = (*opened)->Read();
  REQUIRE(lease.ok());
  pg::Conn& conn = lease->conn();
  AddItems(conn);
  REQUIRE(conn.Exec("UPDATE items SET due_at = 86400 * (id % 200), campaign_id = 'gaoqiao'").ok());
  REQUIRE(conn.Exec("VACUUM ANALYZE items").ok());
  OverdueQuery outline;
  outline.campaign = "gaoqiao";
  outline.kind = ItemKind::kProblem;
  outline.as_of = 86400 * 20;
  outline.outline = true;
  const std::string plan =
      Plan(conn, sql::OverdueItemsSql(outline, sql::Dialect::kPostgres, sql::OverdueResume::kLaterDeadlines));
  INFO(plan);
  CHECK(plan.find("Index Only Scan using items_open_due on items") != std::string::npos);
}

}  // namespace
}  // namespace rectify
