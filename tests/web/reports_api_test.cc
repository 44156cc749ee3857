// The exports, the dashboard and the scores over real HTTP: who gets which file, what is in it
// (XLSX read back with openpyxl, CSV with a strict reader), that every export is in the audit
// log, and the figures on a small known scenario.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/exports/read_back.h"
#include "tests/web/file_requests.h"

namespace rectify::testing {
namespace {

std::string ProblemFor(ApiFixture& api, const std::string& unit, const std::string& title, const char* deadline) {
  json body = SampleProblem();
  body["unit"] = unit;
  body["title"] = title;
  body["deadline"] = deadline;
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  return created.location;
}

json Household(const std::string& name, const std::string& village,
               const std::string& id_number = "11010519491231002X") {
  return {{"household", name},           {"village", village},          {"category", "marginal"},
          {"risk_type", "illness"},      {"risk_found_on", "2021-09-01"}, {"clue_source", "cadre_found"},
          {"id_number", id_number}, {"phone", "13812345678"}, {"members", 3}};
}

std::vector<json> ExportRecords(ApiFixture& api) {
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");
  REQUIRE(audit.status == 200);
  std::vector<json> exports;
  for (const json& record : audit.body["records"])
    if (record["action"] == "export") exports.push_back(record);
  return exports;
}

// A send-back's reason; other events take no extra fields.
json WithReason(const std::string& event, const char* reason) {
  return event == "send_back" ? json{{"reason", reason}} : json::object();
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the town's ledger downloads as a printable XLSX with a Chinese file name and is audited") {
  ApiFixture api;
  ProblemFor(api, "central_school", "某村一名适龄儿童辍学未劝返", "2021-10-20");
  ProblemFor(api, "village_1", "村道路灯损坏未修复", "2021-10-31");
  const FileReply xlsx = Download(api, api.As("leader"), "/api/exports/ledger.xlsx");
  REQUIRE(xlsx.status == 200);
  CHECK(xlsx.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  CHECK(Contains(xlsx.disposition, "filename=\"gaoqiao-2021-ledger-town-20211012.xlsx\""));
  // Percent-encoded on the wire (evidence_api_test checks the encoding); httplib's client decodes it.
  // The town first: a county user's downloads of two towns' forms are two files.
  CHECK(Contains(xlsx.disposition, "filename*=UTF-8''高桥镇2021年-问题排查整改台账-全镇-20211012.xlsx"));
  const nlohmann::json sheet = ReadXlsx(xlsx.body);
  const std::string text = AllText(sheet);
  CHECK(Contains(text, "2021年高桥镇巩固脱贫攻坚成果秋季攻势行动工作问题排查整改台账"));
  CHECK(Contains(text, "范围：全镇各责任单位"));
  CHECK(Contains(text, "某村一名适龄儿童辍学未劝返"));
  CHECK(Contains(text, "村道路灯损坏未修复"));
  CHECK(sheet["orientation"] == "landscape");

  const std::vector<json> audited = ExportRecords(api);
  REQUIRE(audited.size() == 1);
  CHECK(audited[0]["actor"] == "user " + api.As("leader").username);
  CHECK(audited[0]["subject"] == "ledger town");
  CHECK(Contains(audited[0]["detail"].get<std::string>(), "2 rows"));
}

TEST_CASE("a unit member exports its own unit's ledger and no other") {
  ApiFixture api;
  ProblemFor(api, "central_school", "某村一名适龄儿童辍学未劝返", "2021-10-20");
  ProblemFor(api, "village_1", "村道路灯损坏未修复", "2021-10-31");
  const auto& school = api.As("unit_member", "central_school");
  const FileReply csv = Download(api, school, "/api/exports/ledger.csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  const auto records = ParseCsv(csv.body);
  REQUIRE(records.size() == 2);  // the header and the school's one problem
  CHECK(records[0][0] == "序号");
  CHECK(records[1][3] == "某村一名适龄儿童辍学未劝返");
  CHECK(Download(api, school, "/api/exports/ledger.csv?unit=central_school").status == 200);
  const FileReply other = Download(api, school, "/api/exports/ledger.xlsx?unit=village_1");
  CHECK(other.status == 403);
  CHECK(other.error["error"] == "permission_denied");
  CHECK(Download(api, api.Office(), "/api/exports/ledger.csv?unit=nowhere").status == 400);
  CHECK(Download(api, api.Office(), "/api/exports/ledger.csv?units=village_1").status == 400);
  CHECK(ExportRecords(api).size() == 2);  // the refused ones are not exports
}

TEST_CASE("the household forms of a unit that is no village are refused naming village, not an empty form") {
  ApiFixture api;
  REQUIRE(api.Post("/api/enrollments", Household("王五", "village_1")).status == 201);
  for (const char* path : {"/api/exports/roster.csv?village=central_school", "/api/exports/visits.csv?village=central_school",
                           "/api/exports/roster.xlsx?village=village_99"}) {
    INFO(path);
    const FileReply refused = Download(api, api.As("office"), path);
    CHECK(refused.status == 400);
    CHECK(refused.error["field"] == "village");
  }
  CHECK(Download(api, api.As("office"), "/api/exports/roster.csv?village=village_1").status == 200);
}

TEST_CASE("the roster is in full for the household's village masked for others and without personal data in public") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/enrollments", Household("王五", "village_1"));
  REQUIRE(created.status == 201);
  REQUIRE(api.Post("/api/enrollments", Household("赵六", "village_2", "430922198005120030")).status == 201);

  const FileReply own = Download(api, api.As("unit_member", "village_1"), "/api/exports/roster.csv");
  REQUIRE(own.status == 200);
  const auto rows = ParseCsv(own.body);
  REQUIRE(rows.size() == 2);  // its own household only
  CHECK(rows[1][2] == "王五");
  CHECK(rows[1][3] == "11010519491231002X");
  CHECK(Download(api, api.As("unit_member", "village_1"), "/api/exports/roster.csv?village=village_2").status == 403);

  const FileReply leader = Download(api, api.As("leader"), "/api/exports/roster.csv");
  REQUIRE(leader.status == 200);
  CHECK_FALSE(Contains(leader.body, "11010519491231002"));
  CHECK(Contains(leader.body, "1101**********002X"));
  CHECK(Contains(Download(api, api.Office(), "/api/exports/roster.csv").body, "11010519491231002X"));

  // The public notice lists the households that reached it, without the four personal columns.
  for (const char* event : {"assign", "start", "complete_step", "complete_step", "complete_step"})
    REQUIRE(api.Fire(created.location, event).status == 200);
  const FileReply notice = Download(api, api.As("inspector"), "/api/exports/roster.xlsx?public=1");
  REQUIRE(notice.status == 200);
  const nlohmann::json sheet = ReadXlsx(notice.body);
  const std::string text = AllText(sheet);
  CHECK(Contains(text, "王五"));
  CHECK_FALSE(Contains(text, "赵六"));  // still a risk clue
  std::vector<std::string> headers;
  for (std::size_t row = 0; row < sheet["rows"].size(); ++row)
    if (CellText(sheet, row, 0) == "序号") headers = RowTexts(sheet, row);
  REQUIRE_FALSE(headers.empty());
  CHECK(std::find(headers.begin(), headers.end(), "户主姓名") != headers.end());
  for (const char* personal : {"身份证号码", "联系电话", "银行账号", "健康状况"})
    CHECK(std::find(headers.begin(), headers.end(), personal) == headers.end());
  CHECK_FALSE(Contains(text, "002X"));
  CHECK_FALSE(Contains(text, "5678"));
  const std::vector<json> audited = ExportRecords(api);
  REQUIRE(audited.size() == 4);
  CHECK(Contains(audited[0]["detail"].get<std::string>(), "personal data full"));
  CHECK(Contains(audited[1]["detail"].get<std::string>(), "personal data masked"));
  CHECK(Contains(audited[3]["detail"].get<std::string>(), "personal data omitted"));
}

TEST_CASE("a village's roster shows its own households in full while it leads another village's request") {
  ApiFixture api;
  const HttpReply other_village = api.Post("/api/enrollments", Household("王五", "village_1"));
  REQUIRE(other_village.status == 201);
  // The office asks village_2 to lead village_1's household's request: village_2 sees it masked.
  REQUIRE(api.Fire(other_village.location, "assign", {{"unit", "village_2"}}).status == 200);
  REQUIRE(api.Post("/api/enrollments", Household("赵六", "village_2", "430922198005120030")).status == 201);

  const FileReply own = Download(api, api.As("unit_member", "village_2"), "/api/exports/roster.csv");
  REQUIRE(own.status == 200);
  const auto rows = ParseCsv(own.body);
  REQUIRE(rows.size() == 2);  // its own village's household only
  CHECK(rows[1][2] == "赵六");
  CHECK(rows[1][3] == "=\"430922198005120030\"");  // as Excel keeps all 18 digits (csv_writer.h)
  CHECK(rows[1][9] == "=\"13812345678\"");  // not 1.38E+10 in a narrow column
  CHECK_FALSE(Contains(own.body, "11010519491231002X"));
}

TEST_CASE("the bulletin is for the office supervisors leaders and inspectors") {
  ApiFixture api;
  ProblemFor(api, "village_1", "村道路灯损坏未修复", "2021-10-08");
  CHECK(Download(api, api.As("unit_member", "village_1"), "/api/exports/bulletin.xlsx").status == 403);
  const FileReply bulletin = Download(api, api.As("supervisor"), "/api/exports/bulletin.csv?as_of=2021-10-12T09:00");
  REQUIRE(bulletin.status == 200);
  const auto rows = ParseCsv(bulletin.body);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][1] == "示例村一");
  CHECK(rows[1][8] == "3");  // 10-09 (a make-up Saturday), 10-11 and 10-12
  // Beside the tier, the unit's three rates as the dashboard counts them: its one item, open past
  // its deadline, neither signed for late nor sent back.
  CHECK(rows[0][10] == "按时签收率");
  const HttpReply dashboard = api.GetAs(api.As("leader"), "/api/dashboard");
  REQUIRE(dashboard.status == 200);
  const json rates = dashboard.body["rates"];
  REQUIRE(rates.size() == 1);
  CHECK(rates[0]["close_judged"] == 1);
  CHECK(rates[0]["closed_on_time"] == 0);
  CHECK(rows[1][11] == "0%（0/1）");
  CHECK(rows[1][12] == "0%（0/1）");
  CHECK(Contains(bulletin.disposition, "filename=\"gaoqiao-2021-bulletin-20211012.csv\""));
}

TEST_CASE("the dashboard shows the town's figures and a unit member its own") {
  ApiFixture api;  // 2021-10-12 09:00
  const std::string late = ProblemFor(api, "village_1", "逾期问题", "2021-10-08");
  ProblemFor(api, "village_1", "未到期问题", "2021-10-31");
  const std::string closed = ProblemFor(api, "central_school", "已销号问题", "2021-10-31");
  for (const char* event : {"start", "submit", "send_back", "submit", "verify", "close"})
    REQUIRE(api.Fire(closed, event, WithReason(event, "缺少复学证明")).status == 200);

  const HttpReply town = api.GetAs(api.As("leader"), "/api/dashboard");
  REQUIRE(town.status == 200);
  const json& d = town.body;
  CHECK(d["scope"] == "town");
  CHECK(d["timeline"]["today"] == "2021-10-12");
  CHECK(d["timeline"]["phases"].size() == 3);
  CHECK(d["timeline"]["phases"][0]["name"] == "动员部署");
  bool ledger_deadline = false;
  for (const json& deadline : d["timeline"]["deadlines"])
    if (deadline["id"] == "ledger_due") ledger_deadline = deadline["at"] == "2021-10-26T17:30:00+08:00";
  CHECK(ledger_deadline);
  CHECK(d["burn_down"]["clear_by"] == "2021-11-01T00:00:00+08:00");
  const json& points = d["burn_down"]["points"];
  REQUIRE(points.size() == 22);  // 09-21 .. 10-12
  CHECK(points.back()["date"] == "2021-10-12");
  CHECK(points.back()["open"] == 2);
  CHECK(points[points.size() - 2]["open"] == 0);
  REQUIRE(d["units"].size() == 2);
  CHECK(d["units"][0]["unit"] == "central_school");
  CHECK(d["units"][0]["on_time"] == 1);
  CHECK(d["units"][0]["sent_back"] == 1);
  CHECK(d["units"][1]["unit"] == "village_1");
  CHECK(d["units"][1]["overdue"] == 1);
  CHECK(d["units"][1]["on_time"] == 1);
  CHECK(d["areas"][1]["total"] == 3);
  CHECK(d["areas"][1]["closed"] == 1);
  CHECK(d["enrollment"]["proposed"] == 0);
  CHECK(d["enrollment"]["share_within_limit"].is_null());
  CHECK(d["ledgers"]["owed"] == 2);

  const HttpReply own = api.GetAs(api.As("unit_member", "village_1"), "/api/dashboard?as_of=2021-10-12T09:00");
  REQUIRE(own.status == 200);
  CHECK(own.body["scope"] == "village_1");
  REQUIRE(own.body["units"].size() == 1);
  CHECK(own.body["units"][0]["total"] == 2);
  CHECK(own.body["burn_down"]["points"].back()["open"] == 2);
  CHECK(own.body["ledgers"]["units"].size() == 1);
  CHECK(api.Get("/api/dashboard?as_of=soon").status == 400);
  (void)late;
}

TEST_CASE("the figures at an earlier instant leave out the items and households recorded after it") {
  ApiFixture api;  // 2021-10-12 09:00
  ProblemFor(api, "village_2", "早先的问题", "2021-10-31");
  api.clock().Advance(kSecondsPerDay);  // 10-13 09:00: a late problem and a send-back, a request, a household
  ProblemFor(api, "village_1", "后来的问题", "2021-10-08");
  const std::string sent_back = ProblemFor(api, "village_2", "后来退回的问题", "2021-10-31");
  for (const char* event : {"start", "submit", "send_back"})
    REQUIRE(api.Fire(sent_back, event, WithReason(event, "材料不全")).status == 200);
  REQUIRE(api.Post("/api/enrollments", Household("王五", "village_1")).status == 201);
  const json found = {{"village", "village_1"}, {"group", "7组"}, {"head_name", "褚十二"},
                      {"household_type", "一般农户"}, {"priority", "other"}};
  REQUIRE(api.PostAs(api.As("unit_member", "village_1"), "/api/survey/households", found).status == 201);

  const std::string before = "?as_of=2021-10-12T12:00";
  const HttpReply then = api.GetAs(api.As("leader"), "/api/dashboard" + before);
  REQUIRE(then.status == 200);
  REQUIRE(then.body["units"].size() == 1);
  CHECK(then.body["units"][0]["unit"] == "village_2");
  CHECK(then.body["units"][0]["total"] == 1);
  CHECK(then.body["units"][0]["send_backs"] == 0);
  CHECK(then.body["enrollment"]["proposed"] == 0);
  CHECK(then.body["survey"]["total"]["households"] == 0);
  CHECK(then.body["burn_down"]["points"].back()["open"] == 1);
  const HttpReply scores_then = api.GetAs(api.As("leader"), "/api/scores" + before);
  REQUIRE(scores_then.status == 200);
  for (const json& village : scores_then.body["villages"]) CHECK(village["score"] == 100);

  // Now every one of them counts.
  const HttpReply now = api.GetAs(api.As("leader"), "/api/dashboard");
  REQUIRE(now.status == 200);
  REQUIRE(now.body["units"].size() == 2);
  CHECK(now.body["enrollment"]["proposed"] == 1);
  CHECK(now.body["survey"]["total"]["households"] == 1);
  const HttpReply scores_now = api.GetAs(api.As("leader"), "/api/scores");
  REQUIRE(scores_now.status == 200);
  CHECK(scores_now.body["villages"].back()["score"] < 100);
}

TEST_CASE("the figures asked of a past moment are what they were at that moment, whatever happened since") {
  ApiFixture api;  // 2021-10-12 09:00
  const auto& leader = api.As("leader");
  const std::string late = ProblemFor(api, "village_1", "一直未完成的问题", "2021-10-20");
  const std::string sent_back = ProblemFor(api, "village_2", "后来退回的问题", "2021-10-29");
  const std::string reassigned = ProblemFor(api, "village_3", "后来改派的问题", "2021-10-25");
  const std::string extended = ProblemFor(api, "village_2", "逾期后才批准延期的问题", "2021-10-20");
  const HttpReply request = api.Post("/api/enrollments", Household("赵六", "village_4"));
  REQUIRE(request.status == 201);
  const HttpReply refused = api.Post("/api/enrollments", Household("钱七", "village_4", "430922198005120030"));
  REQUIRE(refused.status == 201);
  for (const char* event : {"assign", "start", "complete_step"}) REQUIRE(api.Fire(refused.location, event).status == 200);
  REQUIRE(api.Fire(refused.location, "close_ineligible", {{"explanation", "收入高于监测标准，已当面解释"}}).status == 200);
  for (const char* event : {"start", "submit"}) REQUIRE(api.Fire(late, event).status == 200);
  REQUIRE(api.Fire(sent_back, "start").status == 200);

  // What the town read at three moments, as it read them then.
  struct Seen {
    std::string as_of;
    json dashboard, scores, own;
  };
  std::vector<Seen> seen;
  auto look = [&](const char* at) {
    api.clock().Set(*ParseInstant(at));
    const std::string as_of = FormatInstant(api.clock().Now());
    seen.push_back({as_of, api.GetAs(leader, "/api/dashboard").body, api.GetAs(leader, "/api/scores").body,
                    api.GetAs(api.As("unit_member", "village_3"), "/api/dashboard").body});
  };
  look("2021-10-14T10:00:00+08:00");
  // Later: a send-back, a reassignment, the verification of the late one.
  api.clock().Set(*ParseInstant("2021-10-18T10:00:00+08:00"));
  REQUIRE(api.Fire(sent_back, "submit").status == 200);
  REQUIRE(api.Fire(sent_back, "send_back", WithReason("send_back", "材料不全")).status == 200);
  REQUIRE(api.Fire(reassigned, "reassign", {{"unit", "village_5"}}).status == 200);
  REQUIRE(api.Fire(late, "verify").status == 200);
  const auto& village_2 = api.As("unit_member", "village_2");
  REQUIRE(api.FireAs(village_2, extended, "sign_for").status == 200);
  REQUIRE(api.FireAs(village_2, extended, "request_extension", {{"reason", "汛期道路中断"}, {"deadline", "2021-11-05"}})
              .status == 200);
  look("2021-10-27T16:00:00+08:00");  // past its deadline of 10-20, the extension not yet decided: overdue
  // The next day the extension is approved, moving the deadline to 11-05, and the household found
  // not eligible is reopened, losing that outcome: 10-27's figures must see neither.
  api.clock().Set(*ParseInstant("2021-10-28T10:00:00+08:00"));
  REQUIRE(api.FireAs(api.Office(), extended, "approve_extension", {{"reason", "情况属实，同意延期"}}).status == 200);
  REQUIRE(api.Fire(refused.location, "reopen", {{"reason", "复核"}, {"deadline", "2021-11-08"}}).status == 200);
  look("2021-11-10T23:00:00+08:00");
  // After the campaign: the late problem closed, the household's request walked on.
  api.clock().Set(*ParseInstant("2021-11-22T10:00:00+08:00"));
  REQUIRE(api.Fire(late, "close").status == 200);
  REQUIRE(api.Fire(sent_back, "submit").status == 200);
  REQUIRE(api.Fire(request.location, "assign", {{"unit", "village_4"}}).status == 200);

  // Key by key, so that a difference names its figure.
  auto check_same = [](const json& asked, const json& seen_then) {
    REQUIRE(asked.is_object());
    for (const auto& [key, value] : seen_then.items()) {
      INFO(key);
      CHECK(asked.value(key, json()) == value);
    }
    CHECK(asked.size() == seen_then.size());
  };
  for (const Seen& then : seen) {
    INFO("as of " << then.as_of);
    const std::string query = "?as_of=" + then.as_of.substr(0, 19);
    check_same(api.GetAs(leader, "/api/dashboard" + query).body, then.dashboard);
    check_same(api.GetAs(leader, "/api/scores" + query).body, then.scores);
    check_same(api.GetAs(api.As("unit_member", "village_3"), "/api/dashboard" + query).body, then.own);
  }
  // An ended campaign's record without as_of is its last second's: the close of 11-22 is not in it.
  const json at_end = api.GetAs(leader, "/api/scores").body;
  CHECK(at_end["villages"] == seen.back().scores["villages"]);
  const HttpReply now = api.GetAs(leader, "/api/scores?as_of=2021-11-22T10:00");
  CHECK(now.body["villages"] != seen.back().scores["villages"]);
}

TEST_CASE("the scores rank the villages by the campaign's formula and export as a table") {
  ApiFixture api;
  const std::string late = ProblemFor(api, "village_1", "逾期问题", "2021-10-08");  // 3 working days late at 10-12
  const std::string sent_back = ProblemFor(api, "village_2", "退回问题", "2021-10-31");
  for (const char* event : {"start", "submit", "send_back"})
    REQUIRE(api.Fire(sent_back, event, WithReason(event, "材料不全")).status == 200);

  CHECK(api.GetAs(api.As("unit_member", "village_1"), "/api/scores").status == 403);
  const HttpReply scores = api.GetAs(api.As("leader"), "/api/scores");
  REQUIRE(scores.status == 200);
  CHECK(scores.body["formula"]["per_send_back"] == 2);
  const json& villages = scores.body["villages"];
  REQUIRE(villages.size() == 6);
  CHECK(villages[0]["rank"] == 1);
  CHECK(villages[0]["score"] == 100);
  CHECK(villages[4]["village"] == "village_2");
  CHECK(villages[4]["score"] == 98);  // 100 - 2 × 1 send-back
  CHECK(villages[5]["village"] == "village_1");
  CHECK(villages[5]["on_time_rate"] == 0);
  CHECK(villages[5]["overdue_working_days"] == 3);  // 10-09 (a make-up Saturday), 10-11, 10-12
  CHECK(villages[5]["score"] == 58.5);                // 30 + 40 × 0 + 30 × 1 - 0.5 × 3

  const FileReply xlsx = Download(api, api.As("leader"), "/api/exports/scores.xlsx");
  REQUIRE(xlsx.status == 200);
  const nlohmann::json sheet = ReadXlsx(xlsx.body);
  const std::string text = AllText(sheet);
  CHECK(Contains(text, "实效考核得分"));
  CHECK(Contains(text, "计分办法"));
  bool found = false;
  for (std::size_t row = 0; row < sheet["rows"].size(); ++row)
    if (CellText(sheet, row, 1) == "示例村一") found = CellText(sheet, row, 0) == "6" && CellText(sheet, row, 2) == "58.5";
  CHECK(found);
  CHECK(ExportRecords(api).back()["subject"] == "scores");
  (void)late;
}

}  // namespace rectify::testing
