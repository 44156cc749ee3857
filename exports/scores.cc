#include "exports/scores.h"

#include "exports/form_text.h"

namespace rectify::exports {
namespace {

std::vector<Column> ScoreColumns() {
  return {{"排名", 6, Align::kCenter, true},           {"村", 14},
          {"得分", 8, Align::kCenter, true},           {"负责问题数", 10, Align::kCenter, true},
          {"按时销号率", 11, Align::kCenter},    {"退回整改次数", 12, Align::kCenter, true},
          {"逾期工作日", 10, Align::kCenter, true},    {"拟纳入监测户数", 14, Align::kCenter, true},
          {"两个月内纳入率", 14, Align::kCenter}};
}

}  // namespace

Result<Table> ScoresTable(const Campaign& campaign, const VillageScores& scores, Instant as_of) {
  if (!campaign.scores) return Status::FailedPrecondition("the campaign file has no score formula (scores)", {});
  const ScoreFormula& f = *campaign.scores;
  Table table;
  table.sheet_name = "实效考核得分";
  table.title = "各村巩固脱贫攻坚成果秋季攻势行动实效考核得分";
  table.columns = ScoreColumns();
  for (const VillageScore& v : scores.villages) {
    table.rows.push_back({std::to_string(v.rank), UnitName(campaign, v.village), Number(v.score),
                          std::to_string(v.problems), Percent(v.on_time_rate), std::to_string(v.send_backs),
                          std::to_string(v.overdue_working_days), std::to_string(v.households),
                          Percent(v.enrollment_rate)});
  }
  table.notes = DataErrorNotes(campaign, scores.data_errors, "未计入得分");
  const CivilDate today = ShanghaiDate(as_of);
  table.heading = {campaign.name, "计分截至" + ChineseDate(today) + TimeOfDayText(as_of)};
  table.closing = {
      "计分办法：得分 = " + Number(f.base) + " + " + Number(f.on_time_points) + " × 按时销号率 + " +
          Number(f.enrollment_points) + " × 两个月内纳入率 − " + Number(f.per_send_back) + " × 退回整改次数 − " +
          Number(f.per_overdue_working_day) + " × 逾期工作日，最低" + Number(f.minimum) + "分，最高" +
          Number(f.maximum) + "分。",
      "按时销号率：已销号或已过整改时限的问题中，在时限内销号的比例；两个月内纳入率：已纳入或已过时限的拟纳入监测户中，"
      "自风险出现起两个月内纳入的比例；尚无可评判事项的按100%计。逾期工作日按国家法定工作日计算。",
      "制表日期：" + ChineseDate(today)};
  table.created = as_of;
  return table;
}

}  // namespace rectify::exports
