#include "storage/sqlite_outbox.h"

#include <string>
#include <utility>
#include <vector>

#include "storage/claimant.h"
#include "storage/outbox_sql.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_outbox_store.h"

namespace rectify {
namespace sqlite {

SqlQuery DueMessagesSql(Instant now, int limit, const std::string& claimant) {
  SqlQuery out;
  out.sql = outbox_sql::SelectMessages();
  // Without statistics SQLite prefers outbox_state for the IN, then reads and sorts every
  // undelivered message; outbox_due yields the due ones already in order and stops at the
  // limit. INDEXED BY makes that a guarantee: a query that cannot use it fails to prepare.
  out.sql += "INDEXED BY outbox_due WHERE ";
  out.sql += outbox_sql::kToDeliver;
  out.sql += " AND next_attempt_at <= ? AND ";
  out.sql += outbox_sql::kUnclaimed;
  out.sql += " ORDER BY next_attempt_at, id LIMIT ?";
  out.params = {now, claimant, now, std::int64_t{limit}};
  return out;
}

}  // namespace sqlite

using notifier::OutboxMessage;
using notifier::OutboxState;
using sqlite::Db;
using sqlite::Query;

SqliteOutboxStore::SqliteOutboxStore(SqliteDatabase& database) : database_(database), claimant_(NewClaimant()) {}

Result<int> SqliteOutboxStore::Enqueue(const std::vector<OutboxMessage>& messages) {
  int inserted = 0;
  if (messages.empty()) return inserted;
  Status written = database_.Write([&](Db& db) {
    Result<int> added = outbox_sql::InsertMessages(database_, db, messages);
    if (!added.ok()) return added.status();
    inserted = *added;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return inserted;
}

Result<int> SqliteOutboxStore::EnqueueSlot(const std::string& slot, const std::vector<OutboxMessage>& messages) {
  int inserted = 0;
  Status written = database_.Write([&](Db& db) {
    Result<int> added = outbox_sql::EnqueueSlot(database_, db, slot, messages);
    if (!added.ok()) return added.status();
    inserted = *added;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return inserted;
}

Result<std::optional<std::string>> SqliteOutboxStore::LastSlot() {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return outbox_sql::LastSlot(lease->db());
}

Result<bool> SqliteOutboxStore::ClaimSlot(const std::string& slot, Instant now, Instant until) {
  bool claimed = false;
  Status written = database_.Write([&](Db& db) {
    Result<bool> won = outbox_sql::ClaimSlot(db, claimant_, slot, now, until);
    if (!won.ok()) return won.status();
    claimed = *won;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return claimed;
}

Result<std::vector<OutboxMessage>> SqliteOutboxStore::Due(Instant now, int limit) {
  RECTIFY_RETURN_IF_ERROR(sqlite::CheckLimit(limit));
  const sqlite::SqlQuery due = sqlite::DueMessagesSql(now, limit, claimant_);
  {
    // A read first: a pass with nothing due writes (and syncs) nothing.
    Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
    if (!lease.ok()) return lease.status();
    Query query = sqlite::PrepareBound(lease->db(), due);
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::vector<OutboxMessage>();
  }
  // Read again under the write lock, which another process's store takes too: the claims of
  // the stores are ordered, so none takes a message another holds.
  std::vector<OutboxMessage> claimed;
  Status written = database_.Write([&](Db& db) {
    Query query = sqlite::PrepareBound(db, due);
    Result<std::vector<OutboxMessage>> messages = outbox_sql::ReadMessages(query);
    if (!messages.ok()) return messages.status();
    for (const OutboxMessage& message : *messages) {
      RECTIFY_RETURN_IF_ERROR(db.Prepare("UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?")
                                  .BindAll(claimant_, now + notifier::kOutboxClaimLease, message.id)
                                  .Run());
    }
    claimed = std::move(messages).value();
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return claimed;
}

Status SqliteOutboxStore::ReleaseClaims(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  return database_.Write([&](Db& db) {
    for (const std::int64_t id : ids)
      RECTIFY_RETURN_IF_ERROR(db.Prepare(outbox_sql::kReleaseClaim).BindAll(id, claimant_).Run());
    return Status::Ok();
  });
}

Status SqliteOutboxStore::Postpone(const std::vector<std::int64_t>& ids, Instant until) {
  if (ids.empty()) return Status::Ok();
  return database_.Write([&](Db& db) {
    for (const std::int64_t id : ids)
      RECTIFY_RETURN_IF_ERROR(db.Prepare(outbox_sql::kPostponeClaim).BindAll(until, until, id, claimant_).Run());
    return Status::Ok();
  });
}

Status SqliteOutboxStore::MarkSent(std::int64_t id, Instant at) {
  return database_.Write([&](Db& db) { return outbox_sql::MarkSent(database_, db, id, at); });
}

Status SqliteOutboxStore::MarkFailed(std::int64_t id, const std::string& error, Instant next_attempt_at, bool dead) {
  return database_.Write(
      [&](Db& db) { return outbox_sql::MarkFailed(database_, db, id, error, next_attempt_at, dead); });
}

Result<std::vector<OutboxMessage>> SqliteOutboxStore::ListOutbox(std::optional<OutboxState> state, std::int64_t before_id,
                                                                 int limit) {
  RECTIFY_RETURN_IF_ERROR(sqlite::CheckLimit(limit));
  if (before_id < 0) return Status::InvalidArgument("before_id", "must not be negative");
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sqlite::PrepareBound(lease->db(), outbox_sql::ListOutboxSql(state, before_id, limit));
  return outbox_sql::ReadMessages(query);
}

Result<std::int64_t> SqliteOutboxStore::CountOutbox(std::optional<OutboxState> state,
                                                    const std::vector<std::string>& units) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sqlite::PrepareBound(lease->db(), outbox_sql::CountOutboxSql(state, units));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("sqlite: count(*) answered no row");
  return query.Int(0);
}

Result<std::vector<std::string>> SqliteOutboxStore::NotificationLog(const std::string& slot) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return outbox_sql::NotificationLog(lease->db(), slot);
}

}  // namespace rectify
