// The old computation, from git history (engine/dashboard.cc, engine/village_scores.cc,
// engine/charges.cc and engine/item_facts.cc before the history facts): see the header.
#include "tests/figures/reference_figures.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/charges.h"
#include "engine/date_rules.h"
#include "engine/deadlines.h"
#include "engine/feasibility.h"
#include "engine/item_facts.h"
#include "engine/warning_tiers.h"
#include "engine/workflow.h"

namespace rectify::reference {
namespace {

std::optional<Instant> OldClosedAt(const ItemRecord& record) {
  const Workflow& workflow = WorkflowFor(record.item.kind);
  if (!workflow.IsClosed(record.item.state)) return std::nullopt;
  // The last row that moved it from open to closed: a note on the closed item leaves it closed.
  for (auto it = record.history.rbegin(); it != record.history.rend(); ++it)
    if (workflow.IsClosed(StatePath::Parse(it->to)) && !workflow.IsClosed(StatePath::Parse(it->from))) return it->at;
  return record.item.updated_at;
}

bool OldClosedLate(const ItemRecord& record) {
  const std::optional<Instant> closed = OldClosedAt(record);
  return closed && record.item.deadline && *closed > *record.item.deadline;
}

// The campaign's limit from the risk (its enrollment item_default rule), whatever the request's
// own deadline says; the request's deadline when the campaign sets none.
std::optional<Instant> OldRuleLimit(const Campaign& campaign, const Item& item) {
  const DeadlineRule* rule = campaign.DefaultDeadline(DeadlineSubject::kEnrollment);
  if (rule == nullptr || !item.household) return item.deadline;
  auto limit = DeadlineFor(campaign, *rule, item);
  return limit.ok() && *limit ? *limit : item.deadline;
}

bool OldEnrolledWithinLimit(const Campaign& campaign, const ItemRecord& enrollment) {
  const Item& item = enrollment.item;
  if (!IsEnrolled(item)) return false;
  const std::optional<Instant> limit = OldRuleLimit(campaign, item);
  if (!limit) return true;
  if (item.outcome->entered_on) return !(DeadlineDay(*limit) < *item.outcome->entered_on);
  return *OldClosedAt(enrollment) <= *limit;
}

bool OldHasHelpMeasures(const ItemRecord& enrollment) {
  if (!IsEnrolled(enrollment.item)) return false;
  if (!enrollment.item.measures.empty()) return true;
  return std::any_of(enrollment.history.begin(), enrollment.history.end(),
                     [](const EventRecord& e) { return e.event == "progress" && !e.note.empty(); });
}

std::vector<SignForRequestRecord> OldSignForRequests(const ItemRecord& record, Instant as_of) {
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

std::map<std::string, int> OldSendBacksByUnit(const ItemRecord& record) {
  std::map<std::string, int> out;
  for (const EventRecord& event : record.history)
    if (event.sent_back && !event.unit.empty()) ++out[event.unit];
  return out;
}

Result<std::map<std::string, int>> OldOverdueWorkingDaysByUnit(const WorkCalendar& calendar, const ItemRecord& record,
                                                            Instant as_of) {
  std::map<std::string, int> out;
  const Item& item = record.item;
  if (!item.deadline) return out;
  const std::optional<Instant> closed = OldClosedAt(record);
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

double Rate(int good, int judged) { return judged == 0 ? 1.0 : static_cast<double>(good) / judged; }

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
  for (const SignForRequestRecord& request : OldSignForRequests(record, as_of)) {
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
  for (const auto& [unit, times] : OldSendBacksByUnit(record))
    if (held.count(unit) > 0) ++row(unit).sent_back;
  const Item& item = record.item;
  if (item.unit.empty()) return;
  const std::string tier = TierId(campaign, item, as_of);
  for (std::size_t i = 0; i < campaign.warning_tiers.size(); ++i)
    if (campaign.warning_tiers[i].id == tier) ++row(item.unit).tiers[i];
  if (!IsOpenPastDeadline(item, as_of)) {  // not yet overdue: an extension can still be asked for
    auto feasible = CheckFeasibility(campaign, item, as_of);
    if (feasible.ok() && *feasible && !(*feasible)->in_time) ++row(item.unit).cannot_finish;
  }
  const bool closed = OldClosedAt(record).has_value();
  if (closed || IsOpenPastDeadline(item, as_of)) {
    UnitRates& rates = row(item.unit);
    ++rates.close_judged;
    if (closed && !OldClosedLate(record)) ++rates.closed_on_time;
  }
}

// The records of the items there were at `as_of`: created, and carried in, no later.
std::vector<ItemRecord> ThereAt(const std::vector<ItemRecord>& records, Instant as_of) {
  std::vector<ItemRecord> there;
  for (const ItemRecord& record : records)
    if (record.item.created_at <= as_of && (!record.item.carried_at || *record.item.carried_at <= as_of))
      there.push_back(record);
  return there;
}

}  // namespace

Dashboard BuildDashboard(const Campaign& campaign, const std::vector<ItemRecord>& all_problems,
                         const std::vector<ItemRecord>& all_enrollments, Instant as_of) {
  const std::vector<ItemRecord> problems = ThereAt(all_problems, as_of);
  const std::vector<ItemRecord> enrollments = ThereAt(all_enrollments, as_of);
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
    else if (OldClosedLate(*record)) ++counts.closed_late;
    else ++counts.on_time;
    for (const auto& [unit, times] : OldSendBacksByUnit(*record)) {
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
    if (OldEnrolledWithinLimit(campaign, *record)) ++e.within_limit;
    if (OldHasHelpMeasures(*record)) ++e.with_measures;
    if (IsOpenOverdue(record->item, as_of)) ++e.overdue;
  }
  return dashboard;
}

Result<VillageScores> ScoreVillages(const Campaign& campaign, const std::vector<ItemRecord>& all_problems,
                                    const std::vector<ItemRecord>& all_enrollments, Instant as_of) {
  const std::vector<ItemRecord> problems = ThereAt(all_problems, as_of);
  const std::vector<ItemRecord> enrollments = ThereAt(all_enrollments, as_of);
  if (!campaign.scores) return Status::FailedPrecondition("the campaign file has no score formula (scores)", {});
  if (!campaign.calendar) return Status::InvalidArgument("calendar", "scores count working days: no calendar");
  RECTIFY_RETURN_IF_ERROR(CheckReportInstant(campaign, as_of, "as_of"));
  const ScoreFormula& formula = *campaign.scores;
  VillageScores out;

  std::map<std::string, VillageScore> by_village;
  for (const Unit& unit : campaign.units)
    if (unit.kind == UnitKind::kVillage) by_village[unit.id].village = unit.id;

  // Only the items that count for a village are checked: a department's bad item is not the
  // scores' concern.
  auto computable = [&](const Item& item) {
    auto error = StoredDataError(campaign, item);
    if (error) out.data_errors.push_back(std::move(*error));
    return !error;
  };
  // A problem counts for the village that holds it now (its rate) and for every village that
  // held it when its work was sent back or a day of it was overdue (the penalties).
  auto concerns_a_village = [&](const ItemRecord& record) {
    if (by_village.count(record.item.unit) > 0) return true;
    return std::any_of(record.history.begin(), record.history.end(),
                       [&](const EventRecord& event) { return by_village.count(event.unit) > 0; });
  };
  for (const ItemRecord& record : problems) {
    const Item& item = record.item;
    if (item.kind != ItemKind::kProblem || !concerns_a_village(record) || !computable(item)) continue;
    auto days = OldOverdueWorkingDaysByUnit(*campaign.calendar, record, as_of);
    if (!days.ok()) {
      out.data_errors.push_back(DataErrorOf(item, days.status()));
      continue;
    }
    if (const auto found = by_village.find(item.unit); found != by_village.end()) {
      VillageScore& v = found->second;
      ++v.problems;
      const bool closed = OldClosedAt(record).has_value();
      if (closed || IsOpenPastDeadline(item, as_of)) {
        ++v.problems_judged;
        if (closed && !OldClosedLate(record)) ++v.problems_on_time;
      }
    }
    for (const auto& [unit, times] : OldSendBacksByUnit(record))
      if (const auto charged = by_village.find(unit); charged != by_village.end()) charged->second.send_backs += times;
    for (const auto& [unit, overdue] : *days)
      if (const auto charged = by_village.find(unit); charged != by_village.end())
        charged->second.overdue_working_days += overdue;
  }
  // A request counts for its household's village (the share within two months of the risk) and,
  // like a problem, charges its overdue days to the villages that held it.
  for (const ItemRecord& record : enrollments) {
    const Item& item = record.item;
    if (item.kind != ItemKind::kEnrollment) continue;
    const auto found =
        item.household && IsProposed(item) ? by_village.find(item.household->village) : by_village.end();
    if ((found == by_village.end() && !concerns_a_village(record)) || !computable(item)) continue;
    auto days = OldOverdueWorkingDaysByUnit(*campaign.calendar, record, as_of);
    if (!days.ok()) {
      out.data_errors.push_back(DataErrorOf(item, days.status()));
      continue;
    }
    for (const auto& [unit, overdue] : *days)
      if (const auto charged = by_village.find(unit); charged != by_village.end())
        charged->second.overdue_working_days += overdue;
    if (found == by_village.end()) continue;
    VillageScore& v = found->second;
    ++v.households;
    const std::optional<Instant> limit = OldRuleLimit(campaign, item);
    const bool open = !WorkflowFor(item.kind).IsClosed(item.state);
    if (IsEnrolled(item) || (open && limit && *limit < as_of)) {
      ++v.households_judged;
      if (OldEnrolledWithinLimit(campaign, record)) ++v.households_in_time;
    }
  }

  std::vector<VillageScore>& scores = out.villages;
  for (auto& [id, v] : by_village) {
    v.on_time_rate = Rate(v.problems_on_time, v.problems_judged);
    v.enrollment_rate = Rate(v.households_in_time, v.households_judged);
    const double raw = formula.base + formula.on_time_points * v.on_time_rate +
                       formula.enrollment_points * v.enrollment_rate - formula.per_send_back * v.send_backs -
                       formula.per_overdue_working_day * v.overdue_working_days;
    v.score = std::round(std::clamp(raw, formula.minimum, formula.maximum) * 10) / 10;
    scores.push_back(std::move(v));
  }
  std::sort(scores.begin(), scores.end(), [&](const VillageScore& a, const VillageScore& b) {
    if (a.score != b.score) return a.score > b.score;
    return campaign.UnitRank(a.village) < campaign.UnitRank(b.village);
  });
  for (std::size_t i = 0; i < scores.size(); ++i)
    scores[i].rank = i > 0 && scores[i].score == scores[i - 1].score ? scores[i - 1].rank : static_cast<int>(i) + 1;
  return out;
}

}  // namespace rectify::reference
