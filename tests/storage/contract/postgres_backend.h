// The PostgreSQL backend of the contract suites (backends.h): a fresh database on the tests'
// throwaway cluster (pg_test_database.h), opened the way the program opens it (OpenStores with
// a postgresql:// URL).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/clock.h"
#include "storage/stores.h"
#include "tests/storage/pg_test_database.h"
#include "tests/storage/store_test_items.h"

namespace rectify::testing {

class PostgresBackend {
 public:
  PostgresBackend() : stores_(Open()) {}

  Stores& stores() { return *stores_; }
  ManualClock& clock() { return *clock_; }
  void Reopen() {
    stores_.reset();
    stores_ = Open();
  }
  std::unique_ptr<Stores> OpenAnother() { return Open(); }

 private:
  std::unique_ptr<Stores> Open() {
    Result<std::unique_ptr<Stores>> opened = OpenStores(database_.url(), clock_);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    return std::move(opened).value();
  }

  PgTestDatabase database_;
  const std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(kStart + 3600);
  std::unique_ptr<Stores> stores_;
};

}  // namespace rectify::testing
