#include "engine/charges.h"

#include <algorithm>

#include "engine/item_facts.h"
#include "engine/workflow.h"

namespace rectify {

std::optional<bool> SignedOnTime(const SignForRequestRecord& request, Instant as_of) {
  if (request.signed_at) return *request.signed_at <= request.due;
  const Instant ended = request.released_at.value_or(as_of);
  if (ended > request.due) return false;
  return std::nullopt;
}

std::vector<SignForRequestRecord> SignForRequests(const ItemRecord& record, Instant as_of) {
  const Workflow& workflow = WorkflowFor(record.item.kind);
  std::vector<SignForRequestRecord> out;
  bool awaited = false;
  for (const EventRecord& event : record.history) {
    if (event.at > as_of) break;
    if (awaited && event.signed_for) {
      out.back().signed_at = event.at;
      awaited = false;
    }
    if (awaited && (event.sign_for_due || event.unit != out.back().unit ||
                    workflow.IsClosed(StatePath::Parse(event.to)))) {
      out.back().released_at = event.at;
      awaited = false;
    }
    if (event.sign_for_due) {
      out.push_back({event.unit, event.at, *event.sign_for_due, std::nullopt, std::nullopt});
      awaited = true;
    }
  }
  return out;
}

std::map<std::string, int> SendBacksByUnit(const ItemRecord& record) {
  std::map<std::string, int> out;
  for (const EventRecord& event : record.history)
    if (event.sent_back && !event.unit.empty()) ++out[event.unit];
  return out;
}

Result<std::map<std::string, int>> OverdueWorkingDaysByUnit(const WorkCalendar& calendar, const ItemRecord& record,
                                                            Instant as_of) {
  std::map<std::string, int> out;
  const Item& item = record.item;
  if (!item.deadline) return out;
  const std::optional<Instant> closed = ClosedAt(record);
  const Instant until = closed ? *closed : as_of;
  if (until <= *item.deadline) return out;
  const CivilDate from = DeadlineDay(*item.deadline);
  const CivilDate to = ShanghaiDate(until);
  // A row's unit holds the item from the day after the row's day (it held it when that day
  // began) to the day the next row's unit takes over: the days d with start < d <= end. The
  // first row's unit also answers for the days before the item was recorded (a problem typed in
  // after its deadline).
  for (std::size_t i = 0; i < record.history.size(); ++i) {
    const EventRecord& event = record.history[i];
    if (event.at > until) break;
    const bool last = i + 1 == record.history.size() || record.history[i + 1].at > until;
    const CivilDate start = i == 0 ? from : std::max(ShanghaiDate(event.at), from);
    const CivilDate end = last ? to : std::min(ShanghaiDate(record.history[i + 1].at), to);
    if (event.unit.empty() || !(start < end)) continue;
    auto days = calendar.WorkingDaysBetween(start, end);
    if (!days.ok()) return days.status();
    if (*days > 0) out[event.unit] += *days;
  }
  return out;
}

}  // namespace rectify
