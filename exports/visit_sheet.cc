#include "exports/visit_sheet.h"

#include <algorithm>
#include <utility>

#include "engine/visit_workflow.h"
#include "exports/form_text.h"

namespace rectify::exports {
namespace {

std::string VisitSheetTitle(const Campaign& campaign) {
  return campaign.form_titles.visit_sheet.empty() ? "入户核查表" : campaign.form_titles.visit_sheet;
}

constexpr const char* kSignatures[] = {
    "核查人员签字：______________  ______________  ______________        日期：      年    月    日",
    "户主签字（按手印）：______________        户主对核查情况无异议。",
    "村（社区）负责人签字：______________        村民委员会（盖章）        日期：      年    月    日",
};

std::string Yuan(const std::optional<int>& value) { return value ? std::to_string(*value) + "元" : ""; }

std::string Secured(bool secured) { return secured ? "有保障" : "未保障"; }

// A choice to tick by hand on a blank sheet: □有保障  □未保障.
std::string Boxes(const std::vector<std::string>& choices) {
  std::string out;
  for (const std::string& choice : choices) out += (out.empty() ? "□" : "  □") + choice;
  return out;
}

std::vector<std::string> ChoiceNames(const std::vector<Choice>& choices) {
  std::vector<std::string> names;
  for (const Choice& choice : choices) names.push_back(choice.name);
  return names;
}

std::string IncomeChange(const SurveyVisit& visit) {
  if (!visit.income_last_year || !visit.income_this_year || *visit.income_last_year <= 0) return "";
  const long change = 100L * (*visit.income_this_year - *visit.income_last_year) / *visit.income_last_year;
  return (change > 0 ? "+" : "") + std::to_string(change) + "%";
}

std::string Team(const Campaign& campaign, const SurveyVisit& visit) {
  std::vector<std::string> people;
  for (const TeamMember& member : visit.team)
    people.push_back(member.name + "（" + ChoiceName(campaign.survey->team_roles, member.role) + "）");
  return Join(people, "、");
}

std::string Causes(const Campaign& campaign, const SurveyVisit& visit) {
  std::vector<std::string> names;
  for (const std::string& cause : visit.spending_causes) names.push_back(ChoiceName(campaign.risk_types, cause));
  return Join(names, "、");
}

std::string Conclusion(const SurveyVisit& visit) { return visit.risk_found ? "存在返贫致贫风险" : "无返贫致贫风险"; }

std::string HealthShown(const SurveyVisit& visit, Disclosure disclosure) {
  if (visit.health_condition.empty()) return "";
  PersonalData health;
  health.health_condition = visit.health_condition;
  return Disclose(health, disclosure).health_condition;
}

}  // namespace

Result<Table> VisitSheetTable(const Campaign& campaign, const SurveyHousehold& household, Disclosure disclosure,
                              Instant as_of) {
  if (!campaign.survey) return Status::FailedPrecondition("campaign " + campaign.id + " has no survey", {});
  const SurveySettings& survey = *campaign.survey;
  const PersonalData personal = Disclose(household.personal, disclosure);
  const std::optional<SurveyVisit>& visit = household.visit;
  const bool standing = visit && SurveyVisitWorkflow().IsVisited(household.state);
  Table table;
  table.sheet_name = "附件2 入户核查表";
  table.attachment = "附件2";
  table.title = VisitSheetTitle(campaign);
  const Unit* village = campaign.FindUnit(household.village);
  table.heading = FormHeading(campaign, village, "", as_of);
  if (disclosure == Disclosure::kMasked) table.heading.push_back("个人信息已按规定隐藏部分内容");
  table.columns = {{"核查项目", 26}, {"核查情况", 90}};
  auto add = [&table](std::string item, std::string value) { table.rows.push_back({std::move(item), std::move(value)}); };
  add("所在村、村民小组", UnitName(campaign, household.village) + (household.group.empty() ? "" : " " + household.group));
  add("户主姓名", household.head_name);
  add("身份证号码", personal.id_number);
  add("联系电话", personal.phone);
  add("户类型", ChoiceName(survey.household_types, household.household_type));
  add("重点核查原因", ChoiceName(survey.priorities, household.priority) +
                          (household.note.empty() ? "" : "；" + household.note));
  add("核查状态", survey.LabelOf(household.state));
  if (!visit) {
    // Not visited yet: the sheet the team takes to the household and fills in by hand, with the
    // same items the page records.
    table.heading.push_back("尚未入户核查：本表入户时手工填写");
    for (const char* item : {"走访日期", "核查人员（姓名、身份）", "家庭人口", "上年家庭人均纯收入", "今年预计家庭人均纯收入"})
      add(item, "");
    add("今年刚性支出", "            元（原因：" + Boxes(ChoiceNames(campaign.risk_types)) + "）");
    for (const char* item : {"义务教育", "基本医疗", "住房安全", "饮水安全"}) add(item, Boxes({"有保障", "未保障"}));
    for (const char* item : {"健康状况", "已落实的帮扶措施", "核查发现的问题"}) add(item, "\n\n");
    add("核查结论", Boxes({"无返贫致贫风险", "存在返贫致贫风险"}));
    add("风险类型（有风险时填）", Boxes(ChoiceNames(campaign.risk_types)));
    add("风险出现时间（有风险时填）", "      年    月    日");
    add("拟纳入监测对象类别（有风险时填）", Boxes(ChoiceNames(campaign.household_categories)));
  } else {
    add("走访日期", DateText(visit->visited_on));
    add("核查人员（姓名、身份）", Team(campaign, *visit));
    add("家庭人口", std::to_string(visit->members) + "人");
    add("上年家庭人均纯收入", Yuan(visit->income_last_year));
    add("今年预计家庭人均纯收入", Yuan(visit->income_this_year));
    add("收入变化", IncomeChange(*visit));
    add("今年刚性支出", Yuan(visit->rigid_spending) + (visit->spending_causes.empty() ? "" : "（" + Causes(campaign, *visit) + "）"));
    add("义务教育", Secured(visit->education_secured));
    add("基本医疗", Secured(visit->medical_secured));
    add("住房安全", Secured(visit->housing_secured));
    add("饮水安全", Secured(visit->water_secured));
    add("健康状况", HealthShown(*visit, disclosure));
    add("已落实的帮扶措施", visit->assistance);
    add("核查发现的问题", visit->findings);
    add("核查结论", Conclusion(*visit) + (standing ? "" : "（核查表已退回，待重新核查）"));
    if (visit->risk_found) {
      add("风险类型", ChoiceName(campaign.risk_types, visit->risk_type));
      add("风险出现时间", visit->risk_found_on ? DateText(*visit->risk_found_on) : "");
      add("拟纳入监测对象类别", ChoiceName(campaign.household_categories, visit->category));
      add("识别纳入申请", household.enrollment_id ? "已启动（编号" + std::to_string(*household.enrollment_id) + "）"
                                                  : "尚未启动");
    }
  }
  table.closing.assign(std::begin(kSignatures), std::end(kSignatures));
  table.created = as_of;
  table.print = FormFrame::Print::kSheetOnePage;
  return table;
}

Result<Table> VisitListTable(const Campaign& campaign, const std::vector<SurveyHousehold>& households,
                             const std::optional<std::string>& village, Disclosure disclosure, Instant as_of) {
  if (!campaign.survey) return Status::FailedPrecondition("campaign " + campaign.id + " has no survey", {});
  const SurveySettings& survey = *campaign.survey;
  const auto scope = ReportingUnit(campaign, village);
  if (!scope.ok()) return scope.status();
  const Unit* reporter = *scope;
  std::vector<const SurveyHousehold*> listed;
  for (const SurveyHousehold& h : households)
    if (!reporter || h.village == reporter->id) listed.push_back(&h);
  std::stable_sort(listed.begin(), listed.end(), [&campaign](const SurveyHousehold* a, const SurveyHousehold* b) {
    return UnitOrderKey(campaign, a->village, a->id) < UnitOrderKey(campaign, b->village, b->id);
  });
  Table table;
  table.sheet_name = "附件2 入户核查汇总";
  table.attachment = "附件2";
  table.title = VisitSheetTitle(campaign) + "（汇总）";
  table.heading = FormHeading(campaign, reporter, "范围：全镇各村", as_of);
  if (disclosure == Disclosure::kMasked) table.heading.push_back("个人信息已按规定隐藏部分内容");
  // Twenty columns on A4 landscape: narrow ones whose text wraps (rows grow taller), so that the
  // page is scaled to about two thirds rather than half (the per-household sheet is what is
  // signed; this summary is mostly read on screen).
  table.columns = {{"序号", 5, Align::kCenter, true},        {"所在村", 9},
                   {"组", 5, Align::kCenter},          {"户主姓名", 8, Align::kCenter},
                   {"身份证号码", 19, Align::kCenter}, {"联系电话", 12.5, Align::kCenter},
                   {"户类型", 10},                     {"核查原因", 10},
                   {"核查状态", 8, Align::kCenter},    {"走访日期", 10, Align::kCenter},
                   {"核查人员", 14},                   {"家庭人口", 5, Align::kCenter, true},
                   {"人均纯收入（上年/今年）", 12},    {"刚性支出", 12},
                   {"两不愁三保障及饮水", 12},         {"健康状况", 10},
                   {"帮扶措施", 14},                   {"核查发现", 16},
                   {"核查结论", 12},                   {"识别纳入", 9}};
  for (const SurveyHousehold* h : listed) {
    const PersonalData personal = Disclose(h->personal, disclosure);
    Row row = {std::to_string(table.rows.size() + 1),
               UnitName(campaign, h->village),
               h->group,
               h->head_name,
               personal.id_number,
               personal.phone,
               ChoiceName(survey.household_types, h->household_type),
               ChoiceName(survey.priorities, h->priority),
               survey.LabelOf(h->state)};
    if (h->visit) {
      const SurveyVisit& v = *h->visit;
      std::vector<std::string> gaps;
      for (const auto& [secured, name] : {std::pair{v.education_secured, "义务教育"}, std::pair{v.medical_secured, "基本医疗"},
                                          std::pair{v.housing_secured, "住房安全"}, std::pair{v.water_secured, "饮水安全"}})
        if (!secured) gaps.push_back(name);
      row.insert(row.end(),
                 {DateText(v.visited_on), Team(campaign, v), std::to_string(v.members),
                  Yuan(v.income_last_year) + " / " + Yuan(v.income_this_year) +
                      (IncomeChange(v).empty() ? "" : "（" + IncomeChange(v) + "）"),
                  Yuan(v.rigid_spending) + (v.spending_causes.empty() ? "" : "（" + Causes(campaign, v) + "）"),
                  gaps.empty() ? "均有保障" : Join(gaps, "、") + "未保障", HealthShown(v, disclosure), v.assistance,
                  v.findings,
                  v.risk_found ? Conclusion(v) + "：" + ChoiceName(campaign.risk_types, v.risk_type) : Conclusion(v),
                  h->enrollment_id ? "已启动（编号" + std::to_string(*h->enrollment_id) + "）" : ""});
    }
    table.rows.push_back(std::move(row));
  }
  table.closing = {kSignatureLine};
  table.created = as_of;
  return table;
}

}  // namespace rectify::exports
