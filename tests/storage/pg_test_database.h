// A fresh PostgreSQL database on the tests' throwaway cluster (scripts/pg-test-cluster.sh, started
// by CTest's `postgres` fixture, tests/CMakeLists.txt), dropped when the object goes away. The
// cluster's admin URL comes from RECTIFY_TEST_PG_URL; a test binary run by hand needs it set:
//   scripts/pg-test-cluster.sh start /tmp/pg && RECTIFY_TEST_PG_URL=$(scripts/pg-test-cluster.sh url /tmp/pg) ...
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <utility>

#include "storage/pg_db.h"

namespace rectify::testing {

inline std::string PgTestAdminUrl() {
  const char* url = std::getenv("RECTIFY_TEST_PG_URL");
  INFO("RECTIFY_TEST_PG_URL is not set: run the test through ctest, which starts the PostgreSQL test cluster");
  REQUIRE(url != nullptr);
  return url;
}

class PgTestDatabase {
 public:
  PgTestDatabase() : admin_(PgTestAdminUrl()), name_(NextName()) {
    AdminExec("CREATE DATABASE " + name_);
    const std::size_t path = admin_.find("/postgres?");
    REQUIRE(path != std::string::npos);
    url_ = admin_.substr(0, path) + "/" + name_ + admin_.substr(path + 9);
  }
  ~PgTestDatabase() {
    auto conn = pg::Conn::Open(admin_);
    if (conn.ok()) (void)conn->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  // postgresql:///<name>?host=...&user=...: what OpenStores and `rectify serve --db` take.
  const std::string& url() const { return url_; }
  // A connection of its own to the database, for tests of what PostgreSQL itself does.
  pg::Conn Connect() const {
    auto conn = pg::Conn::Open(url_);
    INFO(conn.status().ToString());
    REQUIRE(conn.ok());
    return std::move(conn).value();
  }

 private:
  static std::string NextName() {
    static std::atomic<int> counter{0};
    return "rectify_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  }
  void AdminExec(const std::string& sql) {
    auto conn = pg::Conn::Open(admin_);
    INFO(conn.status().ToString());
    REQUIRE(conn.ok());
    const Status done = conn->Exec(sql);
    INFO(done.ToString());
    REQUIRE(done.ok());
  }

  const std::string admin_;
  const std::string name_;
  std::string url_;
};

}  // namespace rectify::testing
