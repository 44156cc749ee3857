// What only the SQLite backend does with files: the bytes beside the database, one file per
// content under <database>.files/<first two hex digits>/, append-only records of them, and a
// files directory that cannot be made. The attachment store's contract is in contract/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/attachments.h"
#include "storage/sqlite_db.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/store_test_items.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using testing::Evidence;
using testing::HandIn;
using testing::InsertOne;
using testing::kStart;
using testing::OpenStore;
using testing::Problem;
using testing::TempDir;

TEST_CASE("Evidence is stored once under its hash beside the database") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item a = InsertOne(store->items(), Problem("a", "village_1"));
  const Item b = InsertOne(store->items(), Problem("b", "village_1"));
  const std::string bytes = "%PDF-1.4 certificate";
  REQUIRE(store->attachments().AddEvidence(Evidence(a, "证明.pdf"), bytes).ok());
  REQUIRE(store->attachments().AddEvidence(Evidence(b, "same.pdf"), bytes).ok());

  const std::string sha = ContentHash(bytes);
  const std::string shard = path + ".files/" + sha.substr(0, 2);
  CHECK(std::distance(std::filesystem::directory_iterator(shard), std::filesystem::directory_iterator()) == 1);
  CHECK(std::filesystem::exists(shard + "/" + sha));
}

TEST_CASE("The records of files and ledgers refuse UPDATE and DELETE even through raw SQL") {
  TempDir dir;
  const std::string path = dir.File("rectify.sqlite");
  auto store = OpenStore(path);
  const Item a = InsertOne(store->items(), Problem("a", "village_1"));
  REQUIRE(store->attachments().AddEvidence(Evidence(a, "a.pdf"), "%PDF-").ok());
  REQUIRE(store->attachments().SubmitLedger(HandIn("village_1", kStart), "%PDF-").ok());
  REQUIRE(store->attachments().ConfirmLedger(testing::kLedgerCampaign, "village_1", "user office", kStart).ok());
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
  CHECK(store->attachments().LatestLedgers(testing::kLedgerCampaign)->empty());
}

}  // namespace
}  // namespace rectify
