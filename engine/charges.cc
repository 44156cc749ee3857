#include "engine/charges.h"

#include <algorithm>

#include "engine/history_facts.h"
#include "engine/item_facts.h"

namespace rectify {

std::optional<bool> SignedOnTime(const SignForRequestRecord& request, Instant as_of) {
  if (request.signed_at) return *request.signed_at <= request.due;
  const Instant ended = request.released_at.value_or(as_of);
  if (ended > request.due) return false;
  return std::nullopt;
}

std::vector<SignForRequestRecord> SignForRequests(const HistoryFacts& facts, Instant as_of) {
  std::vector<SignForRequestRecord> out;
  for (const SignForRequestRecord& request : facts.sign_for_requests) {
    if (request.asked_at > as_of) break;
    SignForRequestRecord then = request;
    if (then.signed_at && *then.signed_at > as_of) then.signed_at.reset();
    if (then.released_at && *then.released_at > as_of) then.released_at.reset();
    out.push_back(std::move(then));
  }
  return out;
}

std::vector<SignForRequestRecord> SignForRequests(const ItemRecord& record, Instant as_of) {
  return SignForRequests(HistoryFactsOf(record), as_of);
}

std::set<std::string> HoldersAsOf(const HistoryFacts& facts, Instant as_of) {
  std::set<std::string> out;
  for (const auto& [at, unit] : facts.holders) {
    if (at > as_of) break;
    if (!unit.empty()) out.insert(unit);
  }
  return out;
}

Result<std::map<std::string, int>> OverdueWorkingDaysByUnit(const WorkCalendar& calendar, const Item& item,
                                                            const HistoryFacts& facts, Instant as_of) {
  std::map<std::string, int> out;
  if (!item.deadline) return out;
  const std::optional<Instant> closed = ClosedAt(item, facts);
  const Instant until = closed ? *closed : as_of;
  if (until <= *item.deadline) return out;
  const CivilDate from = DeadlineDay(*item.deadline);
  const CivilDate to = ShanghaiDate(until);
  // A holder holds the item from the day after the day it took over (it held it when that day
  // began) to the day the next holder takes over: the days d with start < d <= end. The first
  // holder also answers for the days before the item was recorded (a problem typed in after its
  // deadline).
  const auto& holders = facts.holders;
  for (std::size_t i = 0; i < holders.size(); ++i) {
    const auto& [at, unit] = holders[i];
    if (at > until) break;
    const bool last = i + 1 == holders.size() || holders[i + 1].first > until;
    const CivilDate start = i == 0 ? from : std::max(ShanghaiDate(at), from);
    const CivilDate end = last ? to : std::min(ShanghaiDate(holders[i + 1].first), to);
    if (unit.empty() || !(start < end)) continue;
    auto days = calendar.WorkingDaysBetween(start, end);
    if (!days.ok()) return days.status();
    if (*days > 0) out[unit] += *days;
  }
  return out;
}

Result<std::map<std::string, int>> OverdueWorkingDaysByUnit(const WorkCalendar& calendar, const ItemRecord& record,
                                                            Instant as_of) {
  return OverdueWorkingDaysByUnit(calendar, record.item, HistoryFactsOf(record), as_of);
}

}  // namespace rectify
