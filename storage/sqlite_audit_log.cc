#include "storage/sqlite_audit_log.h"

#include "storage/sqlite_audit.h"
#include "storage/sqlite_item_reads.h"

namespace rectify {

Result<std::vector<AuditRecord>> SqliteAuditLog::AuditRange(Instant from, Instant to, std::int64_t after_seq,
                                                         int limit) {
  RECTIFY_RETURN_IF_ERROR(sqlite::CheckLimit(limit));
  if (to < from) return Status::InvalidArgument("to", "is before from");
  if (after_seq < 0) return Status::InvalidArgument("after_seq", "must not be negative");
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sqlite::ReadAuditRange(lease->db(), from, to, after_seq, limit);
}

Status SqliteAuditLog::ForEachAudit(const std::function<Status(const AuditRecord&)>& visit) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sqlite::VisitAudit(lease->db(), visit);
}

Status SqliteAuditLog::AppendAudit(const AuditRecord& record) { return database_.AppendAudit(record); }

}  // namespace rectify
