// notifier::OutboxStore (notifier/outbox.h) on a PgDatabase: the outbox, notification_log and
// notifier_slot_claim tables, the statements both databases share in outbox_sql.h; each change
// audited, word for word as on SQLite. Claims take no part in the audit chain's lock: Due is one
// UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING on a connection of its
// own, so instances claiming at once skip each other's rows instead of waiting, and ClaimSlot
// one upsert of the single claim row.
// Errors: the codes the port names; a value the schema refuses (an empty idempotency key, an
// unknown audience) is kInternal with PostgreSQL's message. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "notifier/outbox.h"
#include "storage/pg_database.h"

namespace rectify {

class PgOutboxStore final : public notifier::OutboxStore {
 public:
  // `database` must outlive the store.
  explicit PgOutboxStore(PgDatabase& database);

  Result<int> Enqueue(const std::vector<notifier::OutboxMessage>& messages) override;
  // The slot is the meta table's notifier_last_slot, as on SQLite.
  Result<int> EnqueueSlot(const std::string& slot, const std::vector<notifier::OutboxMessage>& messages) override;
  Result<std::optional<std::string>> LastSlot() override;
  Result<bool> ClaimSlot(const std::string& slot, Instant now, Instant until) override;
  Result<std::vector<notifier::OutboxMessage>> Due(Instant now, int limit) override;
  Status ReleaseClaims(const std::vector<std::int64_t>& ids) override;
  Status Postpone(const std::vector<std::int64_t>& ids, Instant until) override;
  Status MarkSent(std::int64_t id, Instant at) override;
  Status MarkFailed(std::int64_t id, const std::string& error, Instant next_attempt_at, bool dead) override;
  Result<std::int64_t> CountOutbox(std::optional<notifier::OutboxState> state,
                                   const std::vector<std::string>& units) override;
  Result<std::vector<notifier::OutboxMessage>> ListOutbox(std::optional<notifier::OutboxState> state,
                                                          std::int64_t before_id, int limit) override;
  Result<std::vector<std::string>> NotificationLog(const std::string& slot) override;

 private:
  PgDatabase& database_;
  const std::string claimant_;  // this store's name in claims (claimant.h)
};

}  // namespace rectify
