// `rectify migrate-db` through its command function: the demo database, with stored files added,
// copied into a fresh PostgreSQL database of the test cluster, then read back through the ports
// of both backends and compared.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/audit_commands.h"
#include "app/commands.h"
#include "app/migrate_command.h"
#include "storage/stores.h"
#include "tests/storage/pg_test_database.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

const std::string kSource = RECTIFY_SOURCE_DIR;

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

Run Migrate(const std::string& from, const std::string& to) {
  app::MigrateDbOptions options;
  options.from = from;
  options.to = to;
  std::ostringstream out, err;
  const int code = app::MigrateDb(options, out, err);
  return {code, out.str(), err.str()};
}

// The demo deployment's database (both towns, their sample items and users), as `make demo` builds it.
std::string DemoDatabase(const TempDir& dir) {
  app::DemoOptions demo;
  demo.serve.db_path = dir.File("demo.sqlite");
  demo.serve.deployment.campaign_paths = {kSource + "/workflows/gaoqiao-2021-autumn.json",
                                          kSource + "/workflows/demo/shiyan-2021-sample.json"};
  demo.serve.deployment.county_path = kSource + "/workflows/demo/county.json";
  demo.samples_paths = {kSource + "/workflows/demo/gaoqiao-2021-samples.json",
                        kSource + "/workflows/demo/shiyan-2021-samples.json"};
  demo.serve.now = ParseInstant("2021-10-22T09:00:00+08:00");
  demo.serve_after = false;
  std::ostringstream out, err;
  INFO(err.str());
  REQUIRE(app::Demo(demo, out, err) == 0);
  return demo.serve.db_path;
}

std::unique_ptr<Stores> Open(const std::string& where) {
  auto stores = OpenExistingStores(where);
  INFO(stores.status().ToString());
  REQUIRE(stores.ok());
  return std::move(stores).value();
}

std::vector<AuditRecord> Chain(Stores& stores) {
  std::vector<AuditRecord> records;
  REQUIRE(stores.audit()
              .ForEachAudit([&](const AuditRecord& record) {
                records.push_back(record);
                return Status::Ok();
              })
              .ok());
  return records;
}

std::string ChainText(const std::vector<AuditRecord>& records) {
  std::string text;
  for (const AuditRecord& r : records) {
    text += std::to_string(r.seq) + "|" + std::to_string(r.at) + "|" + r.actor + "|" + r.action + "|" + r.subject +
            "|" + r.detail + "|" + r.prev_hash + "|" + r.hash + "\n";
  }
  return text;
}

TEST_CASE("migrate-db copies the demo database into PostgreSQL: every row, every file, the same audit chain") {
  TempDir dir;
  const std::string sqlite = DemoDatabase(dir);
  const std::string evidence_bytes = "%PDF-1.4 整改照片 " + std::string(3000, 'x');
  const std::string ledger_bytes = "%PDF-1.4 台账";
  std::string evidence_hash, ledger_hash;
  {
    std::unique_ptr<Stores> stores = Open(sqlite);
    auto item = stores->items().Get(ItemKind::kProblem, 1);
    REQUIRE(item.ok());
    auto evidence = stores->attachments().AddEvidence(Evidence(*item, "照片.pdf"), evidence_bytes);
    INFO(evidence.status().ToString());
    REQUIRE(evidence.ok());
    evidence_hash = evidence->file.sha256;
    auto handin = stores->attachments().SubmitLedger(HandIn("yangjia_village", kStart), ledger_bytes);
    REQUIRE(handin.ok());
    ledger_hash = handin->file.sha256;
    // The login throttle's memory: a failure, a lockout in force, an address a user logged in from.
    REQUIRE(stores->accounts().AddLoginFailure({"account:x"}, kStart, kStart - 900).ok());
    REQUIRE(stores->accounts().ResetLoginCounter("pair:x", kStart + 900).ok());
    REQUIRE(stores->accounts().AddFamiliarAddress("demo.office", "10.0.0.7", kStart, 8).ok());
  }
  PgTestDatabase target;

  const Run run = Migrate(sqlite, target.url());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("audit chain intact"));
  CHECK_THAT(run.out, Catch::Contains("items: 27 rows"));

  std::unique_ptr<Stores> from = Open(sqlite);
  std::unique_ptr<Stores> to = Open(target.url());
  // A lockout made before the move holds after it.
  auto counters = to->accounts().ReadLoginCounters({"account:x", "pair:x"}, 0);
  INFO(counters.status().ToString());
  REQUIRE(counters.ok());
  CHECK((*counters)[0].failures == 1);
  CHECK((*counters)[1].held_until == kStart + 900);
  CHECK(to->accounts().IsFamiliarAddress("demo.office", "10.0.0.7").value());
  const std::vector<AuditRecord> chain = Chain(*from);
  REQUIRE(chain.size() > 100);
  CHECK(ChainText(Chain(*to)) == ChainText(chain));

  auto copied_evidence = to->attachments().ReadFileBytes(evidence_hash);
  REQUIRE(copied_evidence.ok());
  CHECK(*copied_evidence == evidence_bytes);
  auto copied_ledger = to->attachments().ReadFileBytes(ledger_hash);
  REQUIRE(copied_ledger.ok());
  CHECK(*copied_ledger == ledger_bytes);

  for (ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery query;
    query.kind = kind;
    query.limit = 100;
    auto expected = from->items().List(query);
    auto got = to->items().List(query);
    REQUIRE(expected.ok());
    INFO(got.status().ToString());
    REQUIRE(got.ok());
    REQUIRE(got->size() == expected->size());
    for (std::size_t i = 0; i < got->size(); ++i) {
      CHECK((*got)[i].id == (*expected)[i].id);
      CHECK((*got)[i].version == (*expected)[i].version);
      CHECK((*got)[i].state == (*expected)[i].state);
      CHECK((*got)[i].due_at == (*expected)[i].due_at);
      auto history = to->items().History(kind, (*got)[i].id);
      auto expected_history = from->items().History(kind, (*got)[i].id);
      REQUIRE(history.ok());
      REQUIRE(expected_history.ok());
      CHECK(history->size() == expected_history->size());
    }
  }
  auto users = to->accounts().ListUsers();
  auto expected_users = from->accounts().ListUsers();
  REQUIRE(users.ok());
  REQUIRE(expected_users.ok());
  CHECK(users->size() == expected_users->size());

  SECTION("a write after the move continues the chain from the copied head") {
    AuditRecord record = MakeAuditRecord("tester", "test.write", "problem 1", "after the move");
    REQUIRE(to->audit().AppendAudit(record).ok());
    const std::vector<AuditRecord> after = Chain(*to);
    REQUIRE(after.size() == chain.size() + 1);
    CHECK(after.back().seq == chain.back().seq + 1);
    CHECK(after.back().prev_hash == chain.back().hash);
    CHECK(VerifyChain(after).intact);
  }
  SECTION("new ids continue after the copied ones") {
    auto item = to->items().Get(ItemKind::kProblem, 1);
    REQUIRE(item.ok());
    auto evidence = to->attachments().AddEvidence(Evidence(*item, "第二张.pdf"), "%PDF-1.4 second");
    INFO(evidence.status().ToString());
    REQUIRE(evidence.ok());
    CHECK(evidence->id == 2);
  }
  SECTION("a second migration into the same database is refused and changes nothing") {
    const Run again = Migrate(sqlite, target.url());
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.err, Catch::Contains("already holds rectify rows"));
    CHECK(ChainText(Chain(*to)) == ChainText(chain));
  }
}

TEST_CASE("migrate-db refuses a missing file and a target that is not a PostgreSQL URL, writing nothing") {
  TempDir dir;
  PgTestDatabase target;
  const Run missing = Migrate(dir.File("nope.sqlite"), target.url());
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("no database file"));
  auto holds = OpenExistingStores(target.url());
  CHECK(holds.status().code() == StatusCode::kNotFound);

  const Run not_pg = Migrate(dir.File("nope.sqlite"), dir.File("other.sqlite"));
  CHECK(not_pg.exit_code == 1);
  CHECK_THAT(not_pg.err, Catch::Contains("postgresql:// URL"));
}

}  // namespace
}  // namespace rectify::testing
