// POST /api/problems/import: the office's CSV import over HTTP, a preview first, then all rows
// or none.
#include <catch2/catch.hpp>

#include <xlsxwriter.h>

#include <fstream>
#include <sstream>

#include "tests/exports/crafted_xlsx.h"
#include "tests/web/api_fixture.h"
#include "tests/web/raw_http.h"

namespace rectify::testing {
namespace {

const char kGoodCsv[] =
    "领域,问题来源,问题描述,责任单位,整改时限,整改措施\n"
    "2,国家脱贫攻坚成效考核反馈问题,示例村一一名适龄儿童辍学,village_1,2021-10-20,上门劝返\n"
    "饮水安全,self_inspection,示例村二饮水管网漏水,,,\n";

const char kBadCsv[] =
    "area,source,description,unit\n"
    "2,national_assessment_2020,一个好问题,village_1\n"
    "99,national_assessment_2020,领域不存在,village_1\n"
    "3,no_such_source,来源不存在,\n";

HttpReply PostCsv(ApiFixture& api, const ApiFixture::Login& who, const std::string& path, const std::string& csv) {
  const auto result = api.client().Post(path.c_str(), {{"Authorization", "Bearer " + who.token}}, csv, "text/csv");
  if (!result) throw std::runtime_error("HTTP request failed");
  return {result->status, json::parse(result->body, nullptr, false), ""};
}

// The file as a client sends it that names no type, or curl's --data-binary (a form type).
HttpReply PostUntyped(ApiFixture& api, const std::string& path, const std::string& file, const std::string& type) {
  RawConnection connection(api.port());
  const std::string head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + api.Office().token +
                           "\r\n" + (type.empty() ? "" : "Content-Type: " + type + "\r\n") +
                           "Content-Length: " + std::to_string(file.size()) + "\r\nConnection: close\r\n\r\n";
  if (!connection.Send(head + file)) throw std::runtime_error("send failed");
  const std::string answer = connection.ReadAnswer();
  return {StatusOf(answer), json::parse(BodyOf(answer), nullptr, false), ""};
}

// "示例村三危房" in GBK, written out so the test needs no converter.
const char kGbkCsv[] = "area,source,description\n4,self_inspection,\xca\xbe\xc0\xfd\xb4\xe5\xc8\xfd\xce\xa3\xb7\xbf\n";

int ProblemCount(ApiFixture& api) { return static_cast<int>(api.Get("/api/problems").body["items"].size()); }

}  // namespace

TEST_CASE("a dry run previews every row with its area, source and unit, and stores nothing") {
  ApiFixture api;
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", kGoodCsv);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["dry_run"] == true);
  CHECK(preview.body["valid"] == true);
  CHECK(preview.body["errors"].empty());
  REQUIRE(preview.body["rows"].size() == 2);
  const json& first = preview.body["rows"][0];
  CHECK(first["line"] == 2);
  CHECK(first["title"] == "示例村一一名适龄儿童辍学");
  CHECK(first["area"] == 2);
  CHECK(first["area_name"] == "义务教育");
  CHECK(first["source"] == "national_assessment_2020");
  CHECK(first["unit"] == "village_1");
  CHECK(first["unit_name"] == "示例村一");
  CHECK(first["deadline"] == "2021-10-21T00:00:00+08:00");
  CHECK(first["measures"] == "上门劝返");
  const json& second = preview.body["rows"][1];
  CHECK(second["area"] == 5);
  CHECK(second["unit"].is_null());
  CHECK(second["deadline"].is_null());
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("a dry run of a file with bad rows names each bad row's line and column") {
  ApiFixture api;
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", kBadCsv);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["valid"] == false);
  CHECK(preview.body["rows"].size() == 1);
  REQUIRE(preview.body["errors"].size() == 2);
  CHECK(preview.body["errors"][0]["line"] == 3);
  CHECK(preview.body["errors"][0]["column"] == "area");
  CHECK(preview.body["errors"][1]["line"] == 4);
  CHECK(preview.body["errors"][1]["column"] == "source");
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("each bad row carries a reason code and the value at fault for the page to say in Chinese") {
  ApiFixture api;
  const std::string csv =
      "area,source,description,unit,cooperating_units,deadline\n"
      "99,national_assessment_2020,领域不存在,village_1,,\n"
      "3,no_such_source,来源不存在,,,\n"
      "3,national_assessment_2020,单位不存在,no_such_unit,,\n"
      "3,national_assessment_2020,配合单位即责任单位,village_1,village_1,\n"
      "3,national_assessment_2020,日期不对,village_1,,十月底\n"
      "3,national_assessment_2020,   ,village_1,,\n"
      "3,national_assessment_2020\n";
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", csv);
  REQUIRE(preview.status == 200);
  const json& errors = preview.body["errors"];
  REQUIRE(errors.size() == 7);
  auto reason = [&](std::size_t i) { return errors[i]["code"].get<std::string>(); };
  CHECK(reason(0) == "unknown_area");
  CHECK(errors[0]["params"]["value"] == "99");
  CHECK(reason(1) == "unknown_source");
  CHECK(errors[1]["params"]["value"] == "no_such_source");
  CHECK(reason(2) == "unknown_unit");
  CHECK(errors[2]["params"]["value"] == "no_such_unit");
  CHECK(reason(3) == "cooperating_is_responsible");
  CHECK(errors[3]["column"] == "cooperating_units");
  CHECK(reason(4) == "bad_date");
  CHECK(errors[4]["params"]["value"] == "十月底");
  CHECK(reason(5) == "missing_description");
  CHECK(reason(6) == "wrong_width");
  CHECK(errors[6]["params"]["fields"] == "2");
  CHECK(errors[6]["params"]["header_fields"] == "6");
  for (const json& error : errors) CHECK_FALSE(error["message"].get<std::string>().empty());  // for the log
}

TEST_CASE("a file gives each problem's finding day, which an ended campaign needs by its last day") {
  ApiFixture api;
  const std::string csv =
      "领域,问题来源,问题描述,发现日期,整改时限\n"
      "3,national_assessment_2020,检查中发现未报,2021/11/8,2021-11-30\n"
      "3,national_assessment_2020,结束后才发现,2021年11月12日,2021-11-30\n"
      "3,national_assessment_2020,没写发现日期,,2021-11-30\n"
      "3,national_assessment_2020,日期写错,上周,2021-11-30\n"
      "3,national_assessment_2020,没写整改时限,2021/11/8,\n";
  api.clock().Set(*ParseInstant("2021-11-15T09:00:00+08:00"));
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", csv);
  REQUIRE(preview.status == 200);
  INFO(preview.body.dump());
  REQUIRE(preview.body["rows"].size() == 1);
  CHECK(preview.body["rows"][0]["found_on"] == "2021-11-08");
  const json& errors = preview.body["errors"];
  REQUIRE(errors.size() == 4);
  CHECK(errors[0]["line"] == 3);
  CHECK(errors[0]["column"] == "发现日期");
  CHECK(errors[0]["code"] == "campaign_ended");
  CHECK(errors[0]["params"] == json{{"campaign", "gaoqiao-2021-autumn"}, {"date", "2021-11-12"}, {"last_day", "2021-11-10"}});
  CHECK(errors[1]["code"] == "campaign_ended");
  CHECK(errors[1]["params"]["date"] == "");
  CHECK(errors[2]["code"] == "bad_date");
  CHECK(errors[2]["params"]["value"] == "上周");
  CHECK(errors[3]["code"] == "deadline_needed");  // the campaign's deadlines have all passed
  CHECK(errors[3]["column"] == "整改时限");
  CHECK(PostCsv(api, api.Office(), "/api/problems/import", csv).status == 422);
  CHECK(ProblemCount(api) == 0);

  // While the campaign runs, a row without the day is taken as before.
  ApiFixture running;
  const HttpReply stored = PostCsv(running, running.Office(), "/api/problems/import",
                                   "领域,问题来源,问题描述,发现日期\n3,national_assessment_2020,检查中发现,2021-09-28\n"
                                   "3,national_assessment_2020,没写日期,\n");
  REQUIRE(stored.status == 201);
  const json listed = running.Get("/api/problems?sort=id").body["items"];
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["found_on"] == "2021-09-28");
  CHECK(listed[1]["found_on"].is_null());
}

TEST_CASE("a file whose header names an unknown column says which, as a code with the name") {
  ApiFixture api;
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", "area,source,description,颜色\n");
  REQUIRE(preview.status == 200);
  REQUIRE(preview.body["errors"].size() == 1);
  CHECK(preview.body["errors"][0]["code"] == "unknown_column");
  CHECK(preview.body["errors"][0]["params"]["name"] == "颜色");
}

TEST_CASE("an import stores every row, assigned where the file names a unit") {
  ApiFixture api;
  const HttpReply stored = PostCsv(api, api.Office(), "/api/problems/import", kGoodCsv);
  REQUIRE(stored.status == 201);
  CHECK(stored.body["stored"] == 2);
  REQUIRE(stored.body["ids"].size() == 2);
  const HttpReply first = api.Get("/api/problems/" + std::to_string(stored.body["ids"][0].get<int>()));
  CHECK(first.body["state"] == "assigned");
  CHECK(first.body["unit"] == "village_1");
  const HttpReply second = api.Get("/api/problems/" + std::to_string(stored.body["ids"][1].get<int>()));
  CHECK(second.body["state"] == "found");
  const HttpReply history = api.Get("/api/problems/" + std::to_string(stored.body["ids"][0].get<int>()) + "/history");
  CHECK(history.body["events"][0]["actor"] == "user " + api.Office().username);
}

TEST_CASE("an import with any bad row stores none, and says which rows to fix") {
  ApiFixture api;
  const HttpReply refused = PostCsv(api, api.Office(), "/api/problems/import?dry_run=0", kBadCsv);
  CHECK(refused.status == 422);
  CHECK(refused.body["error"] == "unprocessable");
  CHECK(refused.body["errors"].size() == 2);
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("a problem listed twice in one file is a bad row naming the first, and nothing is stored") {
  ApiFixture api;
  const std::string csv =
      "领域,问题来源,问题描述,责任单位,整改时限\n"
      "2,self_inspection,审计导入问题三：慢病签约不全,village_1,2021-10-28\n"
      "2,self_inspection,另一个问题,village_1,2021-10-28\n"
      "2,self_inspection, 审计导入问题三：慢病签约不全 ,village_2,2021-10-29\n";
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", csv);
  INFO(preview.body.dump());
  CHECK(preview.body["valid"] == false);
  REQUIRE(preview.body["errors"].size() == 1);
  const json& error = preview.body["errors"][0];
  CHECK(error["line"] == 4);
  CHECK(error["column"] == "问题描述");
  CHECK(error["code"] == "duplicate_problem");
  CHECK(error["params"]["first_line"] == "2");
  const HttpReply refused = PostCsv(api, api.Office(), "/api/problems/import?dry_run=0", csv);
  CHECK(refused.status == 422);
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("only those who may create problems may import them") {
  ApiFixture api;
  for (const auto& [role, unit] : {std::pair{"unit_member", "village_1"}, std::pair{"inspector", "rural_office"},
                                   std::pair{"leader", ""}}) {
    INFO(role);
    const HttpReply refused = PostCsv(api, api.As(role, unit), "/api/problems/import?dry_run=1", kGoodCsv);
    CHECK(refused.status == 403);
  }
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("an import refuses an empty file, an unknown parameter and a multipart form") {
  ApiFixture api;
  CHECK(PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", "area,source,description\n").status == 422);
  CHECK(PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", "").status == 200);  // a preview of "no header"
  CHECK(PostCsv(api, api.Office(), "/api/problems/import?dryrun=1", kGoodCsv).status == 400);
  CHECK(PostCsv(api, api.Office(), "/api/problems/import?dry_run=yes", kGoodCsv).status == 400);
  httplib::MultipartFormDataItems form = {{"file", kGoodCsv, "problems.csv", "text/csv"}};
  const auto multipart = api.client().Post("/api/problems/import", {{"Authorization", "Bearer " + api.Office().token}}, form);
  REQUIRE(multipart);
  CHECK(multipart->status == 400);
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("an XLSX workbook is previewed and imported from its first sheet like a CSV") {
  ApiFixture api;
  TempDir dir;
  const std::string path = dir.File("问题清单.xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
  const char* rows[2][4] = {{"领域", "问题来源", "问题描述", "责任单位"},
                            {"饮水安全", "self_inspection", "示例村二饮水管网漏水", "示例村二"}};
  for (lxw_row_t r = 0; r < 2; ++r)
    for (lxw_col_t c = 0; c < 4; ++c) worksheet_write_string(sheet, r, c, rows[r][c], nullptr);
  REQUIRE(workbook_close(workbook) == LXW_NO_ERROR);
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  const std::string xlsx = bytes.str();

  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", xlsx);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["valid"] == true);
  REQUIRE(preview.body["rows"].size() == 1);
  CHECK(preview.body["rows"][0]["unit"] == "village_2");
  CHECK(ProblemCount(api) == 0);
  CHECK(PostCsv(api, api.Office(), "/api/problems/import", xlsx).status == 201);
  CHECK(ProblemCount(api) == 1);

  // Zip bytes that are not a workbook: a clear 400, nothing stored.
  const HttpReply broken = PostCsv(api, api.Office(), "/api/problems/import", xlsx.substr(0, 100));
  CHECK(broken.status == 400);
  CHECK(broken.body["field"] == "file");
  CHECK(broken.body["message"].get<std::string>().find("not a readable XLSX workbook") != std::string::npos);
  CHECK(ProblemCount(api) == 1);
}

TEST_CASE("deadlines written as Chinese Excel and people write dates are read, a bare number is not") {
  ApiFixture api;
  const std::string csv =
      "领域,问题来源,问题描述,责任单位,整改时限\n"
      "2,self_inspection,斜线日期,village_1,2021/10/30\n"  // Excel on Chinese Windows, saved as CSV
      "2,self_inspection,点号日期,village_1,2021.11.2\n"
      "2,self_inspection,中文日期,village_1,2021年11月5日\n"
      "２,self_inspection,全角日期,village_1,２０２１－１１－０８\n"
      "2,self_inspection,带时间,village_1,2021/11/10 17:30\n"
      "2,self_inspection,ISO,village_1,2021-11-12T09:00\n"
      // Excel's date cell formatted with a time, saved as CSV: the date, as the XLSX reads it.
      "2,self_inspection,零点,village_1,2021/10/30 0:00\n"
      "2,self_inspection,二十四点,village_1,2021-10-30 24:00\n"
      "2,self_inspection,中文日期带时间,village_1,2021年10月30日17:30\n"
      // 00:00 as 0:00: the end of the day (audit 23: one day earlier than 0:00); an ISO time is exact.
      "2,self_inspection,两位零点,village_1,2021-10-30 00:00\n"
      "2,self_inspection,ISO零点,village_1,2021-10-30T00:00\n";
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", csv);
  REQUIRE(preview.status == 200);
  INFO(preview.body.dump());
  REQUIRE(preview.body["valid"] == true);
  const json& rows = preview.body["rows"];
  REQUIRE(rows.size() == 11);
  CHECK(rows[9]["deadline"] == "2021-10-31T00:00:00+08:00");
  CHECK(rows[10]["deadline"] == "2021-10-30T00:00:00+08:00");
  CHECK(rows[6]["deadline"] == "2021-10-31T00:00:00+08:00");
  CHECK(rows[7]["deadline"] == "2021-10-31T00:00:00+08:00");
  CHECK(rows[8]["deadline"] == "2021-10-30T17:30:00+08:00");
  CHECK(rows[0]["deadline"] == "2021-10-31T00:00:00+08:00");  // a date alone: the end of that day
  CHECK(rows[1]["deadline"] == "2021-11-03T00:00:00+08:00");
  CHECK(rows[2]["deadline"] == "2021-11-06T00:00:00+08:00");
  CHECK(rows[3]["deadline"] == "2021-11-09T00:00:00+08:00");
  CHECK(rows[3]["area"] == 2);  // its area in full-width digits too
  CHECK(rows[4]["deadline"] == "2021-11-10T17:30:00+08:00");
  CHECK(rows[5]["deadline"] == "2021-11-12T09:00:00+08:00");

  // A number in a CSV is no date (a CSV of Excel writes its dates as dates); nor is a day that
  // is not there, a time that is not, or a date with something after it.
  const std::string bad =
      "领域,问题来源,问题描述,责任单位,整改时限\n"
      "2,self_inspection,数字,village_1,45000\n"
      "2,self_inspection,二月三十日,village_1,2021/2/30\n"
      "2,self_inspection,二十五点,village_1,2021/11/10 25:00\n"
      "2,self_inspection,混用分隔符,village_1,2021/11-10\n"
      "2,self_inspection,尾巴,village_1,2021年11月10日前\n"
      "2,self_inspection,二十四点半,village_1,2021/11/10 24:30\n"
      "2,self_inspection,连写,village_1,2021/11/1017:30\n";
  const HttpReply refused = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", bad);
  REQUIRE(refused.status == 200);
  const json& errors = refused.body["errors"];
  REQUIRE(errors.size() == 7);
  for (const json& error : errors) {
    CHECK(error["code"] == "bad_date");
    CHECK(error["message"].get<std::string>().find("2021/10/30") != std::string::npos);  // says what to write
  }
  CHECK(errors[0]["params"]["value"] == "45000");
}

TEST_CASE("the date cells of a workbook from Excel import as the dates they show") {
  ApiFixture api;
  TempDir dir;
  const std::string path = dir.File("问题清单.xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
  lxw_format* built_in = workbook_add_format(workbook);
  format_set_num_format_index(built_in, 14);  // Excel's own short date
  lxw_format* chinese = workbook_add_format(workbook);
  format_set_num_format(chinese, "yyyy\"年\"m\"月\"d\"日\"");
  lxw_format* with_time = workbook_add_format(workbook);
  format_set_num_format(with_time, "yyyy/m/d h:mm");
  const char* header[] = {"领域", "问题来源", "问题描述", "责任单位", "整改时限"};
  for (lxw_col_t c = 0; c < 5; ++c) worksheet_write_string(sheet, 0, c, header[c], nullptr);
  const char* titles[] = {"内置日期格式", "中文日期格式", "日期和时间", "常规数字"};
  lxw_datetime dates[] = {{2021, 10, 30, 0, 0, 0}, {2021, 11, 5, 0, 0, 0}, {2021, 11, 10, 17, 30, 0}};
  lxw_format* formats[] = {built_in, chinese, with_time};
  for (lxw_row_t r = 1; r <= 4; ++r) {
    worksheet_write_number(sheet, r, 0, 2, nullptr);
    worksheet_write_string(sheet, r, 1, "self_inspection", nullptr);
    worksheet_write_string(sheet, r, 2, titles[r - 1], nullptr);
    worksheet_write_string(sheet, r, 3, "示例村一", nullptr);
    if (r <= 3) worksheet_write_datetime(sheet, r, 4, &dates[r - 1], formats[r - 1]);
  }
  worksheet_write_number(sheet, 4, 4, 45000, nullptr);  // a number, not formatted as a date
  REQUIRE(workbook_close(workbook) == LXW_NO_ERROR);
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();

  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", bytes.str());
  REQUIRE(preview.status == 200);
  INFO(preview.body.dump());
  const json& rows = preview.body["rows"];
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["deadline"] == "2021-10-31T00:00:00+08:00");
  CHECK(rows[1]["deadline"] == "2021-11-06T00:00:00+08:00");
  CHECK(rows[2]["deadline"] == "2021-11-10T17:30:00+08:00");
  const json& errors = preview.body["errors"];
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["line"] == 5);
  CHECK(errors[0]["code"] == "bad_date");
  CHECK(errors[0]["params"]["value"] == "45000");
}

TEST_CASE("an import that would expand past its limits is refused with 400 naming the limit") {
  ApiFixture api;
  const std::string header = "<row>" + InlineCell("", "领域") + InlineCell("", "问题来源") + InlineCell("", "问题描述") + "</row>";
  const std::string csv_fields = "area,source,description" + std::string(62, ',') + "\n";
  std::string csv_rows = "area,source,description\n";
  for (int i = 0; i < 10'000; ++i) csv_rows += "14,campaign_sweep,问题\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {SharedStringBomb(100 * 1024, 200), "the cells hold more than 16 MiB of text"},
      {CraftedXlsx(header + "<row>" + InlineCell("", "14") + InlineCell("", "campaign_sweep") + InlineCell("ZZZ2", "x") +
                   "</row>"),
       "cell ZZZ2 has text; at most 64 columns (A to BL) are read"},
      {CraftedXlsx(header + "<row>" + InlineCell("", "14") + InlineCell("", "campaign_sweep") +
                   InlineCell("", std::string(200 * 1024, 'x')) + "</row>"),
       "cell C2 holds more than 128 KiB of text"},
      {csv_fields, "line 1 has more than 64 fields"},
      {csv_rows, "more than 10000 rows"},
  };
  for (const auto& [file, limit] : cases) {
    INFO(limit);
    for (const char* path : {"/api/problems/import?dry_run=1", "/api/problems/import"}) {
      const HttpReply refused = PostCsv(api, api.Office(), path, file);
      CHECK(refused.status == 400);
      CHECK(refused.body["error"] == "invalid_argument");
      CHECK(refused.body["field"] == "file");
      CHECK(refused.body["message"].get<std::string>().find(limit) != std::string::npos);
    }
  }
  CHECK(ProblemCount(api) == 0);
}

TEST_CASE("a workbook whose cells carry no references imports by their positions") {
  ApiFixture api;
  auto row = [](std::initializer_list<const char*> cells) {
    std::string xml = "<row>";
    for (const char* cell : cells) xml += InlineCell("", cell);
    return xml + "</row>";
  };
  const std::string xlsx = CraftedXlsx(row({"领域", "问题来源", "问题描述", "责任单位"}) +
                                       row({"14", "campaign_sweep", "示例村一问题", "village_1"}) +
                                       row({"5", "self_inspection", "示例村二饮水", "village_2"}));
  const HttpReply stored = PostCsv(api, api.Office(), "/api/problems/import", xlsx);
  INFO(stored.body.dump());
  REQUIRE(stored.status == 201);
  const json items = api.Get("/api/problems").body["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[1]["title"] == "示例村二饮水");
  CHECK(items[1]["area"] == 5);
  CHECK(items[1]["unit"] == "village_2");
}

TEST_CASE("the same file imported twice: the preview names the rows that exist, and the import skips them") {
  ApiFixture api;
  REQUIRE(PostCsv(api, api.Office(), "/api/problems/import", kGoodCsv).status == 201);
  const json first_ids = api.Get("/api/problems").body["items"];
  REQUIRE(first_ids.size() == 2);
  // One of them has moved on since (signed for): still the same problem.
  REQUIRE(api.Fire("/api/problems/" + std::to_string(first_ids[0]["id"].get<int>()), "sign_for").status == 200);

  const std::string again = std::string(kGoodCsv) + "3,self_inspection,示例村三医保未参保,,,\n";
  const HttpReply preview = PostCsv(api, api.Office(), "/api/problems/import?dry_run=1", again);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["valid"] == true);
  CHECK(preview.body["existing"] == 2);
  REQUIRE(preview.body["rows"].size() == 3);
  CHECK(preview.body["rows"][0]["existing_id"] == first_ids[0]["id"]);
  CHECK(preview.body["rows"][1]["existing_id"] == first_ids[1]["id"]);
  CHECK(preview.body["rows"][2]["existing_id"].is_null());

  const HttpReply stored = PostCsv(api, api.Office(), "/api/problems/import", again);
  REQUIRE(stored.status == 201);
  CHECK(stored.body["stored"] == 1);
  REQUIRE(stored.body["skipped"].size() == 2);
  CHECK(stored.body["skipped"][0]["line"] == 2);
  CHECK(stored.body["skipped"][0]["existing_id"] == first_ids[0]["id"]);
  CHECK(ProblemCount(api) == 3);

  // Every row there already: nothing stored, and it says so.
  const HttpReply third = PostCsv(api, api.Office(), "/api/problems/import", again);
  CHECK(third.status == 200);
  CHECK(third.body["stored"] == 0);
  CHECK(third.body["skipped"].size() == 3);
  CHECK(ProblemCount(api) == 3);
}

TEST_CASE("a file sent without a Content-Type, or as curl's form type, is recognised by its bytes") {
  ApiFixture api;
  for (const std::string type : {"", "application/x-www-form-urlencoded", "application/octet-stream"}) {
    INFO(type);
    const HttpReply csv = PostUntyped(api, "/api/problems/import?dry_run=1", kGoodCsv, type);
    CHECK(csv.status == 200);
    CHECK(csv.body["rows"].size() == 2);
    const HttpReply gbk = PostUntyped(api, "/api/problems/import?dry_run=1", kGbkCsv, type);
    CHECK(gbk.status == 200);
    REQUIRE(gbk.body["rows"].size() == 1);
    CHECK(gbk.body["rows"][0]["title"] == "示例村三危房");
    auto row = [](std::initializer_list<const char*> cells) {
      std::string xml = "<row>";
      for (const char* cell : cells) xml += InlineCell("", cell);
      return xml + "</row>";
    };
    const std::string xlsx = CraftedXlsx(row({"领域", "问题来源", "问题描述"}) + row({"14", "campaign_sweep", "示例村一问题"}));
    const HttpReply sheet = PostUntyped(api, "/api/problems/import?dry_run=1", xlsx, type);
    CHECK(sheet.status == 200);
    CHECK(sheet.body["rows"].size() == 1);
  }
  // The query string is still checked.
  CHECK(PostUntyped(api, "/api/problems/import?dryrun=1", kGoodCsv, "application/x-www-form-urlencoded").status == 400);
  CHECK(PostUntyped(api, "/api/problems/import", kGoodCsv, "").status == 201);
  CHECK(ProblemCount(api) == 2);
}

}  // namespace rectify::testing
