// `rectify audit verify` and `rectify audit export` through their command functions, on a real
// SQLite file written by the store and tampered with through raw SQL.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/audit_commands.h"
#include "engine/audit.h"
#include "engine/clock.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

const Instant kOct26 = ShanghaiInstant(CivilDate{2021, 10, 26});

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

Run Verify(const std::string& db) {
  app::AuditVerifyOptions options;
  options.db_path = db;
  std::ostringstream out, err;
  const int code = app::AuditVerify(options, out, err);
  return {code, out.str(), err.str()};
}

Run Export(const std::string& db, const std::string& from, const std::string& to, const std::string& format = "csv") {
  app::AuditExportOptions options;
  options.db_path = db;
  options.from = from;
  options.to = to;
  options.format = format;
  options.actor = "auditor_wang";
  options.now = kOct26 + 30 * kSecondsPerDay;  // 11-25: the export's own record is outside October
  std::ostringstream out, err;
  const int code = app::AuditExport(options, out, err);
  return {code, out.str(), err.str()};
}

// A database with one record on each of 10-25, 10-26 and 10-27 (09:00), the middle one with
// text that CSV must quote.
std::string ThreeDays(const TempDir& dir) {
  const std::string path = dir.File("rectify.sqlite");
  auto clock = std::make_shared<ManualClock>(kOct26 - kSecondsPerDay + 9 * 3600);
  auto store = SqliteStores::Open(path, clock);
  REQUIRE(store.ok());
  const std::vector<std::string> details = {"plain", "a, \"quoted\"\nsecond line", "=村务公开"};
  for (const std::string& detail : details) {
    AuditRecord record;
    record.actor = "tester";
    record.action = "test.write";
    record.subject = "problem 1";
    record.detail = detail;
    REQUIRE((*store)->audit().AppendAudit(record).ok());
    clock->Advance(kSecondsPerDay);
  }
  return path;
}

std::vector<AuditRecord> AllAudit(const std::string& path) {
  auto store = SqliteStores::Open(path);
  REQUIRE(store.ok());
  std::vector<AuditRecord> records;
  REQUIRE((*store)->audit().ForEachAudit([&](const AuditRecord& record) {
                   records.push_back(record);
                   return Status::Ok();
                 })
              .ok());
  return records;
}

void RawSql(const std::string& path, const std::string& sql) {
  auto db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  const Status done = db->Exec(sql);
  INFO(done.ToString());
  REQUIRE(done.ok());
}

TEST_CASE("audit verify reports an intact chain with its record count and exits 0") {
  TempDir dir;
  const Run run = Verify(ThreeDays(dir));
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.rfind("audit chain intact: 3 records\n", 0) == 0);
  CHECK(run.out.find("head hash: ") != std::string::npos);
}

TEST_CASE("audit verify names the first bad record and its kind and exits 1") {
  TempDir dir;
  const std::string db = ThreeDays(dir);
  SECTION("an edited record") {
    RawSql(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone else' WHERE seq = 2");
    const Run run = Verify(db);
    CHECK(run.exit_code == 1);
    CHECK(run.out.rfind("audit chain broken at record 2: edited: ", 0) == 0);
  }
  SECTION("a deleted record") {
    RawSql(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2");
    const Run run = Verify(db);
    CHECK(run.exit_code == 1);
    CHECK(run.out.rfind("audit chain broken at record 2: deleted: ", 0) == 0);
  }
}

TEST_CASE("audit verify of a missing file exits 2 and creates nothing") {
  TempDir dir;
  const Run run = Verify(dir.File("typo.sqlite"));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("no database file") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.File("typo.sqlite")));
}

TEST_CASE("audit export writes the records of the days asked for as CSV with a header row") {
  TempDir dir;
  const std::string db = ThreeDays(dir);
  const Run run = Export(db, "2021-10-26", "2021-10-27");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::vector<AuditRecord> all = AllAudit(db);
  REQUIRE(all.size() == 4);  // the three, and the export's own record
  // For Excel on Chinese Windows: a BOM (else the Chinese is read as GBK), CRLF, and text that
  // would run as a formula kept as text.
  const std::string expected = std::string("\xEF\xBB\xBFseq,at,actor,action,subject,detail,prev_hash,hash\r\n") +
                               "2,2021-10-26T09:00:00+08:00,tester,test.write,problem 1,"
                               "\"a, \"\"quoted\"\"\nsecond line\"," +
                               all[1].prev_hash + "," + all[1].hash + "\r\n" +
                               "3,2021-10-27T09:00:00+08:00,tester,test.write,problem 1,'=村务公开," +
                               all[2].prev_hash + "," + all[2].hash + "\r\n";
  CHECK(run.out == expected);
}

TEST_CASE("audit export appends its own record and the chain stays intact") {
  TempDir dir;
  const std::string db = ThreeDays(dir);
  REQUIRE(Export(db, "2021-10-01", "2021-10-31").exit_code == 0);
  const std::vector<AuditRecord> all = AllAudit(db);
  REQUIRE(all.size() == 4);
  CHECK(all[3].actor == "auditor_wang");
  CHECK(all[3].action == kAuditExport);
  CHECK(all[3].detail == "2021-10-01 to 2021-10-31 as csv");
  CHECK(all[3].at == kOct26 + 30 * kSecondsPerDay);
  CHECK(VerifyChain(all).intact);
}

TEST_CASE("audit export as JSON writes an array of records with every field") {
  TempDir dir;
  const std::string db = ThreeDays(dir);
  const Run run = Export(db, "2021-10-25", "2021-10-25", "json");
  REQUIRE(run.exit_code == 0);
  const nlohmann::json exported = nlohmann::json::parse(run.out);
  REQUIRE(exported.size() == 1);
  CHECK(exported[0]["seq"] == 1);
  CHECK(exported[0]["at"] == "2021-10-25T09:00:00+08:00");
  CHECK(exported[0]["detail"] == "plain");
  CHECK(exported[0]["prev_hash"] == kAuditGenesisHash);
  CHECK(exported[0]["hash"] == AllAudit(db)[0].hash);

  const Run empty = Export(db, "2021-09-01", "2021-09-30", "json");
  REQUIRE(empty.exit_code == 0);
  CHECK(nlohmann::json::parse(empty.out).empty());
}

TEST_CASE("audit export refuses bad dates and formats and records nothing") {
  TempDir dir;
  const std::string db = ThreeDays(dir);
  for (const auto& [from, to, format] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"2021-10-32", "2021-10-31", "csv"}, {"2021-10-01", "yesterday", "csv"},
           {"2021-10-31", "2021-10-01", "csv"}, {"2021-10-01", "2021-10-31", "xml"}}) {
    const Run run = Export(db, from, to, format);
    INFO(from << " " << to << " " << format);
    CHECK(run.exit_code == 1);
    CHECK(run.out.empty());
    CHECK(run.err.find("rectify audit export: invalid_argument") == 0);
  }
  CHECK(AllAudit(db).size() == 3);
}

}  // namespace
}  // namespace rectify::testing
