#include "exports/roster.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exports/csv_writer.h"
#include "exports/xlsx_writer.h"
#include "tests/exports/form_tables.h"
#include "tests/exports/read_back.h"
#include "tests/exports/export_fixture.h"

namespace rectify::exports {
namespace {

using namespace rectify::testing;  // NOLINT: fixture vocabulary

const Instant kAsOf = At(11, 2, 9);
const std::string kZhangId = "430922198001011232";
const std::string kLiId = "430922197512034562";
const std::string kZhangHealth = "高血压，长期服药";
const std::vector<std::string> kAllHeaders = {"序号",     "所在村",       "户主姓名", "身份证号码", "家庭人口",
                                              "监测对象类别", "风险类型", "风险发现时间", "线索来源", "联系电话",
                                              "银行账号",   "健康状况",     "办理状态", "纳入监测时间"};
const std::vector<std::string> kPublicHeaders = {"序号",     "所在村",       "户主姓名", "家庭人口", "监测对象类别",
                                                 "风险类型", "风险发现时间", "线索来源", "办理状态", "纳入监测时间"};

Household WithPersonal(Household household, PersonalData personal) {
  household.personal = std::move(personal);
  return household;
}

// 张三 (示例村二) is in the home visit; 李四 (示例村一) was enrolled on 10-28; 王五 (示例村一) was
// found not eligible; 赵六 (示例村一) is a fresh clue with no personal data on record.
std::vector<Item> SampleHouseholds(ExportFixture& f) {
  const auto zhang = f.AddEnrollment(WithPersonal(MakeHousehold("张三", "village_2"),
                                                 {kZhangId, "13812345678", "6222021234567890123", kZhangHealth}),
                                    At(9, 25, 9));
  f.Fire(ItemKind::kEnrollment, zhang, Event("assign"), At(9, 26, 9));
  f.Fire(ItemKind::kEnrollment, zhang, Event("start"), At(9, 27, 9));

  Household li_household = WithPersonal(MakeHousehold("李四", "village_1"), {kLiId, "0737-1234567", "", ""});
  li_household.category = "unstable";
  li_household.risk_type = "disaster";
  li_household.risk_found_on = CivilDate{2021, 9, 1};
  li_household.clue_source = "self_report";
  li_household.members = 3;
  const auto li = f.AddEnrollment(li_household, At(9, 25, 10));
  f.Fire(ItemKind::kEnrollment, li, Event("assign"), At(9, 26, 9));
  f.Fire(ItemKind::kEnrollment, li, Event("start"), At(9, 27, 9));
  f.Fire(ItemKind::kEnrollment, li, Event("complete_step"), At(9, 27, 10));  // → 信息比对
  f.Fire(ItemKind::kEnrollment, li, Event("complete_step"), At(9, 27, 11));  // → 民主评议
  f.Fire(ItemKind::kEnrollment, li, Event("complete_step"), At(9, 28, 9));   // → 村级公示, at least 5 days
  f.Fire(ItemKind::kEnrollment, li, Event("complete_step"), At(10, 8, 9));   // → 乡镇审核
  f.Fire(ItemKind::kEnrollment, li, Event("complete_step"), At(10, 9, 9));   // → 县级审定
  f.Fire(ItemKind::kEnrollment, li, Event("verify"), At(10, 12, 9));
  EventInput close = Event("close");
  close.entered_on = CivilDate{2021, 10, 28};
  f.Fire(ItemKind::kEnrollment, li, close, At(10, 28, 9));

  const auto wang = f.AddEnrollment(MakeHousehold("王五", "village_1"), At(9, 25, 11));
  f.Fire(ItemKind::kEnrollment, wang, Event("assign"), At(9, 26, 9));
  f.Fire(ItemKind::kEnrollment, wang, Event("start"), At(9, 27, 9));
  EventInput ineligible = Event("close_ineligible");
  ineligible.explanation = "家庭收入稳定，不符合纳入条件";
  f.Fire(ItemKind::kEnrollment, wang, ineligible, At(10, 8, 9));

  Household zhao = MakeHousehold("赵六", "village_1");
  zhao.members = 0;
  f.AddEnrollment(zhao, At(10, 20, 9));
  return f.Items(ItemKind::kEnrollment);
}

Table Roster(ExportFixture& f, const std::optional<std::string>& village, Disclosure disclosure) {
  SampleHouseholds(f);
  auto table = RosterTable(f, village, disclosure, kAsOf);
  INFO(table.status().ToString());
  REQUIRE(table.ok());
  return std::move(table).value();
}

TEST_CASE("The full roster lists proposed households by village in the columns of 附件3") {
  ExportFixture f;
  const Table table = Roster(f, std::nullopt, Disclosure::kFull);
  CHECK(table.attachment == "附件3");
  CHECK(table.title == "2021年高桥镇巩固脱贫攻坚成果秋季攻势拟纳入监测对象花名册");
  CHECK(table.heading.at(1) == "范围：全镇各村        导出日期：2021年11月2日");
  CHECK(Headers(table) == kAllHeaders);
  REQUIRE(table.rows.size() == 3);  // 王五, not eligible, is not proposed
  CHECK(table.rows[0] == Row{"1", "示例村一", "李四", kLiId, "3", "脱贫不稳定户", "因灾", "2021-09-01", "农户自主申报",
                             "0737-1234567", "", "", "已办结", "2021-10-28"});
  CHECK(table.rows[1] == Row{"2", "示例村一", "赵六", "", "", "边缘易致贫户", "因病", "2021-09-20", "基层干部排查", "",
                             "", "", "风险线索", ""});
  CHECK(table.rows[2] == Row{"3", "示例村二", "张三", kZhangId, "4", "边缘易致贫户", "因病", "2021-09-20",
                             "基层干部排查", "13812345678", "6222021234567890123", kZhangHealth, "入户核实", ""});
}

TEST_CASE("A village's roster lists that village's households only") {
  ExportFixture f;
  const Table table = Roster(f, "village_2", Disclosure::kFull);
  CHECK(table.heading.at(1) == "填报单位：示例村二        导出日期：2021年11月2日");
  REQUIRE(table.rows.size() == 1);
  CHECK(table.rows[0].at(2) == "张三");

  auto unknown = RosterTable(f, "village_99", Disclosure::kFull, kAsOf);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kNotFound);
}

TEST_CASE("The masked roster shows every personal column masked and never a full value") {
  ExportFixture f;
  const Table table = Roster(f, std::nullopt, Disclosure::kMasked);
  CHECK(Headers(table) == kAllHeaders);
  const Row& zhang = table.rows.at(2);
  CHECK(zhang.at(3) == "4309**********1232");
  CHECK(zhang.at(9) == "138****5678");
  CHECK(zhang.at(10) == "**** **** **** 0123");
  CHECK(zhang.at(11) == "（已隐藏）");
  CHECK(table.rows.at(0).at(9) == "0737-***4567");
  const std::string csv = WriteCsv(table);
  for (const std::string& secret : {kZhangId, kLiId, std::string("13812345678"), std::string("6222021234567890123"),
                                    kZhangHealth, std::string("0737-1234567")}) {
    INFO(secret);
    CHECK(csv.find(secret) == std::string::npos);
  }
}

TEST_CASE("The public roster leaves out the ID phone bank and health columns entirely") {
  ExportFixture f;
  const Table table = Roster(f, std::nullopt, Disclosure::kOmitted);
  CHECK(table.title == "拟纳入监测对象名单公示");
  CHECK(table.attachment.empty());
  CHECK(Headers(table) == kPublicHeaders);
  for (const Row& row : table.rows) CHECK(row.size() == kPublicHeaders.size());
  CHECK(table.rows.at(2) == Row{"3", "示例村二", "张三", "4", "边缘易致贫户", "因病", "2021-09-20", "基层干部排查",
                                "入户核实", ""});

  const std::string csv = WriteCsv(table);
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  const std::string shown = AllText(sheet) + sheet["parts"].dump();
  // Neither the values nor their masks.
  for (const std::string& secret : {kZhangId, kLiId, std::string("4309**"), std::string("13812345678"),
                                    std::string("138****"), std::string("6222021234567890123"), std::string("0123"),
                                    kZhangHealth, std::string("（已隐藏）"), std::string("1234567")}) {
    INFO(secret);
    CHECK(csv.find(secret) == std::string::npos);
    CHECK(shown.find(secret) == std::string::npos);
  }
  CHECK(ParseCsv(csv).at(0) == kPublicHeaders);
  CHECK(RowTexts(sheet, 3) == kPublicHeaders);  // no 附件 line: title, two heading lines, header
}

TEST_CASE("The roster XLSX read back holds the same rows as the CSV") {
  ExportFixture f;
  const Table table = Roster(f, std::nullopt, Disclosure::kMasked);
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  const auto records = ParseCsv(WriteCsv(table));
  REQUIRE(records.size() == table.rows.size() + 1);
  CHECK(CellText(sheet, 0, 0) == "附件3");
  CHECK(RowTexts(sheet, 5) == kAllHeaders);  // 附件3, title, three heading lines, header
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    CHECK(RowTexts(sheet, 6 + i) == table.rows[i]);
    CHECK(records[1 + i] == table.rows[i]);
  }
}

}  // namespace
}  // namespace rectify::exports
