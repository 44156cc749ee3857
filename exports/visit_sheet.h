// 附件2 入户核查表: the household visit sheet the village teams fill in during 组织实施, per
// household (a printable sheet of its items, with the signature lines of the paper form) and per
// village (one row per household on the list: who was visited, when, by whom, what was found).
//
// The plan names the form (《2021年桃江县巩固脱贫攻坚成果秋季攻势入户核查表》) without printing it,
// so its items follow the plan's words (刚性支出较大或收入大幅缩减, 两不愁三保障 and drinking water,
// the help in place) and what the survey records. A county holding the paper form should compare.
//
// Personal data (身份证号码, 联系电话, 健康状况) follows `disclosure` like the roster's
// (exports/roster.h): in full for the people who handle the village, masked for everyone else.
// kOmitted is not offered: the sheet is never published.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/personal_data.h"
#include "engine/status.h"
#include "engine/survey.h"
#include "exports/table.h"

namespace rectify::exports {

// One household's sheet: two columns, 核查项目 and 核查情况, its rows the sheet's items; the
// closing lines are the signatures (核查人员, 户主, 村负责人) and the village's stamp.
// kFailedPrecondition for a campaign without a survey.
Result<Table> VisitSheetTable(const Campaign& campaign, const SurveyHousehold& household, Disclosure disclosure,
                              Instant as_of);

// The village's list (`village` its id) or the town's (nullopt), by village in the campaign's
// order, then id; every household, visited or not. kNotFound when `village` is not a unit.
Result<Table> VisitListTable(const Campaign& campaign, const std::vector<SurveyHousehold>& households,
                             const std::optional<std::string>& village, Disclosure disclosure, Instant as_of);

}  // namespace rectify::exports
