// The SQLite backend of the contract suites (backends.h): a database file in a fresh TempDir,
// opened the way the program opens it (OpenStores).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/clock.h"
#include "storage/stores.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

class SqliteBackend {
 public:
  SqliteBackend() : stores_(Open()) {}

  Stores& stores() { return *stores_; }
  ManualClock& clock() { return *clock_; }
  void Reopen() {
    stores_.reset();
    stores_ = Open();
  }
  std::unique_ptr<Stores> OpenAnother() { return Open(); }

 private:
  std::unique_ptr<Stores> Open() {
    Result<std::unique_ptr<Stores>> opened = OpenStores(path_, clock_);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    return std::move(opened).value();
  }

  TempDir dir_;
  const std::string path_ = dir_.File("rectify.sqlite");
  const std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(kStart + 3600);
  std::unique_ptr<Stores> stores_;
};

}  // namespace rectify::testing
