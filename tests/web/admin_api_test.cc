// The office's administration over real HTTP: a disabled account enabled again, silences listed
// and ended early, the units without a notification channel; and the forms' `as_of` and scope.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "tests/exports/read_back.h"
#include "tests/web/file_requests.h"

namespace rectify::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> AuditActions(ApiFixture& api) {
  const HttpReply audit = api.Get("/api/audit?from=2000-01-01&to=2100-01-01&limit=500");
  REQUIRE(audit.status == 200);
  std::vector<std::string> actions;
  for (const json& record : audit.body["records"]) actions.push_back(record["action"].get<std::string>());
  return actions;
}

}  // namespace

TEST_CASE("the office enables a disabled account again and the user logs in with their password") {
  ApiFixture api;
  const ApiFixture::Login& leader = api.As("leader");
  const ApiFixture::Login none{"", ""};
  const json login = {{"username", leader.username}, {"password", ApiFixture::kTestPassword}};
  REQUIRE(api.Post("/api/users/" + leader.username + "/disable", json::object()).status == 200);
  CHECK(api.PostAs(none, "/api/login", login).status == 401);

  CHECK(api.PostAs(leader, "/api/users/" + leader.username + "/enable", json::object()).status == 401);  // revoked
  CHECK(api.PostAs(api.As("supervisor"), "/api/users/" + leader.username + "/enable", json::object()).status == 403);
  const HttpReply enabled = api.Post("/api/users/" + leader.username + "/enable", json::object());
  REQUIRE(enabled.status == 200);
  CHECK(enabled.body["enabled"] == leader.username);
  CHECK(api.PostAs(none, "/api/login", login).status == 200);
  CHECK(api.Post("/api/users/nobody.here/enable", json::object()).status == 404);
  const std::vector<std::string> actions = AuditActions(api);
  CHECK(std::count(actions.begin(), actions.end(), "user.enable") == 1);
}

TEST_CASE("the office moves an account to another unit of the town: the same login, its sessions ended, audited") {
  ApiFixture api;
  const ApiFixture::Login& cadre = api.As("unit_member", "village_1");
  REQUIRE(api.GetAs(cadre, "/api/me").status == 200);
  const std::string move = "/api/users/" + cadre.username + "/move";

  CHECK(api.PostAs(api.As("leader"), move, {{"unit", "village_2"}}).status == 403);
  CHECK(api.Post(move, {{"unit", "village_99"}}).status == 400);
  CHECK(api.Post(move, {{"unit", ""}}).status == 400);  // a unit member answers for a unit
  CHECK(api.Post(move, json::object()).status == 400);
  CHECK(api.Post("/api/users/nobody.here/move", {{"unit", "village_2"}}).status == 404);
  CHECK(api.Post("/api/users/" + api.Office().username + "/move", {{"unit", "village_2"}}).status == 422);
  CHECK(api.GetAs(cadre, "/api/me").status == 200);  // nothing of the refusals changed it

  // 示例村一's cadre now works for 示例村二.
  const HttpReply moved = api.Post(move, {{"unit", "village_2"}});
  INFO(moved.body.dump());
  REQUIRE(moved.status == 200);
  CHECK(moved.body["username"] == cadre.username);
  CHECK(moved.body["unit"] == "village_2");
  CHECK(moved.body["unit_name"] == "示例村二");
  CHECK(moved.body["roles"] == json::array({"unit_member"}));
  CHECK(api.GetAs(cadre, "/api/me").status == 401);  // what the token could see has changed
  const ApiFixture::Login none{"", ""};
  const HttpReply login =
      api.PostAs(none, "/api/login", {{"username", cadre.username}, {"password", ApiFixture::kTestPassword}, {"session", "bearer"}});
  REQUIRE(login.status == 200);
  const ApiFixture::Login again{cadre.username, login.body["token"].get<std::string>()};
  CHECK(api.GetAs(again, "/api/me").body["user"]["unit"] == "village_2");
  const std::vector<std::string> actions = AuditActions(api);
  CHECK(std::count(actions.begin(), actions.end(), "user.move") == 1);
  // Roles sent twice are kept once.
  const HttpReply twice = api.Post(move, {{"unit", "village_3"}, {"roles", {"unit_member", "unit_member"}}});
  REQUIRE(twice.status == 200);
  CHECK(twice.body["roles"] == json::array({"unit_member"}));
}

TEST_CASE("the office lists the silences in force and ends one early, which is audited") {
  ApiFixture api;
  json problem = SampleProblem();
  problem["unit"] = "village_1";
  const HttpReply created = api.Post("/api/problems", problem);
  REQUIRE(created.status == 201);
  const json silence = {{"item_id", created.body["id"]}, {"approved_by", "镇农业农村和乡村振兴办公室"},
                        {"until", "2021-10-25"}, {"reason", "汛期道路中断"}};
  const HttpReply added = api.Post("/api/silences", silence);
  REQUIRE(added.status == 201);
  const std::string end = "/api/silences/" + std::to_string(added.body["id"].get<int>()) + "/end";

  CHECK(api.PostAs(api.As("leader"), end, json::object()).status == 403);
  const HttpReply ended = api.Post(end, json::object());
  REQUIRE(ended.status == 200);
  CHECK(ended.body["until"] == "2021-10-12T09:00:00+08:00");
  CHECK(api.Get("/api/silences").body["silences"].empty());
  CHECK(api.Post(end, json::object()).status == 404);  // no longer in force
  CHECK(api.Post("/api/silences/987654/end", json::object()).status == 404);
  const std::vector<std::string> actions = AuditActions(api);
  CHECK(std::count(actions.begin(), actions.end(), "silence.end") == 1);
}

TEST_CASE("a silence is refused for a closed item and for one already silenced, and nothing is stored") {
  ApiFixture api;
  json problem = SampleProblem();
  problem["unit"] = "village_1";
  const HttpReply created = api.Post("/api/problems", problem);
  REQUIRE(created.status == 201);
  json silence = {{"item_id", created.body["id"]}, {"approved_by", "镇农业农村和乡村振兴办公室"},
                  {"until", "2021-10-25"}, {"reason", "汛期道路中断"}};
  const HttpReply added = api.Post("/api/silences", silence);
  REQUIRE(added.status == 201);

  silence["until"] = "2021-10-28";
  const HttpReply stacked = api.Post("/api/silences", silence);
  CHECK(stacked.status == 409);
  const std::string message = stacked.body["message"].get<std::string>();
  CHECK(message.find("silence " + std::to_string(added.body["id"].get<int>())) != std::string::npos);
  REQUIRE(api.Get("/api/silences").body["silences"].size() == 1);
  CHECK(api.Get("/api/silences").body["silences"][0]["until"] == added.body["until"]);

  // Ended, another may be granted in its place.
  const std::string end = "/api/silences/" + std::to_string(added.body["id"].get<int>()) + "/end";
  REQUIRE(api.Post(end, json::object()).status == 200);
  CHECK(api.Post("/api/silences", silence).status == 201);

  // A closed item has no reminders to mute.
  json other = SampleProblem();
  other["unit"] = "village_1";
  const HttpReply second = api.Post("/api/problems", other);
  REQUIRE(second.status == 201);
  const std::string path = "/api/problems/" + std::to_string(second.body["id"].get<int>());
  for (const char* event : {"start", "submit", "verify", "close"}) {
    INFO(event);
    REQUIRE(api.Fire(path, event).status == 200);
  }
  silence["item_id"] = second.body["id"];
  const HttpReply closed = api.Post("/api/silences", silence);
  CHECK(closed.status == 409);
  CHECK(closed.body["message"].get<std::string>().find("closed") != std::string::npos);
  CHECK(api.Get("/api/silences").body["silences"].size() == 1);
}

TEST_CASE("the office sees which units the channel file gives no channel") {
  ApiFixture api;
  CHECK(api.GetAs(api.As("leader"), "/api/channels").status == 403);
  const HttpReply before = api.Get("/api/channels");
  REQUIRE(before.status == 200);
  std::set<std::string> without;
  for (const json& unit : before.body["units_without_channel"]) without.insert(unit["unit"].get<std::string>());
  CHECK(without.count("village_1") == 1);
  CHECK(without.count("central_school") == 1);
  const std::size_t all = without.size();

  api.services().SetRoutedUnits({"village_1", "central_school"});
  const HttpReply after = api.Get("/api/channels");
  REQUIRE(after.status == 200);
  CHECK(after.body["units_without_channel"].size() == all - 2);
  for (const json& unit : after.body["units_without_channel"]) {
    CHECK(unit["unit"] != "village_1");
    CHECK_FALSE(unit["name"].get<std::string>().empty());
  }
}

TEST_CASE("a form's as_of on an earlier day is refused naming the parameter and today's is taken") {
  ApiFixture api;
  for (const char* path : {"/api/exports/ledger.csv", "/api/exports/roster.csv", "/api/exports/bulletin.csv",
                           "/api/exports/visits.csv"}) {
    INFO(path);
    const FileReply early = Download(api, api.Office(), std::string(path) + "?as_of=2021-10-01T09:00");
    CHECK(early.status == 400);
    CHECK(early.error["field"] == "as_of");
    CHECK(Download(api, api.Office(), std::string(path) + "?as_of=2021-10-12").status == 200);
    CHECK(Download(api, api.Office(), std::string(path) + "?as_of=2021-10-20T09:00").status == 200);
  }
}

TEST_CASE("a village's own roster names the village in its heading and its file name") {
  ApiFixture api;
  REQUIRE(api.Post("/api/enrollments", {{"household", "王五"}, {"village", "village_1"}, {"category", "marginal"},
                                        {"risk_type", "illness"}, {"risk_found_on", "2021-09-01"},
                                        {"clue_source", "cadre_found"}, {"members", 3}})
              .status == 201);
  const FileReply own = Download(api, api.As("unit_member", "village_1"), "/api/exports/roster.xlsx");
  REQUIRE(own.status == 200);
  CHECK(Contains(own.disposition, "roster-village_1"));
  const nlohmann::json sheet = ReadXlsx(own.body);
  CHECK(Contains(AllText(sheet), "填报单位：示例村一"));
  CHECK_FALSE(Contains(AllText(sheet), "全镇"));
  // 序号 and 家庭人口 are numbers in the workbook, not text.
  std::size_t header = 0;
  while (header < sheet["rows"].size() && CellText(sheet, header, 0) != "序号") ++header;
  REQUIRE(header + 1 < sheet["rows"].size());
  const std::vector<std::string> headers = RowTexts(sheet, header);
  const auto members = static_cast<std::size_t>(std::find(headers.begin(), headers.end(), "家庭人口") - headers.begin());
  CHECK(sheet["rows"][header + 1][0]["type"] == "n");
  CHECK(sheet["rows"][header + 1][members]["type"] == "n");
  CHECK(CellText(sheet, header + 1, members) == "3");
}

}  // namespace rectify::testing
