// What only PostgreSQL's schema does: the append-only tables refuse UPDATE, DELETE and TRUNCATE
// by trigger, whoever connects (a person with psql, not only rectify); migrations are recorded
// and a database newer than the program is refused untouched.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "engine/audit.h"
#include "storage/pg_database.h"
#include "storage/pg_migrations.h"
#include "storage/stores.h"
#include "tests/storage/pg_test_database.h"

namespace rectify {
namespace {

using testing::PgTestDatabase;

std::string One(pg::Conn& conn, const std::string& sql) {
  pg::Query query = conn.Prepare(sql);
  auto row = query.Step();
  INFO(row.status().ToString());
  REQUIRE(row.ok());
  REQUIRE(*row);
  return query.Text(0);
}

TEST_CASE("PostgreSQL refuses to change or remove an audit record, by trigger, to anyone") {
  PgTestDatabase database;
  {
    auto stores = OpenStores(database.url());
    REQUIRE(stores.ok());
    for (const char* detail : {"first", "second"}) {
      REQUIRE((*stores)->audit().AppendAudit(MakeAuditRecord("tester", "test.write", "problem 1", detail)).ok());
    }
  }
  pg::Conn conn = database.Connect();
  for (const char* tampering : {"UPDATE audit_log SET detail = 'rewritten' WHERE seq = 1",
                                "DELETE FROM audit_log WHERE seq = 2", "TRUNCATE audit_log"}) {
    const Status refused = conn.Exec(tampering);
    INFO(tampering);
    CHECK(refused.code() == StatusCode::kInternal);
    CHECK_THAT(refused.message(), Catch::Contains("audit_log is append-only"));
  }
  CHECK(One(conn, "SELECT count(*) FROM audit_log") == "2");
  CHECK(One(conn, "SELECT detail FROM audit_log WHERE seq = 1") == "first");
  CHECK(One(conn, "SELECT seq FROM audit_head") == "2");
}

TEST_CASE("PostgreSQL's other append-only tables refuse updates and deletes") {
  PgTestDatabase database;
  { REQUIRE(OpenStores(database.url()).ok()); }
  pg::Conn conn = database.Connect();
  for (const char* table : {"evidence_files", "ledger_receipts", "survey_visits", "survey_visit_team",
                            "survey_events", "survey_photos"}) {
    INFO(table);
    const Status refused = conn.Exec(std::string("DELETE FROM ") + table);
    // An empty table fires no row trigger: the trigger's presence is what is checked.
    CHECK(refused.ok());
    CHECK(One(conn, std::string("SELECT count(*) FROM pg_trigger WHERE tgrelid = '") + table +
                        "'::regclass AND NOT tgisinternal") != "0");
  }
  const Status handin_delete = conn.Exec(
      "INSERT INTO ledger_handins (unit, sha256, name, size, content_type, submitted_at, submitted_by, campaign_id) "
      "VALUES ('village_1', repeat('a', 64), 'a.pdf', 1, 'application/pdf', 0, 'x', 'c');"
      "DELETE FROM ledger_handins");
  CHECK_THAT(handin_delete.message(), Catch::Contains("ledger_handins is append-only"));
}

TEST_CASE("A PostgreSQL database written by a newer rectify is refused and left as it was") {
  PgTestDatabase database;
  { REQUIRE(OpenStores(database.url()).ok()); }
  pg::Conn conn = database.Connect();
  const int current = static_cast<int>(pg::SchemaMigrations().size());
  CHECK(One(conn, "SELECT max(version) FROM schema_version") == std::to_string(current));
  REQUIRE(conn.Exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(current + 1) + ")").ok());
  auto opened = OpenStores(database.url());
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.status().message(), Catch::Contains("newer than this program knows"));
  CHECK(One(conn, "SELECT max(version) FROM schema_version") == std::to_string(current + 1));
}

}  // namespace
TEST_CASE("PostgreSQL out of reach answers kUnavailable, and the next request after it is back is served") {
  // Nothing listens on port 1: the connection is refused at once.
  auto refused = OpenStores("postgresql://rectify@127.0.0.1:1/rectify");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kUnavailable);

  PgTestDatabase database;
  auto stores = OpenStores(database.url());
  REQUIRE(stores.ok());
  REQUIRE((*stores)->audit().AppendAudit(MakeAuditRecord("tester", "test.write", "problem 1", "first")).ok());
  // The server ends every session of the database, as a restart of PostgreSQL does (57P01).
  pg::Conn admin = database.Connect();
  REQUIRE(admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                     "AND pid <> pg_backend_pid()")
              .ok());
  const Status lost = (*stores)->audit().AppendAudit(MakeAuditRecord("tester", "test.write", "problem 1", "second"));
  INFO(lost.ToString());
  // Lost with its session (503, try again), not a bug (500); ok when the session ended only
  // after this write ran (pg_terminate_backend signals, it does not wait).
  CHECK((lost.ok() || lost.code() == StatusCode::kUnavailable));
  const Status again = (*stores)->audit().AppendAudit(MakeAuditRecord("tester", "test.write", "problem 1", "third"));
  INFO(again.ToString());
  CHECK(again.ok());
}

TEST_CASE("a PostgreSQL address that is not a postgresql:// URL is refused, not opened as a SQLite file") {
  for (const char* mistyped : {"postgresql:rectify", "postgres:rectify", "host=/tmp port=5432 dbname=rectify",
                               "dbname=rectify user=rectify"}) {
    INFO(mistyped);
    auto opened = OpenStores(mistyped);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().code() == StatusCode::kInvalidArgument);
    CHECK(opened.status().field() == "db");
    CHECK_THAT(opened.status().message(), Catch::Contains("postgresql://"));
    CHECK_FALSE(std::filesystem::exists(mistyped));
  }
}

}  // namespace rectify
