#include "storage/pg_outbox_store.h"

#include <algorithm>
#include <string>
#include <utility>

#include "storage/claimant.h"
#include "storage/outbox_sql.h"
#include "storage/item_reads.h"
#include "storage/item_sql.h"

namespace rectify {
namespace {

using notifier::OutboxMessage;
using notifier::OutboxState;
using pg::Conn;
using pg::Query;

// Claims up to `limit` due messages for `claimant` and returns them. Rows another instance is
// claiming at this moment are locked by it and skipped; rows it claimed before fail kUnclaimed.
// Parameters: claimant, until, now, claimant, now, limit.
std::string ClaimDueSql() {
  return std::string("UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id FROM outbox WHERE ") +
         outbox_sql::kToDeliver + " AND next_attempt_at <= ? AND " + outbox_sql::kUnclaimed +
         " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + outbox_sql::kMessageColumnList;
}

}  // namespace

PgOutboxStore::PgOutboxStore(PgDatabase& database) : database_(database), claimant_(NewClaimant()) {}

Result<int> PgOutboxStore::Enqueue(const std::vector<OutboxMessage>& messages) {
  int inserted = 0;
  if (messages.empty()) return inserted;
  Status written = database_.Write([&](Conn& conn) {
    Result<int> added = outbox_sql::InsertMessages(database_, conn, messages);
    if (!added.ok()) return added.status();
    inserted = *added;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return inserted;
}

Result<int> PgOutboxStore::EnqueueSlot(const std::string& slot, const std::vector<OutboxMessage>& messages) {
  int inserted = 0;
  Status written = database_.Write([&](Conn& conn) {
    Result<int> added = outbox_sql::EnqueueSlot(database_, conn, slot, messages);
    if (!added.ok()) return added.status();
    inserted = *added;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return inserted;
}

Result<std::optional<std::string>> PgOutboxStore::LastSlot() {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return outbox_sql::LastSlot(lease->conn());
}

Result<bool> PgOutboxStore::ClaimSlot(const std::string& slot, Instant now, Instant until) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return outbox_sql::ClaimSlot(lease->conn(), claimant_, slot, now, until);
}

Result<std::vector<OutboxMessage>> PgOutboxStore::Due(Instant now, int limit) {
  RECTIFY_RETURN_IF_ERROR(sql::CheckLimit(limit));
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query claim = lease->conn().Prepare(ClaimDueSql());
  claim.BindAll(claimant_, now + notifier::kOutboxClaimLease, now, claimant_, now, std::int64_t{limit});
  Result<std::vector<OutboxMessage>> due = outbox_sql::ReadMessages(claim);
  if (!due.ok()) return due;
  // RETURNING gives the rows in no particular order.
  std::sort(due->begin(), due->end(), [](const OutboxMessage& a, const OutboxMessage& b) {
    return std::make_pair(a.next_attempt_at, a.id) < std::make_pair(b.next_attempt_at, b.id);
  });
  return due;
}

Status PgOutboxStore::ReleaseClaims(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  for (const std::int64_t id : ids)
    RECTIFY_RETURN_IF_ERROR(lease->conn().Prepare(outbox_sql::kReleaseClaim).BindAll(id, claimant_).Run());
  return Status::Ok();
}

Status PgOutboxStore::Postpone(const std::vector<std::int64_t>& ids, Instant until) {
  if (ids.empty()) return Status::Ok();
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  for (const std::int64_t id : ids) {
    RECTIFY_RETURN_IF_ERROR(
        lease->conn().Prepare(outbox_sql::kPostponeClaim).BindAll(until, until, id, claimant_).Run());
  }
  return Status::Ok();
}

Status PgOutboxStore::MarkSent(std::int64_t id, Instant at) {
  return database_.Write([&](Conn& conn) { return outbox_sql::MarkSent(database_, conn, id, at); });
}

Status PgOutboxStore::MarkFailed(std::int64_t id, const std::string& error, Instant next_attempt_at, bool dead) {
  return database_.Write(
      [&](Conn& conn) { return outbox_sql::MarkFailed(database_, conn, id, error, next_attempt_at, dead); });
}

Result<std::vector<OutboxMessage>> PgOutboxStore::ListOutbox(std::optional<OutboxState> state, std::int64_t before_id,
                                                             int limit) {
  RECTIFY_RETURN_IF_ERROR(sql::CheckLimit(limit));
  if (before_id < 0) return Status::InvalidArgument("before_id", "must not be negative");
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sql::PrepareBound(lease->conn(), outbox_sql::ListOutboxSql(state, before_id, limit));
  return outbox_sql::ReadMessages(query);
}

Result<std::int64_t> PgOutboxStore::CountOutbox(std::optional<OutboxState> state, const std::vector<std::string>& units) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sql::PrepareBound(lease->conn(), outbox_sql::CountOutboxSql(state, units));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("postgresql: count(*) answered no row");
  return query.Int(0);
}

Result<std::vector<std::string>> PgOutboxStore::NotificationLog(const std::string& slot) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return outbox_sql::NotificationLog(lease->conn(), slot);
}

}  // namespace rectify
