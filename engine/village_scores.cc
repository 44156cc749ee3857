#include "engine/village_scores.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/charges.h"
#include "engine/date_rules.h"
#include "engine/item_facts.h"

namespace rectify {
namespace {

double Rate(int good, int judged) { return judged == 0 ? 1.0 : static_cast<double>(good) / judged; }

}  // namespace

Result<VillageScores> ScoreVillages(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                                    const std::vector<ItemRecord>& enrollments, Instant as_of) {
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
    auto days = OverdueWorkingDaysByUnit(*campaign.calendar, record, as_of);
    if (!days.ok()) {
      out.data_errors.push_back(DataErrorOf(item, days.status()));
      continue;
    }
    if (const auto found = by_village.find(item.unit); found != by_village.end()) {
      VillageScore& v = found->second;
      ++v.problems;
      const bool closed = ClosedAt(record).has_value();
      if (closed || IsOpenPastDeadline(item, as_of)) {
        ++v.problems_judged;
        if (closed && !ClosedLate(record)) ++v.problems_on_time;
      }
    }
    for (const auto& [unit, times] : SendBacksByUnit(record))
      if (const auto charged = by_village.find(unit); charged != by_village.end()) charged->second.send_backs += times;
    for (const auto& [unit, overdue] : *days)
      if (const auto charged = by_village.find(unit); charged != by_village.end())
        charged->second.overdue_working_days += overdue;
  }
  for (const ItemRecord& record : enrollments) {
    const Item& item = record.item;
    if (item.kind != ItemKind::kEnrollment || !item.household || !IsProposed(item)) continue;
    const auto found = by_village.find(item.household->village);
    if (found == by_village.end() || !computable(item)) continue;
    VillageScore& v = found->second;
    ++v.households;
    if (IsEnrolled(item) || IsOpenPastDeadline(item, as_of)) {
      ++v.households_judged;
      if (EnrolledWithinLimit(record)) ++v.households_in_time;
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

}  // namespace rectify
