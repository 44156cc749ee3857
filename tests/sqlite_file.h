// Writes to a SQLite database file past rectify's stores: how the tests make a database look as
// an older rectify, or a damaged file, left it.
#pragma once

#include <string>

#include <catch2/catch.hpp>
#include <sqlite3.h>

namespace rectify::testing {

// Runs `sql` (one or more statements) on the database file at `path`; a failure fails the test.
inline void ExecOnFile(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  INFO(sql << ": " << message);
  REQUIRE(code == SQLITE_OK);
}

}  // namespace rectify::testing
