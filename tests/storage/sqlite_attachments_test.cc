// SqliteStores's evidence files and ledger hand-ins: the bytes on disk under their hash beside
// the database, the append-only records, the audit, and the hand-in's rules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "engine/attachments.h"
#include "storage/sqlite_stores.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::InsertOne;
using testing::kStart;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

EvidenceFile Evidence(const Item& item, std::string name) {
  EvidenceFile file;
  file.kind = item.kind;
  file.item_id = item.id;
  file.file.name = std::move(name);
  file.file.content_type = "application/pdf";
  file.uploaded_at = kStart;
  file.uploaded_by = "user li";
  return file;
}

LedgerHandIn HandIn(const std::string& unit, Instant at) {
  LedgerHandIn handin;
  handin.unit = unit;
  handin.file.name = "台账.pdf";
  handin.file.content_type = "application/pdf";
  handin.submitted_at = at;
  handin.submitted_by = "user village";
  return handin;
}

std::vector<std::string> AuditActions(SqliteStores& store) {
  std::vector<std::string> actions;
  REQUIRE(store.audit().ForEachAudit([&](const AuditRecord& r) {
                 actions.push_back(r.action);
                 return Status::Ok();
               })
              .ok());
  return actions;
}

}  // namespace

TEST_CASE("Evidence is stored once under its hash beside the database and listed per item") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item a = InsertOne(store->items(), Problem("a", "village_1"));
  const Item b = InsertOne(store->items(), Problem("b", "village_1"));
  const std::string bytes = "%PDF-1.4 certificate";
  auto first = store->attachments().AddEvidence(Evidence(a, "证明.pdf"), bytes);
  REQUIRE(first.ok());
  CHECK(first->id > 0);
  CHECK(first->file.sha256 == ContentHash(bytes));
  CHECK(first->file.size == static_cast<std::int64_t>(bytes.size()));
  REQUIRE(store->attachments().AddEvidence(Evidence(b, "same.pdf"), bytes).ok());

  const std::string sha = ContentHash(bytes);
  const std::string shard = path + ".files/" + sha.substr(0, 2);
  CHECK(std::distance(std::filesystem::directory_iterator(shard), std::filesystem::directory_iterator()) == 1);
  auto read = store->attachments().ReadFileBytes(sha);
  REQUIRE(read.ok());
  CHECK(*read == bytes);

  auto listed = store->attachments().ListEvidence(ItemKind::kProblem, a.id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().file.name == "证明.pdf");
  CHECK(listed->front().uploaded_by == "user li");
  CHECK(listed->front().uploaded_at == kStart);
  CHECK(store->attachments().ListEvidence(ItemKind::kEnrollment, a.id)->empty());  // the id is a problem's
  CHECK(AuditActions(*store).back() == "evidence.add");
}

TEST_CASE("Evidence for a missing item is refused and records nothing") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  Item ghost = Problem("never stored");
  ghost.id = 42;
  auto added = store->attachments().AddEvidence(Evidence(ghost, "x.pdf"), "%PDF-");
  REQUIRE_FALSE(added.ok());
  CHECK(added.status().code() == StatusCode::kNotFound);
  CHECK(AuditActions(*store).empty());
  CHECK(store->attachments().ReadFileBytes(std::string(64, 'f')).status().code() == StatusCode::kNotFound);
  CHECK(store->attachments().ReadFileBytes("../../etc/passwd").status().code() == StatusCode::kNotFound);
}

TEST_CASE("A ledger may be handed in again until the office confirms it and not after") {
  TempDir dir;
  auto store = OpenStore(dir.File("rectify.sqlite"));
  CHECK(store->attachments().ConfirmLedger("village_1", "user office", kStart).status().code() == StatusCode::kNotFound);
  REQUIRE(store->attachments().SubmitLedger(HandIn("village_1", kStart), "%PDF-1 first").ok());
  auto second = store->attachments().SubmitLedger(HandIn("village_1", kStart + 60), "%PDF-1 second, signed");
  REQUIRE(second.ok());
  REQUIRE(store->attachments().SubmitLedger(HandIn("village_2", kStart + 120), "%PDF-1 other").ok());

  auto latest = store->attachments().LatestLedgers();
  REQUIRE(latest.ok());
  REQUIRE(latest->size() == 2);
  CHECK(latest->at(0).unit == "village_1");
  CHECK(latest->at(0).id == second->id);
  CHECK_FALSE(latest->at(0).confirmed_at);

  auto confirmed = store->attachments().ConfirmLedger("village_1", "user office", kStart + 3600);
  REQUIRE(confirmed.ok());
  CHECK(confirmed->id == second->id);
  CHECK(confirmed->confirmed_by == "user office");
  CHECK(store->attachments().ConfirmLedger("village_1", "user office", kStart + 7200).status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(store->attachments().SubmitLedger(HandIn("village_1", kStart + 7200), "%PDF-1 third").status().code() ==
        StatusCode::kFailedPrecondition);
  latest = store->attachments().LatestLedgers();
  REQUIRE(latest.ok());
  CHECK(latest->at(0).confirmed_at == kStart + 3600);
  CHECK(latest->at(1).unit == "village_2");
  CHECK_FALSE(latest->at(1).confirmed_at);

  const std::vector<std::string> actions = AuditActions(*store);
  CHECK(std::count(actions.begin(), actions.end(), "ledger.submit") == 3);
  CHECK(std::count(actions.begin(), actions.end(), "ledger.confirm") == 1);
}

TEST_CASE("The records of files and ledgers refuse UPDATE and DELETE even through raw SQL") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item a = InsertOne(store->items(), Problem("a", "village_1"));
  REQUIRE(store->attachments().AddEvidence(Evidence(a, "a.pdf"), "%PDF-").ok());
  REQUIRE(store->attachments().SubmitLedger(HandIn("village_1", kStart), "%PDF-").ok());
  REQUIRE(store->attachments().ConfirmLedger("village_1", "user office", kStart).ok());
  auto db = sqlite::Db::Open(path);
  REQUIRE(db.ok());
  for (const char* sql : {"UPDATE evidence_files SET name = 'x'", "DELETE FROM evidence_files",
                          "UPDATE ledger_handins SET unit = 'x'", "DELETE FROM ledger_handins",
                          "UPDATE ledger_receipts SET confirmed_by = 'x'", "DELETE FROM ledger_receipts"}) {
    INFO(sql);
    CHECK(db->Exec(sql).message().find("append-only") != std::string::npos);
  }
}

TEST_CASE("A files directory that cannot be made is an error and records nothing") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item a = InsertOne(store->items(), Problem("a", "village_1"));
  std::ofstream(path + ".files") << "a file where the directory should be";  // fails for root too
  auto added = store->attachments().AddEvidence(Evidence(a, "a.pdf"), "%PDF-");
  REQUIRE_FALSE(added.ok());
  CHECK(added.status().code() == StatusCode::kInternal);
  CHECK(added.status().message().find(".files") != std::string::npos);
  CHECK(store->attachments().ListEvidence(ItemKind::kProblem, a.id)->empty());
  CHECK(store->attachments().SubmitLedger(HandIn("village_1", kStart), "%PDF-").status().code() == StatusCode::kInternal);
  CHECK(store->attachments().LatestLedgers()->empty());
}

}  // namespace rectify
