// The audit chain without a database: how a record is hashed, and how VerifyChain and the
// streaming ChainVerifier name the first edited, inserted or deleted record.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/audit.h"
#include "engine/time.h"

namespace rectify {
namespace {

const Instant kStart = ShanghaiInstant(CivilDate{2021, 10, 26});

AuditRecord Unsealed(std::string actor, std::string action, std::string subject, std::string detail,
                     Instant at = kStart) {
  AuditRecord record;
  record.at = at;
  record.actor = std::move(actor);
  record.action = std::move(action);
  record.subject = std::move(subject);
  record.detail = std::move(detail);
  return record;
}

// A correctly chained log of `count` records, seq 1..count.
std::vector<AuditRecord> Chain(int count) {
  std::vector<AuditRecord> records;
  std::string prev = kAuditGenesisHash;
  for (int i = 1; i <= count; ++i) {
    records.push_back(SealAuditRecord(Unsealed("tester", kAuditItemEvent, "problem " + std::to_string(i),
                                               "found -> assigned assign", kStart + i),
                                      i, prev));
    prev = records.back().hash;
  }
  return records;
}

void CheckBroken(const ChainCheck& check, AuditBreak kind, std::int64_t first_bad_seq) {
  INFO(check.problem);
  CHECK_FALSE(check.intact);
  CHECK(check.kind == kind);
  CHECK(check.first_bad_seq == first_bad_seq);
  CHECK(check.problem.rfind(std::string(AuditBreakName(kind)) + ": ", 0) == 0);
}

TEST_CASE("A record's hash is SHA-256 of its documented canonical bytes in lowercase hex") {
  AuditRecord record = Unsealed("tester", kAuditItemCreate, "problem 1", "found 村务公开");
  record.seq = 1;
  record.prev_hash = kAuditGenesisHash;
  // Computed outside this program: printf 'rectify-audit-v11:1,10:1635177600,...' | sha256sum
  CHECK(AuditCanonicalBytes(record) ==
        "rectify-audit-v11:1,10:1635177600,6:tester,11:item.create,9:problem 1,18:found 村务公开,64:" +
            kAuditGenesisHash + ",");
  CHECK(AuditHash(record) == "29ae40ad64cf1a35cc61bc0df851afee4b2c40cf80ce2eaedf0bacbcc02826b9");
}

TEST_CASE("The hash is the same for the same content and ignores the stored hash") {
  AuditRecord a = SealAuditRecord(Unsealed("tester", kAuditItemCreate, "problem 1", "x"), 1, kAuditGenesisHash);
  AuditRecord b = a;
  b.hash = "anything";
  CHECK(AuditHash(a) == AuditHash(b));
  CHECK(AuditHash(a) == a.hash);
  CHECK(a.hash.size() == 64);
  CHECK(a.hash.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("Moving bytes across a field boundary changes the hash") {
  const AuditRecord ab_c = SealAuditRecord(Unsealed("ab", "c", "s", "d"), 1, kAuditGenesisHash);
  const AuditRecord a_bc = SealAuditRecord(Unsealed("a", "bc", "s", "d"), 1, kAuditGenesisHash);
  CHECK(AuditCanonicalBytes(ab_c) != AuditCanonicalBytes(a_bc));
  CHECK(ab_c.hash != a_bc.hash);

  // A field that spells out the encoding of the next one cannot pass for two fields.
  const AuditRecord smuggled = SealAuditRecord(Unsealed("a", "", "1:b,1:c", ""), 1, kAuditGenesisHash);
  const AuditRecord plain = SealAuditRecord(Unsealed("a", "1:b", "c", ""), 1, kAuditGenesisHash);
  CHECK(smuggled.hash != plain.hash);
}

TEST_CASE("Every field takes part in the hash") {
  const AuditRecord base = SealAuditRecord(Unsealed("tester", "item.event", "problem 1", "note"), 7, kAuditGenesisHash);
  std::vector<AuditRecord> changed(7, base);
  changed[0].seq = 8;
  changed[1].at += 1;
  changed[2].actor = "tester2";
  changed[3].action = "item.create";
  changed[4].subject = "problem 2";
  changed[5].detail = "note.";
  changed[6].prev_hash = std::string(63, '0') + "1";
  for (const AuditRecord& record : changed) CHECK(AuditHash(record) != base.hash);
}

TEST_CASE("An intact chain verifies and counts its records") {
  const ChainCheck check = VerifyChain(Chain(5));
  CHECK(check.intact);
  CHECK(check.kind == AuditBreak::kNone);
  CHECK_FALSE(check.first_bad_seq.has_value());
  CHECK(check.problem.empty());
  CHECK(check.records == 5);
}

TEST_CASE("An empty log is an intact chain") {
  const ChainCheck check = VerifyChain({});
  CHECK(check.intact);
  CHECK(check.records == 0);
}

TEST_CASE("An edited record is named as edited") {
  std::vector<AuditRecord> records = Chain(5);
  records[2].detail = "found -> closed close";
  CheckBroken(VerifyChain(records), AuditBreak::kEdited, 3);
}

TEST_CASE("Only the first of several edits is reported") {
  std::vector<AuditRecord> records = Chain(5);
  records[1].actor = "someone else";
  records[3].actor = "someone else";
  const ChainCheck check = VerifyChain(records);
  CheckBroken(check, AuditBreak::kEdited, 2);
  CHECK(check.records == 2);
}

TEST_CASE("A deleted middle record is named as deleted by its missing seq") {
  std::vector<AuditRecord> records = Chain(5);
  records.erase(records.begin() + 2);
  CheckBroken(VerifyChain(records), AuditBreak::kDeleted, 3);
}

TEST_CASE("Deleting the first records is named as deleted from seq 1") {
  std::vector<AuditRecord> records = Chain(5);
  records.erase(records.begin(), records.begin() + 2);
  const ChainCheck check = VerifyChain(records);
  CheckBroken(check, AuditBreak::kDeleted, 1);
  CHECK(check.problem.find("records 1 to 2 are missing") != std::string::npos);
}

TEST_CASE("A forged record with a valid hash but the wrong prev_hash is named as inserted") {
  std::vector<AuditRecord> records = Chain(4);
  // Appended after record 4, but chained to record 3.
  records.push_back(SealAuditRecord(Unsealed("intruder", kAuditItemEvent, "problem 9", "x"), 5, records[2].hash));
  CheckBroken(VerifyChain(records), AuditBreak::kInserted, 5);
}

TEST_CASE("A forged record taking the place of a deleted one is named as inserted") {
  std::vector<AuditRecord> records = Chain(5);
  records[2] = SealAuditRecord(Unsealed("intruder", kAuditItemEvent, "problem 9", "x"), 3, kAuditGenesisHash);
  CheckBroken(VerifyChain(records), AuditBreak::kInserted, 3);
}

TEST_CASE("A first record that does not start from the genesis hash is named as inserted") {
  std::vector<AuditRecord> records = Chain(2);
  records[0] = SealAuditRecord(records[0], 1, std::string(64, 'f'));
  CheckBroken(VerifyChain(records), AuditBreak::kInserted, 1);
}

TEST_CASE("A record rewritten with a recomputed hash breaks the link to the record after it") {
  std::vector<AuditRecord> records = Chain(5);
  records[2].detail = "rewritten";
  records[2] = SealAuditRecord(records[2], records[2].seq, records[2].prev_hash);
  const ChainCheck check = VerifyChain(records);
  CheckBroken(check, AuditBreak::kInserted, 4);
  CHECK(check.problem.find("rewritten with a recomputed hash") != std::string::npos);
}

TEST_CASE("Records fed out of seq order break the chain at the first one out of place") {
  SECTION("a later record first reads as the earlier one missing") {
    std::vector<AuditRecord> records = Chain(5);
    std::swap(records[2], records[3]);
    CheckBroken(VerifyChain(records), AuditBreak::kDeleted, 3);
  }
  SECTION("a repeated record reads as inserted") {
    std::vector<AuditRecord> records = Chain(3);
    records.insert(records.begin() + 2, records[1]);
    CheckBroken(VerifyChain(records), AuditBreak::kInserted, 2);
  }
  SECTION("two records swapped and renumbered read as edited") {
    std::vector<AuditRecord> records = Chain(5);
    std::swap(records[2], records[3]);
    records[2].seq = 3;
    records[3].seq = 4;
    CheckBroken(VerifyChain(records), AuditBreak::kEdited, 3);
  }
}

TEST_CASE("The streaming verifier gives the same verdict one record at a time") {
  std::vector<AuditRecord> records = Chain(6);
  records[4].detail = "edited";
  ChainVerifier verifier;
  std::vector<bool> accepted;
  for (const AuditRecord& record : records) accepted.push_back(verifier.Feed(record));
  CHECK(accepted == std::vector<bool>{true, true, true, true, false, false});
  const ChainCheck streamed = verifier.check();
  const ChainCheck whole = VerifyChain(records);
  CHECK(streamed.intact == whole.intact);
  CHECK(streamed.kind == whole.kind);
  CHECK(streamed.first_bad_seq == whole.first_bad_seq);
  CHECK(streamed.problem == whole.problem);
  CHECK(streamed.records == 5);
  CHECK(verifier.head_hash() == records[3].hash);  // the last good record
}

TEST_CASE("The verifier's head hash is the last record's hash or the genesis hash") {
  ChainVerifier verifier;
  CHECK(verifier.head_hash() == kAuditGenesisHash);
  const std::vector<AuditRecord> records = Chain(3);
  for (const AuditRecord& record : records) REQUIRE(verifier.Feed(record));
  CHECK(verifier.head_hash() == records.back().hash);
  CHECK(verifier.check().records == 3);
}

}  // namespace
}  // namespace rectify
