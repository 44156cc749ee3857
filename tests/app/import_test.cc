// `rectify import` through its command function: real CSV files, a real SQLite file.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <xlsxwriter.h>

#include "app/commands.h"
#include "config/campaign_loader.h"
#include "storage/sqlite_stores.h"
#include "tests/exports/crafted_xlsx.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

const std::string kCampaign = std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json";

struct ImportRun {
  int exit_code;
  std::string out;
  std::string err;
};

ImportRun RunImport(const TempDir& dir, const std::string& csv, bool dry_run = false) {
  const std::string csv_path = dir.File("problems.csv");
  std::ofstream(csv_path, std::ios::binary) << csv;
  app::ImportOptions options;
  options.db_path = dir.File("rectify.sqlite");
  options.campaign_path = kCampaign;
  options.csv_path = csv_path;
  options.dry_run = dry_run;
  options.now = ParseInstant("2021-10-12T09:00:00+08:00");
  std::ostringstream out, err;
  const int code = app::Import(options, out, err);
  return {code, out.str(), err.str()};
}

std::vector<Item> StoredProblems(const TempDir& dir) {
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());
  ItemQuery query;
  query.limit = 500;
  auto items = (*store)->items().List(query);
  REQUIRE(items.ok());
  return *items;
}

}  // namespace

TEST_CASE("a valid CSV with Chinese headers imports every row with names resolved to ids") {
  TempDir dir;
  const ImportRun run = RunImport(dir,
                                  "\xEF\xBB\xBF"
                                  "领域,问题来源,问题描述,责任单位,整改时限,整改措施\n"
                                  "2,国家脱贫攻坚成效考核反馈问题,适龄儿童辍学,镇中心校,2021-10-20,劝返复学\n"
                                  "基本医疗,provincial_supervision,\"慢病签约服务未落实, 涉及3户\",health_centre,,\n"
                                  "14,campaign_sweep,\"多行\n描述\",,2021-10-26T17:30,\n");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("stored 3 problems") != std::string::npos);
  const std::vector<Item> items = StoredProblems(dir);
  REQUIRE(items.size() == 3);
  CHECK(items[0].area == 2);
  CHECK(items[0].source == "national_assessment_2020");
  CHECK(items[0].unit == "central_school");
  CHECK(items[0].state.ToString() == "assigned");
  CHECK(items[0].measures == "劝返复学");
  CHECK(items[0].deadline == ParseInstant("2021-10-21T00:00:00+08:00"));
  CHECK(items[1].area == 3);
  CHECK(items[1].title == "慢病签约服务未落实, 涉及3户");
  CHECK(items[1].deadline == ParseInstant("2021-11-01T00:00:00+08:00"));  // the campaign's default
  CHECK(items[2].state.ToString() == "found");
  CHECK(items[2].title == "多行\n描述");
  CHECK(items[2].deadline == ParseInstant("2021-10-26T17:30:00+08:00"));
}

TEST_CASE("cooperating units are read by id or name with the separators a ledger uses") {
  TempDir dir;
  const ImportRun run = RunImport(dir,
                                  "领域,问题来源,问题描述,责任单位,配合单位\n"
                                  "2,self_inspection,劝返,镇中心校,示例村一、village_2\n"
                                  "3,self_inspection,签约,health_centre,\n");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::vector<Item> items = StoredProblems(dir);
  REQUIRE(items.size() == 2);
  CHECK(items[0].cooperating_units == std::vector<std::string>{"village_1", "village_2"});
  CHECK(items[1].cooperating_units.empty());

  TempDir bad;
  const ImportRun refused = RunImport(bad,
                                      "area,source,description,unit,cooperating_units\n"
                                      "2,self_inspection,x,central_school,village_1;nowhere\n"
                                      "2,self_inspection,y,central_school,central_school\n");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("problems.csv:2: cooperating_units: unknown unit \"nowhere\"") != std::string::npos);
  CHECK(refused.err.find("problems.csv:3: cooperating_units: \"central_school\" is the responsible unit") !=
        std::string::npos);
  CHECK(StoredProblems(bad).empty());
}

namespace {

// An XLSX file made by libxlsxwriter as Excel saves one: strings shared, numbers as numbers,
// `deadline` (if given) in column E as a date cell, and nothing in the rows not listed.
std::string Workbook(const TempDir& dir, const std::map<int, std::vector<std::string>>& rows,
                     std::optional<lxw_datetime> deadline = std::nullopt) {
  const std::string path = dir.File("problems.xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "问题清单");
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "yyyy-mm-dd");
  for (const auto& [row, cells] : rows)
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto column = static_cast<lxw_col_t>(c);
      if (row > 0 && c == 0) worksheet_write_number(sheet, static_cast<lxw_row_t>(row), column, std::stod(cells[c]), nullptr);
      else worksheet_write_string(sheet, static_cast<lxw_row_t>(row), column, cells[c].c_str(), nullptr);
    }
  if (deadline) worksheet_write_datetime(sheet, 1, 4, &*deadline, date);
  REQUIRE(workbook_close(workbook) == LXW_NO_ERROR);
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

const std::vector<std::string> kHeader = {"领域", "问题来源", "问题描述", "责任单位", "整改时限"};

}  // namespace

TEST_CASE("an XLSX workbook imports from its first sheet with Excel's date cells read as dates") {
  TempDir dir;
  const std::string xlsx =
      Workbook(dir, {{0, kHeader}, {1, {"2", "self_inspection", "适龄儿童辍学，\"未劝返\"", "镇中心校"}}},
               lxw_datetime{2021, 10, 20, 0, 0, 0});
  const ImportRun run = RunImport(dir, xlsx);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::vector<Item> items = StoredProblems(dir);
  REQUIRE(items.size() == 1);
  CHECK(items[0].area == 2);
  CHECK(items[0].title == "适龄儿童辍学，\"未劝返\"");
  CHECK(items[0].unit == "central_school");
  CHECK(items[0].deadline == ParseInstant("2021-10-21T00:00:00+08:00"));
}

TEST_CASE("bad rows of a workbook are named by the sheet's row numbers and blank rows are passed over") {
  TempDir dir;
  const std::string xlsx = Workbook(dir, {{0, kHeader}, {2, {"99", "self_inspection", "x", "镇中心校"}}});
  const ImportRun run = RunImport(dir, xlsx);
  INFO(run.err);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("problems.csv:2:") == std::string::npos);         // Excel's row 2 is blank: passed over
  CHECK(run.err.find("problems.csv:3: 领域: ") != std::string::npos);  // row 3: no area 99, its own number
  CHECK(StoredProblems(dir).empty());
}

TEST_CASE("a workbook that would expand past the import's limits is refused naming the limit") {
  TempDir dir;
  const ImportRun bomb = RunImport(dir, SharedStringBomb(100 * 1024, 200));
  CHECK(bomb.exit_code == 1);
  CHECK(bomb.err.find("rectify: invalid_argument: file: the workbook expands to more than an import may hold: the cells "
                      "hold more than 16 MiB of text") != std::string::npos);
  const ImportRun far = RunImport(dir, CraftedXlsx("<row>" + InlineCell("ZZZ1", "领域") + "</row>"));
  CHECK(far.exit_code == 1);
  CHECK(far.err.find("cell ZZZ1 has text; at most 64 columns (A to BL) are read") != std::string::npos);
  CHECK(StoredProblems(dir).empty());
}

TEST_CASE("a file larger than an import may be is refused before it is read") {
  TempDir dir;
  const ImportRun run = RunImport(dir, "area,source,description\n" + std::string(16 * 1024 * 1024, 'x'));
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("is larger than an import may be: more than 16 MiB") != std::string::npos);
}

TEST_CASE("a workbook's cells without references import by position") {
  TempDir dir;
  const std::string xlsx =
      CraftedXlsx("<row>" + InlineCell("", "领域") + InlineCell("", "问题来源") + InlineCell("", "问题描述") + "</row>"
                  "<row>" + InlineCell("", "14") + InlineCell("", "campaign_sweep") + InlineCell("", "问题一") + "</row>");
  const ImportRun run = RunImport(dir, xlsx);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::vector<Item> items = StoredProblems(dir);
  REQUIRE(items.size() == 1);
  CHECK(items[0].title == "问题一");
  CHECK(items[0].area == 14);
}

TEST_CASE("a file that looks like a workbook but is not one is refused with a clear message") {
  TempDir dir;
  const ImportRun run = RunImport(dir, "PK\x03\x04 not really a zip");
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("not a readable XLSX workbook") != std::string::npos);
}

TEST_CASE("bad rows are reported by line and column and nothing is stored") {
  TempDir dir;
  const ImportRun run = RunImport(dir,
                                  "area,source,description,unit,deadline\n"
                                  "2,self_inspection,good row,central_school,2021-10-20\n"
                                  "17,self_inspection,no such area,,\n"
                                  "3,rumour,no such source,,\n"
                                  "\"4\",self_inspection,\"quoted\nover two lines\",nobody,\n"
                                  "5,self_inspection,,,\n"
                                  "6,self_inspection,bad date,,2021-02-30\n"
                                  "7,self_inspection,too few fields\n"
                                  "8,self_inspection,another good row,,\n");
  CHECK(run.exit_code == 1);
  for (const char* expected :
       {"problems.csv:3: area: no area 17", "problems.csv:4: source: unknown problem source \"rumour\"",
        "problems.csv:5: unit: unknown unit \"nobody\"", "problems.csv:7: description: ",
        "problems.csv:8: deadline: \"2021-02-30\"", "problems.csv:9: has 3 fields, the header has 5",
        "6 bad row(s); nothing was imported (2 good row(s) were not stored either"}) {
    INFO(expected << "\nin:\n" << run.err);
    CHECK(run.err.find(expected) != std::string::npos);
  }
  CHECK(StoredProblems(dir).empty());
}

TEST_CASE("a dry run checks every row and stores nothing") {
  TempDir dir;
  const ImportRun run = RunImport(dir, "area,source,description\n1,self_inspection,x\n2,self_inspection,y\n", true);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("all 2 rows are valid") != std::string::npos);
  CHECK(StoredProblems(dir).empty());
}

TEST_CASE("a header with an unknown or missing column is refused before any row") {
  TempDir dir;
  ImportRun run = RunImport(dir, "area,source,descripton\n1,self_inspection,x\n");
  CHECK(run.exit_code == 1);
  CHECK(run.err.find(":1: descripton: unknown column") != std::string::npos);
  run = RunImport(dir, "area,description\n1,x\n");
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("the required column \"source\" is missing") != std::string::npos);
  run = RunImport(dir, "area,source,description\n1,self_inspection,\"never closed\n");
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("never closed") != std::string::npos);
  run = RunImport(dir, "area,source,description\n");
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("has no rows") != std::string::npos);
  CHECK(StoredProblems(dir).empty());
}

TEST_CASE("the demo samples load through the same service calls as real requests") {
  TempDir dir;
  app::DemoOptions options;
  options.serve.db_path = dir.File("demo.sqlite");
  options.serve.deployment.campaign_paths = {kCampaign};
  options.samples_paths = {std::string(RECTIFY_SOURCE_DIR) + "/workflows/demo/gaoqiao-2021-samples.json"};
  options.serve_after = false;
  std::ostringstream out, err;
  REQUIRE(app::Demo(options, out, err) == 0);
  CHECK(out.str().find("14 sample problems and 7 sample enrollment requests") != std::string::npos);

  auto store = SqliteStores::Open(options.serve.db_path);
  REQUIRE(store.ok());
  std::map<std::string, int> states;
  for (ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
    ItemQuery query;
    query.kind = kind;
    query.limit = 100;
    auto items = (*store)->items().List(query);
    REQUIRE(items.ok());
    for (const Item& item : *items) {
      ++states[std::string(ItemKindName(kind)) + ":" + item.state.state];
      CHECK(item.title.find("示例") != std::string::npos);
    }
  }
  // The samples show every top-level state of both workflows.
  for (const char* kind : {"problem", "enrollment"})
    for (const char* state : {"found", "assigned", "rectifying", "verified", "closed"}) {
      INFO(kind << ":" << state);
      CHECK(states[std::string(kind) + ":" + state] >= 1);
    }
  // Running demo again replaces the database rather than adding to it.
  REQUIRE(app::Demo(options, out, err) == 0);
  auto again = SqliteStores::Open(options.serve.db_path);
  REQUIRE(again.ok());
  ItemQuery all;
  all.limit = 100;
  CHECK((*again)->items().List(all)->size() == 14);
}

TEST_CASE("the command reads a GBK file as the page does, and skips the rows of a file imported before") {
  TempDir dir;
  // "示例村三危房" in GBK: Excel's plain CSV on a Chinese Windows.
  const std::string gbk = "area,source,description\n4,self_inspection,\xca\xbe\xc0\xfd\xb4\xe5\xc8\xfd\xce\xa3\xb7\xbf\n";
  const ImportRun first = RunImport(dir, gbk);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(StoredProblems(dir).size() == 1);
  CHECK(StoredProblems(dir)[0].title == "示例村三危房");

  const ImportRun again = RunImport(dir, gbk + "5,self_inspection,饮水管网漏水\n");
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find(":2: already imported as problem " + std::to_string(StoredProblems(dir)[0].id)) != std::string::npos);
  CHECK(again.out.find("stored 1 problems") != std::string::npos);
  CHECK(StoredProblems(dir).size() == 2);

  const ImportRun third = RunImport(dir, gbk);
  CHECK(third.exit_code == 0);
  CHECK(third.out.find("nothing stored") != std::string::npos);
  CHECK(StoredProblems(dir).size() == 2);
}

}  // namespace rectify::testing
