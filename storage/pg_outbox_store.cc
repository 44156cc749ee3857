#include "storage/pg_outbox_store.h"

// Not written yet: each method fails until its PostgreSQL version lands.

namespace rectify {
Result<int> PgOutboxStore::Enqueue(const std::vector<notifier::OutboxMessage>&) { return Status::Internal("postgresql: PgOutboxStore::Enqueue is not written yet"); }
Result<int> PgOutboxStore::EnqueueSlot(const std::string&, const std::vector<notifier::OutboxMessage>&) { return Status::Internal("postgresql: PgOutboxStore::EnqueueSlot is not written yet"); }
Result<std::optional<std::string>> PgOutboxStore::LastSlot() { return Status::Internal("postgresql: PgOutboxStore::LastSlot is not written yet"); }
Result<std::vector<notifier::OutboxMessage>> PgOutboxStore::Due(Instant, int) { return Status::Internal("postgresql: PgOutboxStore::Due is not written yet"); }
Status PgOutboxStore::MarkSent(std::int64_t, Instant) { return Status::Internal("postgresql: PgOutboxStore::MarkSent is not written yet"); }
Status PgOutboxStore::MarkFailed(std::int64_t, const std::string&, Instant, bool) { return Status::Internal("postgresql: PgOutboxStore::MarkFailed is not written yet"); }
Result<std::int64_t> PgOutboxStore::CountOutbox(std::optional<notifier::OutboxState>, const std::vector<std::string>&) { return Status::Internal("postgresql: PgOutboxStore::CountOutbox is not written yet"); }
Result<std::vector<notifier::OutboxMessage>> PgOutboxStore::ListOutbox(std::optional<notifier::OutboxState>, std::int64_t, int) { return Status::Internal("postgresql: PgOutboxStore::ListOutbox is not written yet"); }
Result<std::vector<std::string>> PgOutboxStore::NotificationLog(const std::string&) { return Status::Internal("postgresql: PgOutboxStore::NotificationLog is not written yet"); }

}  // namespace rectify
