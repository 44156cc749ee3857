// What the outbox stores of both databases (sqlite_outbox_store.h, pg_outbox_store.h) say and
// do alike: the statements on outbox, notification_log, notifier_slot_claim and meta (the same
// words in SQLite's and PostgreSQL's dialects), the builders of the outbox's lists, how their
// rows read back, and the writes, audited. The templates take either database (SqliteDatabase,
// PgDatabase: Audit) and its connection (sqlite::Db, pg::Conn) and Query: they use only
// Prepare, BindAll, Step, Run and the typed columns, which both have. What differs stays in the
// stores: how a write's transaction is opened and how Due claims.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/audit.h"
#include "engine/status.h"
#include "notifier/outbox.h"
#include "storage/audit_records.h"
#include "storage/item_sql.h"

namespace rectify::outbox_sql {

// Column order read by ReadMessage.
inline constexpr const char* kMessageColumnList =
    "id, idempotency_key, slot, audience, unit, channel, message, item_count, state, attempts, "
    "created_at, next_attempt_at, sent_at, last_error";
inline std::string SelectMessages() { return std::string("SELECT ") + kMessageColumnList + " FROM outbox "; }

// Word for word the WHERE clause of the partial index outbox_due (both schemas): SQLite uses a
// partial index only when the query implies its condition.
inline constexpr const char* kToDeliver = "state IN ('pending', 'failed')";
// Not claimed by another store, or claimed no longer; parameters: this store, now.
inline constexpr const char* kUnclaimed = "(claimed_by = ? OR claimed_until <= ?)";

// The notifier's record of the last slot enqueued, in the meta table.
inline constexpr const char* kLastSlotKey = "notifier_last_slot";
inline constexpr const char* kPutLastSlot =
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

inline constexpr const char* kInsertMessage =
    "INSERT INTO outbox (idempotency_key, slot, audience, unit, channel, message, item_count, state, attempts, "
    "created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";

// The writes say what they changed with RETURNING (SQLite has it since 3.35), so a row back
// means a row changed on either database.
// A message already sent matches no row, so a repeated MarkSent changes nothing. Marking ends
// the claim.
inline constexpr const char* kMarkSent =
    "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, claimed_by = '', claimed_until = 0 "
    "WHERE id = ? AND state <> 'sent' RETURNING idempotency_key";
inline constexpr const char* kLogSent =
    "INSERT INTO notification_log (idempotency_key, slot, unit, sent_at) "
    "SELECT idempotency_key, slot, unit, sent_at FROM outbox WHERE id = ? ON CONFLICT (idempotency_key) DO NOTHING";
inline constexpr const char* kMarkFailed =
    "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = '', "
    "claimed_until = 0 WHERE id = ? AND state <> 'sent' RETURNING id";

// Parameters: id, claimant.
inline constexpr const char* kReleaseClaim =
    "UPDATE outbox SET claimed_by = '', claimed_until = 0 WHERE id = ? AND claimed_by = ?";
// Parameters: until, until, id, claimant.
inline constexpr const char* kPostponeClaim =
    "UPDATE outbox SET claimed_by = '', claimed_until = 0, "
    "next_attempt_at = CASE WHEN next_attempt_at < ? THEN ? ELSE next_attempt_at END "
    "WHERE id = ? AND claimed_by = ?";

// One row, the latest slot claimed. Taken (a row back) when the slot is not enqueued yet
// and the row is another slot's, this store's, or lapsed. Parameters: slot, claimant, until,
// kLastSlotKey, slot, now. Under PostgreSQL a second claimant waits for the first's row lock and then sees its
// claim, so of two at once at most one changes the row.
inline constexpr const char* kClaimSlot =
    "INSERT INTO notifier_slot_claim (id, slot, claimed_by, claimed_until) "
    "SELECT 1, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT) "
    "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = ? AND value = ?) "
    "ON CONFLICT (id) DO UPDATE SET slot = excluded.slot, claimed_by = excluded.claimed_by, "
    "claimed_until = excluded.claimed_until WHERE notifier_slot_claim.slot <> excluded.slot "
    "OR notifier_slot_claim.claimed_by = excluded.claimed_by OR notifier_slot_claim.claimed_until <= ? "
    "RETURNING id";

// The outbox for people (OutboxStore::ListOutbox, CountOutbox), arguments checked by the caller.
sql::SqlQuery ListOutboxSql(std::optional<notifier::OutboxState> state, std::int64_t before_id, int limit);
sql::SqlQuery CountOutboxSql(std::optional<notifier::OutboxState> state, const std::vector<std::string>& units);

template <class Row>
Result<notifier::OutboxMessage> ReadMessage(const Row& row) {
  notifier::OutboxMessage message;
  message.id = row.Int(0);
  std::optional<notifier::OutboxState> state = notifier::ParseOutboxState(row.Text(8));
  if (!state) {
    return Status::Internal("outbox message " + std::to_string(message.id) + " has unknown state " + row.Text(8));
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

template <class Query>
Result<std::vector<notifier::OutboxMessage>> ReadMessages(Query& query) {
  std::vector<notifier::OutboxMessage> messages;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return messages;
    Result<notifier::OutboxMessage> message = ReadMessage(query);
    if (!message.ok()) return message.status();
    messages.push_back(std::move(message).value());
  }
}

// After an UPDATE of message `id` matched no row: kNotFound when there is no such message,
// `if_sent` when it was already sent (the only state the updates skip).
template <class Connection>
Status ExplainNoUpdate(Connection& connection, std::int64_t id, Status if_sent) {
  auto query = connection.Prepare("SELECT 1 FROM outbox WHERE id = ?");
  query.BindAll(id);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("outbox message " + std::to_string(id) + " not found");
  return if_sent;
}

template <class Connection>
Result<std::optional<std::string>> LastSlot(Connection& connection) {
  auto query = connection.Prepare("SELECT value FROM meta WHERE key = ?");
  query.BindAll(std::string(kLastSlotKey));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

template <class Connection>
Result<std::vector<std::string>> NotificationLog(Connection& connection, const std::string& slot) {
  auto query = connection.Prepare("SELECT idempotency_key FROM notification_log WHERE slot = ? ORDER BY idempotency_key");
  query.BindAll(slot);
  std::vector<std::string> keys;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return keys;
    keys.push_back(query.Text(0));
  }
}

// Runs `query` (a write with RETURNING): true when it changed a row.
template <class Query>
Result<bool> Changed(Query& query) {
  return query.Step();
}

// The writes of OutboxStore, each inside `database`'s write on `connection`, audited there
// (SqliteDatabase or PgDatabase, and its connection).

// Inserts the messages whose key is new; returns how many were.
template <class Database, class Connection>
Result<int> InsertMessages(Database& database, Connection& connection,
                           const std::vector<notifier::OutboxMessage>& messages) {
  int inserted = 0;
  for (const notifier::OutboxMessage& m : messages) {
    std::int64_t id = 0;
    {
      auto insert = connection.Prepare(kInsertMessage);
      insert.BindAll(m.idempotency_key, m.slot, m.audience, m.unit, m.channel, m.message, std::int64_t{m.item_count},
                     m.created_at, m.next_attempt_at);
      Result<bool> row = Changed(insert);
      if (!row.ok()) return row.status();
      if (!*row) continue;  // the key was already there
      id = insert.Int(0);
    }
    ++inserted;
    RECTIFY_RETURN_IF_ERROR(database.Audit(connection, OutboxRecord(kAuditOutboxEnqueue, id, m.idempotency_key)));
  }
  return inserted;
}

// InsertMessages, then `slot` recorded as the last slot enqueued.
template <class Database, class Connection>
Result<int> EnqueueSlot(Database& database, Connection& connection, const std::string& slot,
                        const std::vector<notifier::OutboxMessage>& messages) {
  Result<int> inserted = InsertMessages(database, connection, messages);
  if (!inserted.ok()) return inserted;
  RECTIFY_RETURN_IF_ERROR(connection.Prepare(kPutLastSlot).BindAll(std::string(kLastSlotKey), slot).Run());
  RECTIFY_RETURN_IF_ERROR(database.Audit(connection, MetaPutRecord(kLastSlotKey, slot)));
  return inserted;
}

template <class Database, class Connection>
Status MarkSent(Database& database, Connection& connection, std::int64_t id, Instant at) {
  std::string key;
  {
    auto mark = connection.Prepare(kMarkSent);
    mark.BindAll(at, id);
    Result<bool> row = Changed(mark);
    if (!row.ok()) return row.status();
    if (!*row) return ExplainNoUpdate(connection, id, Status::Ok());
    key = mark.Text(0);
  }
  RECTIFY_RETURN_IF_ERROR(connection.Prepare(kLogSent).BindAll(id).Run());
  return database.Audit(connection, OutboxRecord(kAuditOutboxSent, id, std::move(key)));
}

template <class Database, class Connection>
Status MarkFailed(Database& database, Connection& connection, std::int64_t id, const std::string& error,
                  Instant next_attempt_at, bool dead) {
  const notifier::OutboxState state = dead ? notifier::OutboxState::kDead : notifier::OutboxState::kFailed;
  bool marked = false;
  {
    auto mark = connection.Prepare(kMarkFailed);
    mark.BindAll(notifier::OutboxStateName(state), error, next_attempt_at, id);
    Result<bool> row = Changed(mark);
    if (!row.ok()) return row.status();
    marked = *row;
  }
  if (marked) return database.Audit(connection, OutboxFailedRecord(id, error, next_attempt_at, dead));
  return ExplainNoUpdate(connection, id,
                         Status::FailedPrecondition("outbox message " + std::to_string(id) + " was already sent", {}));
}

// OutboxStore::ClaimSlot for `claimant`, one statement on `connection`.
template <class Connection>
Result<bool> ClaimSlot(Connection& connection, const std::string& claimant, const std::string& slot, Instant now,
                       Instant until) {
  auto claim = connection.Prepare(kClaimSlot);
  claim.BindAll(slot, claimant, until, std::string(kLastSlotKey), slot, now);
  return Changed(claim);
}

}  // namespace rectify::outbox_sql
