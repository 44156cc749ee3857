// The words and dates the forms share: Chinese names for the campaign's ids, state labels, and
// dates as the forms print them. Pure functions of their arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/campaign.h"
#include "engine/data_error.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify::exports {

// The unit's name as printed on the forms; an unknown id is shown as it is, "" stays "".
std::string UnitName(const Campaign& campaign, const std::string& unit_id);

// Where a unit stands in the campaign's list (forms group by it); after every unit when unknown
// or empty, so unassigned items come last.
std::size_t UnitRank(const Campaign& campaign, const std::string& unit_id);

// Forms list items by unit in the campaign's order, then by id: sort by this key.
inline std::pair<std::size_t, std::int64_t> UnitOrderKey(const Campaign& campaign, const std::string& unit_id,
                                                         std::int64_t item_id) {
  return {UnitRank(campaign, unit_id), item_id};
}

// The unit a form is filled in by: nullptr for a form that covers every unit (nullopt);
// kNotFound when the campaign has no unit `unit_id`.
Result<const Unit*> ReportingUnit(const Campaign& campaign, const std::optional<std::string>& unit_id);

// The lines under a hand-in form's title: the campaign, then who fills it in (or `scope` when it
// covers every unit, "范围：全镇各村") and the export date.
std::vector<std::string> FormHeading(const Campaign& campaign, const Unit* reporter, const std::string& scope,
                                     Instant as_of);

// The choice's name ("因病" for "illness"); an unknown id is shown as it is.
std::string ChoiceName(const std::vector<Choice>& choices, const std::string& id);

// The campaign's label of the item's state path ("整改中"), else of its top-level state, else
// the path itself.
std::string StateLabel(const Campaign& campaign, const Item& item);

// "2021-10-26".
std::string DateText(const CivilDate& date);
// A deadline as people write it: "2021-10-31" when it ends at 24:00, else "2021-10-26 17:30".
std::string DeadlineText(Instant deadline);
// The item's overall deadline (整改时限) as the forms write it: DeadlineText, or once an extension
// was approved "延期至2021-10-29（原时限2021-10-20）"; "" without a deadline.
std::string ItemDeadlineText(const Item& item);
// "09:00", the time of day in Shanghai.
std::string TimeOfDayText(Instant instant);
// "2021年10月22日", for headings and signatures.
std::string ChineseDate(const CivilDate& date);

// "甲、乙、丙" for Join({"甲", "乙", "丙"}, "、").
std::string Join(const std::vector<std::string>& parts, const std::string& separator);

// Open (not closed) and past its deadline in force at `as_of`: the store's overdue rule.
bool IsOverdue(const Item& item, Instant as_of);

// What a row beside the item's 整改时限 says of its lateness at `as_of`: "已逾期" past that
// deadline; past only a step's limit (the deadline in force, due_at, is earlier), what was missed,
// "逾期未签收" or "本环节逾期", so that the form is not read as the 整改时限 missed; else "".
std::string OverdueRemark(const Item& item, Instant as_of);

// One note line per data error, for Table::notes: "数据错误：问题 7「…」的整改时限 2019-05-01
// 超出本系统节假日日历的年份（2021—2026年），<what_became_of_it>，请核实更正。" `what_became_of_it`
// says what the form did with the item ("未计入本表", "已按原样列入本表").
std::vector<std::string> DataErrorNotes(const Campaign& campaign, const std::vector<DataError>& errors,
                                        const std::string& what_became_of_it);

// "87.5": one decimal, no trailing zeros beyond it.
std::string Number(double value);
// "87.5%" for 0.875.
std::string Percent(double rate);
// A rate with its counts, as the dashboard shows it: "87.5%（7/8）"; "—" when nothing is judged.
std::string RateText(int good, int judged);

// The signature and stamp block under a form a unit hands in.
inline constexpr const char* kSignatureLine =
    "单位负责人签字：______________        单位（盖章）        日期：      年    月    日";

}  // namespace rectify::exports
