// The forms' builders as they were before the forms were streamed (main at 9826e96), kept word
// for word as the reference that streamed_forms_test.cc compares the streamed forms with: each
// took every item at once, sorted them and built a whole Table. Only the namespace changed.
#include "tests/exports/reference_forms.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/date_rules.h"
#include "engine/item_facts.h"
#include "engine/warning_tiers.h"
#include "exports/form_text.h"

// ---- exports/ledger.cc as it was before the forms streamed ----
namespace rectify::exports::reference {
namespace {

std::vector<Column> LedgerColumns() {
  return {{"序号", 5, Align::kCenter, true},     {"问题来源", 14},
          {"问题领域", 10},                {"问题描述", 28},
          {"整改措施", 24},                {"责任单位", 14},
          {"整改时限", 11, Align::kCenter}, {"整改状态", 8, Align::kCenter},
          {"整改进展", 22},                {"完成时间", 11, Align::kCenter},
          {"备注", 12}};
}

std::string LatestProgress(const std::vector<EventRecord>& history) {
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (it->event == "progress" && !it->note.empty()) return DateText(ShanghaiDate(it->at)) + " " + it->note;
  return "";
}

std::string ClosedOn(const ItemRecord& record) {
  const std::optional<Instant> closed = ClosedAt(record);
  return closed ? DateText(ShanghaiDate(*closed)) : "";
}

std::string Remarks(const ItemRecord& record, Instant as_of) {
  const Item& item = record.item;
  std::vector<std::string> parts;
  if (const std::string late = OverdueRemark(item, as_of); !late.empty()) parts.push_back(late);
  if (ClosedLate(record)) parts.push_back("逾期办结");  // 完成时间 after 整改时限: the table says so in words
  if (item.send_back_count > 0) parts.push_back("退回整改" + std::to_string(item.send_back_count) + "次");
  if (item.reopen_count > 0) parts.push_back("回头看重启" + std::to_string(item.reopen_count) + "次");
  return Join(parts, "；");
}

Row LedgerRow(const Campaign& campaign, const ItemRecord& record, std::size_t number, Instant as_of) {
  const Item& item = record.item;
  const ProblemSource* source = campaign.FindSource(item.source);
  const Area* area = campaign.FindArea(item.area);
  return {std::to_string(number),
          source ? source->name : item.source,
          area ? area->name : "",
          item.title,
          item.measures,
          item.unit.empty() ? "（未交办）" : UnitName(campaign, item.unit),
          ItemDeadlineText(item),
          StateLabel(campaign, item),
          LatestProgress(record.history),
          ClosedOn(record),
          Remarks(record, as_of)};
}

}  // namespace

Result<Table> LedgerTable(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                          const std::optional<std::string>& unit, Instant as_of) {
  const auto scope = ReportingUnit(campaign, unit);
  if (!scope.ok()) return scope.status();
  const Unit* owner = *scope;
  std::vector<const ItemRecord*> listed;
  for (const ItemRecord& record : problems)
    if (record.item.kind == ItemKind::kProblem && (!owner || record.item.unit == owner->id)) listed.push_back(&record);
  std::stable_sort(listed.begin(), listed.end(), [&campaign](const ItemRecord* a, const ItemRecord* b) {
    return UnitOrderKey(campaign, a->item.unit, a->item.id) < UnitOrderKey(campaign, b->item.unit, b->item.id);
  });

  Table table;
  table.sheet_name = "附件1 整改台账";
  table.attachment = "附件1";
  table.title = !campaign.form_titles.ledger.empty() ? campaign.form_titles.ledger
                                                     : (owner ? owner->name : std::string("全镇")) + "问题排查整改台账";
  table.heading = FormHeading(campaign, owner, "范围：全镇各责任单位", as_of);
  table.columns = LedgerColumns();
  std::vector<DataError> errors;
  for (const ItemRecord* record : listed) {
    table.rows.push_back(LedgerRow(campaign, *record, table.rows.size() + 1, as_of));
    if (auto error = StoredDataError(campaign, record->item)) errors.push_back(std::move(*error));
  }
  table.notes = DataErrorNotes(campaign, errors, "已按原样列入本表");
  table.closing = {kSignatureLine};
  table.created = as_of;
  return table;
}

}  // namespace rectify::exports::reference

// ---- exports/roster.cc as it was before the forms streamed ----
namespace rectify::exports::reference {
namespace {

struct RosterColumn {
  Column column;
  bool personal = false;  // absent from the public notice
};

std::vector<RosterColumn> RosterColumns() {
  return {{{"序号", 5, Align::kCenter, true}},         {{"所在村", 10}},
          {{"户主姓名", 10, Align::kCenter}},     {{"身份证号码", 21, Align::kCenter}, true},
          {{"家庭人口", 6, Align::kCenter, true}},      {{"监测对象类别", 13}},
          {{"风险类型", 10}},                     {{"风险发现时间", 12, Align::kCenter}},
          {{"线索来源", 12}},                     {{"联系电话", 14, Align::kCenter}, true},
          {{"银行账号", 22, Align::kCenter}, true}, {{"健康状况", 16}, true},
          {{"办理状态", 10, Align::kCenter}},     {{"纳入监测时间", 12, Align::kCenter}}};
}

// Every column's cell, in RosterColumns() order.
Row RosterRow(const Campaign& campaign, const Item& item, std::size_t number, Disclosure disclosure) {
  const Household& household = *item.household;
  const PersonalData personal = Disclose(household.personal, disclosure);
  const bool entered = item.outcome && item.outcome->entered_on;
  return {std::to_string(number),
          UnitName(campaign, household.village),
          household.head_name,
          personal.id_number,
          household.members > 0 ? std::to_string(household.members) : "",
          ChoiceName(campaign.household_categories, household.category),
          ChoiceName(campaign.risk_types, household.risk_type),
          DateText(household.risk_found_on),
          ChoiceName(campaign.clue_sources, household.clue_source),
          personal.phone,
          personal.bank_account,
          personal.health_condition,
          StateLabel(campaign, item),
          entered ? DateText(*item.outcome->entered_on) : ""};
}

bool Proposed(const Item& item) { return item.kind == ItemKind::kEnrollment && item.household && IsProposed(item); }

}  // namespace

Result<Table> RosterTable(const Campaign& campaign, const std::vector<Item>& enrollments,
                          const std::optional<std::string>& village, Disclosure disclosure, Instant as_of) {
  const auto scope = ReportingUnit(campaign, village);
  if (!scope.ok()) return scope.status();
  const Unit* reporter = *scope;
  std::vector<const Item*> listed;
  for (const Item& item : enrollments)
    if (Proposed(item) && (!reporter || item.household->village == reporter->id)) listed.push_back(&item);
  std::stable_sort(listed.begin(), listed.end(), [&campaign](const Item* a, const Item* b) {
    return UnitOrderKey(campaign, a->household->village, a->id) < UnitOrderKey(campaign, b->household->village, b->id);
  });

  const bool public_notice = disclosure == Disclosure::kOmitted;
  const std::vector<RosterColumn> columns = RosterColumns();
  Table table;
  table.sheet_name = public_notice ? "拟纳入监测对象公示" : "附件3 监测对象花名册";
  table.attachment = public_notice ? "" : "附件3";
  table.title = public_notice                         ? "拟纳入监测对象名单公示"
                : !campaign.form_titles.roster.empty() ? campaign.form_titles.roster
                                                       : "拟纳入监测对象花名册";
  table.heading = FormHeading(campaign, reporter, "范围：全镇各村", as_of);
  if (disclosure == Disclosure::kMasked) table.heading.push_back("个人信息已按规定隐藏部分内容");
  for (const RosterColumn& column : columns)
    if (!(public_notice && column.personal)) table.columns.push_back(column.column);
  std::vector<DataError> errors;
  for (const Item* item : listed) {
    if (auto error = StoredDataError(campaign, *item)) errors.push_back(std::move(*error));
    const Row full = RosterRow(campaign, *item, table.rows.size() + 1, disclosure);
    Row& row = table.rows.emplace_back();
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (!(public_notice && columns[c].personal)) row.push_back(full[c]);
  }
  // The public notice is posted in the village: the office's data errors are not its business.
  if (!public_notice) table.notes = DataErrorNotes(campaign, errors, "已按原样列入本表");
  if (public_notice) {
    const std::string office = UnitName(campaign, campaign.notifier.office);
    table.closing = {"本公示不含身份证号码、联系电话、银行账号和健康状况等个人信息。",
                     "公示时间：      年    月    日至      年    月    日。公示期间如有异议，请向村民委员会" +
                         (office.empty() ? "" : "或" + office) + "反映。"};
  } else {
    table.closing = {kSignatureLine};
  }
  table.created = as_of;
  return table;
}

}  // namespace rectify::exports::reference

// ---- exports/bulletin.cc as it was before the forms streamed ----
namespace rectify::exports::reference {
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

Result<Table> BulletinTable(const Campaign& campaign, const std::vector<Item>& items,
                            const std::vector<UnitRates>& rates, Instant as_of) {
  if (!campaign.calendar)
    return Status::InvalidArgument("calendar", "overdue working days need the campaign's calendar");
  RECTIFY_RETURN_IF_ERROR(CheckReportInstant(campaign, as_of, "as_of"));
  std::vector<DataError> errors;
  std::vector<const Item*> listed;
  for (const Item& item : items) {
    if (!item.due_at) continue;  // closed, or no deadline in force: never on the bulletin
    if (auto error = StoredDataError(campaign, item)) errors.push_back(std::move(*error));
    else if (IsOverdue(item, as_of)) listed.push_back(&item);
  }
  std::stable_sort(listed.begin(), listed.end(), [&campaign](const Item* a, const Item* b) {
    const std::size_t rank_a = UnitRank(campaign, a->unit);
    const std::size_t rank_b = UnitRank(campaign, b->unit);
    if (rank_a != rank_b) return rank_a < rank_b;
    return *a->due_at != *b->due_at ? *a->due_at < *b->due_at : a->id < b->id;
  });

  Table table;
  table.sheet_name = "督查通报";
  table.title = "逾期未办结事项督查通报";
  table.columns = BulletinColumns();
  std::set<std::string> units;
  for (const Item* item : listed) {
    auto days = WorkingDaysOverdue(*campaign.calendar, *item->due_at, as_of);
    if (!days.ok()) {
      errors.push_back(DataErrorOf(*item, days.status()));
      continue;
    }
    if (!item->unit.empty()) units.insert(item->unit);
    // The responsible unit's rates; an unassigned item, or a unit that has held nothing, has none.
    auto held_by = [item](const UnitRates& r) { return !item->unit.empty() && r.unit == item->unit; };
    const auto found = std::find_if(rates.begin(), rates.end(), held_by);
    const UnitRates r = found == rates.end() ? UnitRates{} : *found;
    table.rows.push_back({std::to_string(table.rows.size() + 1),
                          item->unit.empty() ? "（未交办）" : UnitName(campaign, item->unit),
                          item->kind == ItemKind::kProblem ? "问题整改" : "监测纳入",
                          item->title,
                          AreaOrVillage(campaign, *item),
                          StateLabel(campaign, *item),
                          // The overall deadline in force says when it was extended.
                          item->due_rule.empty() ? ItemDeadlineText(*item) : DeadlineText(*item->due_at),
                          DueRuleName(campaign, *item),
                          std::to_string(*days),
                          TierName(campaign, TierId(campaign, *item, as_of)),
                          RateText(r.signed_on_time, r.sign_for_judged),
                          RateText(r.closed_on_time, r.close_judged),
                          RateText(r.sent_back, r.held)});
  }
  table.notes = DataErrorNotes(campaign, errors, "未列入本通报");
  const CivilDate today = ShanghaiDate(as_of);
  table.heading = {campaign.name,
                   "截至" + ChineseDate(today) + TimeOfDayText(as_of) + "，" + std::to_string(units.size()) +
                       "个单位共" + std::to_string(table.rows.size()) +
                       "项事项逾期未办结。逾期天数按国家法定工作日计算（不含周末和法定节假日，含调休上班日）。"};
  const std::string supervisors = Supervisors(campaign);
  table.closing = {(supervisors.empty() ? std::string() : "通报单位：" + supervisors + "        ") +
                   "通报日期：" + ChineseDate(today)};
  table.created = as_of;
  return table;
}

}  // namespace rectify::exports::reference
