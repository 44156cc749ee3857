#include "exports/form_text.h"

#include <cstdio>
#include <map>

#include "engine/item_facts.h"

namespace rectify::exports {
namespace {

std::string TwoDigits(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

int SecondsOfDay(Instant instant) {
  const Instant local = instant + kShanghaiUtcOffsetSeconds;
  return static_cast<int>(((local % kSecondsPerDay) + kSecondsPerDay) % kSecondsPerDay);
}

}  // namespace

std::string UnitName(const Campaign& campaign, const std::string& unit_id) {
  const Unit* unit = campaign.FindUnit(unit_id);
  return unit ? unit->name : unit_id;
}

std::size_t UnitRank(const Campaign& campaign, const std::string& unit_id) { return campaign.UnitRank(unit_id); }

Result<const Unit*> ReportingUnit(const Campaign& campaign, const std::optional<std::string>& unit_id) {
  if (!unit_id) return static_cast<const Unit*>(nullptr);
  if (const Unit* unit = campaign.FindUnit(*unit_id)) return unit;
  return Status::NotFound("no unit \"" + *unit_id + "\" in campaign " + campaign.id);
}

std::vector<std::string> FormHeading(const Campaign& campaign, const Unit* reporter, const std::string& scope,
                                     Instant as_of) {
  return {campaign.name, (reporter ? "填报单位：" + reporter->name : scope) + "        导出日期：" +
                             ChineseDate(ShanghaiDate(as_of))};
}

std::string ChoiceName(const std::vector<Choice>& choices, const std::string& id) {
  const Choice* choice = FindChoice(choices, id);
  return choice ? choice->name : id;
}

std::string StateLabel(const Campaign& campaign, const Item& item) { return campaign.StateLabel(item.kind, item.state); }

std::string DateText(const CivilDate& date) { return FormatDate(date); }

std::string ItemDeadlineText(const Item& item) {
  if (!item.deadline) return "";
  if (!item.original_deadline) return DeadlineText(*item.deadline);
  return "延期至" + DeadlineText(*item.deadline) + "（原时限" + DeadlineText(*item.original_deadline) + "）";
}

std::string DeadlineText(Instant deadline) {
  if (SecondsOfDay(deadline) == 0) return DateText(ShanghaiDate(deadline - 1));  // 24:00 ends the day before
  return DateText(ShanghaiDate(deadline)) + " " + TimeOfDayText(deadline);
}

std::string TimeOfDayText(Instant instant) {
  const int seconds = SecondsOfDay(instant);
  return TwoDigits(seconds / 3600) + ":" + TwoDigits(seconds % 3600 / 60);
}

std::string ChineseDate(const CivilDate& date) {
  return std::to_string(date.year) + "年" + std::to_string(date.month) + "月" + std::to_string(date.day) + "日";
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

std::vector<std::string> DataErrorNotes(const Campaign& campaign, const std::vector<DataError>& errors,
                                        const std::string& what_became_of_it) {
  static const std::map<std::string, std::string> kFieldNames = {
      {"deadline", "办理时限"}, {"due_at", "当前办理时限"}, {"risk_found_on", "风险发现时间"},
      {"entered_on", "纳入监测时间"}};
  std::string years;
  if (campaign.calendar) {
    const std::vector<int> covered = campaign.calendar->Years();
    years = std::to_string(covered.front()) + (covered.size() > 1 ? "—" + std::to_string(covered.back()) : "") + "年";
  }
  std::vector<std::string> notes;
  for (const DataError& error : errors) {
    std::string note = "数据错误：" + std::string(error.kind == ItemKind::kProblem ? "问题" : "监测纳入申请") + " " +
                       std::to_string(error.item_id) + "「" + error.title + "」";
    const auto field = kFieldNames.find(error.field);
    if (!error.value.empty() && field != kFieldNames.end() && !years.empty())
      note += "的" + field->second + " " + error.value + " 超出本系统节假日日历的年份（" + years + "）";
    else
      note += "无法计算（" + error.message + "）";
    notes.push_back(note + "，" + what_became_of_it + "，请核实更正。");
  }
  return notes;
}

bool IsOverdue(const Item& item, Instant as_of) { return IsOpenOverdue(item, as_of); }

std::string OverdueRemark(const Item& item, Instant as_of) {
  if (IsOpenPastDeadline(item, as_of)) return "已逾期";
  if (!IsOpenOverdue(item, as_of)) return "";
  return item.sign_for ? "逾期未签收" : "本环节逾期";
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  std::string text = buffer;
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text;
}

std::string Percent(double rate) { return Number(rate * 100) + "%"; }

std::string RateText(int good, int judged) {
  if (judged == 0) return "—";
  return Percent(static_cast<double>(good) / judged) + "（" + std::to_string(good) + "/" + std::to_string(judged) + "）";
}

}  // namespace rectify::exports
