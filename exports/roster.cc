#include "exports/roster.h"

#include "engine/item_facts.h"
#include "exports/form_text.h"

namespace rectify::exports {
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

Status WriteRoster(const Campaign& campaign, const ItemWalk& enrollments, const std::optional<std::string>& village,
                   Disclosure disclosure, Instant as_of, FormWriter& out,
                   const std::function<bool(const Item&)>& in_full) {
  const auto scope = ReportingUnit(campaign, village);
  if (!scope.ok()) return scope.status();
  const Unit* reporter = *scope;
  const bool public_notice = disclosure == Disclosure::kOmitted;
  const std::vector<RosterColumn> columns = RosterColumns();
  FormFrame frame;
  frame.sheet_name = public_notice ? "拟纳入监测对象公示" : "附件3 监测对象花名册";
  frame.attachment = public_notice ? "" : "附件3";
  frame.title = public_notice                         ? "拟纳入监测对象名单公示"
                : !campaign.form_titles.roster.empty() ? campaign.form_titles.roster
                                                       : "拟纳入监测对象花名册";
  frame.heading = FormHeading(campaign, reporter, "范围：全镇各村", as_of);
  if (disclosure == Disclosure::kMasked) frame.heading.push_back("个人信息已按规定隐藏部分内容");
  for (const RosterColumn& column : columns)
    if (!(public_notice && column.personal)) frame.columns.push_back(column.column);
  frame.created = as_of;
  RECTIFY_RETURN_IF_ERROR(out.Begin(frame));

  std::size_t rows = 0;
  std::vector<DataError> errors;
  RECTIFY_RETURN_IF_ERROR(enrollments([&](const Item& item) {
    if (!Proposed(item) || (reporter && item.household->village != reporter->id)) return Status::Ok();
    if (auto error = StoredDataError(campaign, item)) errors.push_back(std::move(*error));
    const bool shown_in_full = disclosure == Disclosure::kMasked && in_full && in_full(item);
    const Row full = RosterRow(campaign, item, ++rows, shown_in_full ? Disclosure::kFull : disclosure);
    Row row;
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (!(public_notice && columns[c].personal)) row.push_back(full[c]);
    return out.Add(row);
  }));
  // The public notice is posted in the village: the office's data errors are not its business.
  if (!public_notice) return out.End(DataErrorNotes(campaign, errors, "已按原样列入本表"), {kSignatureLine});
  const std::string office = UnitName(campaign, campaign.notifier.office);
  return out.End({}, {"本公示不含身份证号码、联系电话、银行账号和健康状况等个人信息。",
                      "公示时间：      年    月    日至      年    月    日。公示期间如有异议，请向村民委员会" +
                          (office.empty() ? "" : "或" + office) + "反映。"});
}

}  // namespace rectify::exports
