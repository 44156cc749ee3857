// EXPLAIN QUERY PLAN for the storage tests that check which index a query uses.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/sqlite_db.h"
#include "storage/sqlite_item_reads.h"

namespace rectify::testing {

// What SQLite plans for `query`: one line per loop, e.g. "SEARCH i USING INDEX items_kind (kind=? AND rowid>?)".
inline std::vector<std::string> Plan(sqlite::Db& db, sqlite::SqlQuery query) {
  query.sql = "EXPLAIN QUERY PLAN " + query.sql;
  sqlite::Query explain = sqlite::PrepareBound(db, query);
  std::vector<std::string> lines;
  while (true) {
    Result<bool> row = explain.Step();
    REQUIRE(row.ok());
    if (!*row) return lines;
    lines.push_back(explain.Text(3));
  }
}

}  // namespace rectify::testing
