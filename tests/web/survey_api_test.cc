// The village household survey (入户核查, 附件2) over real HTTP: the list imported with bad rows
// refused and good ones stored once, a visit with too small a team refused, the inspection
// group's spot check and send-back, a risk opening its enrollment request in one step with the
// two-month deadline from the risk date, coverage against a hand count, personal data by role,
// the signed sheet's photo, and the forms read back with openpyxl.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/exports/read_back.h"
#include "tests/web/file_requests.h"

namespace rectify::testing {
namespace {

HttpReply PostCsv(ApiFixture& api, const ApiFixture::Login& who, const std::string& path, const std::string& csv) {
  const auto result = api.client().Post(path.c_str(), {{"Authorization", "Bearer " + who.token}}, csv, "text/csv");
  if (!result) throw std::runtime_error("HTTP request failed");
  HttpReply reply;
  reply.status = result->status;
  reply.body = json::parse(result->body, nullptr, false);
  return reply;
}

// Village 1's list, as the national system's export names the columns; one ID number for masking.
const std::string kList =
    "组,户主姓名,户类型,核查原因,联系电话,身份证号码\n"
    "1组,张三,脱贫不稳定户,刚性支出较大,13812345678,11010519491231002X\n"
    "2组,李四,一般脱贫户,收入大幅缩减,,\n"
    "3组,王五,边缘易致贫户,刚性支出较大,,\n";

const ApiFixture::Login& Village(ApiFixture& api, const std::string& village = "village_1") {
  return api.As("unit_member", village);
}

// Imports kList as village 1 and returns the households' ids in file order.
std::vector<std::int64_t> ImportList(ApiFixture& api) {
  const HttpReply stored = PostCsv(api, Village(api), "/api/survey/households/import", kList);
  REQUIRE(stored.status == 201);
  return stored.body["ids"].get<std::vector<std::int64_t>>();
}

std::string Path(std::int64_t id) { return "/api/survey/households/" + std::to_string(id); }

json Team(int people) {
  json team = json::array();
  const char* names[] = {"刘联村", "陈书记", "周委员"};
  const char* roles[] = {"联村干部", "第一书记", "村支两委干部"};
  for (int i = 0; i < people; ++i) team.push_back({{"name", names[i]}, {"role", roles[i]}});
  return team;
}

json Sheet(int people = 2) {
  return {{"visited_on", "2021-10-10"},
          {"team", Team(people)},
          {"members", 4},
          {"income_last_year", 9000},
          {"income_this_year", 5200},
          {"rigid_spending", 30000},
          {"spending_causes", {"因病"}},
          {"education_secured", true},
          {"medical_secured", true},
          {"housing_secured", true},
          {"water_secured", true},
          {"assistance", "产业帮扶：养鸡20只"},
          {"conclusion", "no_risk"}};
}

json RiskSheet() {
  json sheet = Sheet();
  sheet["conclusion"] = "risk_found";
  sheet["risk_type"] = "因病";
  sheet["risk_found_on"] = "2021-09-20";
  sheet["category"] = "边缘易致贫户";
  sheet["findings"] = "户主9月住院，自付医疗费约3万元，今年收入下降四成";
  sheet["health_condition"] = "户主慢性肾病";
  return sheet;
}

}  // namespace

TEST_CASE("a village's list with bad rows is previewed row by row and refused whole") {
  ApiFixture api;
  const std::string bad = kList +
                          "4组,赵六,五保户,刚性支出较大,,\n"        // not a household type of the survey
                          "5组,,一般脱贫户,收入大幅缩减,,\n"         // no head of household
                          "6组,孙七,一般脱贫户,收入大幅缩减,12345,\n"  // not a phone number
                          "1组,张三,脱贫不稳定户,刚性支出较大,,\n"    // line 2 again
                          "7组,周八,一般脱贫户,收入大幅缩减,,110101199003071234\n";  // a wrong check character
  const HttpReply preview = PostCsv(api, Village(api), "/api/survey/households/import?dry_run=1", bad);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["valid"] == false);
  CHECK(preview.body["rows"].size() == 3);
  const json& errors = preview.body["errors"];
  REQUIRE(errors.size() == 5);
  CHECK(errors[0]["line"] == 5);
  CHECK(errors[0]["column"] == "户类型");
  CHECK(errors[1]["line"] == 6);
  CHECK(errors[1]["column"] == "户主姓名");
  CHECK(errors[2]["line"] == 7);
  CHECK(errors[2]["column"] == "联系电话");
  CHECK(errors[3]["line"] == 8);
  CHECK(errors[3]["column"] == "");
  CHECK(errors[3]["code"] == "duplicate_household");  // the page says 与第2行是同一户
  CHECK(errors[3]["params"]["first_line"] == "2");
  CHECK(errors[0]["code"] == "invalid_survey_entry");  // the page says “五保户”不是可选的户类型（可选：…）
  CHECK(errors[0]["params"]["problem"] == "choice_unknown");
  CHECK(errors[0]["params"]["value"] == "五保户");
  CHECK(errors[1]["params"]["problem"] == "missing");
  // The personal columns' values come back masked, never as given (README: never repeated).
  CHECK(errors[2]["params"]["value"] == "***********");
  CHECK(errors[4]["line"] == 9);
  CHECK(errors[4]["column"] == "身份证号码");
  CHECK(errors[4]["params"]["value"] == "1101**********1234");
  // What is wrong with a phone or an ID number is the row's code, worded by the page (errors.js).
  CHECK(errors[2]["code"] == "invalid_personal_data");
  CHECK(errors[2]["params"]["problem"] == "mobile_length");  // 12345: a mobile number of 5 digits
  CHECK(errors[2]["params"]["count"] == "5");
  CHECK(errors[4]["code"] == "invalid_personal_data");
  CHECK(errors[4]["params"]["problem"] == "id_checksum");
  CHECK(errors.dump().find("110101199003071234") == std::string::npos);

  const HttpReply refused = PostCsv(api, Village(api), "/api/survey/households/import", bad);
  CHECK(refused.status == 422);
  CHECK(refused.body["errors"].size() == 5);
  const HttpReply list = api.GetAs(Village(api), "/api/survey/households");
  REQUIRE(list.status == 200);
  CHECK(list.body["households"].empty());
}

TEST_CASE("a list imported again adds only the households not yet on it") {
  ApiFixture api;
  CHECK(ImportList(api).size() == 3);
  const HttpReply again =
      PostCsv(api, Village(api), "/api/survey/households/import", kList + "4组,钱八,突发严重困难户,其他需核查情况,,\n");
  REQUIRE(again.status == 201);
  CHECK(again.body["stored"] == 1);
  CHECK(again.body["already_listed"] == json({2, 3, 4}));
  const HttpReply list = api.Get("/api/survey/households?village=village_1");
  CHECK(list.body["households"].size() == 4);
}

TEST_CASE("a list saved by rectify or by a spreadsheet as =\"digits\" is read as the digits") {
  ApiFixture api;
  // As rectify's own CSV writes an ID number and a phone, so that Excel keeps every digit.
  const HttpReply stored = PostCsv(api, Village(api), "/api/survey/households/import",
                                   "组,户主姓名,户类型,核查原因,联系电话,身份证号码\n"
                                   "1组,张三,脱贫不稳定户,刚性支出较大,\"=\"\"13812345678\"\"\",\"=\"\"11010519491231002X\"\"\"\n");
  REQUIRE(stored.status == 201);
  const HttpReply household = api.GetAs(Village(api), Path(stored.body["ids"][0]));
  CHECK(household.body["phone"] == "13812345678");
  CHECK(household.body["id_number"] == "11010519491231002X");
}

TEST_CASE("a village lists only its own households, and another village's are not found") {
  ApiFixture api;
  const HttpReply other = PostCsv(api, api.Office(), "/api/survey/households/import",
                                  "村,户主姓名,户类型,核查原因\n示例村二,吴九,一般脱贫户,收入大幅缩减\n");
  REQUIRE(other.status == 201);
  const std::int64_t theirs = other.body["ids"][0];
  ImportList(api);
  CHECK(api.GetAs(Village(api), "/api/survey/households").body["households"].size() == 3);
  CHECK(api.GetAs(Village(api), "/api/survey/households?village=village_2").status == 403);
  CHECK(api.GetAs(Village(api), Path(theirs)).status == 404);
  // A village may not list households for another.
  const HttpReply refused = PostCsv(api, Village(api), "/api/survey/households/import",
                                    "村,户主姓名,户类型,核查原因\n示例村二,郑十,一般脱贫户,收入大幅缩减\n");
  CHECK(refused.status == 403);
}

TEST_CASE("a visit by fewer people than the campaign's minimum team is refused and changes nothing") {
  ApiFixture api;
  const std::int64_t id = ImportList(api)[0];
  const HttpReply alone = api.PostAs(Village(api), Path(id) + "/visit", Sheet(1));
  CHECK(alone.status == 422);
  CHECK(alone.body["field"] == "team");
  CHECK(alone.body["reason"] == "invalid_survey_entry");
  CHECK(alone.body["params"]["problem"] == "team_too_small");
  CHECK(alone.body["params"]["minimum"] == "2");
  CHECK(alone.body["params"]["count"] == "1");
  json twice = Sheet(2);
  twice["team"][1]["name"] = twice["team"][0]["name"];
  CHECK(api.PostAs(Village(api), Path(id) + "/visit", twice).status == 422);
  // The same person with a zero-width space pasted into the name is still one person.
  json look_alike = Sheet(2);
  look_alike["team"][1]["name"] = "刘\u200b联村";
  const HttpReply one_person = api.PostAs(Village(api), Path(id) + "/visit", look_alike);
  CHECK(one_person.status == 422);
  CHECK(one_person.body["params"]["problem"] == "team_member_repeated");
  const HttpReply household = api.Get(Path(id));
  CHECK(household.body["state"] == "to_visit");
  CHECK(household.body["visit"].is_null());
  CHECK(household.body["version"] == 1);
}

TEST_CASE("the visit's fields are checked and named when wrong") {
  ApiFixture api;
  const std::int64_t id = ImportList(api)[0];
  auto refused_field = [&](json sheet) {
    const HttpReply reply = api.PostAs(Village(api), Path(id) + "/visit", sheet);
    CHECK(reply.status == 400);
    return reply.body["field"];
  };
  json future = Sheet();
  future["visited_on"] = "2021-10-13";
  CHECK(refused_field(future) == "visited_on");
  json role = Sheet();
  role["team"][0]["role"] = "路人";
  CHECK(refused_field(role) == "team[0].role");
  json no_date = RiskSheet();
  no_date.erase("risk_found_on");
  CHECK(refused_field(no_date) == "risk_found_on");
  json late_risk = RiskSheet();
  late_risk["risk_found_on"] = "2021-10-11";
  CHECK(refused_field(late_risk) == "risk_found_on");
  json crowd = Sheet();  // the sheet is signed by each member: a handful, never a crowd
  crowd["team"] = json::array();
  for (int i = 0; i < 21; ++i) crowd["team"].push_back(Sheet()["team"][0]);
  for (int i = 0; i < 21; ++i) crowd["team"][static_cast<std::size_t>(i)]["name"] = "核查员" + std::to_string(i);
  CHECK(refused_field(crowd) == "team");
  json long_finding = RiskSheet();
  long_finding["findings"] = std::string(2001, 'x');
  CHECK(refused_field(long_finding) == "findings");
  json uncovered_risk = RiskSheet();  // no holiday calendar for 2019: its enrollment could never open
  uncovered_risk["risk_found_on"] = "2019-05-01";
  CHECK(refused_field(uncovered_risk) == "risk_found_on");
  json risk_without = Sheet();
  risk_without["risk_type"] = "因病";
  CHECK(refused_field(risk_without) == "risk_type");
  json unknown = Sheet();
  unknown["colour"] = "red";
  CHECK(refused_field(unknown) == "colour");
  json blank_name = Sheet();
  blank_name["team"][1]["name"] = "\u3000 ";
  CHECK(refused_field(blank_name) == "team[1].name");
}

TEST_CASE("the inspection group spot-checks a visit or sends it back with a reason, and the village records it again") {
  ApiFixture api;
  const std::vector<std::int64_t> ids = ImportList(api);
  const HttpReply recorded = api.PostAs(Village(api), Path(ids[0]) + "/visit", Sheet());
  REQUIRE(recorded.status == 200);
  CHECK(recorded.body["state"] == "recorded");
  CHECK(recorded.body["state_label"] == "已走访");
  CHECK(recorded.body["allowed_events"].empty());
  const auto& inspector = api.As("inspector");
  CHECK(api.GetAs(inspector, Path(ids[0])).body["allowed_events"] == json({"spot_check", "send_back"}));

  // The village may not check its own visit; a send-back needs a reason.
  CHECK(api.PostAs(Village(api), Path(ids[0]) + "/events", {{"event", "spot_check"}}).status == 403);
  const HttpReply no_reason = api.PostAs(inspector, Path(ids[0]) + "/events", {{"event", "send_back"}});
  CHECK(no_reason.status == 422);
  CHECK(no_reason.body["field"] == "reason");
  // A spot check takes a note, not a reason: one sent is refused, not dropped.
  const HttpReply reason_on_check =
      api.PostAs(inspector, Path(ids[0]) + "/events", {{"event", "spot_check"}, {"reason", "抽查发现问题"}});
  CHECK(reason_on_check.status == 400);
  CHECK(reason_on_check.body["field"] == "reason");
  CHECK(reason_on_check.body["reason"] == "field_not_taken");
  CHECK(api.GetAs(inspector, Path(ids[0])).body["state"] == "recorded");
  CHECK(api.Get("/api/survey").body["event_fields"]["send_back"] ==
        json({{"takes", {"note", "reason"}}, {"required", {"reason"}}}));
  const HttpReply sent_back = api.PostAs(inspector, Path(ids[0]) + "/events",
                                        {{"event", "send_back"}, {"reason", "缺户主签字"}, {"note", "请本周内补齐"}});
  REQUIRE(sent_back.status == 200);
  CHECK(sent_back.body["state"] == "sent_back");
  CHECK(sent_back.body["visited"] == false);
  CHECK(api.PostAs(inspector, Path(ids[0]) + "/events", {{"event", "spot_check"}}).status == 409);

  json again = Sheet();
  again["visited_on"] = "2021-10-12";
  const HttpReply rerecorded = api.PostAs(Village(api), Path(ids[0]) + "/visit", again);
  REQUIRE(rerecorded.status == 200);
  CHECK(rerecorded.body["visit"]["visited_on"] == "2021-10-12");
  const HttpReply checked =
      api.PostAs(inspector, Path(ids[0]) + "/events", {{"event", "spot_check"}, {"note", "签字齐全"}});
  REQUIRE(checked.status == 200);
  CHECK(checked.body["state"] == "spot_checked");
  // Recorded once and checked, nothing more happens to it.
  CHECK(api.PostAs(Village(api), Path(ids[0]) + "/visit", Sheet()).status == 409);

  const HttpReply history = api.Get(Path(ids[0]) + "/history");
  std::vector<std::string> events;
  for (const json& e : history.body["events"]) events.push_back(e["event"]);
  CHECK(events == std::vector<std::string>{"add", "record", "send_back", "record", "spot_check"});
  // The history keeps all the inspector wrote: a send-back's reason and its note, a check's note.
  CHECK(history.body["events"][2]["note"] == "缺户主签字；请本周内补齐");
  CHECK(history.body["events"][4]["note"] == "签字齐全");
  // Who acted, by the name people know them by (the fixture names its users by their role), as
  // an item's history says it.
  CHECK(history.body["events"][0]["actor_name"] == "unit_member");
  CHECK(history.body["events"][4]["actor_name"] == "inspector");
}

TEST_CASE("after the campaign's end a visit is taken only for a risk that appeared while it ran") {
  ApiFixture api;
  const std::vector<std::int64_t> ids = ImportList(api);
  api.clock().Set(*ParseInstant("2021-11-15T10:00:00+08:00"));
  json later = RiskSheet();
  later["visited_on"] = "2021-11-15";
  later["risk_found_on"] = "2021-11-12";
  const HttpReply refused = api.PostAs(Village(api), Path(ids[0]) + "/visit", later);
  INFO(refused.body.dump());
  CHECK(refused.status == 400);
  CHECK(refused.body["field"] == "risk_found_on");
  CHECK(refused.body["reason"] == "campaign_ended");
  CHECK(refused.body["params"]["last_day"] == "2021-11-10");
  CHECK(api.Get(Path(ids[0])).body["visit"].is_null());
  json earlier = later;
  earlier["risk_found_on"] = "2021-11-01";
  REQUIRE(api.PostAs(Village(api), Path(ids[0]) + "/visit", earlier).status == 200);
  CHECK(api.PostAs(Village(api), Path(ids[0]) + "/enrollment", json::object()).status == 201);
}

TEST_CASE("a visit that found a risk opens its enrollment request in one step, linked both ways, due two months from the risk") {
  ApiFixture api;
  const std::int64_t id = ImportList(api)[0];
  const HttpReply no_risk = api.PostAs(Village(api), Path(id) + "/visit", Sheet());
  REQUIRE(no_risk.status == 200);
  CHECK(no_risk.body["may_open_enrollment"] == false);
  CHECK(api.PostAs(Village(api), Path(id) + "/enrollment", json::object()).status == 409);

  const std::int64_t second = id + 1;
  const HttpReply recorded = api.PostAs(Village(api), Path(second) + "/visit", RiskSheet());
  REQUIRE(recorded.status == 200);
  CHECK(recorded.body["may_open_enrollment"] == true);
  // Two weeks later, the deadline still counts from the risk date, not from today.
  api.clock().Set(*ParseInstant("2021-10-26T10:00:00+08:00"));
  const HttpReply opened = api.PostAs(Village(api), Path(second) + "/enrollment", json::object());
  REQUIRE(opened.status == 201);
  const json& enrollment = opened.body["enrollment"];
  CHECK(enrollment["kind"] == "enrollment");
  CHECK(enrollment["household"] == "李四");
  CHECK(enrollment["village"] == "village_1");
  CHECK(enrollment["category"] == "marginal");
  CHECK(enrollment["risk_type"] == "illness");
  CHECK(enrollment["risk_found_on"] == "2021-09-20");
  CHECK(enrollment["clue_source"] == "cadre_found");
  CHECK(enrollment["members"] == 4);
  // 2021-09-20 + 2 months is Saturday 11-20: the period ends with Monday 11-22.
  CHECK(enrollment["deadline"] == "2021-11-23T00:00:00+08:00");
  const std::int64_t enrollment_id = enrollment["id"];
  CHECK(opened.body["household"]["enrollment_id"] == enrollment_id);
  CHECK(opened.body["household"]["may_open_enrollment"] == false);

  const HttpReply back = api.GetAs(Village(api), "/api/enrollments/" + std::to_string(enrollment_id) + "/survey");
  REQUIRE(back.status == 200);
  CHECK(back.body["household"]["id"] == second);
  const HttpReply history = api.Get("/api/enrollments/" + std::to_string(enrollment_id) + "/history");
  CHECK_THAT(history.body["events"][0]["note"].get<std::string>(), Catch::Contains("入户核查（编号" + std::to_string(second)));
  // Once only; and one who may open none is told so whatever the household's state.
  CHECK(api.PostAs(Village(api), Path(second) + "/enrollment", json::object()).status == 409);
  CHECK(api.PostAs(api.As("supervisor"), Path(second) + "/enrollment", json::object()).status == 403);
  const std::int64_t unvisited = second + 1;  // 王五, to visit: no spot check is possible yet
  CHECK(api.PostAs(api.As("inspector"), Path(unvisited) + "/events", {{"event", "spot_check"}}).status == 409);
  CHECK(api.PostAs(api.As("supervisor"), Path(unvisited) + "/events", {{"event", "spot_check"}}).status == 403);
  // An enrollment not opened from a visit has no household.
  const HttpReply plain = api.Post("/api/enrollments", {{"household", "冯十一"}, {"village", "village_1"},
                                                         {"category", "marginal"}, {"risk_type", "illness"},
                                                         {"risk_found_on", "2021-10-01"}, {"clue_source", "self_report"}});
  REQUIRE(plain.status == 201);
  CHECK(api.Get(plain.location + "/survey").body["household"].is_null());
}

TEST_CASE("a sheet finding no risk does not replace one that opened an enrollment request while the request stands") {
  ApiFixture api;
  const std::int64_t id = ImportList(api)[1];
  REQUIRE(api.PostAs(Village(api), Path(id) + "/visit", RiskSheet()).status == 200);
  const HttpReply opened = api.PostAs(Village(api), Path(id) + "/enrollment", json::object());
  REQUIRE(opened.status == 201);
  const std::string request = "/api/enrollments/" + opened.body["enrollment"]["id"].dump();
  const auto& inspector = api.As("inspector");
  REQUIRE(api.PostAs(inspector, Path(id) + "/events", {{"event", "send_back"}, {"reason", "风险类型填写有误"}}).status ==
          200);
  const HttpReply refused = api.PostAs(Village(api), Path(id) + "/visit", Sheet());
  CHECK(refused.status == 409);
  CHECK(refused.body["message"].get<std::string>().find("close_ineligible") != std::string::npos);
  CHECK(api.Get(Path(id)).body["state"] == "sent_back");
  // Recorded again with the risk corrected, it stands.
  json corrected = RiskSheet();
  corrected["visited_on"] = "2021-10-12";
  CHECK(api.PostAs(Village(api), Path(id) + "/visit", corrected).status == 200);
  // Once the procedure finds the household not eligible, a later sheet may find no risk.
  REQUIRE(api.PostAs(inspector, Path(id) + "/events", {{"event", "send_back"}, {"reason", "复核"}}).status == 200);
  if (api.Get(request).body["state"] == "found") REQUIRE(api.Fire(request, "assign").status == 200);
  REQUIRE(api.Fire(request, "start").status == 200);
  REQUIRE(api.Fire(request, "close_ineligible", {{"explanation", "经入户核实，家庭收入稳定，不符合纳入条件"}}).status == 200);
  json no_risk = Sheet();
  no_risk["visited_on"] = "2021-10-12";
  CHECK(api.PostAs(Village(api), Path(id) + "/visit", no_risk).status == 200);
}

TEST_CASE("coverage per village and town-wide matches a hand count") {
  ApiFixture api;
  const std::vector<std::int64_t> ids = ImportList(api);  // village 1: three households
  const HttpReply other = PostCsv(api, api.Office(), "/api/survey/households/import",
                                  "村,户主姓名,户类型,核查原因\n"
                                  "示例村二,吴九,一般脱贫户,收入大幅缩减\n示例村二,郑十,一般脱贫户,收入大幅缩减\n");
  REQUIRE(other.status == 201);
  const auto& inspector = api.As("inspector");
  // Village 1: one visited without risk and spot-checked, one with a risk and an enrollment
  // request enrolled with help measures, one never visited. Village 2: one visited and sent back.
  REQUIRE(api.PostAs(Village(api), Path(ids[0]) + "/visit", Sheet()).status == 200);
  REQUIRE(api.PostAs(inspector, Path(ids[0]) + "/events", {{"event", "spot_check"}}).status == 200);
  REQUIRE(api.PostAs(Village(api), Path(ids[1]) + "/visit", RiskSheet()).status == 200);
  const HttpReply opened = api.PostAs(Village(api), Path(ids[1]) + "/enrollment", json::object());
  REQUIRE(opened.status == 201);
  const std::string request = "/api/enrollments/" + std::to_string(opened.body["enrollment"]["id"].get<int>());
  for (const char* event : {"assign", "start"}) REQUIRE(api.Fire(request, event).status == 200);
  REQUIRE(api.Fire(request, "progress", {{"note", "落实医疗救助和公益岗位"}}).status == 200);
  for (int step = 0; step < 3; ++step) REQUIRE(api.Fire(request, "complete_step").status == 200);
  api.clock().Set(*ParseInstant("2021-10-20T09:00:00+08:00"));  // the notice lasts five days
  for (int step = 0; step < 2; ++step) REQUIRE(api.Fire(request, "complete_step").status == 200);
  REQUIRE(api.Fire(request, "verify").status == 200);
  REQUIRE(api.Fire(request, "close", {{"entered_on", "2021-10-20"}}).status == 200);
  const std::int64_t village2_first = other.body["ids"][0];
  REQUIRE(api.PostAs(Village(api, "village_2"), Path(village2_first) + "/visit", Sheet()).status == 200);
  REQUIRE(api.PostAs(inspector, Path(village2_first) + "/events", {{"event", "send_back"}, {"reason", "照片不清"}})
              .status == 200);

  const HttpReply town = api.GetAs(api.As("leader"), "/api/survey/coverage");
  REQUIRE(town.status == 200);
  const json& total = town.body["total"];
  CHECK(total["households"] == 5);
  CHECK(total["visited"] == 2);
  CHECK(total["unvisited"] == 3);
  CHECK(total["sent_back"] == 1);
  CHECK(total["spot_checked"] == 1);
  CHECK(total["risks_found"] == 1);
  CHECK(total["enrollments_opened"] == 1);
  CHECK(total["enrolled"] == 1);
  CHECK(total["with_measures"] == 1);
  CHECK(total["share_visited"] == 0.4);
  CHECK(town.body["due"] == "2021-11-01T00:00:00+08:00");
  CHECK(town.body["late"] == false);
  const json& villages = town.body["villages"];
  REQUIRE(villages.size() == 6);  // every village, those without a list too
  CHECK(villages[0]["village"] == "village_1");
  CHECK(villages[0]["households"] == 3);
  CHECK(villages[0]["visited"] == 2);
  CHECK(villages[0]["unvisited"] == 1);
  CHECK(villages[1]["households"] == 2);
  CHECK(villages[1]["visited"] == 0);
  CHECK(villages[1]["sent_back"] == 1);
  CHECK(villages[2]["households"] == 0);

  // A village sees its own line only; after the deadline, unvisited households make it late.
  api.clock().Set(*ParseInstant("2021-11-02T09:00:00+08:00"));
  const HttpReply own = api.GetAs(Village(api), "/api/survey/coverage");
  REQUIRE(own.status == 200);
  CHECK(own.body["villages"].size() == 1);
  CHECK(own.body["total"]["households"] == 3);
  CHECK(own.body["late"] == true);
  // And the dashboard shows the same figures beside the enrollment shares.
  const HttpReply dashboard = api.Get("/api/dashboard");
  REQUIRE(dashboard.status == 200);
  CHECK(dashboard.body["survey"]["total"]["visited"] == 2);
  CHECK(dashboard.body["survey"]["late"] == true);
}

TEST_CASE("personal data shows in full to the office and the household's village, masked to the others") {
  ApiFixture api;
  const std::int64_t id = ImportList(api)[0];
  REQUIRE(api.PostAs(Village(api), Path(id) + "/visit", RiskSheet()).status == 200);
  const HttpReply office = api.Get(Path(id));
  CHECK(office.body["personal_data"] == "full");
  CHECK(office.body["id_number"] == "11010519491231002X");
  CHECK(office.body["phone"] == "13812345678");
  CHECK(office.body["visit"]["health_condition"] == "户主慢性肾病");
  CHECK(api.GetAs(Village(api), Path(id)).body["phone"] == "13812345678");
  for (const char* role : {"inspector", "supervisor", "leader"}) {
    INFO(role);
    const HttpReply masked = api.GetAs(api.As(role), Path(id));
    REQUIRE(masked.status == 200);
    CHECK(masked.body["personal_data"] == "masked");
    CHECK(masked.body["id_number"] == "1101**********002X");
    CHECK(masked.body["phone"] == "138****5678");
    CHECK(masked.body["visit"]["health_condition"] == "（已隐藏）");
  }
  // The forms follow the same rule.
  const FileReply full = Download(api, Village(api), "/api/exports/visits/" + std::to_string(id) + ".csv");
  REQUIRE(full.status == 200);
  CHECK(full.body.find("11010519491231002X") != std::string::npos);
  const FileReply hidden = Download(api, api.As("inspector"), "/api/exports/visits.csv?village=village_1");
  REQUIRE(hidden.status == 200);
  CHECK(hidden.body.find("11010519491231002X") == std::string::npos);
  CHECK(hidden.body.find("1101**********002X") != std::string::npos);
  CHECK(hidden.body.find("慢性肾病") == std::string::npos);
}

TEST_CASE("the household's sheet (附件2) prints on A4 with the paper form's signature lines and opens in openpyxl") {
  ApiFixture api;
  const std::vector<std::int64_t> ids = ImportList(api);
  const std::int64_t id = ids[0];
  REQUIRE(api.PostAs(Village(api), Path(id) + "/visit", RiskSheet()).status == 200);
  const FileReply xlsx = Download(api, Village(api), "/api/exports/visits/" + std::to_string(id) + ".xlsx");
  REQUIRE(xlsx.status == 200);
  // Named by the village and group too: two households may have heads of one name.
  CHECK(xlsx.disposition.find("filename*=UTF-8''高桥镇2021年-入户核查表-示例村一-1组-张三-20211012.xlsx") != std::string::npos);
  const nlohmann::json sheet = ReadXlsx(xlsx.body);
  CHECK(sheet["paper_size"] == 9);  // A4
  // One portrait page: the household head signs under the facts they confirm.
  CHECK(sheet["orientation"] == "portrait");
  CHECK(sheet["fit_to_page"] == true);
  CHECK(sheet["fit_to_width"] == 1);
  CHECK(sheet["fit_to_height"] == 1);
  CHECK(CellText(sheet, 0, 0) == "附件2");
  const std::string text = AllText(sheet);
  for (const char* part : {"2021年桃江县巩固脱贫攻坚成果秋季攻势入户核查表", "户主姓名", "张三", "刘联村（联村干部）、陈书记（第一书记）", "9000元", "5200元",
                           "-42%", "30000元（因病）", "存在返贫致贫风险", "边缘易致贫户", "核查人员签字",
                           "户主签字（按手印）", "村（社区）负责人签字"}) {
    INFO(part);
    CHECK(text.find(part) != std::string::npos);
  }

  // A household not visited yet has a blank sheet, to fill in by hand at the visit: the same
  // items, with the choices to tick.
  const FileReply blank = Download(api, Village(api), "/api/exports/visits/" + std::to_string(ids[1]) + ".xlsx");
  REQUIRE(blank.status == 200);
  const nlohmann::json blank_sheet = ReadXlsx(blank.body);
  CHECK(blank_sheet["fit_to_height"] == 1);
  const std::string blank_text = AllText(blank_sheet);
  for (const char* part : {"尚未入户核查：本表入户时手工填写", "走访日期", "家庭人口", "□有保障  □未保障", "□无返贫致贫风险  □存在返贫致贫风险",
                           "□因病", "户主签字（按手印）"}) {
    INFO(part);
    CHECK(blank_text.find(part) != std::string::npos);
  }

  // The village's list: one row per household, visited or not.
  const FileReply list = Download(api, Village(api), "/api/exports/visits.xlsx?village=village_1");
  REQUIRE(list.status == 200);
  const nlohmann::json listed = ReadXlsx(list.body);
  CHECK(AllText(listed).find("李四") != std::string::npos);
  CHECK(AllText(listed).find("待走访") != std::string::npos);
  CHECK(listed["orientation"] == "landscape");
  const FileReply csv = Download(api, Village(api), "/api/exports/visits.csv?village=village_1");
  const auto records = ParseCsv(csv.body);
  CHECK(records.size() == 4);  // the header and three households
  // Another village's list is not the village's to export.
  CHECK(Download(api, Village(api), "/api/exports/visits.csv?village=village_2").status == 403);
  // Every export is in the audit log.
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");
  std::vector<std::string> exported;
  for (const json& record : audit.body["records"])
    if (record["action"] == "export") exported.push_back(record["subject"]);
  CHECK(exported == std::vector<std::string>{"survey household " + std::to_string(id), "survey household " + std::to_string(ids[1]), "visits village_1",
                                             "visits village_1"});
}

TEST_CASE("the photo of the signed sheet is kept with the visit, its bytes for those who see personal data in full") {
  ApiFixture api;
  const std::int64_t id = ImportList(api)[0];
  const std::string photos = Path(id) + "/photos";
  CHECK(Upload(api, Village(api), photos, PngBytes(), "签字页.png").status == 409);  // record the visit first
  REQUIRE(api.PostAs(Village(api), Path(id) + "/visit", Sheet()).status == 200);
  CHECK(Upload(api, api.As("inspector"), photos, PngBytes(), "签字页.png").status == 403);
  CHECK(Upload(api, Village(api), photos, "not an image", "签字页.png").status == 415);
  const FileReply uploaded = Upload(api, Village(api), photos, PngBytes(), "签字页.png");
  REQUIRE(uploaded.status == 201);
  CHECK(uploaded.error["content_type"] == "image/png");
  const HttpReply listed = api.GetAs(api.As("inspector"), photos);
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["files"].size() == 1);
  const std::string sha256 = listed.body["files"][0]["sha256"];
  // The sheet shows the ID number, phone and health note whole: the inspection group, who sees
  // them masked, sees that the photo is there but not the photo.
  const FileReply masked = Download(api, api.As("inspector"), photos + "/" + sha256);
  CHECK(masked.status == 403);
  CHECK(masked.error["reason"] == "personal_data_hidden");
  const FileReply own = Download(api, Village(api), photos + "/" + sha256);
  CHECK(own.status == 200);
  CHECK(own.body == PngBytes());
  const FileReply office = Download(api, api.As("office"), photos + "/" + sha256);
  CHECK(office.status == 200);
  CHECK(office.body == PngBytes());
  CHECK(Download(api, Village(api, "village_2"), photos + "/" + sha256).status == 404);
  // Each read that showed it is on the record; the refused one showed nothing.
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");
  REQUIRE(audit.status == 200);
  std::vector<std::string> readers;
  for (const json& record : audit.body["records"])
    if (record["action"] == "survey.photo.read") {
      CHECK(record["subject"] == "survey household " + std::to_string(id));
      readers.push_back(record["actor"]);
    }
  CHECK(readers.size() == 2);
  CHECK(std::find(readers.begin(), readers.end(), api.As("inspector").username) == readers.end());
}

TEST_CASE("a household found on the way is added to the village's list once") {
  ApiFixture api;
  ImportList(api);
  const json found = {{"village", "village_1"}, {"group", "7组"}, {"head_name", "褚十二"},
                      {"household_type", "一般农户"}, {"priority", "other"}, {"phone", "0737-1234567"}};
  const HttpReply added = api.PostAs(Village(api), "/api/survey/households", found);
  REQUIRE(added.status == 201);
  CHECK(added.body["found_on_the_way"] == true);
  CHECK(added.body["household_type"] == "ordinary");
  CHECK(added.body["state"] == "to_visit");
  CHECK(api.PostAs(Village(api), "/api/survey/households", found).status == 400);
  json elsewhere = found;
  elsewhere["village"] = "village_2";
  CHECK(api.PostAs(Village(api), "/api/survey/households", elsewhere).status == 403);
  CHECK(api.PostAs(api.As("inspector"), "/api/survey/households", found).status == 403);
}

TEST_CASE("a household spelled another way, or an ID number already listed, is not listed twice") {
  ApiFixture api;
  ImportList(api);  // 1组 张三, with an ID number
  auto add = [&](const std::string& group, const std::string& head, const std::string& id_number = "") {
    json household = {{"village", "village_1"}, {"group", group}, {"head_name", head},
                      {"household_type", "一般农户"}, {"priority", "other"}};
    if (!id_number.empty()) household["id_number"] = id_number;
    return api.PostAs(Village(api), "/api/survey/households", household);
  };
  // Full-width digits (an IME's full-width mode), a space in the group, an invisible character
  // or spaces around the name: 1组 张三 all the same.
  for (const auto& [group, head] : std::vector<std::pair<std::string, std::string>>{
           {"１组", "张三"}, {"1 组", "张三"}, {"1组", "张\u200b三"}, {"1组", "\u3000张三 "}}) {
    INFO(group << " " << head);
    const HttpReply again = add(group, head);
    CHECK(again.status == 400);
    CHECK(again.body["params"]["problem"] == "already_listed");
  }
  // Another head in the same group is another household, its group kept as 1组.
  const HttpReply other = add("１组", "\u3000赵乙\u200b");
  REQUIRE(other.status == 201);
  CHECK(other.body["group"] == "1组");
  CHECK(other.body["head_name"] == "赵乙");
  // One person belongs to one household: 张三's ID number (with a lower-case x) under another head.
  const HttpReply same_id = add("8组", "钱丁", "11010519491231002x");
  CHECK(same_id.status == 400);
  CHECK(same_id.body["field"] == "id_number");
  CHECK(same_id.body["params"]["problem"] == "id_number_listed");
  CHECK(same_id.body["params"]["head_name"] == "张三");
  // And in a file: against the list and against an earlier row.
  const std::string file =
      "组,户主姓名,户类型,核查原因,联系电话,身份证号码\n"
      "9组,孙丙,一般农户,其他需核查情况,,11010519491231002X\n"
      "9组,周丁,一般农户,其他需核查情况,,430922198001010045\n"
      "9组,吴戊,一般农户,其他需核查情况,,430922198001010045\n";
  const HttpReply preview = PostCsv(api, Village(api), "/api/survey/households/import?dry_run=1", file);
  REQUIRE(preview.status == 200);
  const json& errors = preview.body["errors"];
  INFO(errors.dump());
  REQUIRE(errors.size() == 2);
  CHECK(errors[0]["line"] == 2);
  CHECK(errors[0]["params"]["problem"] == "id_number_listed");
  CHECK(errors[0]["params"]["head_name"] == "张三");
  CHECK(errors[1]["line"] == 4);
  CHECK(errors[1]["params"]["head_name"] == "周丁");
}

}  // namespace rectify::testing
