#include "storage/sqlite_outbox.h"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_outbox_store.h"

namespace rectify {
namespace sqlite {
namespace {

using notifier::OutboxMessage;
using notifier::OutboxState;

// Column order read by ReadMessage.
constexpr const char* kMessageColumns =
    "SELECT id, idempotency_key, slot, audience, unit, channel, message, item_count, state, attempts, "
    "created_at, next_attempt_at, sent_at, last_error FROM outbox ";
// Word for word the WHERE clause of the partial index outbox_due (sqlite_migrations.cc):
// SQLite uses a partial index only when the query implies its condition.
constexpr const char* kToDeliver = "state IN ('pending', 'failed')";


// The notifier's record of the last slot enqueued, in the meta table.
constexpr const char* kLastSlotKey = "notifier_last_slot";
constexpr const char* kPutLastSlot =
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

constexpr const char* kInsertMessage =
    "INSERT INTO outbox (idempotency_key, slot, audience, unit, channel, message, item_count, state, attempts, "
    "created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) "
    "ON CONFLICT (idempotency_key) DO NOTHING";

// A message already sent matches no row, so a repeated MarkSent changes nothing.
constexpr const char* kMarkSent =
    "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ? AND state <> 'sent'";
constexpr const char* kLogSent =
    "INSERT OR IGNORE INTO notification_log (idempotency_key, slot, unit, sent_at) "
    "SELECT idempotency_key, slot, unit, sent_at FROM outbox WHERE id = ?";
constexpr const char* kMarkFailed =
    "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
    "WHERE id = ? AND state <> 'sent'";


Result<OutboxMessage> ReadMessage(const Query& row) {
  OutboxMessage message;
  message.id = row.Int(0);
  std::optional<OutboxState> state = notifier::ParseOutboxState(row.Text(8));
  if (!state) {
    return Status::Internal("sqlite: outbox message " + std::to_string(message.id) + " has unknown state " +
                            row.Text(8));
  }
  message.idempotency_key = row.Text(1);
  message.slot = row.Text(2);
  message.audience = row.Text(3);
  message.unit = row.Text(4);
  message.channel = row.Text(5);
  message.message = row.Text(6);
  message.item_count = static_cast<int>(row.Int(7));
  message.state = *state;
  message.attempts = static_cast<int>(row.Int(9));
  message.created_at = row.Int(10);
  message.next_attempt_at = row.Int(11);
  message.sent_at = row.OptionalInt(12);
  message.last_error = row.Text(13);
  return message;
}

Result<std::vector<OutboxMessage>> ReadMessages(Query& query) {
  std::vector<OutboxMessage> messages;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return messages;
    Result<OutboxMessage> message = ReadMessage(query);
    if (!message.ok()) return message.status();
    messages.push_back(std::move(message).value());
  }
}

// After an UPDATE of message `id` matched no row: kNotFound when there is no such message,
// `if_sent` when it was already sent (the only state the updates skip).
Status ExplainNoUpdate(Db& db, std::int64_t id, Status if_sent) {
  Query query = db.Prepare("SELECT 1 FROM outbox WHERE id = ?");
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("outbox message " + std::to_string(id) + " not found");
  return if_sent;
}

Result<std::string> IdempotencyKey(Db& db, std::int64_t id) {
  Query query = db.Prepare("SELECT idempotency_key FROM outbox WHERE id = ?");
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("outbox message " + std::to_string(id) + " not found");
  return query.Text(0);
}

}  // namespace

SqlQuery DueMessagesSql(Instant now, int limit) {
  SqlQuery out;
  out.sql = kMessageColumns;
  // Without statistics SQLite prefers outbox_state for the IN, then reads and sorts every
  // undelivered message; outbox_due yields the due ones already in order and stops at the
  // limit. INDEXED BY makes that a guarantee: a query that cannot use it fails to prepare.
  out.sql += "INDEXED BY outbox_due WHERE ";
  out.sql += kToDeliver;
  out.sql += " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?";
  out.params = {now, std::int64_t{limit}};
  return out;
}

SqlQuery ListOutboxSql(std::optional<OutboxState> state, std::int64_t before_id, int limit) {
  SqlQuery out;
  out.sql = kMessageColumns;
  out.sql += "WHERE id < ? ";
  // before_id 0 pages from the newest: one statement text whatever the page.
  out.params.emplace_back(before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max());
  if (state) {
    out.sql += "AND state = ? ";
    out.params.emplace_back(std::string(notifier::OutboxStateName(*state)));
  }
  out.sql += "ORDER BY id DESC LIMIT ?";
  out.params.emplace_back(std::int64_t{limit});
  return out;
}

}  // namespace sqlite

using notifier::OutboxMessage;
using notifier::OutboxState;
using sqlite::Db;
using sqlite::Query;

Result<int> SqliteOutboxStore::InsertMessages(Db& db, const std::vector<OutboxMessage>& messages) {
  int inserted = 0;
  for (const OutboxMessage& m : messages) {
    RECTIFY_RETURN_IF_ERROR(db.Prepare(sqlite::kInsertMessage)
                                .BindAll(m.idempotency_key, m.slot, m.audience, m.unit, m.channel, m.message,
                                         std::int64_t{m.item_count}, m.created_at, m.next_attempt_at)
                                .Run());
    if (db.Changes() == 0) continue;  // the key was already there
    ++inserted;
    RECTIFY_RETURN_IF_ERROR(
        database_.Audit(db, OutboxRecord(kAuditOutboxEnqueue, db.LastInsertId(), m.idempotency_key)));
  }
  return inserted;
}

Result<int> SqliteOutboxStore::Enqueue(const std::vector<OutboxMessage>& messages) {
  int inserted = 0;
  if (messages.empty()) return inserted;
  Status written = database_.Write([&](Db& db) {
    Result<int> added = InsertMessages(db, messages);
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
    Result<int> added = InsertMessages(db, messages);
    if (!added.ok()) return added.status();
    inserted = *added;
    RECTIFY_RETURN_IF_ERROR(db.Prepare(sqlite::kPutLastSlot).BindAll(std::string(sqlite::kLastSlotKey), slot).Run());
    return database_.Audit(db, MetaPutRecord(sqlite::kLastSlotKey, slot));
  });
  if (!written.ok()) return written;
  return inserted;
}

Result<std::optional<std::string>> SqliteOutboxStore::LastSlot() {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare("SELECT value FROM meta WHERE key = ?");
  query.BindAll(std::string(sqlite::kLastSlotKey));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

Result<std::vector<OutboxMessage>> SqliteOutboxStore::Due(Instant now, int limit) {
  RECTIFY_RETURN_IF_ERROR(sqlite::CheckLimit(limit));
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sqlite::PrepareBound(lease->db(), sqlite::DueMessagesSql(now, limit));
  return sqlite::ReadMessages(query);
}

Status SqliteOutboxStore::MarkSent(std::int64_t id, Instant at) {
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(db.Prepare(sqlite::kMarkSent).BindAll(at, id).Run());
    if (db.Changes() == 0) return sqlite::ExplainNoUpdate(db, id, Status::Ok());
    RECTIFY_RETURN_IF_ERROR(db.Prepare(sqlite::kLogSent).BindAll(id).Run());
    Result<std::string> key = sqlite::IdempotencyKey(db, id);
    if (!key.ok()) return key.status();
    return database_.Audit(db, OutboxRecord(kAuditOutboxSent, id, std::move(key).value()));
  });
}

Status SqliteOutboxStore::MarkFailed(std::int64_t id, const std::string& error, Instant next_attempt_at, bool dead) {
  const OutboxState state = dead ? OutboxState::kDead : OutboxState::kFailed;
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(db.Prepare(sqlite::kMarkFailed)
                                .BindAll(notifier::OutboxStateName(state), error, next_attempt_at, id)
                                .Run());
    if (db.Changes() > 0) {
      const std::string outcome = dead ? "dead" : "retry at " + FormatInstant(next_attempt_at);
      return database_.Audit(db, OutboxRecord(kAuditOutboxFailed, id, outcome + ": " + error));
    }
    return sqlite::ExplainNoUpdate(
        db, id, Status::FailedPrecondition("outbox message " + std::to_string(id) + " was already sent", {}));
  });
}

Result<std::vector<OutboxMessage>> SqliteOutboxStore::ListOutbox(std::optional<OutboxState> state, std::int64_t before_id,
                                                           int limit) {
  RECTIFY_RETURN_IF_ERROR(sqlite::CheckLimit(limit));
  if (before_id < 0) return Status::InvalidArgument("before_id", "must not be negative");
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sqlite::PrepareBound(lease->db(), sqlite::ListOutboxSql(state, before_id, limit));
  return sqlite::ReadMessages(query);
}

Result<std::int64_t> SqliteOutboxStore::CountOutbox(std::optional<OutboxState> state,
                                                    const std::vector<std::string>& units) {
  sqlite::SqlQuery count{"SELECT count(*) FROM outbox WHERE 1 ", {}};
  if (state) {
    count.sql += "AND state = ? ";
    count.params.emplace_back(std::string(notifier::OutboxStateName(*state)));
  }
  if (!units.empty()) {
    count.sql += "AND unit IN (";
    for (std::size_t i = 0; i < units.size(); ++i) {
      count.sql += i == 0 ? "?" : ", ?";
      count.params.emplace_back(units[i]);
    }
    count.sql += ") ";
  }
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = sqlite::PrepareBound(lease->db(), count);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("sqlite: count(*) answered no row");
  return query.Int(0);
}

Result<std::vector<std::string>> SqliteOutboxStore::NotificationLog(const std::string& slot) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query =
      lease->db().Prepare("SELECT idempotency_key FROM notification_log WHERE slot = ? ORDER BY idempotency_key");
  query.BindAll(slot);
  std::vector<std::string> keys;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return keys;
    keys.push_back(query.Text(0));
  }
}

}  // namespace rectify
