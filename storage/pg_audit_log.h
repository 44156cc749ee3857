// AuditLog (engine/audit_log.h) on a PgDatabase: the audit_log table, whose records every
// adapter appends inside its own writes (PgDatabase::Audit). Append-only, enforced by a trigger.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/audit_log.h"
#include "storage/pg_database.h"

namespace rectify {

class PgAuditLog final : public AuditLog {
 public:
  explicit PgAuditLog(PgDatabase& database) : database_(database) {}

  Result<std::vector<AuditRecord>> AuditRange(Instant from, Instant to, std::int64_t after_seq, int limit) override;
  Status ForEachAudit(const std::function<Status(const AuditRecord&)>& visit) override;
  Status AppendAudit(const AuditRecord& record) override;

 private:
  PgDatabase& database_;
};

}  // namespace rectify
