// The SQLite stores on a file the test names, for the tests of what only SQLite does (its schema,
// query plans, files, locks and crashes). Tests of what every backend must do are in contract/.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "storage/sqlite_stores.h"

namespace rectify::testing {

inline std::unique_ptr<SqliteStores> OpenStore(const std::string& path) {
  Result<std::unique_ptr<SqliteStores>> store = SqliteStores::Open(path);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return std::move(store).value();
}

}  // namespace rectify::testing
