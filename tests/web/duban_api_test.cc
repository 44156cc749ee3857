// 督办 over real HTTP: signing for an item (签收), asking for and deciding an extension (延期),
// reopening with a new deadline, and when a problem was found.
#include <catch2/catch.hpp>

#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

// A problem assigned to village_1 at creation (the clock: 2021-10-12 09:00, a Tuesday).
std::string AssignedProblem(ApiFixture& api, const char* deadline = "2021-10-25") {
  json body = SampleProblem();
  body["unit"] = "village_1";
  body["deadline"] = deadline;
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  return created.location;
}

json RowFor(const json& rows, const std::string& unit) {
  for (const json& row : rows)
    if (row["unit"] == unit) return row;
  FAIL("no row for " << unit << " in " << rows.dump());
  return json();
}

std::vector<std::string> Events(ApiFixture& api, const std::string& path) {
  std::vector<std::string> out;
  const HttpReply history = api.Get(path + "/history");
  for (const json& e : history.body["events"]) out.push_back(e["event"]);
  return out;
}

}  // namespace

TEST_CASE("an assigned problem awaits its unit's signature for one working day and signing records it") {
  ApiFixture api;
  const std::string path = AssignedProblem(api);
  const ApiFixture::Login& village = api.As("unit_member", "village_1");
  const HttpReply item = api.GetAs(village, path);
  REQUIRE(item.status == 200);
  CHECK(item.body["sign_for"]["unit"] == "village_1");
  CHECK(item.body["sign_for"]["since"] == "2021-10-12T09:00:00+08:00");
  CHECK(item.body["due_at"] == "2021-10-13T17:30:00+08:00");
  CHECK(item.body["due_rule"] == "sign_for_within_1_working_day");
  CHECK(item.body["allowed_events"] == json::array({"sign_for", "start", "request_extension"}));
  // Only the unit signs for what it was given.
  CHECK(api.FireAs(api.Office(), path, "sign_for").status == 403);
  CHECK(api.FireAs(api.As("unit_member", "village_2"), path, "sign_for").status == 404);

  api.clock().Advance(3600);
  const HttpReply signed_for = api.FireAs(village, path, "sign_for");
  REQUIRE(signed_for.status == 200);
  CHECK(signed_for.body["sign_for"].is_null());
  CHECK(signed_for.body["state"] == "assigned");
  CHECK(signed_for.body["due_at"] == "2021-10-26T00:00:00+08:00");
  CHECK(signed_for.body["allowed_events"] == json::array({"start", "request_extension"}));
  const json history = api.Get(path + "/history").body["events"];
  REQUIRE(history.size() == 2);
  CHECK(history[0]["sign_for_due"] == "2021-10-13T17:30:00+08:00");
  CHECK(history[1]["event"] == "sign_for");
  CHECK(history[1]["actor"] == "user " + village.username);
  // Once signed there is nothing to sign.
  const HttpReply again = api.FireAs(village, path, "sign_for");
  CHECK(again.status == 409);
  CHECK(again.body["allowed_events"] == json::array({"start", "request_extension"}));
}

TEST_CASE("a send-back and a reassignment ask the unit that now holds the item to sign again") {
  ApiFixture api;
  const std::string path = AssignedProblem(api);
  for (const char* event : {"start", "submit"}) REQUIRE(api.Fire(path, event).status == 200);
  CHECK(api.Get(path).body["sign_for"].is_null());  // starting the work signed for it
  const HttpReply back = api.Fire(path, "send_back", {{"reason", "缺少复学证明"}});
  REQUIRE(back.status == 200);
  CHECK(back.body["sign_for"]["unit"] == "village_1");
  CHECK(back.body["due_rule"] == "sign_for_within_1_working_day");
  const HttpReply moved = api.Fire(path, "reassign", {{"unit", "village_3"}});
  REQUIRE(moved.status == 200);
  CHECK(moved.body["sign_for"]["unit"] == "village_3");
  const json history = api.Get(path + "/history").body["events"];
  CHECK(history.back()["unit"] == "village_3");
  CHECK(history[history.size() - 2]["unit"] == "village_1");  // the send-back stays charged to village_1
  CHECK(api.FireAs(api.As("unit_member", "village_3"), path, "sign_for").status == 200);
}

TEST_CASE("an unsigned item is overdue once its sign-for limit passes") {
  ApiFixture api;
  const std::string path = AssignedProblem(api);
  const HttpReply overdue = api.Get("/api/overdue?as_of=2021-10-14T09:00:00%2B08:00");
  REQUIRE(overdue.status == 200);
  REQUIRE(overdue.body["items"].size() == 1);
  CHECK(overdue.body["items"][0]["due_rule"] == "sign_for_within_1_working_day");
}

TEST_CASE("a unit asks for an extension with a reason and a date and the office approves it") {
  ApiFixture api;
  const std::string path = AssignedProblem(api, "2021-10-20");
  const ApiFixture::Login& village = api.As("unit_member", "village_1");
  REQUIRE(api.FireAs(village, path, "sign_for").status == 200);

  const HttpReply no_date = api.FireAs(village, path, "request_extension", {{"reason", "汛期道路中断"}});
  CHECK(no_date.status == 422);
  CHECK(no_date.body["field"] == "deadline");
  const HttpReply no_reason = api.FireAs(village, path, "request_extension", {{"deadline", "2021-10-29"}});
  CHECK(no_reason.status == 422);
  CHECK(no_reason.body["field"] == "reason");
  const HttpReply earlier = api.FireAs(village, path, "request_extension",
                                       {{"reason", "汛期道路中断"}, {"deadline", "2021-10-18"}});
  CHECK(earlier.status == 422);
  CHECK(earlier.body["field"] == "deadline");
  const HttpReply past = api.FireAs(village, path, "request_extension",
                                    {{"reason", "汛期道路中断"}, {"deadline", "2021-10-01"}});
  CHECK(past.status == 400);
  CHECK(past.body["field"] == "deadline");
  const HttpReply outside = api.FireAs(village, path, "request_extension",
                                       {{"reason", "汛期道路中断"}, {"deadline", "2030-01-01"}});
  CHECK(outside.status == 400);

  const HttpReply asked = api.FireAs(village, path, "request_extension",
                                     {{"reason", "汛期道路中断"}, {"deadline", "2021-10-29"}});
  REQUIRE(asked.status == 200);
  CHECK(asked.body["extension"]["proposed"] == "2021-10-30T00:00:00+08:00");
  CHECK(asked.body["extension"]["reason"] == "汛期道路中断");
  CHECK(asked.body["deadline"] == "2021-10-21T00:00:00+08:00");  // unchanged until decided
  CHECK(api.FireAs(village, path, "request_extension", {{"reason", "再次"}, {"deadline", "2021-10-30"}}).status == 409);
  CHECK(api.FireAs(village, path, "approve_extension", {{"reason", "同意"}}).status == 403);

  const HttpReply office_view = api.Get(path);
  CHECK(office_view.body["allowed_events"] == json::array({"reassign", "approve_extension", "refuse_extension"}));
  const HttpReply approved = api.FireAs(api.Office(), path, "approve_extension", {{"reason", "情况属实，同意延期"}});
  REQUIRE(approved.status == 200);
  CHECK(approved.body["deadline"] == "2021-10-30T00:00:00+08:00");
  CHECK(approved.body["original_deadline"] == "2021-10-21T00:00:00+08:00");
  CHECK(approved.body["deadline_rule"].is_null());
  CHECK(approved.body["extension"].is_null());
  const json history = api.Get(path + "/history").body["events"];
  const std::string note = history.back()["note"];
  CHECK(history.back()["actor"] == "user " + api.Office().username);
  CHECK(note.find("情况属实，同意延期") != std::string::npos);
  CHECK(note.find("extended to 2021-10-30T00:00:00+08:00 (was 2021-10-21T00:00:00+08:00)") != std::string::npos);

  // A second extension keeps the first deadline as the original one.
  REQUIRE(api.FireAs(village, path, "request_extension", {{"reason", "仍未通路"}, {"deadline", "2021-11-05"}}).status ==
          200);
  // The office may grant a date other than the one asked for, but not one at or before the
  // deadline: the request stays undecided and the deadline where it was.
  for (const char* shorter : {"2021-10-20", "2021-10-29"}) {
    INFO(shorter);
    const HttpReply shortened =
        api.FireAs(api.Office(), path, "approve_extension", {{"reason", "同意"}, {"deadline", shorter}});
    CHECK(shortened.status == 422);
    CHECK(shortened.body["field"] == "deadline");
    CHECK(shortened.body["message"].get<std::string>().find("2021-10-30T00:00:00+08:00") != std::string::npos);
  }
  CHECK(api.Get(path).body["deadline"] == "2021-10-30T00:00:00+08:00");
  CHECK(api.Get(path).body["extension"]["proposed"] == "2021-11-06T00:00:00+08:00");
  const HttpReply again = api.FireAs(api.Office(), path, "approve_extension",
                                     {{"reason", "同意延期至11月3日"}, {"deadline", "2021-11-03"}});
  REQUIRE(again.status == 200);
  CHECK(again.body["deadline"] == "2021-11-04T00:00:00+08:00");
  CHECK(again.body["original_deadline"] == "2021-10-21T00:00:00+08:00");
}

TEST_CASE("the office refuses an extension with a reason and the deadline stays") {
  ApiFixture api;
  const std::string path = AssignedProblem(api, "2021-10-20");
  const ApiFixture::Login& village = api.As("unit_member", "village_1");
  REQUIRE(api.FireAs(village, path, "request_extension", {{"reason", "人手不足"}, {"deadline", "2021-10-29"}}).status ==
          200);
  CHECK(api.FireAs(api.Office(), path, "refuse_extension").status == 422);
  const HttpReply dated = api.FireAs(api.Office(), path, "refuse_extension", {{"reason", "理由不充分"}, {"deadline", "2021-10-25"}});
  CHECK(dated.status == 400);
  CHECK(dated.body["field"] == "deadline");
  CHECK(dated.body["reason"] == "field_not_taken");
  CHECK(api.Get(path).body["extension"]["proposed"] == "2021-10-30T00:00:00+08:00");  // still undecided
  const HttpReply refused = api.FireAs(api.Office(), path, "refuse_extension", {{"reason", "理由不充分"}});
  REQUIRE(refused.status == 200);
  CHECK(refused.body["deadline"] == "2021-10-21T00:00:00+08:00");
  CHECK(refused.body["original_deadline"].is_null());
  CHECK(refused.body["extension"].is_null());
  CHECK(Events(api, path).back() == "refuse_extension");
}

TEST_CASE("closing an item ends what it awaited: an extension still undecided is dropped") {
  ApiFixture api;
  const std::string path = AssignedProblem(api);
  REQUIRE(api.Fire(path, "start").status == 200);
  REQUIRE(api.Fire(path, "request_extension", {{"reason", "人手不足"}, {"deadline", "2021-10-29"}}).status == 200);
  for (const char* event : {"submit", "verify", "close"}) REQUIRE(api.Fire(path, event).status == 200);
  const HttpReply closed = api.Get(path);
  CHECK(closed.body["extension"].is_null());
  CHECK(closed.body["sign_for"].is_null());
  CHECK(closed.body["allowed_events"] == json::array({"reopen"}));
}

TEST_CASE("a reopened problem gets the deadline the office gives or the campaign's reopen rule") {
  ApiFixture api;
  auto closed_problem = [&]() {
    const std::string path = AssignedProblem(api, "2021-10-15");
    for (const char* event : {"start", "submit", "verify", "close"}) REQUIRE(api.Fire(path, event).status == 200);
    return path;
  };
  const std::string given = closed_problem();
  api.clock().Advance(10 * 86400);  // 10-22 09:00, a Friday, long past the old deadline
  const HttpReply past = api.Fire(given, "reopen", {{"reason", "回头看发现反弹"}, {"deadline", "2021-10-20"}});
  CHECK(past.status == 400);
  CHECK(past.body["field"] == "deadline");
  const HttpReply reopened = api.Fire(given, "reopen", {{"reason", "回头看发现反弹"}, {"deadline", "2021-10-29"}});
  REQUIRE(reopened.status == 200);
  CHECK(reopened.body["deadline"] == "2021-10-30T00:00:00+08:00");
  CHECK(reopened.body["overdue"] == false);
  CHECK(reopened.body["sign_for"]["unit"] == "village_1");

  const std::string ruled = closed_problem();
  const HttpReply by_rule = api.Fire(ruled, "reopen", {{"reason", "回头看发现反弹"}});
  REQUIRE(by_rule.status == 200);
  // 10 working days after Friday 10-22: 11-05 at close of business.
  CHECK(by_rule.body["deadline"] == "2021-11-05T17:30:00+08:00");
  CHECK(by_rule.body["overdue"] == false);
  const std::string note = api.Get(ruled + "/history").body["events"].back()["note"];
  CHECK(note.find("reopened_within_10_working_days") != std::string::npos);
}

TEST_CASE("a problem records when it was found, and it may not be in the future") {
  ApiFixture api;
  json body = SampleProblem();
  body["found_on"] = "2021-09-28";
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  CHECK(created.body["found_on"] == "2021-09-28");
  CHECK(created.body["created_at"] == "2021-10-12T09:00:00+08:00");
  body["found_on"] = "2021-10-13";
  const HttpReply future = api.Post("/api/problems", body);
  CHECK(future.status == 400);
  CHECK(future.body["field"] == "found_on");
  body["found_on"] = "2019-05-01";
  CHECK(api.Post("/api/problems", body).body["field"] == "found_on");
  CHECK(api.Post("/api/problems", SampleProblem()).body["found_on"].is_null());
}

TEST_CASE("the dashboard gives each unit its on-time signing rate beside on-time closing and sent-back rates") {
  ApiFixture api;
  const ApiFixture::Login& village = api.As("unit_member", "village_1");
  const std::string signed_in_time = AssignedProblem(api);
  AssignedProblem(api);  // never signed for
  REQUIRE(api.FireAs(village, signed_in_time, "sign_for").status == 200);
  // Not yet due: the unsigned one is not judged.
  json rates = api.Get("/api/dashboard?as_of=2021-10-13T09:00").body["rates"];
  json v1 = RowFor(rates, "village_1");
  CHECK(v1["sign_for_judged"] == 1);
  CHECK(v1["on_time_sign_for_rate"] == 1.0);
  CHECK(v1["held"] == 2);
  CHECK(v1["sent_back_rate"] == 0.0);
  CHECK(v1["on_time_close_rate"].is_null());  // nothing closed or past its deadline yet
  // Past its limit (10-13 17:30) unsigned: late.
  rates = api.Get("/api/dashboard?as_of=2021-10-14T09:00").body["rates"];
  v1 = RowFor(rates, "village_1");
  CHECK(v1["sign_for_judged"] == 2);
  CHECK(v1["signed_on_time"] == 1);
  CHECK(v1["on_time_sign_for_rate"] == 0.5);
}

TEST_CASE("a send-back stays charged to the unit that held the problem after it is reassigned") {
  ApiFixture api;
  const std::string path = AssignedProblem(api);
  for (const char* event : {"start", "submit"}) REQUIRE(api.Fire(path, event).status == 200);
  REQUIRE(api.Fire(path, "send_back", {{"reason", "缺少复学证明"}}).status == 200);
  REQUIRE(api.Fire(path, "reassign", {{"unit", "village_3"}}).status == 200);
  const HttpReply dashboard = api.Get("/api/dashboard");
  REQUIRE(dashboard.status == 200);
  CHECK(RowFor(dashboard.body["units"], "village_1")["send_backs"] == 1);
  CHECK(RowFor(dashboard.body["units"], "village_1")["total"] == 0);
  CHECK(RowFor(dashboard.body["units"], "village_3")["send_backs"] == 0);
  CHECK(RowFor(dashboard.body["rates"], "village_1")["sent_back_rate"] == 1.0);
  CHECK(RowFor(dashboard.body["rates"], "village_3")["sent_back_rate"] == 0.0);
  const HttpReply scores = api.Get("/api/scores");
  REQUIRE(scores.status == 200);
  for (const json& v : scores.body["villages"]) {
    if (v["village"] == "village_1") CHECK(v["send_backs"] == 1);
    if (v["village"] == "village_3") CHECK(v["send_backs"] == 0);
  }
}

TEST_CASE("an item shows its warning tier and the dashboard counts each unit's items per tier") {
  ApiFixture api;
  const std::string path = AssignedProblem(api);
  // To be signed for by 10-13 17:30: due within 3 working days, so blue.
  const HttpReply item = api.Get(path);
  CHECK(item.body["tier"]["id"] == "blue");
  CHECK(item.body["tier"]["name"] == "蓝色预警");
  CHECK(api.Get("/api/problems").body["items"][0]["tier"]["id"] == "blue");
  const json rates = api.Get("/api/dashboard").body["rates"];
  CHECK(RowFor(rates, "village_1")["tiers"] == json{{"blue", 1}, {"yellow", 0}, {"red", 0}});
  // Signed: due 10-25, 9 working days away, no tier.
  REQUIRE(api.FireAs(api.As("unit_member", "village_1"), path, "sign_for").status == 200);
  CHECK(api.Get(path).body["tier"].is_null());
  const json campaign = api.Get("/api/campaign").body["warning_tiers"];
  REQUIRE(campaign.size() == 3);
  CHECK(campaign[2] == json{{"id", "red"}, {"name", "红色预警"}});
}

TEST_CASE("an enrollment that can no longer finish by its limit says so, and the dashboard counts it") {
  ApiFixture api;
  // Risk found 08-19: to be enrolled by the end of Tuesday 10-19. In the village review on 10-12,
  // the notice could start at once and last 5 days (to 10-17), then the town review (Monday
  // 10-18) and the county decision (10-19): just in time. A day later it cannot make it.
  const json household = {{"household", "王五"},          {"village", "village_2"},   {"category", "marginal"},
                          {"risk_type", "因病"},          {"risk_found_on", "2021-08-19"},
                          {"clue_source", "cadre_found"}, {"members", 3}};
  const HttpReply created = api.Post("/api/enrollments", household);
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  for (const char* event : {"assign", "start", "complete_step", "complete_step"})
    REQUIRE(api.Fire(path, event).status == 200);
  REQUIRE(api.Get(path).body["step"] == "village_review");
  json feasibility = api.Get(path).body["feasibility"];
  CHECK(feasibility["in_time"] == true);
  CHECK(feasibility["earliest_finish"] == "2021-10-19");
  CHECK(feasibility["impossible_since"].is_null());
  CHECK(RowFor(api.Get("/api/dashboard").body["rates"], "village_2")["cannot_finish"] == 0);

  api.clock().Advance(86400);
  feasibility = api.Get(path).body["feasibility"];
  CHECK(feasibility["in_time"] == false);
  CHECK(feasibility["earliest_finish"] == "2021-10-20");
  CHECK(feasibility["impossible_since"] == "2021-10-13");
  CHECK(RowFor(api.Get("/api/dashboard").body["rates"], "village_2")["cannot_finish"] == 1);

  // Past its limit (10-20) it is overdue, no longer a request that cannot finish.
  api.clock().Set(*ParseInstant("2021-10-20T09:00:00+08:00"));
  CHECK(api.Get(path).body["feasibility"]["in_time"] == false);
  CHECK(RowFor(api.Get("/api/dashboard").body["rates"], "village_2")["cannot_finish"] == 0);
}

TEST_CASE("the dashboard lists each problem source with the number the plan expects") {
  ApiFixture api;
  AssignedProblem(api);
  const json sources = api.Get("/api/dashboard").body["sources"];
  REQUIRE(sources.size() == 5);
  CHECK(sources[0]["source"] == "national_assessment_2020");
  CHECK(sources[0]["name"] == "国家脱贫攻坚成效考核反馈问题");
  CHECK(sources[0]["expected"] == 13);
  CHECK(sources[4]["expected"].is_null());
  int total = 0;
  for (const json& source : sources) total += source["total"].get<int>();
  CHECK(total == 1);
}

}  // namespace rectify::testing
