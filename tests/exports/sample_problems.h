// Four problems of the Gaoqiao campaign, moved through the workflow to four different states,
// for the ledger and the bulletin. Read as of kAsOf (2021-11-02, a Tuesday, 09:00), after the
// 10-31 clearing deadline.
#pragma once

#include <cstdint>

#include "engine/deadlines.h"
#include "tests/exports/export_fixture.h"

namespace rectify::testing {

inline const Instant kAsOf = At(11, 2, 9);

struct SampleProblems {
  std::int64_t closed = 0;      // 镇中心校: explicit deadline 10-20, sent back once, closed 10-19
  std::int64_t working = 0;     // 镇中心校: default deadline 10-31, two progress notes, still open
  std::int64_t assigned = 0;    // 示例村一: assigned on creation, title written like a formula
  std::int64_t unassigned = 0;  // nobody yet: its 3-working-day assignment limit has passed
};

inline SampleProblems AddSampleProblems(ExportFixture& f) {
  SampleProblems ids;
  NewProblem dropout = MakeProblem("某村一名适龄儿童辍学未劝返", 2, "national_assessment_2020", "central_school");
  dropout.measures = "落实“三帮一”劝返复学";
  dropout.deadline = ParseDeadline("2021-10-20");
  ids.closed = f.AddProblem(dropout, At(10, 8, 9));
  f.Fire(ItemKind::kProblem, ids.closed, Event("start"), At(10, 9, 9));
  EventInput progress = Event("progress");
  progress.note = "已上门劝返，学生已返校";
  f.Fire(ItemKind::kProblem, ids.closed, progress, At(10, 12, 10));
  f.Fire(ItemKind::kProblem, ids.closed, Event("submit"), At(10, 13, 9));
  EventInput send_back = Event("send_back");
  send_back.reason = "缺少复学证明";
  f.Fire(ItemKind::kProblem, ids.closed, send_back, At(10, 14, 9));
  f.Fire(ItemKind::kProblem, ids.closed, Event("submit"), At(10, 15, 9));
  f.Fire(ItemKind::kProblem, ids.closed, Event("verify"), At(10, 18, 9));
  f.Fire(ItemKind::kProblem, ids.closed, Event("close"), At(10, 19, 15));

  NewProblem records = MakeProblem("送教上门台账不全", 2, "campaign_sweep", "central_school");
  records.measures = "补齐送教上门记录";
  ids.working = f.AddProblem(records, At(10, 8, 10));
  f.Fire(ItemKind::kProblem, ids.working, Event("start"), At(10, 9, 9));
  progress.note = "已补齐2人记录";
  f.Fire(ItemKind::kProblem, ids.working, progress, At(10, 15, 11));
  progress.note = "已补齐5人记录，余1人";
  f.Fire(ItemKind::kProblem, ids.working, progress, At(10, 20, 11));

  NewProblem housing = MakeProblem("=SUM(1,2)危房改造资金拨付台账与实际不符", 4, "provincial_supervision", "village_1");
  housing.measures = "核对并更正台账";
  ids.assigned = f.AddProblem(housing, At(10, 11, 9));

  const NewProblem monitoring = MakeProblem("监测对象信息更新不及时", 7, "self_inspection");
  ids.unassigned = f.AddProblem(monitoring, At(10, 8, 11));
  return ids;
}

}  // namespace rectify::testing
