#include "engine/item_facts.h"

#include <algorithm>

#include "engine/workflow.h"

namespace rectify {
namespace {

bool IsClosed(const Item& item) { return WorkflowFor(item.kind).IsClosed(item.state); }

}  // namespace

Pending PendingOf(const Item& item) { return Pending{item.sign_for.has_value(), item.extension.has_value()}; }

bool IsOpenPastDeadline(const Item& item, Instant as_of) {
  return !IsClosed(item) && item.deadline && *item.deadline < as_of;
}

bool IsOpenOverdue(const Item& item, Instant as_of) {
  return !IsClosed(item) && item.due_at && *item.due_at < as_of;
}

std::optional<Instant> ClosedAt(const ItemRecord& record) {
  const Workflow& workflow = WorkflowFor(record.item.kind);
  if (!workflow.IsClosed(record.item.state)) return std::nullopt;
  for (auto it = record.history.rbegin(); it != record.history.rend(); ++it)
    if (workflow.IsClosed(StatePath::Parse(it->to))) return it->at;
  return record.item.updated_at;
}

bool ClosedLate(const ItemRecord& record) {
  const std::optional<Instant> closed = ClosedAt(record);
  return closed && record.item.deadline && *closed > *record.item.deadline;
}

bool AwaitsOffice(const Permissions& permissions, const Item& item) {
  if (item.unit.empty()) return true;
  const Workflow& workflow = WorkflowFor(item.kind);
  auto moves = [&](const char* role, const std::string& unit) {
    Actor someone;
    someone.roles = {role};
    someone.unit = unit;
    auto permitted =
        workflow.PermittedEvents(item.state, PendingOf(item), Authority{someone, RelationsOf(item, unit), permissions});
    return permitted.ok() && !permitted->empty();
  };
  // The roles that do the work; supervisors and leaders oversee it and move nothing on.
  return moves("office", {}) && !moves("unit_member", item.unit) && !moves("inspector", {});
}

CivilDate DeadlineDay(Instant deadline) { return ShanghaiDate(deadline - 1); }

bool IsProposed(const Item& enrollment) {
  return !(IsClosed(enrollment) && enrollment.outcome && enrollment.outcome->result == "not_eligible");
}

bool IsEnrolled(const Item& enrollment) {
  return IsClosed(enrollment) && enrollment.outcome && enrollment.outcome->result == "enrolled";
}

bool EnrolledWithinLimit(const ItemRecord& enrollment) {
  const Item& item = enrollment.item;
  if (!IsEnrolled(item)) return false;
  if (!item.deadline) return true;
  if (item.outcome->entered_on) return !(DeadlineDay(*item.deadline) < *item.outcome->entered_on);
  return !ClosedLate(enrollment);
}

bool HasHelpMeasures(const ItemRecord& enrollment) {
  if (!IsEnrolled(enrollment.item)) return false;
  if (!enrollment.item.measures.empty()) return true;
  return std::any_of(enrollment.history.begin(), enrollment.history.end(),
                     [](const EventRecord& e) { return e.event == "progress" && !e.note.empty(); });
}

}  // namespace rectify
