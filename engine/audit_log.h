// The audit log as a store port: reading the records back and appending one for an action that
// changes nothing else. Every other record is appended by the store that makes the change, in
// the same transaction (engine/audit.h says what a record is; engine/item_store.h which writes
// record what). Implementations are safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/audit.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Audit records with from <= at < to, in seq order, at most `limit`, after `after_seq` (pass
  // the last seq of a page to get the next; 0 for the first). kInvalidArgument (field "limit")
  // when limit < 1, (field "to") when to < from, (field "after_seq") when after_seq < 0.
  virtual Result<std::vector<AuditRecord>> AuditRange(Instant from, Instant to, std::int64_t after_seq,
                                                      int limit) = 0;

  // Calls `visit` with every audit record in seq order, from one consistent snapshot, without
  // holding the whole log in memory. Stops at, and returns, the first failed Status of visit.
  virtual Status ForEachAudit(const std::function<Status(const AuditRecord&)>& visit) = 0;

  // Records an action that changes nothing else (a login failure, an export): the store sets
  // seq, prev_hash and hash, and `at` from its own clock, like every record it writes; the
  // values given for them are ignored. kInvalidArgument (field "action") when it is empty.
  virtual Status AppendAudit(const AuditRecord& record) = 0;
};

}  // namespace rectify
