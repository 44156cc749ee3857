#include "engine/audit.h"

#include <string_view>
#include <utility>

#include "engine/attachments.h"

namespace rectify {
namespace {

constexpr std::string_view kCanonicalTag = "rectify-audit-v1";

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

std::string Ordinal(std::int64_t seq) { return "record " + std::to_string(seq); }

}  // namespace

std::string AuditCanonicalBytes(const AuditRecord& record) {
  std::string out(kCanonicalTag);
  AppendField(out, std::to_string(record.seq));
  AppendField(out, std::to_string(record.at));
  AppendField(out, record.actor);
  AppendField(out, record.action);
  AppendField(out, record.subject);
  AppendField(out, record.detail);
  AppendField(out, record.prev_hash);
  return out;
}

std::string AuditHash(const AuditRecord& record) { return ContentHash(AuditCanonicalBytes(record)); }

AuditRecord SealAuditRecord(AuditRecord record, std::int64_t seq, std::string prev_hash) {
  record.seq = seq;
  record.prev_hash = std::move(prev_hash);
  record.hash = AuditHash(record);
  return record;
}

const char* AuditBreakName(AuditBreak kind) {
  switch (kind) {
    case AuditBreak::kNone: return "none";
    case AuditBreak::kEdited: return "edited";
    case AuditBreak::kInserted: return "inserted";
    case AuditBreak::kDeleted: return "deleted";
  }
  return "none";
}

bool ChainVerifier::Feed(const AuditRecord& record) {
  if (!check_.intact) return false;
  ++check_.records;
  const std::int64_t expected = last_seq_ + 1;
  if (AuditHash(record) != record.hash) {
    Break(AuditBreak::kEdited, record.seq, Ordinal(record.seq) + "'s hash does not match its content");
  } else if (record.seq < expected) {
    Break(AuditBreak::kInserted, record.seq,
          Ordinal(record.seq) + " comes after " + Ordinal(last_seq_) + ": out of order or repeated");
  } else if (record.seq > expected) {
    const std::string missing = record.seq == expected + 1
                                    ? Ordinal(expected) + " is missing"
                                    : "records " + std::to_string(expected) + " to " +
                                          std::to_string(record.seq - 1) + " are missing";
    Break(AuditBreak::kDeleted, expected, missing + " before " + Ordinal(record.seq));
  } else if (record.prev_hash != head_hash_) {
    Break(AuditBreak::kInserted, record.seq,
          Ordinal(record.seq) + "'s prev_hash is not the hash of " +
              (last_seq_ == 0 ? std::string("the chain's start") : Ordinal(last_seq_)) +
              ": it was forged, or the record before it was rewritten with a recomputed hash");
  } else {
    last_seq_ = record.seq;
    head_hash_ = record.hash;
    return true;
  }
  return false;
}

void ChainVerifier::Break(AuditBreak kind, std::int64_t seq, std::string what) {
  check_.intact = false;
  check_.kind = kind;
  check_.first_bad_seq = seq;
  check_.problem = std::string(AuditBreakName(kind)) + ": " + std::move(what);
}

ChainCheck VerifyChain(const std::vector<AuditRecord>& records_in_seq_order) {
  ChainVerifier verifier;
  for (const AuditRecord& record : records_in_seq_order) {
    if (!verifier.Feed(record)) break;
  }
  return verifier.check();
}

}  // namespace rectify
