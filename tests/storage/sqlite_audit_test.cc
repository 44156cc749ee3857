// The audit log in the SQLite file: its table refuses UPDATE and DELETE, and tampering with the
// file through raw SQL is named record by record. What every backend's audit log does is in
// contract/audit_log_test.cc.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/clock.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::AllAudit;
using testing::kStart;
using testing::TempDir;
using testing::VerifyAudit;

// A store on a temp file whose audit clock the test sets.
struct AuditFixture {
  TempDir dir;
  std::string path = dir.File("rectify.sqlite");
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStart + 3600);
  std::unique_ptr<SqliteStores> store = Open();

  std::unique_ptr<SqliteStores> Open() {
    Result<std::unique_ptr<SqliteStores>> opened = SqliteStores::Open(path, clock);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    return std::move(opened).value();
  }
};

// A second connection to the file, as someone with the file and the sqlite3 tool would open it.
sqlite::Db RawConnection(const std::string& path) {
  Result<sqlite::Db> db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  return std::move(db).value();
}

// Opens the file directly and runs `sql` with the append-only triggers dropped.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite::Db db = RawConnection(path);
  const Status done =
      db.Exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql);
  INFO(done.ToString());
  REQUIRE(done.ok());
}

TEST_CASE("The audit table refuses UPDATE and DELETE even through raw SQL") {
  AuditFixture f;
  REQUIRE(f.store->items().PutMeta("k", "v").ok());
  sqlite::Db db = RawConnection(f.path);
  const Status updated = db.Exec("UPDATE audit_log SET detail = 'w' WHERE seq = 1");
  CHECK(updated.message().find("append-only") != std::string::npos);
  const Status deleted = db.Exec("DELETE FROM audit_log WHERE seq = 1");
  CHECK(deleted.message().find("append-only") != std::string::npos);
  CHECK(VerifyAudit(f.store->audit()).intact);
}

TEST_CASE("Tampering with the file through raw SQL is named at the first bad record") {
  AuditFixture f;
  for (int i = 0; i < 5; ++i) REQUIRE(f.store->items().PutMeta("key " + std::to_string(i), "value").ok());
  REQUIRE(VerifyAudit(f.store->audit()).intact);

  SECTION("an updated detail is an edited record") {
    Tamper(f.path, "UPDATE audit_log SET detail = 'other value' WHERE seq = 3");
    const ChainCheck check = VerifyAudit(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kEdited);
    CHECK(check.first_bad_seq == 3);
  }
  SECTION("a deleted middle row is a deleted record") {
    Tamper(f.path, "DELETE FROM audit_log WHERE seq = 3");
    const ChainCheck check = VerifyAudit(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kDeleted);
    CHECK(check.first_bad_seq == 3);
  }
  SECTION("a forged row with a recomputed hash but the wrong prev_hash is an inserted record") {
    const std::vector<AuditRecord> all = AllAudit(f.store->audit());
    AuditRecord forged;
    forged.at = kStart;
    forged.actor = "admin";
    forged.action = kAuditItemEvent;
    forged.subject = "problem 1";
    forged.detail = "closed -> closed close";
    forged = SealAuditRecord(forged, 6, all[3].hash);  // chained to record 4, not 5
    sqlite::Db db = RawConnection(f.path);
    REQUIRE(db.Prepare("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .BindAll(forged.seq, forged.at, forged.actor, forged.action, forged.subject, forged.detail,
                         forged.prev_hash, forged.hash)
                .Run()
                .ok());
    const ChainCheck check = VerifyAudit(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kInserted);
    CHECK(check.first_bad_seq == 6);
  }
  SECTION("a row rewritten with a recomputed hash is found at the link after it") {
    AuditRecord rewritten = AllAudit(f.store->audit())[1];
    rewritten.detail = "other value";
    rewritten = SealAuditRecord(rewritten, rewritten.seq, rewritten.prev_hash);
    sqlite::Db db = RawConnection(f.path);
    REQUIRE(db.Exec("DROP TRIGGER audit_log_no_update").ok());
    REQUIRE(db.Prepare("UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 2")
                .BindAll(rewritten.detail, rewritten.hash)
                .Run()
                .ok());
    const ChainCheck check = VerifyAudit(f.store->audit());
    INFO(check.problem);
    CHECK(check.kind == AuditBreak::kInserted);
    CHECK(check.first_bad_seq == 3);
  }
}

}  // namespace
}  // namespace rectify
