#include "engine/dashboard.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/charges.h"
#include "engine/feasibility.h"
#include "engine/item_facts.h"
#include "engine/warning_tiers.h"
#include "engine/workflow.h"

namespace rectify {
namespace {

std::vector<BurnDownPoint> BurnDown(const Campaign& campaign, const std::vector<const ItemRecord*>& problems,
                                    Instant as_of) {
  std::vector<BurnDownPoint> points;
  const std::optional<CivilDate> start = CampaignStart(campaign);
  if (!start) return points;
  const CivilDate last = ShanghaiDate(as_of);
  if (last < *start) return points;
  const std::int64_t first_day = DaysSinceEpoch(*start);
  const std::size_t days = static_cast<std::size_t>(DaysSinceEpoch(last) - first_day + 1);
  // Changes of the open count, by the day they happen on (before the start: the first day).
  std::vector<int> change(days, 0);
  for (const ItemRecord* record : problems) {
    bool open = false;
    for (const EventRecord& event : record->history) {
      if (event.at > as_of) break;
      const bool now_open = !ProblemWorkflow().IsClosed(StatePath::Parse(event.to));
      if (now_open == open) continue;
      open = now_open;
      const std::int64_t day = std::max<std::int64_t>(DaysSinceEpoch(ShanghaiDate(event.at)) - first_day, 0);
      change[static_cast<std::size_t>(day)] += open ? 1 : -1;
    }
  }
  int open = 0;
  for (std::size_t i = 0; i < days; ++i) {
    open += change[i];
    points.push_back({DateFromDaysSinceEpoch(first_day + static_cast<std::int64_t>(i)), open});
  }
  return points;
}

// Charges every item to the units that held it: sign-for requests and send-backs by the row's
// unit, closing in time by the unit that holds the item now.
void ChargeRates(const Campaign& campaign, const ItemRecord& record, Instant as_of,
                 std::map<std::string, UnitRates>& by_unit) {
  auto row = [&](const std::string& unit) -> UnitRates& {
    UnitRates& rates = by_unit[unit];
    rates.unit = unit;
    rates.tiers.resize(campaign.warning_tiers.size());
    return rates;
  };
  for (const SignForRequestRecord& request : SignForRequests(record, as_of)) {
    const std::optional<bool> on_time = SignedOnTime(request, as_of);
    if (!on_time || request.unit.empty()) continue;
    UnitRates& rates = row(request.unit);
    ++rates.sign_for_judged;
    if (*on_time) ++rates.signed_on_time;
  }
  std::set<std::string> held;
  for (const EventRecord& event : record.history)
    if (event.at <= as_of && !event.unit.empty()) held.insert(event.unit);
  for (const std::string& unit : held) ++row(unit).held;
  for (const auto& [unit, times] : SendBacksByUnit(record))
    if (held.count(unit) > 0) ++row(unit).sent_back;
  const Item& item = record.item;
  if (item.unit.empty()) return;
  const std::string tier = TierId(campaign, item, as_of);
  for (std::size_t i = 0; i < campaign.warning_tiers.size(); ++i)
    if (campaign.warning_tiers[i].id == tier) ++row(item.unit).tiers[i];
  auto feasible = CheckFeasibility(campaign, item, as_of);
  if (feasible.ok() && *feasible && !(*feasible)->in_time) ++row(item.unit).cannot_finish;
  const bool closed = ClosedAt(record).has_value();
  if (closed || IsOpenPastDeadline(item, as_of)) {
    UnitRates& rates = row(item.unit);
    ++rates.close_judged;
    if (closed && !ClosedLate(record)) ++rates.closed_on_time;
  }
}

}  // namespace

std::optional<CivilDate> CampaignStart(const Campaign& campaign) {
  std::optional<CivilDate> start;
  for (const Phase& phase : campaign.phases)
    if (!start || phase.start < *start) start = phase.start;
  return start;
}

Dashboard BuildDashboard(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                         const std::vector<ItemRecord>& enrollments, Instant as_of) {
  Dashboard dashboard;
  dashboard.as_of = as_of;
  const std::vector<const ItemRecord*> computable_problems =
      Computable(campaign, problems, ItemKind::kProblem, dashboard.data_errors);
  const std::vector<const ItemRecord*> computable_enrollments =
      Computable(campaign, enrollments, ItemKind::kEnrollment, dashboard.data_errors);
  dashboard.burn_down = BurnDown(campaign, computable_problems, as_of);

  std::map<std::string, UnitProblemCounts> by_unit;
  auto counts_of = [&](const std::string& unit) -> UnitProblemCounts& {
    UnitProblemCounts& counts = by_unit[unit];
    counts.unit = unit;
    return counts;
  };
  std::map<std::string, UnitRates> rates;
  for (const Area& area : campaign.areas) dashboard.areas.push_back({area.number, 0, 0});
  for (const ProblemSource& source : campaign.sources)
    dashboard.sources.push_back({source.id, source.expected_count, 0, 0, 0});
  for (const ItemRecord* record : computable_problems) {
    const Item& item = record->item;
    UnitProblemCounts& counts = counts_of(item.unit);
    ++counts.total;
    if (IsOpenOverdue(item, as_of)) ++counts.overdue;
    else if (ClosedLate(*record)) ++counts.closed_late;
    else ++counts.on_time;
    for (const auto& [unit, times] : SendBacksByUnit(*record)) {
      UnitProblemCounts& charged = counts_of(unit);
      ++charged.sent_back;
      charged.send_backs += times;
    }
    ChargeRates(campaign, *record, as_of, rates);
    for (SourceProgress& source : dashboard.sources) {
      if (source.source != item.source) continue;
      ++source.total;
      if (ProblemWorkflow().IsClosed(item.state)) ++source.closed;
      if (IsOpenOverdue(item, as_of)) ++source.overdue;
    }
    if (item.area >= 1 && item.area <= static_cast<int>(dashboard.areas.size())) {
      AreaProgress& area = dashboard.areas[static_cast<std::size_t>(item.area - 1)];
      ++area.total;
      if (ProblemWorkflow().IsClosed(item.state)) ++area.closed;
    }
  }
  for (auto& [unit, counts] : by_unit) dashboard.units.push_back(std::move(counts));
  std::stable_sort(dashboard.units.begin(), dashboard.units.end(),
                   [&](const UnitProblemCounts& a, const UnitProblemCounts& b) {
                     return campaign.UnitRank(a.unit) < campaign.UnitRank(b.unit);
                   });
  for (const ItemRecord* record : computable_enrollments) ChargeRates(campaign, *record, as_of, rates);
  for (auto& [unit, r] : rates) dashboard.rates.push_back(std::move(r));
  std::stable_sort(dashboard.rates.begin(), dashboard.rates.end(), [&](const UnitRates& a, const UnitRates& b) {
    return campaign.UnitRank(a.unit) < campaign.UnitRank(b.unit);
  });

  EnrollmentProgress& e = dashboard.enrollment;
  for (const ItemRecord* record : computable_enrollments) {
    if (!IsProposed(record->item)) continue;
    ++e.proposed;
    if (IsEnrolled(record->item)) ++e.enrolled;
    if (EnrolledWithinLimit(*record)) ++e.within_limit;
    if (HasHelpMeasures(*record)) ++e.with_measures;
    if (IsOpenOverdue(record->item, as_of)) ++e.overdue;
  }
  return dashboard;
}

}  // namespace rectify
