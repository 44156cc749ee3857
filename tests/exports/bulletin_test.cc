#include "exports/bulletin.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exports/csv_writer.h"
#include "exports/ledger.h"
#include "exports/xlsx_writer.h"
#include "tests/exports/form_tables.h"
#include "tests/exports/read_back.h"
#include "tests/exports/sample_problems.h"

namespace rectify::exports {
namespace {

using namespace rectify::testing;  // NOLINT: fixture vocabulary

const std::vector<std::string> kBulletinHeaders = {"序号",     "责任单位", "事项类别", "事项",      "所属领域（村）",
                                                   "办理状态", "办理时限", "时限依据", "逾期工作日", "预警",
                                                   "按时签收率", "按时办结率", "发回重办率"};

// The sample problems, and 张三's enrollment in 示例村二: risk found 08-20, so due two months
// later, 10-20 (a Wednesday) at 24:00; assigned and in the home visit.
std::vector<Item> SampleItems(ExportFixture& f) {
  AddSampleProblems(f);
  const std::int64_t id = f.AddEnrollment(MakeHousehold("张三", "village_2", CivilDate{2021, 8, 20}), At(9, 22, 9));
  f.Fire(ItemKind::kEnrollment, id, Event("assign"), At(9, 23, 9));
  f.Fire(ItemKind::kEnrollment, id, Event("start"), At(9, 24, 9));
  std::vector<Item> items = f.Items(ItemKind::kProblem);
  for (Item& item : f.Items(ItemKind::kEnrollment)) items.push_back(std::move(item));
  return items;
}

TEST_CASE("The bulletin lists open overdue items by unit with working days overdue on the official calendar") {
  ExportFixture f;
  SampleItems(f);
  auto table = BulletinTable(f, {}, kAsOf);
  INFO(table.status().ToString());
  REQUIRE(table.ok());
  CHECK(table->title == "逾期未办结事项督查通报");
  CHECK(Headers(*table) == kBulletinHeaders);
  // The closed problem is not listed. Working days are counted after the day the deadline
  // falls on, up to 11-02: 10-31 is a Sunday, so 11-01 and 11-02 make 2; from 10-20, nine
  // working days. The unassigned problem was due 3 working days after Friday 10-08: 10-09 is a
  // make-up working day (调休), so 10-12 17:30, and 15 working days later it is 11-02 (21
  // calendar days).
  REQUIRE(table->rows.size() == 4);
  CHECK(table->rows[0] == Row{"1", "镇中心校", "问题整改", "送教上门台账不全", "义务教育", "整改中", "2021-10-31",
                              "10月底前各类问题动态清零", "2", "黄色预警", "—", "—", "—"});
  CHECK(table->rows[1] == Row{"2", "示例村一", "问题整改", "=SUM(1,2)危房改造资金拨付台账与实际不符", "住房安全",
                              "已交办", "2021-10-31", "10月底前各类问题动态清零", "2", "黄色预警", "—", "—", "—"});
  CHECK(table->rows[2] == Row{"3", "示例村二", "监测纳入", "张三户", "示例村二", "入户核实", "2021-10-20",
                              "从出现返贫风险到纳入监测，时长控制在2个月以内", "9", "红色预警", "—", "—", "—"});
  CHECK(table->rows[3] == Row{"4", "（未交办）", "问题整改", "监测对象信息更新不及时", "监测帮扶机制", "发现",
                              "2021-10-12 17:30", "发现问题后3个工作日内交办（本镇工作规则，可调整）", "15", "红色预警",
                              "—", "—", "—"});
  CHECK(table->heading.at(1).find("截至2021年11月2日09:00，3个单位共4项事项逾期未办结") == 0);
  CHECK(table->closing == std::vector<std::string>{
                              "通报单位：镇纪委、镇党建办公室、镇农业农村和乡村振兴办公室        通报日期：2021年11月2日"});
}

TEST_CASE("The bulletin gives each row its unit's three rates beside the warning tier") {
  ExportFixture f;
  UnitRates school;
  school.unit = "central_school";
  school.sign_for_judged = 4;
  school.signed_on_time = 3;
  school.close_judged = 2;
  school.closed_on_time = 1;
  school.held = 5;
  school.sent_back = 1;
  SampleItems(f);
  auto table = BulletinTable(f, {school}, kAsOf);
  REQUIRE(table.ok());
  REQUIRE(table->rows.size() == 4);
  CHECK(table->rows[0].at(1) == "镇中心校");
  CHECK(Row(table->rows[0].begin() + 9, table->rows[0].end()) ==
        Row{"黄色预警", "75%（3/4）", "50%（1/2）", "20%（1/5）"});
  CHECK(Row(table->rows[1].begin() + 10, table->rows[1].end()) == Row{"—", "—", "—"});  // no rates given for it
}

TEST_CASE("The bulletin orders a unit's items most overdue first") {
  ExportFixture f;
  NewProblem later = MakeProblem("后到期", 2, "campaign_sweep", "central_school");
  later.deadline = ParseDeadline("2021-10-25");
  f.AddProblem(later, At(10, 8, 9));
  NewProblem earlier = later;
  earlier.title = "先到期";
  earlier.deadline = ParseDeadline("2021-10-15");
  f.AddProblem(earlier, At(10, 8, 10));
  auto table = BulletinTable(f, {}, kAsOf);
  REQUIRE(table.ok());
  REQUIRE(table->rows.size() == 2);
  CHECK(table->rows[0].at(3) == "先到期");
  CHECK(table->rows[0].at(8) == "12");
  CHECK(table->rows[1].at(3) == "后到期");
  CHECK(table->rows[1].at(8) == "6");
}

TEST_CASE("A bulletin before any deadline lists nothing and says so") {
  ExportFixture f;
  SampleItems(f);
  auto table = BulletinTable(f, {}, At(10, 9, 9));
  REQUIRE(table.ok());
  CHECK(table->rows.empty());
  CHECK(table->heading.at(1).find("0个单位共0项") != std::string::npos);
}

TEST_CASE("A bulletin without a calendar for the day fails instead of guessing") {
  ExportFixture f;
  SampleItems(f);
  auto table = BulletinTable(f, {}, ShanghaiInstant(CivilDate{2027, 1, 5}, 9 * 3600));
  REQUIRE_FALSE(table.ok());
  CHECK(table.status().code() == StatusCode::kInvalidArgument);
  CHECK(table.status().message().find("2027") != std::string::npos);

  Campaign without_calendar = f.campaign();
  without_calendar.calendar.reset();
  auto uncounted = BulletinTable(f, {}, kAsOf, &without_calendar);
  REQUIRE_FALSE(uncounted.ok());
  CHECK(uncounted.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("The bulletin XLSX and CSV read back hold the same rows") {
  ExportFixture f;
  SampleItems(f);
  auto table = BulletinTable(f, {}, kAsOf);
  REQUIRE(table.ok());
  auto bytes = WriteXlsx(*table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  CHECK(sheet["sheet_names"] == nlohmann::json::array({"督查通报"}));
  CHECK(CellText(sheet, 0, 0) == "逾期未办结事项督查通报");
  CHECK(RowTexts(sheet, 3) == kBulletinHeaders);
  CHECK(sheet["print_title_rows"] == "$4:$4");
  CHECK(sheet["orientation"] == "landscape");
  CHECK(sheet["paper_size"] == 9);
  const auto records = ParseCsv(WriteCsv(*table));
  REQUIRE(records.size() == table->rows.size() + 1);
  for (std::size_t i = 0; i < table->rows.size(); ++i) {
    CHECK(RowTexts(sheet, 4 + i) == table->rows[i]);
    Row guarded = table->rows[i];
    if (i == 1) guarded[3] = "'" + guarded[3];  // the title written like a formula
    CHECK(records[1 + i] == guarded);
  }
}

TEST_CASE("An extended deadline reads 延期至…（原时限…） in the bulletin and the ledger") {
  ExportFixture f;
  NewProblem problem = MakeProblem("延期问题", 2, "campaign_sweep", "central_school");
  problem.deadline = ParseDeadline("2021-10-20");
  const std::int64_t id = f.AddProblem(problem, At(10, 8, 9));
  EventInput ask = Event("request_extension");
  ask.reason = "外出务工人员待返乡";
  ask.deadline = ParseDeadline("2021-10-29");
  f.Fire(ItemKind::kProblem, id, ask, At(10, 18, 9));
  EventInput approve = Event("approve_extension");
  approve.reason = "同意";
  f.Fire(ItemKind::kProblem, id, approve, At(10, 18, 10));
  auto bulletin = BulletinTable(f, {}, kAsOf);
  REQUIRE(bulletin.ok());
  REQUIRE(bulletin->rows.size() == 1);
  CHECK(bulletin->rows[0].at(6) == "延期至2021-10-29（原时限2021-10-20）");
  CHECK(bulletin->rows[0].at(8) == "2");  // 11-01 and 11-02 past the extended deadline
  auto ledger = LedgerTable(f, std::string("central_school"), kAsOf);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->rows.size() == 1);
  CHECK(ledger->rows[0].at(6) == "延期至2021-10-29（原时限2021-10-20）");
}

}  // namespace
}  // namespace rectify::exports
