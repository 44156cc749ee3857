#include "exports/bulletin.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/date_rules.h"
#include "engine/item_facts.h"
#include "engine/warning_tiers.h"
#include "exports/form_text.h"

namespace rectify::exports {
namespace {

std::vector<Column> BulletinColumns() {
  return {{"序号", 5, Align::kCenter, true},     {"责任单位", 16},
          {"事项类别", 9, Align::kCenter},  {"事项", 32},
          {"所属领域（村）", 14},          {"办理状态", 10, Align::kCenter},
          {"办理时限", 14, Align::kCenter}, {"时限依据", 26},
          {"逾期工作日", 8, Align::kCenter, true}, {"预警", 10, Align::kCenter},
          {"按时签收率", 14, Align::kCenter}, {"按时办结率", 14, Align::kCenter},
          {"发回重办率", 14, Align::kCenter}};
}

// The same count as the notifier's digests (notifier/scan.cc).
Result<int> WorkingDaysOverdue(const WorkCalendar& calendar, Instant due_at, Instant as_of) {
  auto days = calendar.WorkingDaysBetween(DeadlineDay(due_at), ShanghaiDate(as_of));
  if (!days.ok()) return days.status();
  return std::max(*days, 0);
}

std::string DueRuleName(const Campaign& campaign, const Item& item) {
  const std::string& rule_id = item.due_rule.empty() ? item.deadline_rule : item.due_rule;
  if (rule_id.empty()) return "指定时限";
  const DeadlineRule* rule = campaign.FindDeadline(rule_id);
  return rule ? rule->name : rule_id;
}

std::string AreaOrVillage(const Campaign& campaign, const Item& item) {
  if (item.household) return UnitName(campaign, item.household->village);
  const Area* area = campaign.FindArea(item.area);
  return area ? area->name : "";
}

std::string Supervisors(const Campaign& campaign) {
  std::vector<std::string> names;
  for (const std::string& id : campaign.notifier.supervisors) names.push_back(UnitName(campaign, id));
  return Join(names, "、");
}

}  // namespace

Status WriteBulletin(const Campaign& campaign, const ItemWalk& with_deadline, const ItemWalk& overdue,
                     const std::vector<UnitRates>& rates, Instant as_of, FormWriter& out) {
  if (!campaign.calendar)
    return Status::InvalidArgument("calendar", "overdue working days need the campaign's calendar");
  RECTIFY_RETURN_IF_ERROR(CheckReportInstant(campaign, as_of, "as_of"));
  // First the counts the heading states, and the stored data errors.
  std::vector<DataError> errors;
  std::size_t rows = 0;
  std::set<std::string> units;
  // Carried into a later campaign (回头看): it goes on there, and is no overdue work of this one's.
  std::vector<std::string> carried_on;
  RECTIFY_RETURN_IF_ERROR(with_deadline([&](const Item& item) {
    if (!item.due_at) return Status::Ok();  // closed, or no deadline in force: never on the bulletin
    if (auto error = StoredDataError(campaign, item)) errors.push_back(std::move(*error));
    return Status::Ok();
  }));
  // The rows, read whole: an outline does not say whether the item was carried on.
  RECTIFY_RETURN_IF_ERROR(overdue([&](const Item& item) {
    if (!item.due_at || StoredDataError(campaign, item) || !IsOverdue(item, as_of)) return Status::Ok();
    if (!item.carried_to.empty()) {
      carried_on.push_back("第" + std::to_string(item.id) + "号");
    } else if (WorkingDaysOverdue(*campaign.calendar, *item.due_at, as_of).ok()) {
      ++rows;
      if (!item.unit.empty()) units.insert(item.unit);
    }
    return Status::Ok();
  }));
  std::sort(errors.begin(), errors.end(), [](const DataError& a, const DataError& b) {
    return std::pair(a.kind != ItemKind::kProblem, a.item_id) < std::pair(b.kind != ItemKind::kProblem, b.item_id);
  });

  FormFrame frame;
  frame.sheet_name = "督查通报";
  frame.title = "逾期未办结事项督查通报";
  frame.columns = BulletinColumns();
  const CivilDate today = ShanghaiDate(as_of);
  frame.heading = {campaign.name,
                   "截至" + ChineseDate(today) + TimeOfDayText(as_of) + "，" + std::to_string(units.size()) +
                       "个单位共" + std::to_string(rows) +
                       "项事项逾期未办结。逾期天数按国家法定工作日计算（不含周末和法定节假日，含调休上班日）。"};
  frame.created = as_of;
  RECTIFY_RETURN_IF_ERROR(out.Begin(frame));

  std::size_t number = 0;
  RECTIFY_RETURN_IF_ERROR(overdue([&](const Item& item) {
    if (!item.due_at || !item.carried_to.empty() || StoredDataError(campaign, item) || !IsOverdue(item, as_of))
      return Status::Ok();
    auto days = WorkingDaysOverdue(*campaign.calendar, *item.due_at, as_of);
    if (!days.ok()) {
      errors.push_back(DataErrorOf(item, days.status()));
      return Status::Ok();
    }
    // The responsible unit's rates; an unassigned item, or a unit that has held nothing, has none.
    auto held_by = [&item](const UnitRates& r) { return !item.unit.empty() && r.unit == item.unit; };
    const auto found = std::find_if(rates.begin(), rates.end(), held_by);
    const UnitRates r = found == rates.end() ? UnitRates{} : *found;
    return out.Add({std::to_string(++number),
                    item.unit.empty() ? "（未交办）" : UnitName(campaign, item.unit),
                    item.kind == ItemKind::kProblem ? "问题整改" : "监测纳入",
                    item.title,
                    AreaOrVillage(campaign, item),
                    StateLabel(campaign, item),
                    // The overall deadline in force says when it was extended.
                    item.due_rule.empty() ? ItemDeadlineText(item) : DeadlineText(*item.due_at),
                    DueRuleName(campaign, item),
                    std::to_string(*days),
                    TierName(campaign, TierId(campaign, item, as_of)),
                    RateText(r.signed_on_time, r.sign_for_judged),
                    RateText(r.closed_on_time, r.close_judged),
                    RateText(r.sent_back, r.held)});
  }));
  const std::string supervisors = Supervisors(campaign);
  std::vector<std::string> notes = DataErrorNotes(campaign, errors, "未列入本通报");
  if (!carried_on.empty()) {
    std::string ids;
    for (const std::string& id : carried_on) ids += (ids.empty() ? "" : "、") + id;
    notes.push_back("另有" + std::to_string(carried_on.size()) + "项问题（" + ids +
                    "）已回头看转入后续行动继续整改，不列入本通报。");
  }
  return out.End(notes,
                 {(supervisors.empty() ? std::string() : "通报单位：" + supervisors + "        ") +
                  "通报日期：" + ChineseDate(today)});
}

}  // namespace rectify::exports
