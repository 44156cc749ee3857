// AuditLog (engine/audit_log.h) on a SqliteDatabase: the audit_log table (schema version 3),
// whose records every adapter appends inside its own writes (storage/sqlite_audit.h).
// Append-only: no statement of rectify updates or deletes a record. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/audit_log.h"
#include "storage/sqlite_database.h"

namespace rectify {

class SqliteAuditLog final : public AuditLog {
 public:
  // `database` must outlive the log.
  explicit SqliteAuditLog(SqliteDatabase& database) : database_(database) {}

  Result<std::vector<AuditRecord>> AuditRange(Instant from, Instant to, std::int64_t after_seq, int limit) override;
  Status ForEachAudit(const std::function<Status(const AuditRecord&)>& visit) override;
  Status AppendAudit(const AuditRecord& record) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace rectify
