#include "engine/item_facts.h"

#include <algorithm>

namespace rectify {
namespace {

constexpr const char* kClosed = "closed";

}  // namespace

bool IsOpenOverdue(const Item& item, Instant as_of) {
  return item.state.state != kClosed && item.due_at && *item.due_at < as_of;
}

std::optional<Instant> ClosedAt(const ItemRecord& record) {
  if (record.item.state.state != kClosed) return std::nullopt;
  for (auto it = record.history.rbegin(); it != record.history.rend(); ++it)
    if (StatePath::Parse(it->to).state == kClosed) return it->at;
  return record.item.updated_at;
}

bool ClosedLate(const ItemRecord& record) {
  const std::optional<Instant> closed = ClosedAt(record);
  return closed && record.item.deadline && *closed > *record.item.deadline;
}

CivilDate DeadlineDay(Instant deadline) { return ShanghaiDate(deadline - 1); }

bool IsProposed(const Item& enrollment) {
  return !(enrollment.state.state == kClosed && enrollment.outcome && enrollment.outcome->result == "not_eligible");
}

bool IsEnrolled(const Item& enrollment) {
  return enrollment.state.state == kClosed && enrollment.outcome && enrollment.outcome->result == "enrolled";
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
