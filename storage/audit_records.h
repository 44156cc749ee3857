// What each write of the store adapters records in the audit log, whichever database holds it:
// one chain must read the same on SQLite and PostgreSQL, word for word, so every backend builds
// its records here. `at` is left unset: the database stamps it when it appends the record.
#pragma once

#include <cstdint>
#include <string>

#include "engine/audit.h"
#include "engine/item.h"
#include "engine/silences.h"

namespace rectify {

// The record of each kind of write, without `at` (set when appended). Items are named
// "problem 12", outbox messages "outbox message 7".
AuditRecord ItemCreatedRecord(const Item& item, const EventRecord& created);  // item.id assigned
AuditRecord ItemEventRecord(const Item& item, const EventRecord& event);
AuditRecord ItemDeadlinesRecord(const Item& item);
AuditRecord MetaPutRecord(const std::string& key, const std::string& value);
// `action` is kAuditOutboxEnqueue, kAuditOutboxSent or kAuditOutboxFailed.
AuditRecord OutboxRecord(const char* action, std::int64_t message_id, std::string detail);
// A failed delivery of message `message_id`: given up (`dead`) or retried at `next_attempt_at`.
AuditRecord OutboxFailedRecord(std::int64_t message_id, const std::string& error, Instant next_attempt_at, bool dead);
// `silence.id` assigned; `item` names the silenced item ("problem 12").
AuditRecord SilenceAddedRecord(const Silence& silence, std::string item);

}  // namespace rectify
