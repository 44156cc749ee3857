#include "engine/item_facts.h"

#include <algorithm>

#include "engine/history_facts.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

bool IsClosed(const Item& item) { return WorkflowFor(item.kind).IsClosed(item.state); }

}  // namespace

Pending PendingOf(const Item& item) {
  return Pending{item.sign_for.has_value(), item.extension.has_value(), IsEnrolled(item)};
}

bool IsOpenPastDeadline(const Item& item, Instant as_of) {
  return !IsClosed(item) && item.deadline && *item.deadline < as_of;
}

bool RecordedBy(const Item& item, Instant as_of) {
  return item.created_at <= as_of && (!item.carried_at || *item.carried_at <= as_of);
}

bool IsOpenOverdue(const Item& item, Instant as_of) {
  return !IsClosed(item) && item.due_at && *item.due_at < as_of;
}

std::optional<Instant> ClosedAt(const Item& item, const HistoryFacts& facts) {
  if (!IsClosed(item)) return std::nullopt;
  return facts.last_closed_at.value_or(item.updated_at);
}

std::optional<Instant> ClosedAt(const ItemRecord& record) { return ClosedAt(record.item, HistoryFactsOf(record)); }

bool ClosedLate(const Item& item, const HistoryFacts& facts) {
  const std::optional<Instant> closed = ClosedAt(item, facts);
  return closed && item.deadline && *closed > *item.deadline;
}

bool ClosedLate(const ItemRecord& record) { return ClosedLate(record.item, HistoryFactsOf(record)); }

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

bool AwaitsOfficeMemo::operator()(const Item& item) {
  if (item.unit.empty()) return true;
  // What AwaitsOffice reads: the machine's state and pending requests, and the relations of the
  // office (none), the responsible unit and the inspection group (none) to the item.
  const Pending pending = PendingOf(item);
  const Relations unit = RelationsOf(item, item.unit);
  std::string key = std::string(ItemKindName(item.kind)) + "|" + item.state.ToString() + "|" +
                    (pending.sign_for ? "s" : "-") + (pending.extension ? "e" : "-") + (unit.lead ? "l" : "-") +
                    (unit.cooperating ? "c" : "-") + (unit.village ? "v" : "-");
  const auto found = answers_.find(key);
  if (found != answers_.end()) return found->second;
  const bool answer = AwaitsOffice(permissions_, item);
  answers_.emplace(std::move(key), answer);
  return answer;
}

CivilDate DeadlineDay(Instant deadline) { return ShanghaiDate(deadline - 1); }

Result<Instant> DueSoonEnd(const WorkCalendar& calendar, Instant as_of, int working_days) {
  RECTIFY_RETURN_IF_ERROR(calendar.CheckCovered(ShanghaiDate(as_of), "as_of"));
  Result<CivilDate> last = calendar.AddWorkingDays(ShanghaiDate(as_of), working_days);
  if (!last.ok()) {
    // The window runs past the calendar's last year (the last days of December, before next
    // year's notice is loaded): every deadline the calendar covers is then inside it, and those
    // it does not are for the callers to report as data errors. Refusing would stop every
    // reminder of the year's last week for want of next year's holidays.
    const std::vector<int> years = calendar.Years();
    return ShanghaiInstant(CivilDate{years.back() + 1, 1, 1}) + 1;  // DeadlineDay: 12-31, the last covered
  }
  return ShanghaiInstant(*last, kSecondsPerDay) + 1;  // DeadlineDay(end of *last) == *last
}

bool IsProposed(const Item& enrollment) {
  return !(IsClosed(enrollment) && enrollment.outcome && enrollment.outcome->result == "not_eligible");
}

bool IsEnrolled(const Item& enrollment) {
  return IsClosed(enrollment) && enrollment.outcome && enrollment.outcome->result == "enrolled";
}

bool EnrolledWithinLimit(const Item& item, const HistoryFacts& facts, const std::optional<Instant>& limit) {
  if (!IsEnrolled(item)) return false;
  if (!limit) return true;
  if (item.outcome->entered_on) return !(DeadlineDay(*limit) < *item.outcome->entered_on);
  const std::optional<Instant> closed = ClosedAt(item, facts);
  return !closed || *closed <= *limit;
}

bool JudgedAgainstLimit(const Item& item, const std::optional<Instant>& limit, Instant as_of) {
  return IsEnrolled(item) || (!IsClosed(item) && limit && *limit < as_of);
}

bool HasHelpMeasures(const Item& enrollment, const HistoryFacts& facts) {
  if (!IsEnrolled(enrollment)) return false;
  return !enrollment.measures.empty() || facts.progress_noted;
}

bool HasHelpMeasures(const ItemRecord& enrollment) { return HasHelpMeasures(enrollment.item, HistoryFactsOf(enrollment)); }

}  // namespace rectify
