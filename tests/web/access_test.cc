// Who may do what, over real HTTP: every role against every problem event and every guarded
// endpoint, unit scoping, sessions (forged, expired, revoked, disabled), throttling, CSRF for
// cookie sessions, the security headers and the audit trail of logins and exports.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

// The people of one test: the office, the item's responsible unit (village_1), a cooperating
// unit (village_3), an unrelated unit (village_2), the inspection group, the discipline
// commission and the leading group.
struct Cast {
  explicit Cast(ApiFixture& api)
      : office(api.Office()),
        lead(api.As("unit_member", "village_1")),
        cooperating(api.As("unit_member", "village_3")),
        unrelated(api.As("unit_member", "village_2")),
        inspector(api.As("inspector")),
        supervisor(api.As("supervisor", "discipline_commission")),
        leader(api.As("leader")) {}

  std::vector<std::pair<std::string, const ApiFixture::Login*>> All() const {
    return {{"office", &office},         {"lead", &lead},           {"cooperating", &cooperating},
            {"unrelated", &unrelated},   {"inspector", &inspector}, {"supervisor", &supervisor},
            {"leader", &leader}};
  }

  const ApiFixture::Login& office;
  const ApiFixture::Login& lead;
  const ApiFixture::Login& cooperating;
  const ApiFixture::Login& unrelated;
  const ApiFixture::Login& inspector;
  const ApiFixture::Login& supervisor;
  const ApiFixture::Login& leader;
};

// A problem of village_1 (with village_3 cooperating) brought to `state` by permitted users.
std::string ProblemIn(ApiFixture& api, const std::string& state) {
  json body = SampleProblem();
  if (state != "found") {
    body["unit"] = "village_1";
    body["cooperating_units"] = {"village_3"};
  }
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  const std::vector<std::pair<std::string, json>> route = {
      {"start", json::object()}, {"submit", json::object()}, {"verify", json::object()},
      {"close", json::object()}};
  const std::map<std::string, int> steps = {{"found", 0},     {"assigned", 0}, {"working", 1},
                                            {"submitted", 2}, {"verified", 3}, {"closed", 4}};
  for (int i = 0; i < steps.at(state); ++i) REQUIRE(api.Fire(path, route[static_cast<std::size_t>(i)].first).status == 200);
  return path;
}

struct EventCase {
  const char* event;
  const char* from;  // ProblemIn's state
  json payload;
  std::set<std::string> allowed;  // the Cast members who may
};

const std::vector<EventCase>& ProblemEventCases() {
  static const std::vector<EventCase> cases = {
      {"assign", "found", {{"unit", "village_1"}}, {"office"}},
      {"reassign", "assigned", {{"unit", "village_4"}}, {"office"}},
      {"start", "assigned", json::object(), {"lead"}},
      {"progress", "working", {{"note", "已完成一半"}}, {"lead", "cooperating"}},
      {"submit", "working", json::object(), {"lead"}},
      {"verify", "submitted", json::object(), {"inspector"}},
      {"send_back", "submitted", {{"reason", "佐证不足"}}, {"inspector"}},
      {"close", "verified", json::object(), {"office"}},
      {"reopen", "closed", {{"reason", "回头看发现反弹"}}, {"office"}},
      {"supervise", "assigned", {{"note", "请于三日内整改到位"}}, {"supervisor"}},
  };
  return cases;
}

}  // namespace

TEST_CASE("every role against every problem event: allowed ones move the item and refused ones change nothing") {
  ApiFixture api;
  const Cast cast(api);
  for (const EventCase& c : ProblemEventCases()) {
    for (const auto& [who, login] : cast.All()) {
      INFO(c.event << " from " << c.from << " by " << who);
      const std::string path = ProblemIn(api, c.from);
      const HttpReply before = api.Get(path);
      const std::size_t history = api.Get(path + "/history").body["events"].size();
      const HttpReply reply = api.FireAs(*login, path, c.event, c.payload);
      if (c.allowed.count(who)) {
        CHECK(reply.status == 200);
        CHECK(reply.body["version"] == before.body["version"].get<int>() + 1);
        continue;
      }
      // The item's existence does not leak to a unit with no part in it (before assignment, no
      // unit has a part in it).
      const bool unit_member = who == "lead" || who == "cooperating" || who == "unrelated";
      const bool sees = !unit_member || (who != "unrelated" && std::string(c.from) != "found");
      CHECK(reply.status == (sees ? 403 : 404));
      if (sees) {
        CHECK(reply.body["error"] == "permission_denied");
        CHECK(reply.body.contains("allowed_events"));
      }
      const HttpReply after = api.Get(path);
      CHECK(after.body["version"] == before.body["version"]);
      CHECK(after.body["state"] == before.body["state"]);
      CHECK(after.body["step"] == before.body["step"]);
      CHECK(api.Get(path + "/history").body["events"].size() == history);
    }
  }
}

TEST_CASE("allowed_events on an item lists only what the asking user may do") {
  ApiFixture api;
  const Cast cast(api);
  const std::string working = ProblemIn(api, "working");
  const std::map<std::string, json> expected = {
      {"office", {"reassign"}},          {"lead", {"progress", "submit", "request_extension"}},
      {"cooperating", {"progress"}},     {"inspector", json::array()},
      {"supervisor", {"supervise"}},     {"leader", json::array()}};
  for (const auto& [who, login] : cast.All()) {
    if (who == "unrelated") continue;
    INFO(who);
    const HttpReply item = api.GetAs(*login, working);
    REQUIRE(item.status == 200);
    CHECK(item.body["allowed_events"] == expected.at(who));
  }
  const std::string submitted = ProblemIn(api, "submitted");
  CHECK(api.GetAs(cast.inspector, submitted).body["allowed_events"] == json::array({"send_back", "verify"}));
}

TEST_CASE("every guarded endpoint answers each role as the permission table says") {
  ApiFixture api;
  const Cast cast(api);
  struct EndpointCase {
    const char* method;
    const char* path;
    json body;
    std::set<std::string> allowed;
    int ok_status;
  };
  json enrollment = {{"household", "赵六"},       {"village", "village_1"},   {"category", "marginal"},
                     {"risk_type", "illness"},  {"risk_found_on", "2021-10-01"}, {"clue_source", "cadre_found"}};
  json village_problem = SampleProblem();
  village_problem["unit"] = "village_1";
  const std::vector<EndpointCase> cases = {
      // village_1's own: the office, and village_1 recording a problem it found itself.
      {"POST", "/api/problems", village_problem, {"office", "lead"}, 201},
      {"POST", "/api/enrollments", enrollment, {"office", "lead"}, 201},  // lead = village_1, the household's
      {"GET", "/api/outbox", nullptr, {"office"}, 200},
      {"GET", "/api/silences", nullptr, {"office"}, 200},
      {"GET", "/api/channels", nullptr, {"office"}, 200},
      {"GET", "/api/users", nullptr, {"office"}, 200},
      {"GET", "/api/audit?from=2021-10-01", nullptr, {"office", "supervisor"}, 200},
      {"GET", "/api/problems", nullptr,
       {"office", "lead", "cooperating", "unrelated", "inspector", "supervisor", "leader"}, 200},
      {"GET", "/api/gates", nullptr,
       {"office", "lead", "cooperating", "unrelated", "inspector", "supervisor", "leader"}, 200},
  };
  for (const EndpointCase& c : cases) {
    for (const auto& [who, login] : cast.All()) {
      INFO(c.method << " " << c.path << " by " << who);
      const HttpReply reply = std::string(c.method) == "GET" ? api.GetAs(*login, c.path) : api.PostAs(*login, c.path, c.body);
      if (c.allowed.count(who)) {
        CHECK(reply.status == c.ok_status);
      } else {
        CHECK(reply.status == 403);
        CHECK(reply.body["error"] == "permission_denied");
      }
    }
  }
  // What the refused creations did not store.
  CHECK(api.Get("/api/problems").body["items"].size() == 2);
  CHECK(api.Get("/api/enrollments").body["items"].size() == 2);
}

TEST_CASE("a unit records a problem it found itself, of its own unit only, and takes it on as it records it") {
  ApiFixture api;
  const Cast cast(api);
  json found = SampleProblem();
  found["source"] = "campaign_sweep";
  found["unit"] = "village_1";
  const HttpReply recorded = api.PostAs(cast.lead, "/api/problems", found);
  REQUIRE(recorded.status == 201);
  CHECK(recorded.body["unit"] == "village_1");
  CHECK(recorded.body["state"] == "assigned");
  CHECK(recorded.body["sign_for"].is_null());  // its own record: nothing to sign for
  CHECK(recorded.body["due_at"] == recorded.body["deadline"]);  // no sign-for limit in force
  CHECK(recorded.body["allowed_events"] == json{"start", "request_extension"});
  const HttpReply history = api.GetAs(cast.lead, recorded.location + "/history");
  REQUIRE(history.body["events"].size() == 1);
  CHECK(history.body["events"][0]["actor"] == "user " + cast.lead.username);
  CHECK(recorded.body["deadline"] == "2021-11-01T00:00:00+08:00");  // 10月底前各类问题动态清零
  // Its own date may be earlier than the campaign's rule, never later: that is an extension.
  json earlier = found;
  earlier["deadline"] = "2021-10-20";
  const HttpReply sooner = api.PostAs(cast.lead, "/api/problems", earlier);
  REQUIRE(sooner.status == 201);
  CHECK(sooner.body["deadline"] == "2021-10-21T00:00:00+08:00");
  json later = found;
  later["deadline"] = "2026-12-31";
  const HttpReply refused = api.PostAs(cast.lead, "/api/problems", later);
  CHECK(refused.status == 400);
  CHECK(refused.body["field"] == "deadline");
  CHECK(refused.body["message"].get<std::string>().find("10月底前各类问题动态清零") != std::string::npos);
  later["deadline"] = "2021-11-01";  // a day past the rule: refused too
  CHECK(api.PostAs(cast.lead, "/api/problems", later).status == 400);
  // Another unit's, or none: refused, nothing stored.
  found["unit"] = "village_2";
  const HttpReply other = api.PostAs(cast.lead, "/api/problems", found);
  CHECK(other.status == 403);
  CHECK(other.body["message"].get<std::string>().find("own unit") != std::string::npos);
  found.erase("unit");
  const HttpReply none = api.PostAs(cast.lead, "/api/problems", found);
  CHECK(none.status == 400);
  CHECK(none.body["field"] == "unit");
  CHECK(api.PostAs(cast.inspector, "/api/problems", SampleProblem()).status == 403);
  CHECK(api.Get("/api/problems").body["total"] == 2);
  // The office still records any problem, assigned with a signature asked of the unit, and may
  // give it a date past the rule.
  json assigned = SampleProblem();
  assigned["unit"] = "village_2";
  assigned["deadline"] = "2021-11-30";
  const HttpReply by_office = api.Post("/api/problems", assigned);
  CHECK(by_office.body["sign_for"]["unit"] == "village_2");
  CHECK(by_office.body["deadline"] == "2021-12-01T00:00:00+08:00");
}

TEST_CASE("a unit member cannot see or move another unit's items") {
  ApiFixture api;
  const Cast cast(api);
  const std::string mine = ProblemIn(api, "working");  // village_1's
  json other = SampleProblem();
  other["unit"] = "village_2";
  const std::string theirs = api.Post("/api/problems", other).location;

  const HttpReply listed = api.GetAs(cast.lead, "/api/problems");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["items"].size() == 1);
  CHECK(listed.body["items"][0]["unit"] == "village_1");
  CHECK(api.GetAs(cast.cooperating, "/api/problems").body["items"].size() == 1);  // cooperating on it
  CHECK(api.GetAs(cast.lead, theirs).status == 404);
  CHECK(api.GetAs(cast.lead, theirs + "/history").status == 404);
  CHECK(api.FireAs(cast.lead, theirs, "start").status == 404);
  CHECK(api.GetAs(cast.lead, "/api/problems?unit=village_2").status == 403);
  CHECK(api.GetAs(cast.lead, "/api/overdue?unit=village_2").status == 403);
  // The office and the readers see both.
  for (const ApiFixture::Login* reader : {&cast.office, &cast.inspector, &cast.supervisor, &cast.leader})
    CHECK(api.GetAs(*reader, "/api/problems").body["items"].size() == 2);
  CHECK(api.Get(theirs).body["state"] == "assigned");
  CHECK(api.GetAs(cast.lead, mine).status == 200);
}

TEST_CASE("the town review of an enrollment is the office's and the village's steps are the village's") {
  ApiFixture api;
  const Cast cast(api);
  json body = {{"household", "钱七"},       {"village", "village_1"},   {"category", "marginal"},
               {"risk_type", "illness"},  {"risk_found_on", "2021-09-01"}, {"clue_source", "self_report"}};
  const HttpReply created = api.PostAs(cast.lead, "/api/enrollments", body);
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  REQUIRE(api.FireAs(cast.office, path, "assign").status == 200);
  REQUIRE(api.FireAs(cast.lead, path, "start").status == 200);
  CHECK(api.FireAs(cast.office, path, "complete_step").status == 403);  // 入户核实 is the village's
  for (int i = 0; i < 3; ++i) REQUIRE(api.FireAs(cast.lead, path, "complete_step").status == 200);
  api.clock().Advance(6 * 86400);  // the public notice lasts 5 days
  REQUIRE(api.FireAs(cast.lead, path, "complete_step").status == 200);
  REQUIRE(api.Get(path).body["step"] == "town_review");
  const HttpReply village = api.FireAs(cast.lead, path, "complete_step");
  CHECK(village.status == 403);
  CHECK(village.body["allowed_events"] == json::array({"progress", "request_extension"}));
  CHECK(api.FireAs(cast.office, path, "complete_step").body["step"] == "county_decision");
  // Another village may not open a request for this village's household.
  CHECK(api.PostAs(cast.unrelated, "/api/enrollments", body).status == 403);
}

TEST_CASE("a forged an expired a revoked and a disabled user's token are refused") {
  ApiFixture api;
  CHECK(api.GetAnonymous("/api/problems").status == 401);
  CHECK(api.GetAnonymous("/api/health").status == 200);  // the one open route besides login
  const ApiFixture::Login forged{"nobody", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  const HttpReply refused = api.GetAs(forged, "/api/problems");
  CHECK(refused.status == 401);
  CHECK(refused.body["error"] == "unauthenticated");

  api.As("leader");  // the user exists
  const HttpReply login = api.PostAs(forged, "/api/login", {{"username", "t.l"}, {"password", ApiFixture::kTestPassword},
                                                            {"session", "bearer"}});
  REQUIRE(login.status == 200);
  const ApiFixture::Login session{"t.l", login.body["token"].get<std::string>()};
  CHECK(api.GetAs(session, "/api/me").status == 200);
  CHECK(api.GetAs(session, "/api/me").body["user"]["roles"] == json::array({"leader"}));
  api.clock().Advance(12 * 3600);  // sessions last 12 hours
  CHECK(api.GetAs(session, "/api/me").status == 401);

  const HttpReply again = api.PostAs(forged, "/api/login", {{"username", "t.l"}, {"password", ApiFixture::kTestPassword},
                                                            {"session", "bearer"}});
  const ApiFixture::Login second{"t.l", again.body["token"].get<std::string>()};
  REQUIRE(api.PostAs(second, "/api/logout", json::object()).status == 200);
  CHECK(api.GetAs(second, "/api/me").status == 401);

  const ApiFixture::Login& leader_token = api.As("leader");  // an API token
  REQUIRE(api.GetAs(leader_token, "/api/me").status == 200);
  REQUIRE(api.Post("/api/users/t.l/disable", json::object()).status == 200);
  CHECK(api.GetAs(leader_token, "/api/me").status == 401);
}

TEST_CASE("/api/me lists the actions a user can take: a village's households only for a village's people") {
  ApiFixture api;
  auto actions_of = [&](const ApiFixture::Login& login) {
    const HttpReply me = api.GetAs(login, "/api/me");
    REQUIRE(me.status == 200);
    std::set<std::string> out;
    for (const json& action : me.body["actions"]) out.insert(action.get<std::string>());
    return out;
  };
  const std::set<std::string> village = actions_of(api.As("unit_member", "village_1"));
  const std::set<std::string> school = actions_of(api.As("unit_member", "central_school"));
  for (const char* household_action : {"create_enrollment", "view_personal_data", "plan_survey", "record_visit"}) {
    INFO(household_action);
    CHECK(village.count(household_action) == 1);
    CHECK(school.count(household_action) == 0);
  }
  for (const char* own_unit_action : {"add_evidence", "submit_ledger"}) {
    INFO(own_unit_action);
    CHECK(village.count(own_unit_action) == 1);
    CHECK(school.count(own_unit_action) == 1);
  }
  // What /api/me leaves out is refused: the school cannot open a request for a household.
  const HttpReply refused = api.PostAs(api.As("unit_member", "central_school"), "/api/enrollments",
                                       {{"household", "李四"}, {"village", "village_1"}, {"category", "marginal"},
                                        {"risk_type", "illness"}, {"risk_found_on", "2021-09-20"},
                                        {"clue_source", "cadre_found"}});
  CHECK(refused.status == 403);
}

TEST_CASE("failed logins lock the account out with a 429 and never tell who exists") {
  ApiFixture api;
  api.As("inspector");
  const ApiFixture::Login none{"", ""};
  const HttpReply unknown = api.PostAs(none, "/api/login", {{"username", "nobody"}, {"password", "whatever-it-is"}});
  const HttpReply wrong = api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", "whatever-it-is"}});
  CHECK(unknown.status == 401);
  CHECK(wrong.status == 401);
  CHECK(unknown.body == wrong.body);
  CHECK(wrong.body.dump().find("whatever-it-is") == std::string::npos);
  for (int i = 0; i < 4; ++i)
    REQUIRE(api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", "still-wrong-1"}}).status == 401);
  const HttpReply locked =
      api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", ApiFixture::kTestPassword}});
  CHECK(locked.status == 429);
  CHECK(locked.body["error"] == "too_many_requests");
  api.clock().Advance(15 * 60 + 1);
  CHECK(api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", ApiFixture::kTestPassword}}).status == 200);
  const HttpReply huge = api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", std::string(8000, 'x')}});
  CHECK(huge.status == 413);
  CHECK(huge.body["error"] == "payload_too_large");
}

TEST_CASE("a cookie session needs the CSRF header on writes and the cookie is HttpOnly and SameSite") {
  ApiFixture api;
  api.As("office", "rural_office");
  httplib::Client browser("127.0.0.1", api.port());
  auto login = browser.Post("/api/login",
                            json{{"username", "t.o.rural_office"}, {"password", ApiFixture::kTestPassword}}.dump(),
                            "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 200);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  const json answer = json::parse(login->body);
  CHECK_FALSE(answer.contains("token"));  // the secret stays in the cookie
  const std::string csrf = answer["csrf_token"];
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  auto read = browser.Get("/api/problems", {{"Cookie", cookie}});
  REQUIRE(read);
  CHECK(read->status == 200);
  const std::string body = SampleProblem().dump();
  auto forged = browser.Post("/api/problems", {{"Cookie", cookie}}, body, "application/json");
  REQUIRE(forged);
  CHECK(forged->status == 403);
  auto wrong = browser.Post("/api/problems", {{"Cookie", cookie}, {"X-CSRF-Token", std::string(64, 'a')}}, body,
                            "application/json");
  CHECK(wrong->status == 403);
  CHECK(api.Get("/api/problems").body["items"].empty());
  auto genuine = browser.Post("/api/problems", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, body, "application/json");
  CHECK(genuine->status == 201);
  auto me = browser.Get("/api/me", {{"Cookie", cookie}});
  CHECK(json::parse(me->body)["csrf_token"] == csrf);
  // The page warns before a login ends for want of use, so it is told how long that is; a
  // program with a bearer token is not (its token has no idle end).
  auto campaigns = browser.Get("/api/campaigns", {{"Cookie", cookie}});
  CHECK(json::parse(campaigns->body)["idle_timeout_seconds"] == 3600);
  CHECK_FALSE(api.Get("/api/campaigns").body.contains("idle_timeout_seconds"));
  auto out = browser.Post("/api/logout", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, "", "application/json");
  CHECK(out->status == 200);
  CHECK(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(browser.Get("/api/problems", {{"Cookie", cookie}})->status == 401);
}

TEST_CASE("every answer carries the security headers and deep JSON is refused before parsing") {
  ApiFixture api;
  auto res = api.client().Get("/api/health");
  REQUIRE(res);
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(res->get_header_value("X-Frame-Options") == "DENY");
  CHECK(res->get_header_value("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
  CHECK(res->get_header_value("Cache-Control") == "no-store");
  auto missing = api.client().Get("/api/nowhere");
  CHECK(missing->get_header_value("X-Frame-Options") == "DENY");

  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 40; ++i) deep += "}";
  const HttpReply refused = api.PostRaw("/api/problems", deep);
  CHECK(refused.status == 400);
  CHECK(refused.body["field"] == "body");
  CHECK(refused.body["message"].get<std::string>().find("nested deeper than 32") != std::string::npos);
  // A body may not name its actor: the actor is whoever is logged in.
  json spoofed = SampleProblem();
  spoofed["actor"] = "镇长";
  CHECK(api.Post("/api/problems", spoofed).body["field"] == "actor");
}

TEST_CASE("logins transitions user changes and audit reads are in the audit log with who did them") {
  ApiFixture api;
  const Cast cast(api);
  const std::string path = ProblemIn(api, "working");
  REQUIRE(api.FireAs(cast.lead, path, "progress", {{"note", "已走访"}}).status == 200);
  const ApiFixture::Login none{"", ""};
  REQUIRE(api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", "not-the-password"}}).status == 401);
  REQUIRE(api.Post("/api/users", {{"username", "wang.fang"}, {"roles", {"leader"}}, {"password", "a-long-password-7"}})
              .status == 201);
  CHECK(api.GetAs(cast.lead, "/api/audit?from=2021-10-01").status == 403);

  const HttpReply audit = api.GetAs(cast.supervisor, "/api/audit?from=2021-10-01&limit=500");
  REQUIRE(audit.status == 200);
  std::multiset<std::string> seen;
  for (const json& record : audit.body["records"])
    seen.insert(record["action"].get<std::string>() + " by " + record["actor"].get<std::string>());
  int failures = 0;  // by someone not logged in, about the name they typed
  for (const json& record : audit.body["records"])
    if (record["action"] == "login.failure" && record["subject"].get<std::string>().find("t.i") != std::string::npos)
      ++failures;
  CHECK(failures == 1);
  CHECK(seen.count("user.add by user t.o.rural_office") == 1);
  CHECK(seen.count("login.success by user t.u.village_1") == 1);
  bool progress = false;
  for (const json& record : audit.body["records"])
    if (record["actor"] == "user t.u.village_1" && record["detail"].get<std::string>().find("progress") != std::string::npos)
      progress = true;
  CHECK(progress);
  // The read itself is recorded, so a second read shows the first.
  const HttpReply again = api.GetAs(cast.supervisor, "/api/audit?from=2021-10-01&limit=500");
  bool export_recorded = false;
  for (const json& record : again.body["records"])
    if (record["action"] == "audit.export" && record["actor"] == "user t.s.discipline_commission") export_recorded = true;
  CHECK(export_recorded);
  // No password or token was ever written to the log.
  CHECK(again.body.dump().find("a-long-password-7") == std::string::npos);
  CHECK(again.body.dump().find(cast.lead.token) == std::string::npos);
}

TEST_CASE("a user changes their password and the office resets and lists users") {
  ApiFixture api;
  const ApiFixture::Login& leader = api.As("leader");
  CHECK(api.PostAs(leader, "/api/me/password", {{"current_password", "wrong-one-here"}, {"new_password", "new-password-2021"}})
            .status == 403);
  CHECK(api.PostAs(leader, "/api/me/password", {{"current_password", ApiFixture::kTestPassword}, {"new_password", "short"}})
            .body["field"] == "password");
  CHECK(api.PostAs(leader, "/api/me/password",
                   {{"current_password", ApiFixture::kTestPassword}, {"new_password", "new-password-2021"}})
            .status == 200);
  const ApiFixture::Login none{"", ""};
  CHECK(api.PostAs(none, "/api/login", {{"username", "t.l"}, {"password", "new-password-2021"}}).status == 200);

  const HttpReply users = api.Get("/api/users");
  REQUIRE(users.status == 200);
  CHECK(users.body.dump().find("argon2") == std::string::npos);
  const HttpReply reset = api.Post("/api/users/t.l/reset_password", json::object());
  REQUIRE(reset.status == 200);
  CHECK(api.PostAs(none, "/api/login", {{"username", "t.l"}, {"password", reset.body["password"]}}).status == 200);
  CHECK(api.GetAs(leader, "/api/me").status == 401);  // the reset revoked the old tokens
  CHECK(api.Post("/api/users/t.o.rural_office/disable", json::object()).status == 422);  // not yourself
  CHECK(api.Post("/api/users", {{"username", "x.y"}, {"roles", {"mayor"}}, {"password", "a-long-password-7"}})
            .body["field"] == "role");
}

}  // namespace rectify::testing
