// The audit log in SQLite (table audit_log, schema version 3): appending a record inside a write
// transaction, and reading records back. What each write records is storage/audit_records.h. Every
// adapter appends from every write it makes, inside the body it gives to SqliteDatabase::Write,
// so the record commits or rolls back with the change.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/item.h"
#include "engine/silences.h"
#include "engine/status.h"
#include "engine/time.h"
#include "notifier/outbox.h"
#include "storage/audit_records.h"
#include "storage/sqlite_db.h"

namespace rectify::sqlite {

// Appends `record` after the newest one: seq = its seq + 1 (1 for the first), prev_hash = its
// hash, and the record's own hash; `record.at` is stored as given. Must run inside a write
// transaction (BEGIN IMMEDIATE), which keeps every other writer, in any process, from appending
// between the read of the newest record and the insert; kInternal outside any transaction.
Status AppendAudit(Db& db, AuditRecord record);

// The reads behind AuditLog::AuditRange and AuditLog::ForEachAudit (engine/audit_log.h),
// arguments already checked. AuditRange reads forward from after_seq by primary key: `at` is
// not guaranteed to grow with seq (a clock set back), so it is a filter, not an index range.
Result<std::vector<AuditRecord>> ReadAuditRange(Db& db, Instant from, Instant to, std::int64_t after_seq,
                                                int limit);
Status VisitAudit(Db& db, const std::function<Status(const AuditRecord&)>& visit);

}  // namespace rectify::sqlite
