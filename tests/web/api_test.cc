// The API end to end: real HTTP on loopback against a real SQLite file.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

std::string PathOf(const HttpReply& created) { return created.location; }

json SampleEnrollment() {
  return {{"household", "李四"},         {"village", "village_2"},
          {"category", "marginal"},     {"risk_type", "因病"},
          {"risk_found_on", "2021-09-20"}, {"clue_source", "cadre_found"},
          {"members", 4}};
}

}  // namespace

TEST_CASE("health and campaign describe the running campaign") {
  ApiFixture api;
  const HttpReply health = api.Get("/api/health");
  CHECK(health.status == 200);
  CHECK(health.body["status"] == "ok");
  CHECK(health.body["campaign"] == "gaoqiao-2021-autumn");
  CHECK(health.body["now"] == "2021-10-12T09:00:00+08:00");

  const HttpReply campaign = api.Get("/api/campaign");
  REQUIRE(campaign.status == 200);
  CHECK(campaign.body["areas"].size() == 16);
  CHECK(campaign.body["phases"][0]["name"] == "动员部署");
  CHECK(campaign.body["phases"][2]["end"] == "2021-11-10");
  bool found_ledger = false;
  for (const json& deadline : campaign.body["deadlines"])
    if (deadline["id"] == "ledger_due") {
      found_ledger = true;
      CHECK(deadline["at"] == "2021-10-26T17:30:00+08:00");
    }
  CHECK(found_ledger);
}

TEST_CASE("a problem goes from found to closed and back, and its history records every step") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/problems", SampleProblem());
  REQUIRE(created.status == 201);
  const std::string path = PathOf(created);
  CHECK(path == "/api/problems/" + std::to_string(created.body["id"].get<int>()));
  CHECK(created.body["state"] == "found");
  CHECK(created.body["allowed_events"] == json::array({"assign"}));
  CHECK(created.body["deadline"] == "2021-11-01T00:00:00+08:00");  // 10月底前: the end of 10-31
  CHECK(created.body["area_name"] == "义务教育");

  struct Step {
    const char* event;
    json extra;
    const char* state;
    const char* step;
  };
  const std::vector<Step> steps = {
      {"assign", {{"unit", "central_school"}}, "assigned", nullptr},
      {"start", json::object(), "rectifying", "working"},
      {"progress", {{"note", "已上门劝返，家长同意复学"}}, "rectifying", "working"},
      {"submit", json::object(), "rectifying", "submitted"},
      {"send_back", {{"reason", "缺少复学证明"}}, "rectifying", "working"},
      {"submit", {{"note", "补充了复学证明"}}, "rectifying", "submitted"},
      {"verify", json::object(), "verified", nullptr},
      {"close", json::object(), "closed", nullptr},
      {"reopen", {{"reason", "回头看发现再次辍学"}}, "rectifying", "working"},
  };
  for (const Step& step : steps) {
    INFO(step.event);
    api.clock().Advance(3600);
    const HttpReply reply = api.Fire(path, step.event, step.extra);
    REQUIRE(reply.status == 200);
    CHECK(reply.body["state"] == step.state);
    CHECK(reply.body["step"] == (step.step ? json(step.step) : json(nullptr)));
  }
  const HttpReply item = api.Get(path);
  CHECK(item.body["unit"] == "central_school");
  CHECK(item.body["unit_name"] == "镇中心校");
  CHECK(item.body["send_back_count"] == 1);
  CHECK(item.body["reopen_count"] == 1);
  CHECK(item.body["version"] == 10);
  CHECK(item.body["state_label"] == "整改中");

  const HttpReply history = api.Get(path + "/history");
  REQUIRE(history.status == 200);
  const json& events = history.body["events"];
  REQUIRE(events.size() == steps.size() + 1);
  CHECK(events[0]["event"] == "create");
  CHECK(events[0]["actor"] == "user t.o.rural_office");
  CHECK(events[2]["actor"] == "user t.u.central_school");
  CHECK(events[1]["note"] == "unit: central_school");
  CHECK(events[5]["event"] == "send_back");
  CHECK(events[5]["from"] == "rectifying.submitted");
  CHECK(events[5]["to"] == "rectifying.working");
  CHECK(events[5]["note"] == "reason: 缺少复学证明");
  CHECK(events[7]["actor"] == "user t.i");
  CHECK(events[9]["at"] == "2021-10-12T18:00:00+08:00");
}

TEST_CASE("reassigning keeps the earlier unit in the history") {
  ApiFixture api;
  json body = SampleProblem();
  body["unit"] = "central_school";
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  CHECK(created.body["state"] == "assigned");
  const HttpReply moved = api.Fire(created.location, "reassign", {{"unit", "village_3"}, {"note", "属地管理"}});
  REQUIRE(moved.status == 200);
  CHECK(moved.body["unit"] == "village_3");
  const json events = api.Get(created.location + "/history").body["events"];
  REQUIRE(events.size() == 2);
  CHECK(events[1]["note"] == "unit: central_school -> village_3; 属地管理");

  const HttpReply same = api.Fire(created.location, "reassign", {{"unit", "village_3"}});
  CHECK(same.status == 422);
  CHECK(same.body["field"] == "unit");
}

TEST_CASE("an enrollment request walks the procedure and closes as enrolled") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/enrollments", SampleEnrollment());
  REQUIRE(created.status == 201);
  CHECK(created.body["state"] == "found");
  CHECK(created.body["category"] == "marginal");
  CHECK(created.body["risk_type"] == "illness");  // given by its Chinese name, stored by id
  // Two months after 09-20 is 11-20, a Saturday: the period ends with the next working day, 11-22.
  CHECK(created.body["deadline"] == "2021-11-23T00:00:00+08:00");
  CHECK(created.body["deadline_rule"] == "enrollment_within_two_months");
  const std::string path = created.location;

  // The procedure is a village's: a department or the bank branch cannot take the request.
  for (const char* unit : {"taojiang_rcb_gaoqiao", "health_centre"}) {
    INFO(unit);
    const HttpReply refused = api.Fire(path, "assign", {{"unit", unit}});
    CHECK(refused.status == 422);
    CHECK(refused.body["field"] == "unit");
  }
  const HttpReply assigned = api.Fire(path, "assign");  // defaults to the household's village
  REQUIRE(assigned.status == 200);
  CHECK(assigned.body["unit"] == "village_2");
  CHECK(api.Fire(path, "reassign", {{"unit", "central_school"}}).status == 422);
  REQUIRE(api.Fire(path, "start").status == 200);
  for (const char* step : {"data_check", "village_review", "public_notice", "town_review", "county_decision"}) {
    if (std::string(step) == "town_review") {
      // The village notice (公示) lasts at least 5 days: entered 10-12, it may end from 10-18.
      const HttpReply early = api.Fire(path, "complete_step");
      CHECK(early.status == 422);
      CHECK(early.body["field"] == "event");
      CHECK(early.body["message"].get<std::string>().find("2021-10-18T00:00:00+08:00") != std::string::npos);
      api.clock().Set(*ParseInstant("2021-10-18T08:00:00+08:00"));
    }
    const HttpReply moved = api.Fire(path, "complete_step");
    REQUIRE(moved.status == 200);
    CHECK(moved.body["step"] == step);
  }
  REQUIRE(api.Fire(path, "verify").body["state"] == "verified");
  const HttpReply no_date = api.Fire(path, "close");
  CHECK(no_date.status == 422);
  CHECK(no_date.body["field"] == "entered_on");
  api.clock().Set(*ParseInstant("2021-10-28T10:00:00+08:00"));  // an entry date is never in the future
  const HttpReply closed = api.Fire(path, "close", {{"entered_on", "2021-10-28"}});
  REQUIRE(closed.status == 200);
  CHECK(closed.body["state"] == "closed");
  CHECK(closed.body["outcome"]["result"] == "enrolled");
  CHECK(closed.body["outcome"]["entered_on"] == "2021-10-28");
  CHECK(closed.body["allowed_events"] == json::array({"reopen", "follow_up"}));
}

TEST_CASE("an enrolled household's help measures are followed up after its request closed") {
  ApiFixture api;
  json household = SampleEnrollment();
  const std::string path = api.Post("/api/enrollments", household).location;
  REQUIRE(api.Fire(path, "assign").status == 200);
  REQUIRE(api.Fire(path, "start").status == 200);  // no progress note while the procedure ran
  for (int step = 0; step < 5; ++step) {
    if (step == 3) api.clock().Set(*ParseInstant("2021-10-18T08:00:00+08:00"));  // the notice's 5 days
    REQUIRE(api.Fire(path, "complete_step").status == 200);
  }
  REQUIRE(api.Fire(path, "verify").status == 200);
  api.clock().Set(*ParseInstant("2021-10-28T10:00:00+08:00"));
  REQUIRE(api.Fire(path, "close", {{"entered_on", "2021-10-28"}}).status == 200);
  auto enrollment = [&] { return api.Get("/api/dashboard").body["enrollment"]; };
  CHECK(enrollment()["enrolled"] == 1);
  CHECK(enrollment()["with_measures"] == 0);

  // The village, which sees its household, records the help given (帮扶跟进): a note, no move.
  const ApiFixture::Login village = api.As("unit_member", "village_2");
  const HttpReply bare = api.FireAs(village, path, "follow_up");
  CHECK(bare.status == 422);
  CHECK(bare.body["field"] == "note");
  const HttpReply followed = api.FireAs(village, path, "follow_up", {{"note", "落实医疗救助，申请临时救助3000元"}});
  REQUIRE(followed.status == 200);
  CHECK(followed.body["state"] == "closed");
  CHECK(followed.body["outcome"]["result"] == "enrolled");
  const json history = api.Get(path + "/history").body["events"];
  CHECK(history.back()["event"] == "follow_up");
  CHECK(history.back()["note"] == "落实医疗救助，申请临时救助3000元");
  CHECK(enrollment()["with_measures"] == 1);
  CHECK(enrollment()["share_with_measures"] == 1.0);
  // Another village's member does not see the household at all.
  CHECK(api.FireAs(api.As("unit_member", "village_1"), path, "follow_up", {{"note", "x"}}).status == 404);

  // Help followed up after the request's deadline leaves it closed when it closed: in time.
  auto village_rates = [&] {
    const json all = api.Get("/api/dashboard").body["rates"];
    for (const json& rates : all)
      if (rates["unit"] == "village_2") return rates;
    FAIL("no rates for village_2 in " << all.dump());
    return json();
  };
  CHECK(village_rates()["closed_on_time"] == 1);
  const Instant deadline = *ParseInstant(api.Get(path).body["deadline"].get<std::string>());
  api.clock().Set(deadline + 3 * 86400);
  REQUIRE(api.FireAs(village, path, "follow_up", {{"note", "产业帮扶：发放鸡苗50羽"}}).status == 200);
  CHECK(village_rates()["close_judged"] == 1);
  CHECK(village_rates()["closed_on_time"] == 1);
  CHECK(village_rates()["on_time_close_rate"] == 1.0);
}

TEST_CASE("an enrollment request found not eligible closes with the explanation given") {
  ApiFixture api;
  const std::string path = api.Post("/api/enrollments", SampleEnrollment()).location;
  REQUIRE(api.Fire(path, "assign").status == 200);
  REQUIRE(api.Fire(path, "start").status == 200);
  REQUIRE(api.Fire(path, "complete_step").status == 200);
  const HttpReply closed = api.Fire(path, "close_ineligible", {{"explanation", "家庭人均纯收入高于监测标准，已当面解释"}});
  REQUIRE(closed.status == 200);
  CHECK(closed.body["outcome"]["result"] == "not_eligible");
  CHECK(closed.body["outcome"]["explanation"] == "家庭人均纯收入高于监测标准，已当面解释");
  // Not enrolled: no help to follow up.
  CHECK(closed.body["allowed_events"] == json::array({"reopen"}));
  const HttpReply follow_up = api.FireAs(api.Office(), path, "follow_up", {{"note", "x"}});
  CHECK(follow_up.status == 409);
  CHECK(follow_up.body["allowed_events"] == json::array({"reopen"}));
}

TEST_CASE("titles and names are kept without invisible characters or spaces at their ends, however they came") {
  ApiFixture api;
  const HttpReply problem = api.Post("/api/problems", {{"title", "\u3000 村道\u200b路灯损坏\uFEFF \n"},
                                                       {"area", 1}, {"source", "self_inspection"}});
  REQUIRE(problem.status == 201);
  CHECK(problem.body["title"] == "村道路灯损坏");
  // Searched as it looks.
  const HttpReply found = api.Get("/api/problems?q=" + std::string("%E8%B7%AF%E7%81%AF%E6%8D%9F%E5%9D%8F"));  // 路灯损坏
  REQUIRE(found.status == 200);
  CHECK(found.body["items"].size() == 1);
  // Nothing visible is no title.
  const HttpReply invisible = api.Post("/api/problems", {{"title", "\u200b\u2060"}, {"area", 1}, {"source", "self_inspection"}});
  CHECK(invisible.status == 400);
  CHECK(invisible.body["field"] == "title");

  json household = SampleEnrollment();
  household["household"] = "\u3000李\u200b四\n";
  const HttpReply enrollment = api.Post("/api/enrollments", household);
  REQUIRE(enrollment.status == 201);
  CHECK(enrollment.body["household"] == "李四");
  CHECK(enrollment.body["title"] == "李四户");
  // A name typed with its 户 is not 户户.
  household["household"] = "吉𠮷户";
  household["village"] = "village_1";
  const HttpReply with_suffix = api.Post("/api/enrollments", household);
  REQUIRE(with_suffix.status == 201);
  CHECK(with_suffix.body["title"] == "吉𠮷户");
}

TEST_CASE("a household has one open enrollment request at a time, found by its head's ID number") {
  ApiFixture api;
  json first = SampleEnrollment();
  first["id_number"] = "11010519491231002X";
  const HttpReply created = api.Post("/api/enrollments", first);
  REQUIRE(created.status == 201);
  const std::string first_id = std::to_string(created.body["id"].get<std::int64_t>());

  // The same person, written another way and entered by the other village, is refused naming the
  // open request; nothing is stored.
  json again = first;
  again["household"] = "李四（重报）";
  again["village"] = "village_1";
  again["id_number"] = "110105 19491231 002x";
  const HttpReply refused = api.Post("/api/enrollments", again);
  CHECK(refused.status == 422);
  CHECK(refused.body["error"] == "unprocessable");
  CHECK(refused.body["field"] == "id_number");
  CHECK(refused.body["message"].get<std::string>().find("(" + first_id + ")") != std::string::npos);
  CHECK(api.Get("/api/enrollments").body["items"].size() == 1);

  // Another person, and households whose ID number is not recorded, are not held back.
  json other = first;
  other["id_number"] = "430922198005120030";
  CHECK(api.Post("/api/enrollments", other).status == 201);
  CHECK(api.Post("/api/enrollments", SampleEnrollment()).status == 201);
  CHECK(api.Post("/api/enrollments", SampleEnrollment()).status == 201);

  // Once the first is closed the household may be entered again, and then the closed one cannot
  // be reopened beside the new one.
  const std::string path = created.location;
  for (const char* event : {"assign", "start", "complete_step"}) REQUIRE(api.Fire(path, event).status == 200);
  REQUIRE(api.Fire(path, "close_ineligible", {{"explanation", "收入高于监测标准，已当面解释"}}).status == 200);
  const HttpReply second = api.Post("/api/enrollments", again);
  REQUIRE(second.status == 201);
  const HttpReply reopen = api.Fire(path, "reopen", {{"reason", "复核"}});
  CHECK(reopen.status == 422);
  CHECK(reopen.body["field"] == "id_number");
  CHECK(reopen.body["message"].get<std::string>().find(std::to_string(second.body["id"].get<std::int64_t>())) !=
        std::string::npos);
  CHECK(api.Get(path).body["state"] == "closed");
}

TEST_CASE("a deadline before the day its item was found is refused") {
  ApiFixture api;
  json problem = SampleProblem();
  problem["found_on"] = "2021-10-08";
  problem["deadline"] = "2021-10-07";
  const HttpReply early = api.Post("/api/problems", problem);
  CHECK(early.status == 400);
  CHECK(early.body["field"] == "deadline");
  CHECK(early.body["message"].get<std::string>().find("2021-10-08") != std::string::npos);
  problem["deadline"] = "2021-10-08";  // due the day it was found: allowed
  CHECK(api.Post("/api/problems", problem).status == 201);

  json enrollment = SampleEnrollment();  // risk found 2021-09-20
  enrollment["deadline"] = "2021-09-19";
  const HttpReply before_risk = api.Post("/api/enrollments", enrollment);
  CHECK(before_risk.status == 400);
  CHECK(before_risk.body["field"] == "deadline");
  enrollment["deadline"] = "2021-11-20";
  CHECK(api.Post("/api/enrollments", enrollment).status == 201);
}

TEST_CASE("bad requests get a 4xx whose JSON names what was wrong") {
  ApiFixture api;
  const std::string path = api.Post("/api/problems", SampleProblem()).location;
  struct Case {
    const char* what;
    HttpReply reply;
    int status;
    const char* error;
    const char* field;
  };
  json no_area = SampleProblem();
  no_area.erase("area");
  json typo = SampleProblem();
  typo["titel"] = "x";
  json wrong_type = SampleProblem();
  wrong_type["area"] = "two";
  json bad_area = SampleProblem();
  bad_area["area"] = 17;
  json bad_source = SampleProblem();
  bad_source["source"] = "rumour";
  json bad_deadline = SampleProblem();
  bad_deadline["deadline"] = "2021-10-32";
  json bad_village = SampleEnrollment();
  bad_village["village"] = "central_school";
  json bad_category = SampleEnrollment();
  bad_category["category"] = "rich";
  json future_risk = SampleEnrollment();
  future_risk["risk_found_on"] = "2021-12-01";
  json long_title = SampleProblem();
  long_title["title"] = std::string(300000, 'x');
  json long_name = SampleEnrollment();
  long_name["household"] = std::string(51, 'x');

  const std::vector<Case> cases = {
      {"malformed JSON", api.PostRaw("/api/problems", "{\"title\": "), 400, "invalid_argument", "body"},
      {"not an object", api.PostRaw("/api/problems", "[1,2]"), 400, "invalid_argument", "body"},
      {"missing field", api.Post("/api/problems", no_area), 400, "invalid_argument", "area"},
      {"unknown field", api.Post("/api/problems", typo), 400, "invalid_argument", "titel"},
      {"wrong type", api.Post("/api/problems", wrong_type), 400, "invalid_argument", "area"},
      {"no such area", api.Post("/api/problems", bad_area), 400, "invalid_argument", "area"},
      {"no such source", api.Post("/api/problems", bad_source), 400, "invalid_argument", "source"},
      {"bad deadline", api.Post("/api/problems", bad_deadline), 400, "invalid_argument", "deadline"},
      {"not a village", api.Post("/api/enrollments", bad_village), 400, "invalid_argument", "village"},
      {"not a category", api.Post("/api/enrollments", bad_category), 400, "invalid_argument", "category"},
      {"risk in the future", api.Post("/api/enrollments", future_risk), 400, "invalid_argument", "risk_found_on"},
      {"a title of 300,000 characters", api.Post("/api/problems", long_title), 400, "invalid_argument", "title"},
      {"a name of 51 characters", api.Post("/api/enrollments", long_name), 400, "invalid_argument", "household"},
      {"a note of 2,001 characters",
       api.Post(path + "/events", {{"event", "assign"}, {"unit", "village_1"}, {"note", std::string(2001, 'x')}}), 400,
       "invalid_argument", "note"},
      {"unknown event", api.Fire(path, "approve"), 400, "invalid_argument", "event"},
      {"no event", api.Post(path + "/events", json::object()), 400, "invalid_argument", "event"},
      {"unknown unit", api.Fire(path, "assign", {{"unit", "nobody"}}), 400, "invalid_argument", "unit"},
      {"guard: no unit", api.Fire(path, "assign"), 422, "unprocessable", "unit"},
      {"a field the event does not take",
       api.Fire(path, "assign", {{"unit", "village_1"}, {"deadline", "2021-11-05"}}), 400, "invalid_argument",
       "deadline"},
      {"bad filter", api.Get("/api/problems?area=x"), 400, "invalid_argument", "area"},
      {"unknown filter", api.Get("/api/problems?colour=red"), 400, "invalid_argument", "colour"},
      {"bad limit", api.Get("/api/problems?limit=0"), 400, "invalid_argument", "limit"},
      {"bad as_of", api.Get("/api/overdue?as_of=yesterday"), 400, "invalid_argument", "as_of"},
  };
  for (const Case& c : cases) {
    INFO(c.what << ": " << c.reply.body.dump());
    CHECK(c.reply.status == c.status);
    CHECK(c.reply.body["error"] == c.error);
    CHECK(c.reply.body["field"] == c.field);
    CHECK_FALSE(c.reply.body["message"].get<std::string>().empty());
  }
  // None of the refused requests changed the problem.
  const HttpReply item = api.Get(path);
  CHECK(item.body["state"] == "found");
  CHECK(item.body["version"] == 1);
  CHECK(api.Get(path + "/history").body["events"].size() == 1);
}

TEST_CASE("an event not allowed now is a 409 that lists the allowed events") {
  ApiFixture api;
  const std::string path = api.Post("/api/problems", SampleProblem()).location;
  // The list names what the asking user may do: the office, here, assigns.
  const HttpReply refused = api.FireAs(api.Office(), path, "verify");
  CHECK(refused.status == 409);
  CHECK(refused.body["error"] == "event_not_allowed");
  CHECK(refused.body["allowed_events"] == json::array({"assign"}));

  REQUIRE(api.Fire(path, "assign", {{"unit", "village_1"}}).status == 200);
  REQUIRE(api.Fire(path, "start").status == 200);
  const HttpReply early_close = api.FireAs(api.As("unit_member", "village_1"), path, "close");
  CHECK(early_close.status == 409);
  CHECK(early_close.body["allowed_events"] == json::array({"progress", "submit", "request_extension"}));
  // One who may do nothing here still learns what the state allows, and whose move it is.
  const HttpReply inspector = api.FireAs(api.As("inspector"), path, "verify");
  CHECK(inspector.status == 409);
  CHECK(inspector.body["allowed_events"] == json::array());
  const std::string message = inspector.body["message"];
  CHECK(message.find("allowed in this state: ") != std::string::npos);
  CHECK(message.find("submit") != std::string::npos);
  CHECK(message.find("this user may: nothing") != std::string::npos);
  REQUIRE(api.Fire(path, "submit").status == 200);
  const HttpReply no_reason = api.Fire(path, "send_back");
  CHECK(no_reason.status == 422);
  CHECK(no_reason.body["field"] == "reason");
  CHECK(api.Get(path).body["step"] == "submitted");
}

TEST_CASE("a field the event would ignore is refused, naming what the event takes, and changes nothing") {
  ApiFixture api;
  const std::string path = api.Post("/api/problems", SampleProblem()).location;
  REQUIRE(api.Fire(path, "assign", {{"unit", "village_1"}}).status == 200);
  const json before = api.Get(path).body;
  // A deadline sent with `start` would have been dropped under a 200: the unit believes it moved.
  const HttpReply refused = api.Fire(path, "start", {{"deadline", "2021-11-30"}, {"note", "开始整改"}});
  CHECK(refused.status == 400);
  CHECK(refused.body["field"] == "deadline");
  CHECK(refused.body["reason"] == "field_not_taken");
  CHECK(refused.body["params"] == json({{"event", "start"}, {"takes", "note"}}));
  CHECK(api.Get(path).body == before);

  // What the campaign says each event takes is what the server holds it to.
  const json fields = api.Get("/api/campaign").body["event_fields"];
  CHECK(fields["problem"]["start"] == json({{"takes", {"note"}}, {"required", json::array()}}));
  CHECK(fields["problem"]["request_extension"] ==
        json({{"takes", {"note", "reason", "deadline"}}, {"required", {"reason", "deadline"}}}));
  CHECK(fields["enrollment"]["close"] == json({{"takes", {"note", "entered_on"}}, {"required", {"entered_on"}}}));
  REQUIRE(api.Fire(path, "start", {{"note", "开始整改"}}).status == 200);
  const HttpReply reason_on_progress = api.Fire(path, "progress", {{"note", "已完成一半"}, {"reason", "x"}});
  CHECK(reason_on_progress.status == 400);
  CHECK(reason_on_progress.body["field"] == "reason");
  CHECK(reason_on_progress.body["params"]["takes"] == "note");
  // The deadline an extension asks for is taken.
  CHECK(api.Fire(path, "request_extension", {{"reason", "材料未齐"}, {"deadline", "2021-11-30"}}).status == 200);
}

TEST_CASE("unknown ids and routes are 404 with a JSON body") {
  ApiFixture api;
  const std::string problem = api.Post("/api/problems", SampleProblem()).location;
  for (const std::string& path : {std::string("/api/problems/999"), std::string("/api/problems/999/history"),
                                  std::string("/api/nothing"),
                                  // a problem's id is not an enrollment's
                                  "/api/enrollments/" + problem.substr(problem.rfind('/') + 1)}) {
    INFO(path);
    const HttpReply reply = api.Get(path);
    CHECK(reply.status == 404);
    CHECK(reply.body["error"] == "not_found");
  }
  CHECK(api.Fire("/api/problems/999", "assign", {{"unit", "village_1"}}).status == 404);
}

TEST_CASE("a path that is not UTF-8 is a 400 naming the path, and the server keeps answering") {
  ApiFixture api;
  for (const std::string path : {"/%FF", "/api/%FF", "/api/problems/1/evidence/%FF", "/api/%C3%28"}) {
    INFO(path);
    const HttpReply reply = api.GetAnonymous(path);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"] == "invalid_argument");
    CHECK(reply.body["field"] == "path");
    CHECK(api.GetAnonymous("/api/health").status == 200);
  }
}

TEST_CASE("a stale version is a conflict and changes nothing") {
  ApiFixture api;
  const std::string path = api.Post("/api/problems", SampleProblem()).location;
  REQUIRE(api.Fire(path, "assign", {{"unit", "village_1"}, {"version", 1}}).status == 200);
  const HttpReply stale = api.Fire(path, "reassign", {{"unit", "village_2"}, {"version", 1}});
  CHECK(stale.status == 409);
  CHECK(stale.body["error"] == "conflict");
  // The version to re-read at, for a program: not only inside the English message.
  CHECK(stale.body["reason"] == "stale_version");
  CHECK(stale.body["params"]["current_version"] == "2");
  CHECK(api.Get(path).body["unit"] == "village_1");
}

namespace {

// A problem 示例村一 is working on (three history rows), for notes to be written to it.
std::string ProblemInWork(ApiFixture& api) {
  const std::string path = api.Post("/api/problems", SampleProblem()).location;
  REQUIRE(api.Fire(path, "assign", {{"unit", "village_1"}}).status == 200);
  REQUIRE(api.Fire(path, "start").status == 200);
  return path;
}

}  // namespace

TEST_CASE("concurrent writers to one item cannot lose an update") {
  ApiFixture api;
  const std::string path = ProblemInWork(api);
  constexpr int kWriters = 8;
  constexpr int kNotesEach = 10;
  std::atomic<int> applied{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> other{0};
  std::vector<std::thread> writers;
  const std::string token = api.As("unit_member", "village_1").token;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      httplib::Client client("127.0.0.1", api.port());
      client.set_bearer_token_auth(token);
      for (int n = 0; n < kNotesEach; ++n) {
        auto item = client.Get(path.c_str());
        const int version = json::parse(item->body)["version"];
        json body = {{"event", "progress"}, {"note", "writer " + std::to_string(w)}, {"version", version}};
        auto reply = client.Post((path + "/events").c_str(), body.dump(), "application/json");
        if (reply && reply->status == 200) ++applied;
        else if (reply && reply->status == 409) ++conflicts;
        else ++other;
      }
    });
  for (std::thread& t : writers) t.join();
  CHECK(other == 0);
  CHECK(applied + conflicts == kWriters * kNotesEach);
  CHECK(applied >= 1);
  // Every acknowledged write is in the history; none was overwritten.
  const HttpReply item = api.Get(path);
  CHECK(item.body["version"] == 3 + applied);
  CHECK(api.Get(path + "/history").body["events"].size() == static_cast<std::size_t>(3 + applied));
}

TEST_CASE("a crowd of notes sent at once without a version on one item is written whole") {
  ApiFixture api;
  const std::string path = ProblemInWork(api);
  // Phones of one village syncing at the same moment (audit 21: 15 at once lost 5 to stale_version).
  constexpr int kWriters = 20;
  std::vector<int> statuses(kWriters, 0);
  std::vector<std::thread> writers;
  const std::string token = api.As("unit_member", "village_1").token;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      httplib::Client client("127.0.0.1", api.port());
      client.set_bearer_token_auth(token);
      const json body = {{"event", "progress"}, {"note", "phone " + std::to_string(w)}};
      auto reply = client.Post((path + "/events").c_str(), body.dump(), "application/json");
      statuses[static_cast<std::size_t>(w)] = reply ? reply->status : -1;
    });
  for (std::thread& t : writers) t.join();
  CHECK(statuses == std::vector<int>(kWriters, 200));
  CHECK(api.Get(path + "/history").body["events"].size() == static_cast<std::size_t>(3 + kWriters));
}

TEST_CASE("a restart keeps states and history") {
  ApiFixture api;
  const std::string path = api.Post("/api/problems", SampleProblem()).location;
  REQUIRE(api.Fire(path, "assign", {{"unit", "village_4"}}).status == 200);
  REQUIRE(api.Fire(path, "start").status == 200);
  REQUIRE(api.Fire(path, "submit").status == 200);
  api.Restart();
  const HttpReply item = api.Get(path);
  CHECK(item.body["state"] == "rectifying");
  CHECK(item.body["step"] == "submitted");
  CHECK(item.body["allowed_events"] == json::array({"reassign"}));  // as the office sees it
  CHECK(api.GetAs(api.As("inspector"), path).body["allowed_events"] == json::array({"send_back", "verify"}));
  CHECK(api.Get(path + "/history").body["events"].size() == 4);
  CHECK(api.Fire(path, "verify").status == 200);
}

TEST_CASE("lists filter by state, unit, area, source and overdue, and page by id") {
  ApiFixture api;
  for (int i = 0; i < 7; ++i) {
    json body = SampleProblem();
    body["area"] = i % 2 == 0 ? 2 : 4;
    body["source"] = i < 3 ? "provincial_supervision" : "self_inspection";
    body["deadline"] = i < 2 ? "2021-10-15" : "2021-10-25";
    if (i >= 4) body["unit"] = "village_5";
    const HttpReply created = api.Post("/api/problems", body);
    REQUIRE(created.status == 201);
    if (i >= 4) REQUIRE(api.Fire(created.location, "sign_for").status == 200);  // else due in a working day
  }
  auto count = [&](const std::string& query) {
    const HttpReply reply = api.Get("/api/problems" + query);
    REQUIRE(reply.status == 200);
    return reply.body["items"].size();
  };
  CHECK(count("") == 7);
  CHECK(count("?state=assigned") == 3);
  CHECK(count("?state=found") == 4);
  CHECK(count("?unit=village_5") == 3);
  CHECK(count("?area=4") == 3);
  CHECK(count("?source=provincial_supervision") == 3);
  CHECK(count("?source=self_inspection&area=2") == 2);
  // Four were never assigned: "assign within 3 working days" made them due 10-15 17:30.
  CHECK(count("?overdue_as_of=2021-10-20T09:00:00%2B08:00") == 4);
  CHECK(count("?overdue_as_of=2021-10-26") == 4);  // the rest are due at the end of 10-25: 10-26 00:00
  CHECK(count("?overdue_as_of=2021-10-26T00:00:01") == 7);

  HttpReply page = api.Get("/api/problems?limit=3");
  std::vector<int> ids;
  while (true) {
    for (const json& item : page.body["items"]) ids.push_back(item["id"]);
    if (page.body["next_after"].is_null()) break;
    page = api.Get("/api/problems?limit=3&after=" + std::to_string(page.body["next_after"].get<int>()));
  }
  CHECK(ids.size() == 7);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
}

TEST_CASE("overdue lists open items past their deadline, most overdue first, without closed ones") {
  ApiFixture api;
  auto create = [&](const char* deadline) {
    json body = SampleProblem();
    body["deadline"] = deadline;
    body["unit"] = "village_6";
    const std::string location = api.Post("/api/problems", body).location;
    REQUIRE(api.Fire(location, "sign_for").status == 200);  // else due in a working day
    return location;
  };
  const std::string late = create("2021-10-14");
  const std::string later = create("2021-10-18T17:30");
  const std::string on_time = create("2021-10-30");
  const std::string closed = create("2021-10-13");
  for (const char* event : {"start", "submit", "verify", "close"}) REQUIRE(api.Fire(closed, event).status == 200);
  const HttpReply enrollment = api.Post("/api/enrollments", SampleEnrollment());
  REQUIRE(enrollment.status == 201);

  const HttpReply overdue = api.Get("/api/overdue?as_of=2021-10-20T09:00:00%2B08:00");
  REQUIRE(overdue.status == 200);
  const json& items = overdue.body["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["deadline"] == "2021-10-15T00:00:00+08:00");
  CHECK(items[1]["deadline"] == "2021-10-18T17:30:00+08:00");
  CHECK(items[0]["seconds_overdue"] == 5 * 86400 + 9 * 3600);
  CHECK(items[0]["overdue"] == true);

  // Two months after the risk (09-20) ends with 11-22 (11-20 is a Saturday): overdue from 11-23.
  const HttpReply december = api.Get("/api/overdue?as_of=2021-11-23T00:00:01%2B08:00&kind=enrollment");
  REQUIRE(december.body["items"].size() == 1);
  CHECK(december.body["items"][0]["kind"] == "enrollment");

  const HttpReply paged = api.Get("/api/overdue?as_of=2021-10-31&limit=1");
  REQUIRE(paged.body["items"].size() == 1);
  const json next = paged.body["next_page"];
  const HttpReply second = api.Get("/api/overdue?as_of=2021-10-31&limit=1&after=" +
                                   std::to_string(next["after"].get<int>()) + "&after_due=" +
                                   httplib::detail::encode_query_param(next["after_due"].get<std::string>()));
  REQUIRE(second.status == 200);
  REQUIRE(second.body["items"].size() == 1);
  CHECK(second.body["items"][0]["deadline"] == "2021-10-18T17:30:00+08:00");
}

TEST_CASE("a body over the size limit is refused with a JSON error naming the limit for that request") {
  ApiFixture api;
  const HttpReply reply = api.PostRaw("/api/problems", std::string(2 << 20, 'x'));
  CHECK(reply.status == 413);
  CHECK(reply.body["error"] == "payload_too_large");
  CHECK(reply.body["message"] == "request body over 1048576 bytes");
  // Over what httplib reads at all (an upload's size), refused before routing: still the JSON limit.
  const HttpReply huge = api.PostRaw("/api/problems", std::string(11 << 20, 'x'));
  CHECK(huge.status == 413);
  CHECK(huge.body["message"] == "request body over 1048576 bytes");
  const ApiFixture::Login none{"", ""};
  CHECK(api.PostAs(none, "/api/login", {{"username", "t.i"}, {"password", std::string(8000, 'x')}}).body["message"] ==
        "request body over 4096 bytes");
}

}  // namespace rectify::testing

namespace rectify::testing {

TEST_CASE("a household's personal data is shown in full to the office and its village and masked to others") {
  ApiFixture api;
  json body = {{"household", "王五"},          {"village", "village_1"},     {"category", "unstable"},
               {"risk_type", "illness"},      {"risk_found_on", "2021-09-01"}, {"clue_source", "self_report"},
               {"id_number", "11010519491231002x"}, {"phone", "13812345678"}, {"bank_account", "6222 0212 3456 7890 123"},
               {"health_condition", "慢性肾病"}};
  const HttpReply created = api.Post("/api/enrollments", body);
  REQUIRE(created.status == 201);
  CHECK(created.body["id_number"] == "11010519491231002X");
  CHECK(created.body["phone"] == "13812345678");
  CHECK(created.body["health_condition"] == "慢性肾病");
  api.Restart();  // stored in full
  CHECK(api.GetAs(api.As("unit_member", "village_1"), created.location).body["id_number"] == "11010519491231002X");
  for (const char* role : {"inspector", "supervisor", "leader"}) {
    INFO(role);
    const HttpReply shown = api.GetAs(api.As(role), created.location);
    REQUIRE(shown.status == 200);
    CHECK(shown.body["id_number"] == "1101**********002X");
    CHECK(shown.body["phone"] == "138****5678");
    CHECK(shown.body["bank_account"] == "**** **** **** 0123");
    CHECK(shown.body["health_condition"] == "（已隐藏）");
    CHECK(shown.body.dump().find("11010519491231002") == std::string::npos);
    const HttpReply listed = api.GetAs(api.As(role), "/api/enrollments");
    REQUIRE(listed.body["items"].size() == 1);
    CHECK(listed.body["items"][0]["id_number"] == "1101**********002X");
  }
  // Another village does not even learn that the household exists.
  CHECK(api.GetAs(api.As("unit_member", "village_2"), created.location).status == 404);

  body["id_number"] = "110105194912310021";  // wrong check character
  const HttpReply bad = api.Post("/api/enrollments", body);
  CHECK(bad.status == 400);
  CHECK(bad.body["field"] == "id_number");
  CHECK(bad.body["message"].get<std::string>().find("110105194912310021") == std::string::npos);
  body["id_number"] = "11010519491231002X";
  body["phone"] = "12345";
  CHECK(api.Post("/api/enrollments", body).body["field"] == "phone");
}

}  // namespace rectify::testing
