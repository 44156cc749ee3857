#include "engine/dashboard.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/charges.h"
#include "engine/deadlines.h"
#include "engine/feasibility.h"
#include "engine/history_facts.h"
#include "engine/item_facts.h"
#include "engine/permissions.h"
#include "engine/warning_tiers.h"
#include "engine/workflow.h"

namespace rectify {

bool CountsForUnit(const Item& item, const std::string& unit) {
  if (item.kind == ItemKind::kProblem) return item.unit == unit;
  const Relations relations = RelationsOf(item, unit);
  return relations.lead || relations.cooperating || relations.village;
}
namespace {

// Charges an item to the units that held it: sign-for requests and send-backs by the row's
// unit, closing in time by the unit that holds the item now.
void ChargeRates(const Campaign& campaign, const Item& item, const HistoryFacts& facts, Instant as_of, int weight,
                 std::map<std::string, UnitRates>& by_unit) {
  auto row = [&](const std::string& unit) -> UnitRates& {
    UnitRates& rates = by_unit[unit];
    rates.unit = unit;
    rates.tiers.resize(campaign.warning_tiers.size());
    return rates;
  };
  for (const SignForRequestRecord& request : SignForRequests(facts, as_of)) {
    const std::optional<bool> on_time = SignedOnTime(request, as_of);
    if (!on_time || request.unit.empty()) continue;
    UnitRates& rates = row(request.unit);
    rates.sign_for_judged += weight;
    if (*on_time) rates.signed_on_time += weight;
  }
  const std::set<std::string> held = HoldersAsOf(facts, as_of);
  for (const std::string& unit : held) row(unit).held += weight;
  for (const auto& [unit, times] : facts.send_backs)
    if (held.count(unit) > 0) row(unit).sent_back += weight;
  if (item.unit.empty()) return;
  const std::string tier = TierId(campaign, item, as_of);
  for (std::size_t i = 0; i < campaign.warning_tiers.size(); ++i)
    if (campaign.warning_tiers[i].id == tier) row(item.unit).tiers[i] += weight;
  // Counted while an extension can still be asked for: once the deadline has passed the item is
  // overdue, and counted as that.
  if (!IsOpenPastDeadline(item, as_of)) {
    auto feasible = CheckFeasibility(campaign, item, as_of);
    if (feasible.ok() && *feasible && !(*feasible)->in_time) row(item.unit).cannot_finish += weight;
  }
  const bool closed = ClosedAt(item, facts).has_value();
  if (closed || IsOpenPastDeadline(item, as_of)) {
    UnitRates& rates = row(item.unit);
    rates.close_judged += weight;
    if (closed && !ClosedLate(item, facts)) rates.closed_on_time += weight;
  }
}

}  // namespace

std::optional<CivilDate> CampaignStart(const Campaign& campaign) {
  std::optional<CivilDate> start;
  for (const Phase& phase : campaign.phases)
    if (!start || phase.start < *start) start = phase.start;
  return start;
}

DashboardTally::DashboardTally(const Campaign& campaign, Instant as_of) : campaign_(campaign), as_of_(as_of) {
  dashboard_.as_of = as_of;
  for (const Area& area : campaign.areas) dashboard_.areas.push_back({area.number, 0, 0});
  for (const ProblemSource& source : campaign.sources)
    dashboard_.sources.push_back({source.id, source.expected_count, 0, 0, 0});
  const std::optional<CivilDate> start = CampaignStart(campaign);
  if (!start || ShanghaiDate(as_of) < *start) return;
  first_day_ = DaysSinceEpoch(*start);
  open_changes_.assign(static_cast<std::size_t>(DaysSinceEpoch(ShanghaiDate(as_of)) - first_day_ + 1), 0);
}

void DashboardTally::Add(const Item& item, const HistoryFacts& facts, int weight) {
  if (!RecordedBy(item, as_of_)) return;
  if (auto error = StoredDataError(campaign_, item)) {
    (item.kind == ItemKind::kProblem ? problem_errors_ : enrollment_errors_).push_back(std::move(*error));
    return;
  }
  std::optional<Instant> limit;
  if (item.kind == ItemKind::kEnrollment) {
    auto rule_limit = RuleLimitFor(campaign_, item);
    if (!rule_limit.ok()) {
      enrollment_errors_.push_back(DataErrorOf(item, rule_limit.status()));
      return;
    }
    limit = *rule_limit;
  }
  ChargeRates(campaign_, item, facts, as_of_, weight, rates_);
  if (item.kind == ItemKind::kProblem) AddProblem(item, facts, weight);
  else AddEnrollment(item, facts, limit, weight);
}

void DashboardTally::AddProblem(const Item& item, const HistoryFacts& facts, int weight) {
  // The burn-down: changes of the open count by the day they happen on (before the start: the
  // first day).
  if (!open_changes_.empty()) {
    for (const auto& [at, open] : facts.open_changes) {
      if (at > as_of_) break;
      const std::int64_t day = std::max<std::int64_t>(DaysSinceEpoch(ShanghaiDate(at)) - first_day_, 0);
      open_changes_[static_cast<std::size_t>(day)] += open ? weight : -weight;
    }
  }
  auto counts_of = [&](const std::string& unit) -> UnitProblemCounts& {
    UnitProblemCounts& counts = units_[unit];
    counts.unit = unit;
    return counts;
  };
  UnitProblemCounts& counts = counts_of(item.unit);
  counts.total += weight;
  if (IsOpenOverdue(item, as_of_)) counts.overdue += weight;
  else if (ClosedLate(item, facts)) counts.closed_late += weight;
  else counts.on_time += weight;
  for (const auto& [unit, times] : facts.send_backs) {
    UnitProblemCounts& charged = counts_of(unit);
    charged.sent_back += weight;
    charged.send_backs += times * weight;
  }
  const bool closed = ProblemWorkflow().IsClosed(item.state);
  for (SourceProgress& source : dashboard_.sources) {
    if (source.source != item.source) continue;
    source.total += weight;
    if (closed) source.closed += weight;
    if (IsOpenOverdue(item, as_of_)) source.overdue += weight;
  }
  if (item.area >= 1 && item.area <= static_cast<int>(dashboard_.areas.size())) {
    AreaProgress& area = dashboard_.areas[static_cast<std::size_t>(item.area - 1)];
    area.total += weight;
    if (closed) area.closed += weight;
  }
}

void DashboardTally::AddEnrollment(const Item& item, const HistoryFacts& facts, const std::optional<Instant>& limit,
                                   int weight) {
  if (!IsProposed(item)) return;
  EnrollmentProgress& e = dashboard_.enrollment;
  e.proposed += weight;
  if (IsEnrolled(item)) e.enrolled += weight;
  if (EnrolledWithinLimit(item, facts, limit)) e.within_limit += weight;
  if (HasHelpMeasures(item, facts)) e.with_measures += weight;
  if (IsOpenOverdue(item, as_of_)) e.overdue += weight;
}

Dashboard DashboardTally::Finish() && {
  int open = 0;
  for (std::size_t i = 0; i < open_changes_.size(); ++i) {
    open += open_changes_[i];
    dashboard_.burn_down.push_back({DateFromDaysSinceEpoch(first_day_ + static_cast<std::int64_t>(i)), open});
  }
  auto by_rank = [&](const std::string& a, const std::string& b) { return campaign_.UnitRank(a) < campaign_.UnitRank(b); };
  for (auto& [unit, counts] : units_) dashboard_.units.push_back(std::move(counts));
  std::stable_sort(dashboard_.units.begin(), dashboard_.units.end(),
                   [&](const UnitProblemCounts& a, const UnitProblemCounts& b) { return by_rank(a.unit, b.unit); });
  for (auto& [unit, r] : rates_) dashboard_.rates.push_back(std::move(r));
  std::stable_sort(dashboard_.rates.begin(), dashboard_.rates.end(),
                   [&](const UnitRates& a, const UnitRates& b) { return by_rank(a.unit, b.unit); });
  dashboard_.data_errors = std::move(problem_errors_);
  for (DataError& error : enrollment_errors_) dashboard_.data_errors.push_back(std::move(error));
  return std::move(dashboard_);
}

Dashboard BuildDashboard(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                         const std::vector<ItemRecord>& enrollments, Instant as_of) {
  DashboardTally tally(campaign, as_of);
  for (const ItemRecord& record : problems)
    if (record.item.kind == ItemKind::kProblem) tally.Add(record.item, HistoryFactsOf(record));
  for (const ItemRecord& record : enrollments)
    if (record.item.kind == ItemKind::kEnrollment) tally.Add(record.item, HistoryFactsOf(record));
  return std::move(tally).Finish();
}

}  // namespace rectify
