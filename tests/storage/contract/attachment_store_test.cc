// Evidence files and ledger hand-ins (engine/attachments.h) on every backend (backends.h): the
// bytes kept under their hash and read back, the records listed per item and per unit, the
// hand-in's rules, and the audit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/attachments.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

TEMPLATE_TEST_CASE("Evidence is kept under its hash, read back byte for byte and listed per item", "[attachment_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  const Item a = InsertOne(backend.stores().items(), Problem("a", "village_1"));
  const Item b = InsertOne(backend.stores().items(), Problem("b", "village_1"));
  const std::string bytes = "%PDF-1.4 certificate";
  auto first = store.AddEvidence(Evidence(a, "证明.pdf"), bytes);
  REQUIRE(first.ok());
  CHECK(first->id > 0);
  CHECK(first->file.sha256 == ContentHash(bytes));
  CHECK(first->file.size == static_cast<std::int64_t>(bytes.size()));
  REQUIRE(store.AddEvidence(Evidence(b, "same.pdf"), bytes).ok());

  auto read = store.ReadFileBytes(ContentHash(bytes));
  REQUIRE(read.ok());
  CHECK(*read == bytes);

  auto listed = store.ListEvidence(ItemKind::kProblem, a.id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().file.name == "证明.pdf");
  CHECK(listed->front().uploaded_by == "user li");
  CHECK(listed->front().uploaded_at == kStart);
  CHECK(store.ListEvidence(ItemKind::kEnrollment, a.id)->empty());  // the id is a problem's
  CHECK(AuditActions(backend.stores().audit()).back() == "evidence.add");
}

TEMPLATE_TEST_CASE("Evidence for a missing item is refused and records nothing", "[attachment_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  Item ghost = Problem("never stored");
  ghost.id = 42;
  auto added = store.AddEvidence(Evidence(ghost, "x.pdf"), "%PDF-");
  REQUIRE_FALSE(added.ok());
  CHECK(added.status().code() == StatusCode::kNotFound);
  CHECK(AuditActions(backend.stores().audit()).empty());
  CHECK(store.ReadFileBytes(std::string(64, 'f')).status().code() == StatusCode::kNotFound);
  CHECK(store.ReadFileBytes("../../etc/passwd").status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("A ledger may be handed in again until the office confirms it and not after", "[attachment_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  CHECK(store.ConfirmLedger(kLedgerCampaign, "village_1", "user office", kStart).status().code() == StatusCode::kNotFound);
  REQUIRE(store.SubmitLedger(HandIn("village_1", kStart), "%PDF-1 first").ok());
  auto second = store.SubmitLedger(HandIn("village_1", kStart + 60), "%PDF-1 second, signed");
  REQUIRE(second.ok());
  REQUIRE(store.SubmitLedger(HandIn("village_2", kStart + 120), "%PDF-1 other").ok());

  auto latest = store.LatestLedgers(kLedgerCampaign);
  REQUIRE(latest.ok());
  REQUIRE(latest->size() == 2);
  CHECK(latest->at(0).unit == "village_1");
  CHECK(latest->at(0).id == second->id);
  CHECK_FALSE(latest->at(0).confirmed_at);

  auto confirmed = store.ConfirmLedger(kLedgerCampaign, "village_1", "user office", kStart + 3600);
  REQUIRE(confirmed.ok());
  CHECK(confirmed->id == second->id);
  CHECK(confirmed->confirmed_by == "user office");
  CHECK(store.ConfirmLedger(kLedgerCampaign, "village_1", "user office", kStart + 7200).status().code() ==
        StatusCode::kFailedPrecondition);
  CHECK(store.SubmitLedger(HandIn("village_1", kStart + 7200), "%PDF-1 third").status().code() ==
        StatusCode::kFailedPrecondition);
  latest = store.LatestLedgers(kLedgerCampaign);
  REQUIRE(latest.ok());
  CHECK(latest->at(0).confirmed_at == kStart + 3600);
  CHECK(latest->at(1).unit == "village_2");
  CHECK_FALSE(latest->at(1).confirmed_at);

  const std::vector<std::string> actions = AuditActions(backend.stores().audit());
  CHECK(std::count(actions.begin(), actions.end(), "ledger.submit") == 3);
  CHECK(std::count(actions.begin(), actions.end(), "ledger.confirm") == 1);
}

TEMPLATE_TEST_CASE("An item's evidence is listed oldest first, each file with a larger id", "[attachment_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  const Item item = InsertOne(backend.stores().items(), Problem("a", "village_1"));
  std::vector<std::int64_t> ids;
  for (const char* name : {"一.pdf", "二.pdf", "三.pdf"}) {
    auto added = store.AddEvidence(Evidence(item, name), std::string("%PDF-1 ") + name);
    REQUIRE(added.ok());
    ids.push_back(added->id);
  }
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
  auto listed = store.ListEvidence(ItemKind::kProblem, item.id);
  REQUIRE(listed.ok());
  std::vector<std::string> names;
  for (const EvidenceFile& file : *listed) names.push_back(file.file.name);
  CHECK(names == std::vector<std::string>{"一.pdf", "二.pdf", "三.pdf"});
  CHECK(listed->back().id == ids.back());
  CHECK(listed->back().kind == ItemKind::kProblem);
  CHECK(listed->back().item_id == item.id);
  CHECK(listed->back().file.sha256 == ContentHash("%PDF-1 三.pdf"));
}

TEMPLATE_TEST_CASE("A hand-in is unconfirmed whatever it claims, and its bytes read back by their hash",
                   "[attachment_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  LedgerHandIn claimed = HandIn("village_1", kStart);
  claimed.confirmed_at = kStart;
  claimed.confirmed_by = "user village";
  const std::string bytes = "%PDF-1 signed and stamped";
  auto submitted = store.SubmitLedger(claimed, bytes);
  REQUIRE(submitted.ok());
  CHECK(submitted->id > 0);
  CHECK(submitted->file.sha256 == ContentHash(bytes));
  CHECK(submitted->file.size == static_cast<std::int64_t>(bytes.size()));
  CHECK_FALSE(submitted->confirmed_at.has_value());
  auto latest = store.LatestLedgers(kLedgerCampaign);
  REQUIRE(latest.ok());
  REQUIRE(latest->size() == 1);
  CHECK_FALSE(latest->front().confirmed_at.has_value());
  CHECK(latest->front().confirmed_by.empty());
  CHECK(latest->front().submitted_by == "user village");
  CHECK(latest->front().file.name == "台账.pdf");
  CHECK(store.ReadFileBytes(submitted->file.sha256).value() == bytes);
  CHECK(store.ConfirmLedger(kLedgerCampaign, "village_1", "user office", kStart + 60).ok());
}

TEMPLATE_TEST_CASE("The latest ledgers come by unit id whatever the order they were handed in", "[attachment_store]",
                   RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  for (const char* unit : {"village_3", "central_school", "village_1", "village_3"}) {
    REQUIRE(store.SubmitLedger(HandIn(unit, kStart), std::string("%PDF-1 ") + unit).ok());
  }
  auto latest = store.LatestLedgers(kLedgerCampaign);
  REQUIRE(latest.ok());
  std::vector<std::string> units;
  for (const LedgerHandIn& handin : *latest) units.push_back(handin.unit);
  CHECK(units == std::vector<std::string>{"central_school", "village_1", "village_3"});
}

TEMPLATE_TEST_CASE("A campaign's ledgers are its own: another campaign's hand-ins are neither listed nor confirmed",
                   "[attachment_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  AttachmentStore& store = backend.stores().attachments();
  REQUIRE(store.SubmitLedger(HandIn("village_1", kStart, "spring"), "%PDF-1 spring").ok());
  auto autumn = store.SubmitLedger(HandIn("village_1", kStart + 60, "autumn"), "%PDF-1 autumn");
  REQUIRE(autumn.ok());
  auto spring = store.LatestLedgers("spring");
  REQUIRE(spring.ok());
  REQUIRE(spring->size() == 1);
  CHECK(spring->front().campaign == "spring");
  CHECK(spring->front().submitted_at == kStart);
  REQUIRE(store.LatestLedgers("autumn")->size() == 1);
  CHECK(store.LatestLedgers("winter")->empty());
  auto confirmed = store.ConfirmLedger("autumn", "village_1", "user office", kStart + 120);
  REQUIRE(confirmed.ok());
  CHECK(confirmed->id == autumn->id);
  CHECK_FALSE(store.LatestLedgers("spring")->front().confirmed_at);
}

}  // namespace
}  // namespace rectify::testing

namespace rectify::testing {

TEMPLATE_TEST_CASE("A hand-in written before campaigns is adopted by the campaign, and stays append-only",
                   "[attachment_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  Stores& stores = backend.stores();
  auto unowned = stores.attachments().SubmitLedger(HandIn("village_1", kStart, ""), "%PDF-1.4 旧台账");
  INFO(unowned.status().ToString());
  REQUIRE(unowned.ok());
  auto has = stores.HasUnowned();
  REQUIRE(has.ok());
  CHECK(*has);

  auto adopted = stores.AdoptUnowned("gaoqiao-2021-autumn", "gaoqiao");
  INFO(adopted.status().ToString());
  REQUIRE(adopted.ok());
  CHECK(*adopted == 1);
  auto latest = stores.attachments().LatestLedgers("gaoqiao-2021-autumn");
  REQUIRE(latest.ok());
  REQUIRE(latest->size() == 1);
  CHECK(latest->front().id == unowned->id);
  has = stores.HasUnowned();
  REQUIRE(has.ok());
  CHECK_FALSE(*has);
  // Adopted once: a second adoption finds nothing and changes nothing.
  adopted = stores.AdoptUnowned("another-campaign", "gaoqiao");
  REQUIRE(adopted.ok());
  CHECK(*adopted == 0);
  CHECK(stores.attachments().LatestLedgers("another-campaign")->empty());
}

}  // namespace rectify::testing
