#include "engine/village_scores.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/charges.h"
#include "engine/date_rules.h"
#include "engine/deadlines.h"
#include "engine/history_facts.h"
#include "engine/item_facts.h"

namespace rectify {
namespace {

double Rate(int good, int judged) { return judged == 0 ? 1.0 : static_cast<double>(good) / judged; }

}  // namespace

VillageScoreTally::VillageScoreTally(const Campaign& campaign, Instant as_of) : campaign_(campaign), as_of_(as_of) {
  for (const Unit& unit : campaign.units)
    if (unit.kind == UnitKind::kVillage) by_village_[unit.id].village = unit.id;
}

Status VillageScoreTally::Check() const {
  if (!campaign_.scores) return Status::FailedPrecondition("the campaign file has no score formula (scores)", {});
  if (!campaign_.calendar) return Status::InvalidArgument("calendar", "scores count working days: no calendar");
  return CheckReportInstant(campaign_, as_of_, "as_of");
}

bool VillageScoreTally::Computable(const Item& item) {
  auto error = StoredDataError(campaign_, item);
  if (error) data_errors_.push_back(std::move(*error));
  return !error;
}

void VillageScoreTally::Add(const Item& item, const HistoryFacts& facts, int weight) {
  if (!RecordedBy(item, as_of_)) return;
  if (item.kind == ItemKind::kProblem) AddProblem(item, facts, weight);
  else AddEnrollment(item, facts, weight);
}

bool VillageScoreTally::ConcernsAVillage(const Item& item, const HistoryFacts& facts) const {
  return by_village_.count(item.unit) > 0 ||
         std::any_of(facts.holders.begin(), facts.holders.end(),
                     [&](const std::pair<Instant, std::string>& holder) { return by_village_.count(holder.second) > 0; });
}

bool VillageScoreTally::ChargeOverdueDays(const Item& item, const HistoryFacts& facts, int weight) {
  auto days = OverdueWorkingDaysByUnit(*campaign_.calendar, item, facts, as_of_);
  if (!days.ok()) {
    data_errors_.push_back(DataErrorOf(item, days.status()));
    return false;
  }
  for (const auto& [unit, overdue] : *days)
    if (const auto charged = by_village_.find(unit); charged != by_village_.end())
      charged->second.overdue_working_days += overdue * weight;
  return true;
}

void VillageScoreTally::AddProblem(const Item& item, const HistoryFacts& facts, int weight) {
  // A problem counts for the village that holds it now (its rate) and for every village that
  // held it when its work was sent back or a day of it was overdue (the penalties). Only the
  // items that count for a village are checked: a department's bad item is not the scores'
  // concern.
  if (!ConcernsAVillage(item, facts) || !Computable(item)) return;
  if (!ChargeOverdueDays(item, facts, weight)) return;
  if (const auto found = by_village_.find(item.unit); found != by_village_.end()) {
    VillageScore& v = found->second;
    v.problems += weight;
    const bool closed = ClosedAt(item, facts).has_value();
    if (closed || IsOpenPastDeadline(item, as_of_)) {
      v.problems_judged += weight;
      if (closed && !ClosedLate(item, facts)) v.problems_on_time += weight;
    }
  }
  for (const auto& [unit, times] : facts.send_backs)
    if (const auto charged = by_village_.find(unit); charged != by_village_.end()) charged->second.send_backs += times * weight;
}

void VillageScoreTally::AddEnrollment(const Item& item, const HistoryFacts& facts, int weight) {
  // The household's village answers for its enrollment within the campaign's limit (two months
  // from the risk); a day the request was overdue counts against the village that held it then,
  // as a problem's does.
  const auto household_village =
      item.household && IsProposed(item) ? by_village_.find(item.household->village) : by_village_.end();
  if ((household_village == by_village_.end() && !ConcernsAVillage(item, facts)) || !Computable(item)) return;
  auto limit = RuleLimitFor(campaign_, item);
  if (!limit.ok()) {
    data_errors_.push_back(DataErrorOf(item, limit.status()));
    return;
  }
  if (!ChargeOverdueDays(item, facts, weight) || household_village == by_village_.end()) return;
  VillageScore& v = household_village->second;
  v.households += weight;
  if (JudgedAgainstLimit(item, *limit, as_of_)) {
    v.households_judged += weight;
    if (EnrolledWithinLimit(item, facts, *limit)) v.households_in_time += weight;
  }
}

VillageScores VillageScoreTally::Finish() && {
  const ScoreFormula& formula = *campaign_.scores;
  VillageScores out;
  out.data_errors = std::move(data_errors_);
  std::vector<VillageScore>& scores = out.villages;
  for (auto& [id, v] : by_village_) {
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
    return campaign_.UnitRank(a.village) < campaign_.UnitRank(b.village);
  });
  for (std::size_t i = 0; i < scores.size(); ++i)
    scores[i].rank = i > 0 && scores[i].score == scores[i - 1].score ? scores[i - 1].rank : static_cast<int>(i) + 1;
  return out;
}

Result<VillageScores> ScoreVillages(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                                    const std::vector<ItemRecord>& enrollments, Instant as_of) {
  VillageScoreTally tally(campaign, as_of);
  RECTIFY_RETURN_IF_ERROR(tally.Check());
  for (const ItemRecord& record : problems)
    if (record.item.kind == ItemKind::kProblem) tally.Add(record.item, HistoryFactsOf(record));
  for (const ItemRecord& record : enrollments)
    if (record.item.kind == ItemKind::kEnrollment) tally.Add(record.item, HistoryFactsOf(record));
  return std::move(tally).Finish();
}

}  // namespace rectify
