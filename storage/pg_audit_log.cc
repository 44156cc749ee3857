#include "storage/pg_audit_log.h"

#include "storage/sqlite_item_reads.h"

namespace rectify {

Result<std::vector<AuditRecord>> PgAuditLog::AuditRange(Instant from, Instant to, std::int64_t after_seq, int limit) {
  RECTIFY_RETURN_IF_ERROR(sqlite::CheckLimit(limit));
  if (to < from) return Status::InvalidArgument("to", "is before from");
  if (after_seq < 0) return Status::InvalidArgument("after_seq", "must not be negative");
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return pg::ReadAuditRange(lease->conn(), from, to, after_seq, limit);
}

Status PgAuditLog::ForEachAudit(const std::function<Status(const AuditRecord&)>& visit) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return pg::VisitAudit(lease->conn(), visit);
}

Status PgAuditLog::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

}  // namespace rectify
