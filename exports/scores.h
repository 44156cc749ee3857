// 实效考核得分: the villages' performance scores (engine/village_scores.h) as a ranked table for
// the leading group, with the formula printed under the title so every number can be checked.
//
// One row per village, best first. Columns: 排名, 村, 得分, 负责问题数, 按时销号率, 退回整改次数,
// 逾期工作日, 拟纳入监测户数, 两个月内纳入率. Rates are percentages with one decimal. The items
// the scores left out (data errors) are notes under the rows.
#pragma once

#include <vector>

#include "engine/campaign.h"
#include "engine/status.h"
#include "engine/time.h"
#include "engine/village_scores.h"
#include "exports/table.h"

namespace rectify::exports {

// kFailedPrecondition when the campaign has no score formula.
Result<Table> ScoresTable(const Campaign& campaign, const VillageScores& scores, Instant as_of);

}  // namespace rectify::exports
