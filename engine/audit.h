// The audit log: one record per change, each sealed with a SHA-256 hash over its content and
// the previous record's hash, so that editing, deleting or inserting a record breaks the chain
// at that point. Pure: no storage, no clock. The store appends records in the same transaction
// as the change they record (engine/item_store.h); this file defines what a record is, how it
// is hashed and how a chain is checked.
//
// What the chain proves, and what it does not: the hash is unkeyed, so someone who can write
// the database can also rewrite every record from some point on with fresh hashes, or drop the
// newest records. Such a rewrite is detectable only against a hash kept elsewhere: keep the
// head hash that `rectify audit verify` prints, and compare it later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/time.h"

namespace rectify {

struct AuditRecord {
  std::int64_t seq = 0;   // 1, 2, 3, ... without gaps; assigned by the store
  Instant at = 0;         // when it was recorded, on the store's clock
  std::string actor;      // who: a user, "system", "notifier"
  std::string action;     // what: one of kAudit* below, or a later one ("login.failure")
  std::string subject;    // what it was done to: "problem 12", "outbox message 7"
  std::string detail;     // a short human-readable summary of the change
  std::string prev_hash;  // the previous record's hash; kAuditGenesisHash for record 1
  std::string hash;       // AuditHash(*this): 64 lowercase hex digits
};

// A record to append: the store fills seq, at, prev_hash and hash.
inline AuditRecord MakeAuditRecord(std::string actor, std::string action, std::string subject, std::string detail) {
  AuditRecord record;
  record.actor = std::move(actor);
  record.action = std::move(action);
  record.subject = std::move(subject);
  record.detail = std::move(detail);
  return record;
}

// The actions the store records by itself.
inline constexpr char kAuditItemCreate[] = "item.create";
inline constexpr char kAuditItemEvent[] = "item.event";
inline constexpr char kAuditItemDeadlines[] = "item.deadlines";
inline constexpr char kAuditMetaPut[] = "meta.put";
inline constexpr char kAuditOutboxEnqueue[] = "outbox.enqueue";
inline constexpr char kAuditOutboxSent[] = "outbox.sent";
inline constexpr char kAuditOutboxFailed[] = "outbox.failed";
inline constexpr char kAuditSilenceAdd[] = "silence.add";
inline constexpr char kAuditSilenceEnd[] = "silence.end";
inline constexpr char kAuditExport[] = "audit.export";
// Reads of what shows personal data in full that no mask can cover (a signed sheet's photo).
inline constexpr char kAuditSurveyPhotoRead[] = "survey.photo.read";

// The actors of changes no person made.
inline constexpr char kAuditActorSystem[] = "system";      // deadline recomputation, meta
inline constexpr char kAuditActorNotifier[] = "notifier";  // the outbox

// The prev_hash of the first record: 64 zeros.
inline const std::string kAuditGenesisHash(64, '0');

// The exact bytes that are hashed, so another program can check a chain: the tag
// "rectify-audit-v1" followed by seq, at, actor, action, subject, detail and prev_hash, each as
// a netstring "<byte length in decimal>:<bytes>," (seq and at in decimal, '-' when negative).
// Length prefixes make the encoding unambiguous: no two different records share it.
std::string AuditCanonicalBytes(const AuditRecord& record);

// SHA-256 of AuditCanonicalBytes(record), as 64 lowercase hex digits. Ignores record.hash.
std::string AuditHash(const AuditRecord& record);

// `record` placed after a record whose hash is `prev_hash`: seq, prev_hash and hash set.
AuditRecord SealAuditRecord(AuditRecord record, std::int64_t seq, std::string prev_hash);

// How a chain is broken at its first bad record.
enum class AuditBreak {
  kNone,
  kEdited,    // the record's hash does not match its content
  kInserted,  // it does not follow the record before it: its prev_hash is not that record's
              // hash (forged, or the record before was rewritten with a recomputed hash), or
              // its seq does not increase (out of order, repeated)
  kDeleted,   // records are missing before it: its seq skips numbers, or the log does not
              // start at seq 1
};
const char* AuditBreakName(AuditBreak kind);  // "none", "edited", "inserted", "deleted"

struct ChainCheck {
  bool intact = true;
  // The seq of the first bad record: the edited or inserted one, or for kDeleted the first
  // missing seq. Unset while intact.
  std::optional<std::int64_t> first_bad_seq;
  AuditBreak kind = AuditBreak::kNone;
  // "<kind>: <what was found>", empty while intact.
  std::string problem;
  std::int64_t records = 0;  // records checked (up to and including the first bad one)
};

// Checks a chain one record at a time, in seq order, keeping only the last record's seq and
// hash: a log of any size is verified in constant memory. The first break is final; records
// fed after it are not checked.
class ChainVerifier {
 public:
  // Checks `record` against the records fed before it. False once the chain is broken.
  bool Feed(const AuditRecord& record);
  // The verdict on the records fed so far. No records at all is an intact chain.
  const ChainCheck& check() const { return check_; }
  // The hash of the last good record fed (kAuditGenesisHash before any): the value to keep
  // elsewhere, so that a later rewrite of the log shows.
  const std::string& head_hash() const { return head_hash_; }

 private:
  void Break(AuditBreak kind, std::int64_t seq, std::string what);

  ChainCheck check_;
  std::int64_t last_seq_ = 0;
  std::string head_hash_ = kAuditGenesisHash;
};

// Feeds every record to a ChainVerifier and returns its verdict.
ChainCheck VerifyChain(const std::vector<AuditRecord>& records_in_seq_order);

}  // namespace rectify
