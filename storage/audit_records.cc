#include "storage/audit_records.h"

#include <optional>
#include <utility>

#include "engine/time.h"

namespace rectify {
namespace {

std::string InstantOrNone(const std::optional<Instant>& instant) {
  return instant ? FormatInstant(*instant) : std::string("none");
}

std::string WithRule(const std::string& rule) { return rule.empty() ? std::string() : " (" + rule + ")"; }

std::string ItemSubject(const Item& item) {
  return std::string(ItemKindName(item.kind)) + " " + std::to_string(item.id);
}

}  // namespace

AuditRecord ItemCreatedRecord(const Item& item, const EventRecord& created) {
  // A problem carried over (回头看) begins with the carry_over row: the record names where from.
  const std::string carried = item.carried_from_id == 0 ? std::string()
                                                        : "carried over from " + item.carried_from + " problem " +
                                                              std::to_string(item.carried_from_id) + "; ";
  return MakeAuditRecord(created.actor, kAuditItemCreate, ItemSubject(item),
                carried + item.state.ToString() + (item.unit.empty() ? "" : " unit " + item.unit) + ": " + item.title);
}

AuditRecord ItemEventRecord(const Item& item, const EventRecord& event) {
  return MakeAuditRecord(event.actor, kAuditItemEvent, ItemSubject(item),
                event.from + " -> " + event.to + " " + event.event + (event.note.empty() ? "" : ": " + event.note));
}

AuditRecord ItemDeadlinesRecord(const Item& item) {
  return MakeAuditRecord(kAuditActorSystem, kAuditItemDeadlines, ItemSubject(item),
                "deadline " + InstantOrNone(item.deadline) + WithRule(item.deadline_rule) + ", due " +
                    InstantOrNone(item.due_at) + WithRule(item.due_rule));
}

AuditRecord MetaPutRecord(const std::string& key, const std::string& value) {
  return MakeAuditRecord(kAuditActorSystem, kAuditMetaPut, "meta " + key, value);
}

AuditRecord OutboxRecord(const char* action, std::int64_t message_id, std::string detail) {
  return MakeAuditRecord(kAuditActorNotifier, action, "outbox message " + std::to_string(message_id), std::move(detail));
}

AuditRecord OutboxFailedRecord(std::int64_t message_id, const std::string& error, Instant next_attempt_at, bool dead) {
  const std::string outcome = dead ? "dead" : "retry at " + FormatInstant(next_attempt_at);
  return OutboxRecord(kAuditOutboxFailed, message_id, outcome + ": " + error);
}

AuditRecord SilenceAddedRecord(const Silence& silence, std::string item) {
  return MakeAuditRecord(silence.approved_by, kAuditSilenceAdd, std::move(item),
                "silence " + std::to_string(silence.id) + " until " + FormatInstant(silence.until) +
                    (silence.reason.empty() ? "" : ": " + silence.reason));
}

}  // namespace rectify
