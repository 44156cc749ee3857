#include "storage/sqlite_audit.h"

#include <optional>
#include <string>
#include <utility>

#include "storage/sqlite_item_reads.h"

namespace rectify::sqlite {
namespace {

// Column order read by ReadRecord.
constexpr const char* kAuditColumns =
    "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ";

constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

AuditRecord ReadRecord(const Query& row) {
  AuditRecord record;
  record.seq = row.Int(0);
  record.at = row.Int(1);
  record.actor = row.Text(2);
  record.action = row.Text(3);
  record.subject = row.Text(4);
  record.detail = row.Text(5);
  record.prev_hash = row.Text(6);
  record.hash = row.Text(7);
  return record;
}

}  // namespace

Status AppendAudit(Db& db, AuditRecord record) {
  if (!db.InTransaction()) return Status::Internal("audit record appended outside a write transaction");
  Query last = db.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  Result<bool> found = last.Step();
  if (!found.ok()) return found.status();
  const std::int64_t seq = *found ? last.Int(0) + 1 : 1;
  std::string prev_hash = *found ? last.Text(1) : kAuditGenesisHash;
  const AuditRecord sealed = SealAuditRecord(std::move(record), seq, std::move(prev_hash));
  return db.Prepare(kInsertAudit)
      .BindAll(sealed.seq, sealed.at, sealed.actor, sealed.action, sealed.subject, sealed.detail, sealed.prev_hash,
               sealed.hash)
      .Run();
}

Result<std::vector<AuditRecord>> ReadAuditRange(Db& db, Instant from, Instant to, std::int64_t after_seq,
                                                int limit) {
  Query query = db.Prepare(std::string(kAuditColumns) +
                           "WHERE seq > ? AND at >= ? AND at < ? ORDER BY seq LIMIT ?");
  query.BindAll(after_seq, from, to, std::int64_t{limit});
  std::vector<AuditRecord> records;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return records;
    records.push_back(ReadRecord(query));
  }
}

Status VisitAudit(Db& db, const std::function<Status(const AuditRecord&)>& visit) {
  Query query = db.Prepare(std::string(kAuditColumns) + "ORDER BY seq");
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    RECTIFY_RETURN_IF_ERROR(visit(ReadRecord(query)));
  }
}

}  // namespace rectify::sqlite
