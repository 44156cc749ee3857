// pg::CopyIn (storage/pg_db.h), the bulk copy `rectify migrate-db` streams each table with:
// every value arrives as it was sent, whatever characters it holds, and a copy that fails or
// is abandoned leaves nothing behind and the connection usable.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "storage/pg_db.h"
#include "tests/storage/pg_test_database.h"

namespace rectify {
namespace {

using testing::PgTestDatabase;

std::int64_t Count(pg::Conn& conn) {
  pg::Query query = conn.Prepare("SELECT count(*) FROM copied");
  auto row = query.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return query.Int(0);
}

TEST_CASE("CopyIn delivers every value as sent: separators, escapes, NULL, empty text and Chinese") {
  PgTestDatabase database;
  pg::Conn conn = database.Connect();
  REQUIRE(conn.Exec("CREATE TABLE copied (id BIGINT PRIMARY KEY, note TEXT, amount BIGINT)").ok());
  const std::vector<std::optional<std::string>> notes = {
      "a\tb",         "two\nlines", "carriage\rreturn", "back\\slash", "\\N",   "\\.",
      "",             std::nullopt, "高桥镇 整改台账",  "\\t not a tab", "end\\", "tab at end\t",
  };
  auto copy = pg::CopyIn::Begin(conn, "copied", {"id", "note", "amount"});
  INFO(copy.status().ToString());
  REQUIRE(copy.ok());
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const std::optional<std::string> amount =
        i % 3 == 0 ? std::nullopt : std::optional<std::string>(std::to_string(-7 * static_cast<int>(i)));
    REQUIRE(copy->Row({std::to_string(i), notes[i], amount}).ok());
  }
  auto copied = copy->End();
  INFO(copied.status().ToString());
  REQUIRE(copied.ok());
  CHECK(*copied == static_cast<std::int64_t>(notes.size()));

  pg::Query read = conn.Prepare("SELECT id, note, amount FROM copied ORDER BY id");
  for (std::size_t i = 0; i < notes.size(); ++i) {
    auto row = read.Step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    CHECK(read.Int(0) == static_cast<std::int64_t>(i));
    INFO("row " << i);
    CHECK(read.IsNull(1) == !notes[i].has_value());
    if (notes[i]) CHECK(read.Text(1) == *notes[i]);
    CHECK(read.OptionalInt(2) == (i % 3 == 0 ? std::nullopt : std::optional<std::int64_t>(-7 * static_cast<int>(i))));
  }
  auto done = read.Step();
  REQUIRE(done.ok());
  CHECK_FALSE(*done);
}

TEST_CASE("CopyIn streams more rows than one chunk holds") {
  PgTestDatabase database;
  pg::Conn conn = database.Connect();
  REQUIRE(conn.Exec("CREATE TABLE copied (id BIGINT PRIMARY KEY, note TEXT)").ok());
  auto copy = pg::CopyIn::Begin(conn, "copied", {"id", "note"});
  REQUIRE(copy.ok());
  const std::string note(1000, 'x');  // 20,000 rows of 1 KB: several chunks of 256 KiB
  for (int i = 0; i < 20000; ++i) REQUIRE(copy->Row({std::to_string(i), note}).ok());
  auto copied = copy->End();
  INFO(copied.status().ToString());
  REQUIRE(copied.ok());
  CHECK(*copied == 20000);
  CHECK(Count(conn) == 20000);
}

TEST_CASE("A copy PostgreSQL refuses, or one abandoned, leaves nothing and the connection usable") {
  PgTestDatabase database;
  pg::Conn conn = database.Connect();
  REQUIRE(conn.Exec("CREATE TABLE copied (id BIGINT PRIMARY KEY, note TEXT)").ok());

  SECTION("a value the column cannot read fails End, naming PostgreSQL's reason") {
    auto copy = pg::CopyIn::Begin(conn, "copied", {"id", "note"});
    REQUIRE(copy.ok());
    REQUIRE(copy->Row({"1", "fine"}).ok());
    REQUIRE(copy->Row({"two", "not a number"}).ok());  // buffered: PostgreSQL sees it at End
    auto copied = copy->End();
    REQUIRE_FALSE(copied.ok());
    CHECK_THAT(copied.status().message(), Catch::Contains("invalid input syntax for type bigint"));
    CHECK_THAT(copied.status().message(), Catch::Contains("two"));
  }
  SECTION("a duplicate key fails End") {
    auto copy = pg::CopyIn::Begin(conn, "copied", {"id", "note"});
    REQUIRE(copy.ok());
    REQUIRE(copy->Row({"1", "first"}).ok());
    REQUIRE(copy->Row({"1", "again"}).ok());
    auto copied = copy->End();
    REQUIRE_FALSE(copied.ok());
    CHECK(pg::SqlState(copied.status()) == "23505");
  }
  SECTION("a row of the wrong width is refused before it is sent; the copy, dropped, is abandoned") {
    auto copy = pg::CopyIn::Begin(conn, "copied", {"id", "note"});
    REQUIRE(copy.ok());
    REQUIRE(copy->Row({"1", "fine"}).ok());
    const Status wrong = copy->Row({"2"});
    REQUIRE_FALSE(wrong.ok());
    CHECK_THAT(wrong.message(), Catch::Contains("1 values for 2 columns"));
  }
  SECTION("a table that does not exist fails Begin") {
    auto copy = pg::CopyIn::Begin(conn, "no_such_table", {"id"});
    REQUIRE_FALSE(copy.ok());
    CHECK_THAT(copy.status().message(), Catch::Contains("no_such_table"));
  }
  CHECK(Count(conn) == 0);
  REQUIRE(conn.Exec("INSERT INTO copied VALUES (9, 'after')").ok());
  CHECK(Count(conn) == 1);
}

}  // namespace
}  // namespace rectify
