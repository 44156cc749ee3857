#include "exports/ledger.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exports/csv_writer.h"
#include "exports/xlsx_writer.h"
#include "tests/exports/form_tables.h"
#include "tests/exports/read_back.h"
#include "tests/exports/sample_problems.h"

namespace rectify::exports {
namespace {

using namespace rectify::testing;  // NOLINT: fixture vocabulary

const std::vector<std::string> kLedgerHeaders = {"序号",     "问题来源", "问题领域", "问题描述", "整改措施", "责任单位",
                                                 "整改时限", "整改状态", "整改进展", "完成时间", "备注"};

std::vector<std::string> ColumnOf(const Table& table, std::size_t column) {
  std::vector<std::string> cells;
  for (const Row& row : table.rows) cells.push_back(row.at(column));
  return cells;
}

Table Ledger(ExportFixture& f, const std::optional<std::string>& unit) {
  auto table = LedgerTable(f, unit, kAsOf);
  INFO(table.status().ToString());
  REQUIRE(table.ok());
  return std::move(table).value();
}

TEST_CASE("A unit's ledger lists its own problems in the columns of 附件1 with the campaign's words") {
  ExportFixture f;
  AddSampleProblems(f);
  const Table table = Ledger(f, "central_school");
  CHECK(table.attachment == "附件1");
  CHECK(table.title == "2021年高桥镇巩固脱贫攻坚成果秋季攻势行动工作问题排查整改台账");  // the plan's, the unit below it
  CHECK(table.heading == std::vector<std::string>{"高桥镇巩固脱贫攻坚成果秋季攻势行动",
                                                  "填报单位：镇中心校        导出日期：2021年11月2日"});
  CHECK(Headers(table) == kLedgerHeaders);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0] == Row{"1", "国家脱贫攻坚成效考核反馈问题", "义务教育", "某村一名适龄儿童辍学未劝返",
                             "落实“三帮一”劝返复学", "镇中心校", "2021-10-20", "已销号",
                             "2021-10-12 已上门劝返，学生已返校", "2021-10-19", "退回整改1次"});
  CHECK(table.rows[1] == Row{"2", "本次排查发现问题", "义务教育", "送教上门台账不全", "补齐送教上门记录", "镇中心校",
                             "2021-10-31", "整改中", "2021-10-20 已补齐5人记录，余1人", "", "已逾期"});
  CHECK(table.closing.at(0).find("单位负责人签字") != std::string::npos);
  CHECK(table.closing.at(0).find("单位（盖章）") != std::string::npos);
}

TEST_CASE("The town's ledger lists every problem by unit in the campaign's order and unassigned ones last") {
  ExportFixture f;
  AddSampleProblems(f);
  const Table table = Ledger(f, std::nullopt);
  CHECK(table.title == "2021年高桥镇巩固脱贫攻坚成果秋季攻势行动工作问题排查整改台账");
  CHECK(table.heading.at(1) == "范围：全镇各责任单位        导出日期：2021年11月2日");
  CHECK(ColumnOf(table, 0) == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(ColumnOf(table, 5) == std::vector<std::string>{"镇中心校", "镇中心校", "示例村一", "（未交办）"});
  CHECK(ColumnOf(table, 7) == std::vector<std::string>{"已销号", "整改中", "已交办", "发现"});
  CHECK(ColumnOf(table, 10) == std::vector<std::string>{"退回整改1次", "已逾期", "已逾期", "已逾期"});
}

TEST_CASE("A campaign that names no form titles gets the ledger's own, with the unit in it") {
  ExportFixture f;
  AddSampleProblems(f);
  Campaign plain = f.campaign();
  plain.form_titles = FormTitles{};
  for (const std::optional<std::string>& unit : {std::optional<std::string>("central_school"), std::optional<std::string>()}) {
    const RecordWalk problems = LedgerWalk(f.store(), plain, unit);
    auto table = Collected([&](exports::FormWriter& out) { return exports::WriteLedger(plain, problems, unit, kAsOf, out); });
    REQUIRE(table.ok());
    CHECK(table->title == (unit ? "镇中心校问题排查整改台账" : "全镇问题排查整改台账"));
  }
}

TEST_CASE("A ledger before the deadline marks nothing overdue") {
  ExportFixture f;
  AddSampleProblems(f);
  auto table = LedgerTable(f, "central_school", At(10, 20, 12));
  REQUIRE(table.ok());
  CHECK(ColumnOf(*table, 10) == std::vector<std::string>{"退回整改1次", ""});
}

TEST_CASE("A ledger names a missed sign-for limit for what it is, not as the 整改时限 missed") {
  ExportFixture f;
  NewProblem lights = MakeProblem("村道路灯损坏未修复", 11, "campaign_sweep", "village_1");
  lights.deadline = ParseDeadline("2021-10-31");
  lights.unit.clear();
  const std::int64_t id = f.AddProblem(lights, At(10, 18, 8));
  EventInput assign = Event("assign");
  assign.unit = "village_1";
  f.Fire(ItemKind::kProblem, id, assign, At(10, 18, 9));  // to be signed for by 10-19 17:30
  auto before = LedgerTable(f, "village_1", At(10, 19, 12));
  REQUIRE(before.ok());
  CHECK(ColumnOf(*before, 10) == std::vector<std::string>{""});
  auto unsigned_late = LedgerTable(f, "village_1", At(10, 20, 12));
  REQUIRE(unsigned_late.ok());
  CHECK(ColumnOf(*unsigned_late, 6) == std::vector<std::string>{"2021-10-31"});
  CHECK(ColumnOf(*unsigned_late, 10) == std::vector<std::string>{"逾期未签收"});
  auto past_deadline = LedgerTable(f, "village_1", At(11, 2, 9));
  REQUIRE(past_deadline.ok());
  CHECK(ColumnOf(*past_deadline, 10) == std::vector<std::string>{"已逾期"});
}

TEST_CASE("A ledger marks a problem closed after its 整改时限 as closed late, and one closed on its last day not") {
  ExportFixture f;
  const auto closed_on = [&](const char* title, int month, int day) {
    NewProblem problem = MakeProblem(title, 2, "campaign_sweep", "central_school");
    problem.deadline = ParseDeadline("2021-10-15");
    const std::int64_t id = f.AddProblem(problem, At(10, 8, 9));
    for (const char* event : {"start", "submit", "verify"}) f.Fire(ItemKind::kProblem, id, Event(event), At(10, 11, 9));
    f.Fire(ItemKind::kProblem, id, Event("close"), At(month, day, 16));
  };
  closed_on("按时销号", 10, 15);
  closed_on("逾期销号", 10, 18);
  const Table table = Ledger(f, "central_school");
  CHECK(ColumnOf(table, 9) == std::vector<std::string>{"2021-10-15", "2021-10-18"});
  CHECK(ColumnOf(table, 10) == std::vector<std::string>{"", "逾期办结"});
}

TEST_CASE("A ledger shows a reopened problem as open again with no completion date") {
  ExportFixture f;
  const SampleProblems ids = AddSampleProblems(f);
  EventInput reopen = Event("reopen");
  reopen.reason = "回头看发现学生再次辍学";
  f.Fire(ItemKind::kProblem, ids.closed, reopen, At(10, 25, 9));
  const Table table = Ledger(f, "central_school");
  CHECK(table.rows.at(0).at(7) == "整改中");
  CHECK(table.rows.at(0).at(9) == "");
  // Reopened on 10-25 with 10 working days (to 11-08): on 11-02 only its sign-for limit has passed.
  CHECK(table.rows.at(0).at(10) == "逾期未签收；退回整改1次；回头看重启1次");
}

TEST_CASE("A ledger lists problems only and refuses a unit the campaign does not have") {
  ExportFixture f;
  AddSampleProblems(f);
  const std::int64_t enrollment = f.AddEnrollment(MakeHousehold("张三", "village_1"), At(10, 8, 9));
  f.Fire(ItemKind::kEnrollment, enrollment, Event("assign"), At(10, 8, 10));
  auto village = LedgerTable(f, "village_1", kAsOf);
  REQUIRE(village.ok());
  CHECK(ColumnOf(*village, 3) == std::vector<std::string>{"=SUM(1,2)危房改造资金拨付台账与实际不符"});

  auto unknown = LedgerTable(f, "village_99", kAsOf);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kNotFound);
}

TEST_CASE("The ledger XLSX read back shows the unit's title header rows and signature block on A4") {
  ExportFixture f;
  AddSampleProblems(f);
  const Table table = Ledger(f, std::nullopt);
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  CHECK(CellText(sheet, 0, 0) == "附件1");
  CHECK(CellText(sheet, 1, 0) == "2021年高桥镇巩固脱贫攻坚成果秋季攻势行动工作问题排查整改台账");
  CHECK(CellText(sheet, 3, 0) == "范围：全镇各责任单位        导出日期：2021年11月2日");
  CHECK(RowTexts(sheet, 4) == kLedgerHeaders);
  for (std::size_t i = 0; i < table.rows.size(); ++i) CHECK(RowTexts(sheet, 5 + i) == table.rows[i]);
  CHECK(sheet["rows"][7][3]["type"] == "s");  // the title written like a formula stays text
  CHECK(CellText(sheet, 10, 0) == table.closing.at(0));
  CHECK(sheet["print_title_rows"] == "$5:$5");
  // 序号 is a number; a row whose source wraps in its column of 14 is as tall as its lines.
  CHECK(sheet["rows"][5][0]["type"] == "n");
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const double height = sheet["row_heights"].value(std::to_string(6 + i), 0.0);
    INFO(table.rows[i][1]);
    if (table.rows[i][1] == "国家脱贫攻坚成效考核反馈问题") CHECK(height >= 3 * 13.5);
    CHECK(height >= 18);
  }
  CHECK(sheet["orientation"] == "landscape");
  CHECK(sheet["paper_size"] == 9);
}

TEST_CASE("The ledger CSV holds the same rows with the formula guard") {
  ExportFixture f;
  AddSampleProblems(f);
  const Table table = Ledger(f, std::nullopt);
  const auto records = ParseCsv(WriteCsv(table));
  REQUIRE(records.size() == 1 + table.rows.size());
  CHECK(records[0] == kLedgerHeaders);
  CHECK(records[1] == table.rows[0]);
  CHECK(records[3][3] == "'=SUM(1,2)危房改造资金拨付台账与实际不符");
}

}  // namespace
}  // namespace rectify::exports
