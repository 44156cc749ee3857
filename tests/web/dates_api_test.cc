// Dates over real HTTP: every date a person gives is checked against the calendar's years and
// against sense (engine/date_rules.h), and a database that already holds an item with a date
// outside the calendar still answers every report, the bad item listed as a data error
// (engine/data_error.h) and everything else as it was.
#include <catch2/catch.hpp>

#include "engine/deadlines.h"
#include "tests/exports/read_back.h"
#include "tests/web/file_requests.h"

namespace rectify::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A JSON string's text; "" for anything else.
std::string Text(const json& value) { return value.is_string() ? value.get<std::string>() : std::string(); }

// A 400 naming `field`, whose message names the year refused and the years the deployment has.
void CheckRefusedYear(const HttpReply& reply, const std::string& field, const std::string& year) {
  INFO(reply.body.dump());
  CHECK(reply.status == 400);
  CHECK(reply.body["error"] == "invalid_argument");
  CHECK(reply.body["field"] == field);
  const std::string message = Text(reply.body["message"]);
  CHECK(Contains(message, "no holiday calendar for " + year));
  CHECK(Contains(message, "2021 to 2026"));
  // The page words it from the reason and its values (web/static/errors.js).
  CHECK(reply.body["reason"] == "no_holiday_calendar");
  CHECK(reply.body["params"]["year"] == year);
  CHECK(reply.body["params"]["first_year"] == "2021");
  CHECK(reply.body["params"]["last_year"] == "2026");
}

json Problem(const std::string& unit, const char* deadline) {
  return {{"title", std::string("问题 ") + unit + " " + deadline}, {"area", 14}, {"source", "campaign_sweep"},
          {"unit", unit}, {"deadline", deadline}};
}

json Household(const std::string& village, const char* risk_found_on) {
  return {{"household", "李四"}, {"village", village}, {"category", "marginal"}, {"risk_type", "illness"},
          {"risk_found_on", risk_found_on}, {"clue_source", "cadre_found"}};
}

// An enrollment request of village_2 (risk found 2021-09-20) walked to 已审定; the clock ends
// at 2021-10-18 08:00, after the public notice's five days.
std::string VerifiedEnrollment(ApiFixture& api) {
  const HttpReply created = api.Post("/api/enrollments", Household("village_2", "2021-09-20"));
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  for (const char* event : {"assign", "start", "complete_step", "complete_step", "complete_step"})
    REQUIRE(api.Fire(path, event).status == 200);
  api.clock().Set(*ParseInstant("2021-10-18T08:00:00+08:00"));
  for (const char* event : {"complete_step", "complete_step", "verify"}) REQUIRE(api.Fire(path, event).status == 200);
  return path;
}

// What an older rectify stored without checking: an item written straight into the database.
std::int64_t StoreUnchecked(ApiFixture& api, Item item) {
  const Instant now = api.clock().Now();
  item.created_at = item.updated_at = item.state_since = now;
  if (item.state.state != "closed") item.due_at = item.deadline;
  EventRecord created;
  created.to = item.state.ToString();
  created.event = "create";
  created.actor = "user old.version";
  created.at = now;
  auto stored = api.campaign_items().Insert({std::move(item)}, {std::move(created)});
  REQUIRE(stored.ok());
  return stored->front().id;
}

Item UncheckedProblem(const std::string& unit, const char* deadline, const char* state) {
  Item item;
  item.kind = ItemKind::kProblem;
  item.state = StatePath{state, ""};
  item.title = std::string("旧库问题 ") + deadline;
  item.area = 14;
  item.source = "campaign_sweep";
  item.unit = unit;
  item.deadline = ParseDeadline(deadline);
  return item;
}

// In its village's public notice (公示), so that it is on the public roster too.
Item UncheckedEnrollment(const std::string& village, CivilDate risk_found_on) {
  Item item;
  item.kind = ItemKind::kEnrollment;
  item.state = StatePath{"rectifying", "public_notice"};
  item.unit = village;
  item.title = "王五户";
  item.deadline = ParseDeadline("2021-10-31");
  rectify::Household household;
  household.head_name = "王五";
  household.village = village;
  household.category = "marginal";
  household.risk_type = "illness";
  household.risk_found_on = risk_found_on;
  household.clue_source = "cadre_found";
  item.household = household;
  return item;
}

json Without(json body, const char* key) {
  body.erase(key);
  return body;
}

std::vector<std::int64_t> ErrorIds(const json& errors) {
  std::vector<std::int64_t> ids;
  for (const json& e : errors) ids.push_back(e["id"].get<std::int64_t>());
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("a deadline outside the calendar's years is refused naming the field and the years there are") {
  ApiFixture api;
  CheckRefusedYear(api.Post("/api/problems", Problem("village_1", "2019-05-01")), "deadline", "2019");
  CheckRefusedYear(api.Post("/api/problems", Problem("village_1", "2030-01-01")), "deadline", "2030");
  // The first and last covered days are fine; 24:00 of 2026-12-31 still falls on that day.
  CHECK(api.Post("/api/problems", Problem("village_1", "2021-01-01")).status == 201);
  CHECK(api.Post("/api/problems", Problem("village_1", "2026-12-31")).status == 201);

  json enrollment = Household("village_1", "2021-09-01");
  enrollment["deadline"] = "2027-01-05";
  CheckRefusedYear(api.Post("/api/enrollments", enrollment), "deadline", "2027");
  CHECK(api.Get("/api/problems").body["items"].size() == 2);  // nothing else was stored
}

TEST_CASE("a risk date outside the calendar or in the future is refused") {
  ApiFixture api;
  CheckRefusedYear(api.Post("/api/enrollments", Household("village_1", "2019-03-01")), "risk_found_on", "2019");
  const HttpReply future = api.Post("/api/enrollments", Household("village_1", "2021-10-13"));
  CHECK(future.status == 400);
  CHECK(future.body["field"] == "risk_found_on");
  CHECK(Contains(Text(future.body["message"]), "in the future"));
  CHECK(future.body["reason"] == "date_in_future");
  CHECK(future.body["params"] == json{{"date", "2021-10-13"}, {"today", "2021-10-12"}});
  CHECK(api.Post("/api/enrollments", Household("village_1", "2021-10-12")).status == 201);
}

TEST_CASE("an enrollment cannot be closed as entered on a future date before its risk or its decision or outside the calendar") {
  ApiFixture api;
  const std::string path = VerifiedEnrollment(api);
  const HttpReply future = api.Fire(path, "close", {{"entered_on", "2021-10-19"}});
  CHECK(future.status == 400);
  CHECK(future.body["field"] == "entered_on");
  CHECK(Contains(Text(future.body["message"]), "in the future (today is 2021-10-18)"));
  CHECK(future.body["reason"] == "date_in_future");
  CHECK(future.body["params"] == json{{"date", "2021-10-19"}, {"today", "2021-10-18"}});
  const HttpReply before_risk = api.Fire(path, "close", {{"entered_on", "2021-09-19"}});
  CHECK(before_risk.status == 400);
  CHECK(before_risk.body["field"] == "entered_on");
  CHECK(Contains(Text(before_risk.body["message"]), "before the risk appeared (2021-09-20)"));
  CHECK(before_risk.body["reason"] == "before_risk_found");
  CHECK(before_risk.body["params"] == json{{"date", "2021-09-19"}, {"risk_found_on", "2021-09-20"}});
  CheckRefusedYear(api.Fire(path, "close", {{"entered_on", "2019-05-01"}}), "entered_on", "2019");
  // Entry in the national system follows the county's decision (verify, recorded 10-18).
  const HttpReply before_decision = api.Fire(path, "close", {{"entered_on", "2021-10-15"}});
  CHECK(before_decision.status == 400);
  CHECK(before_decision.body["field"] == "entered_on");
  CHECK(Contains(Text(before_decision.body["message"]), "before the county's decision was recorded (2021-10-18)"));
  CHECK(before_decision.body["reason"] == "before_county_decision");
  CHECK(before_decision.body["params"] == json{{"date", "2021-10-15"}, {"decided_on", "2021-10-18"}});
  CHECK(api.Get(path).body["state"] == "verified");  // nothing moved

  const HttpReply closed = api.Fire(path, "close", {{"entered_on", "2021-10-18"}});
  REQUIRE(closed.status == 200);
  CHECK(closed.body["outcome"]["entered_on"] == "2021-10-18");
}

TEST_CASE("a problem recorded after 10月底前 is due by the end of 检查验收, not overdue the moment it is typed in") {
  ApiFixture api;
  json problem = Problem("village_1", "");
  problem.erase("deadline");
  const HttpReply october = api.Post("/api/problems", problem);
  REQUIRE(october.status == 201);
  CHECK(october.body["deadline"] == "2021-11-01T00:00:00+08:00");  // 10月底前动态清零
  CHECK(october.body["deadline_rule"] == "problems_cleared");

  api.clock().Set(*ParseInstant("2021-11-08T10:00:00+08:00"));
  problem["title"] = "检查验收中发现的问题";
  const HttpReply november = api.Post("/api/problems", problem);
  REQUIRE(november.status == 201);
  CHECK(november.body["deadline"] == "2021-11-11T00:00:00+08:00");  // 11-10 24:00, the end of 检查验收
  CHECK(november.body["deadline_rule"] == "close_by_inspection_end");
  CHECK(november.body["overdue"] == false);
  // A village recording its own finding may give a date up to that one, not later.
  const auto& village = api.As("unit_member", "village_1");
  problem["title"] = "村自查发现的问题";
  problem["deadline"] = "2021-11-09";
  CHECK(api.PostAs(village, "/api/problems", problem).status == 201);
  problem["title"] = "村自查发现的另一个问题";
  problem["deadline"] = "2021-11-20";
  const HttpReply later = api.PostAs(village, "/api/problems", problem);
  CHECK(later.status == 400);
  CHECK(later.body["reason"] == "later_than_unit_rule");
  CHECK(later.body["params"]["latest"] == "2021-11-11T00:00:00+08:00");
  // The October problem keeps its date: it was recorded before it passed.
  CHECK(api.Get(october.location).body["deadline"] == "2021-11-01T00:00:00+08:00");
}

TEST_CASE("an ended campaign's dashboard and scores are its record at its end, not figures that fall every day after") {
  ApiFixture api;
  REQUIRE(api.Post("/api/problems", Problem("village_1", "2021-10-20")).status == 201);  // never closed
  api.clock().Set(*ParseInstant("2021-11-20T10:00:00+08:00"));
  const HttpReply scores = api.GetAs(api.As("leader"), "/api/scores");
  REQUIRE(scores.status == 200);
  CHECK(scores.body["as_of"] == "2021-11-10T23:59:59+08:00");
  CHECK(scores.body == api.GetAs(api.As("leader"), "/api/scores?as_of=2021-11-10T23:59:59%2B08:00").body);
  const HttpReply dashboard = api.Get("/api/dashboard");
  REQUIRE(dashboard.status == 200);
  CHECK(dashboard.body["as_of"] == "2021-11-10T23:59:59+08:00");
  // Months on, the same record; an as_of asked for is still answered as asked.
  api.clock().Set(*ParseInstant("2022-03-01T10:00:00+08:00"));
  CHECK(api.GetAs(api.As("leader"), "/api/scores").body == scores.body);
  CHECK(api.GetAs(api.As("leader"), "/api/scores?as_of=2021-11-20T10:00%2B08:00").body["as_of"] ==
        "2021-11-20T10:00:00+08:00");
}

TEST_CASE("a village's own request may be due earlier than two months from the risk but not later") {
  ApiFixture api;
  const auto& village = api.As("unit_member", "village_1");
  json later = Household("village_1", "2021-09-01");
  later["deadline"] = "2021-12-31";  // the campaign's limit: 2021-11-01 (2 months from 09-01)
  const HttpReply refused = api.PostAs(village, "/api/enrollments", later);
  INFO(refused.body.dump());
  CHECK(refused.status == 400);
  CHECK(refused.body["field"] == "deadline");
  CHECK(Contains(Text(refused.body["message"]), "a later date is an extension the office approves"));
  CHECK(refused.body["reason"] == "later_than_unit_rule");
  CHECK(refused.body["params"].contains("latest"));
  CHECK(api.Get("/api/enrollments").body["items"].empty());

  json earlier = later;
  earlier["deadline"] = "2021-10-20";
  const HttpReply created = api.PostAs(village, "/api/enrollments", earlier);
  REQUIRE(created.status == 201);
  CHECK(created.body["deadline"].get<std::string>().rfind("2021-10-21T00:00", 0) == 0);
  // The office sets any date (its own decision, as an extension would be).
  json office = later;
  office["household"] = "王六";
  CHECK(api.Post("/api/enrollments", office).status == 201);
}

TEST_CASE("a household's members are 1 to 100 when given and may be left out while unknown") {
  ApiFixture api;
  for (int members : {0, -3, 101}) {
    json household = Household("village_1", "2021-09-01");
    household["members"] = members;
    const HttpReply refused = api.Post("/api/enrollments", household);
    INFO(members);
    CHECK(refused.status == 400);
    CHECK(refused.body["field"] == "members");
  }
  json one = Household("village_1", "2021-09-01");
  one["members"] = 1;
  CHECK(api.Post("/api/enrollments", one).status == 201);
  json unknown = Household("village_2", "2021-09-01");
  const HttpReply created = api.Post("/api/enrollments", unknown);
  REQUIRE(created.status == 201);
  CHECK(created.body["members"] == 0);
}

TEST_CASE("the village notice left before its five days is refused with the instant it may end, which the item gives") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/enrollments", Household("village_2", "2021-09-20"));
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  for (const char* event : {"assign", "start", "complete_step", "complete_step", "complete_step"})
    REQUIRE(api.Fire(path, event).status == 200);
  const json item = api.Get(path).body;
  REQUIRE(item["step"] == "public_notice");
  const std::string until = Text(item["minimum_dwell"]["until"]);
  CHECK(item["minimum_dwell"]["name"] == "村级公示不少于5天");
  const HttpReply early = api.Fire(path, "complete_step");
  CHECK(early.status == 422);
  CHECK(early.body["reason"] == "minimum_dwell");
  CHECK(early.body["params"] == json{{"name", "村级公示不少于5天"}, {"possible_from", until}});
  api.clock().Set(*ParseInstant(until));
  CHECK(api.Fire(path, "complete_step").status == 200);
  CHECK(api.Get(path).body["minimum_dwell"].is_null());  // 乡镇审核 has no minimum
}

TEST_CASE("an extension not after the deadline is refused naming both dates") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/problems", Problem("village_1", "2021-10-20"));
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  const HttpReply early = api.Fire(path, "request_extension", {{"deadline", "2021-10-19"}, {"reason", "外出"}});
  CHECK(early.status == 422);
  CHECK(early.body["reason"] == "not_after_deadline");
  CHECK(early.body["params"] == json{{"current", "2021-10-21T00:00:00+08:00"}, {"deadline", "2021-10-20T00:00:00+08:00"}});
}

TEST_CASE("an extension is asked before the deadline: after it, the request is refused and the lateness stays") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/problems", Problem("village_1", "2021-10-20"));
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  const json asked = {{"deadline", "2021-11-05"}, {"reason", "材料未到"}};
  api.clock().Set(*ParseInstant("2021-10-21T00:00:01+08:00"));
  const HttpReply late = api.Fire(path, "request_extension", asked);
  CHECK(late.status == 422);
  CHECK(late.body["reason"] == "deadline_passed");
  CHECK(late.body["params"] == json{{"current", "2021-10-21T00:00:00+08:00"}});
  CHECK(Contains(Text(late.body["message"]), "has passed: an extension is asked before it"));
  CHECK(api.Get(path).body["extension"].is_null());
  // The last second of the deadline is still in time.
  const HttpReply other = api.Post("/api/problems", Problem("village_1", "2021-10-21"));
  REQUIRE(other.status == 201);
  api.clock().Set(*ParseInstant("2021-10-21T23:59:59+08:00"));
  CHECK(api.Fire(other.location, "request_extension", asked).status == 200);
}

TEST_CASE("a silence ends after now and no later than the end of the campaign's last phase") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/problems", Problem("village_1", "2021-10-20"));
  REQUIRE(created.status == 201);
  const std::int64_t id = created.body["id"];
  auto silence = [&](const char* until) {
    return api.Post("/api/silences", {{"item_id", id}, {"approved_by", "镇纪委"}, {"until", until}, {"reason", "延期"}});
  };
  const HttpReply past_campaign = silence("2021-11-11");
  CHECK(past_campaign.status == 400);
  CHECK(past_campaign.body["field"] == "until");
  CHECK(Contains(Text(past_campaign.body["message"]), "after the campaign ends (2021-11-11T00:00:00+08:00)"));
  CHECK(past_campaign.body["reason"] == "after_campaign_end");
  CHECK(past_campaign.body["params"]["end"] == "2021-11-11T00:00:00+08:00");
  const HttpReply far = silence("2030-01-01");
  CHECK(far.status == 400);
  CHECK(far.body["field"] == "until");
  const HttpReply past = silence("2021-10-01");
  CHECK(past.status == 400);
  CHECK(past.body["field"] == "until");
  CHECK(past.body["reason"] == "not_in_future");
  CHECK(silence("2021-11-10").status == 201);  // the last day of 检查验收 is still the campaign
}

TEST_CASE("a report date outside the calendar is refused where the report counts working days") {
  ApiFixture api;
  CheckRefusedYear(api.GetAs(api.As("leader"), "/api/scores?as_of=2019-05-01T09:00"), "as_of", "2019");
  const FileReply bulletin = Download(api, api.Office(), "/api/exports/bulletin.csv?as_of=2030-01-01T09:00");
  CHECK(bulletin.status == 400);
  CHECK(bulletin.error["field"] == "as_of");
  const FileReply scores = Download(api, api.As("leader"), "/api/exports/scores.xlsx?as_of=2027-03-01T09:00");
  CHECK(scores.status == 400);
  CHECK(scores.error["field"] == "as_of");
  // The dashboard counts no working days: any instant is fine.
  CHECK(api.Get("/api/dashboard?as_of=2030-01-01T09:00").status == 200);

  // The due-soon window counts working days from as_of: a year the calendar lacks is refused.
  const HttpReply beyond = api.Get("/api/due_soon?as_of=2027-01-05T10:00");
  CheckRefusedYear(beyond, "as_of", "2027");
  CHECK(beyond.body["params"]["date"] == "2027-01-05");
  CHECK(api.Get("/api/due_soon?as_of=2026-12-24T10:00").status == 200);
}

TEST_CASE("in the last days of the calendar's last year the due-soon window ends with the year") {
  // On 12-30 three working days run into a year no notice covers yet: every deadline of the
  // year is inside the window, and the list still answers (it refused until next year's
  // calendar was loaded, as the notifier stopped).
  ApiFixture api;
  const HttpReply last_day = api.Post("/api/problems", Problem("village_1", "2026-12-31"));
  REQUIRE(last_day.status == 201);
  const HttpReply earlier = api.Post("/api/problems", Problem("village_1", "2026-12-29"));
  REQUIRE(earlier.status == 201);
  // Signed for: due by their 整改时限, not by the sign-for limit of 2021.
  REQUIRE(api.Fire(last_day.location, "sign_for").status == 200);
  REQUIRE(api.Fire(earlier.location, "sign_for").status == 200);
  const HttpReply window = api.Get("/api/due_soon?as_of=2026-12-30T10:00");
  INFO(window.body.dump());
  REQUIRE(window.status == 200);
  CHECK(window.body["last_day"] == "2026-12-31");
  CHECK(window.body["due_before"] == "2027-01-01T00:00:01+08:00");
  REQUIRE(window.body["items"].size() == 1);
  CHECK(window.body["items"][0]["id"] == last_day.body["id"]);
}

TEST_CASE("a limit counted in working days into a year the calendar lacks names its rule and what to add") {
  ApiFixture api;
  api.clock().Set(*ParseInstant("2026-12-31T10:00:00+08:00"));
  // Recorded on 12-31, to be assigned within 3 working days: the count runs into 2027. (The
  // campaign has long ended, so it takes only a problem found while it ran.)
  json found = Problem("village_1", "2026-12-31");
  found.erase("unit");
  found["found_on"] = "2021-11-10";
  const HttpReply created = api.Post("/api/problems", found);
  INFO(created.body.dump());
  CHECK(created.status == 400);
  CHECK(created.body["reason"] == "no_holiday_calendar");
  CHECK(created.body["params"]["year"] == "2027");
  CHECK(Contains(Text(created.body["params"]["rule"]), "3个工作日内交办"));
  CHECK(Contains(Text(created.body["message"]), "assign_within_3_working_days"));
  CHECK(Contains(Text(created.body["message"]), "workflows/calendars/cn-2027.json"));
}

TEST_CASE("an imported row whose deadline is outside the calendar is refused naming its line and column") {
  ApiFixture api;
  const std::string csv =
      "领域,问题来源,问题描述,责任单位,整改时限\n"
      "14,campaign_sweep,好的一行,village_1,2021-10-20\n"
      "14,campaign_sweep,旧的时限,village_1,2019-05-01\n";
  const HttpReply preview = api.PostRaw("/api/problems/import?dry_run=1", csv);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["valid"] == false);
  REQUIRE(preview.body["errors"].size() == 1);
  CHECK(preview.body["errors"][0]["line"] == 3);
  CHECK(preview.body["errors"][0]["column"] == "整改时限");
  CHECK(Contains(Text(preview.body["errors"][0]["message"]), "no holiday calendar for 2019"));
  CHECK(api.PostRaw("/api/problems/import", csv).status == 422);
  CHECK(api.Get("/api/problems").body["items"].empty());
}

TEST_CASE("an item whose unit the town file no longer has is a data error, named, not a line of no one") {
  ApiFixture api;
  REQUIRE(api.Post("/api/problems", Problem("village_1", "2021-10-20")).status == 201);
  const HttpReply before = api.Get("/api/dashboard");
  REQUIRE(before.status == 200);
  // As a database holds it after "central_school" was renamed in the town file.
  const std::int64_t orphan = StoreUnchecked(api, UncheckedProblem("central_school_old", "2021-10-20", "assigned"));
  const HttpReply after = api.Get("/api/dashboard");
  INFO(after.body.dump());
  REQUIRE(after.status == 200);
  CHECK(Without(after.body, "data_errors") == Without(before.body, "data_errors"));
  REQUIRE(after.body["data_errors"].size() == 1);
  const json& error = after.body["data_errors"][0];
  CHECK(error["id"] == orphan);
  CHECK(error["field"] == "unit");
  CHECK(error["value"] == "central_school_old");
  CHECK(Contains(Text(error["message"]), "not a unit of the town"));
}

TEST_CASE("items stored with dates outside the calendar are data errors and every report answers with the rest") {
  ApiFixture api;
  const auto& leader = api.As("leader");
  REQUIRE(api.Post("/api/problems", Problem("village_1", "2021-10-08")).status == 201);  // overdue
  REQUIRE(api.Post("/api/problems", Problem("village_2", "2021-10-31")).status == 201);
  REQUIRE(api.Post("/api/enrollments", Household("village_1", "2021-09-01")).status == 201);

  struct Answers {
    HttpReply dashboard, scores;
    FileReply bulletin, ledger, roster, scores_csv;
  };
  auto read = [&] {
    return Answers{api.Get("/api/dashboard"),
                   api.GetAs(leader, "/api/scores"),
                   Download(api, api.Office(), "/api/exports/bulletin.csv"),
                   Download(api, api.Office(), "/api/exports/ledger.csv"),
                   Download(api, api.Office(), "/api/exports/roster.csv"),
                   Download(api, leader, "/api/exports/scores.csv")};
  };
  const Answers before = read();
  REQUIRE(before.scores.status == 200);
  CHECK(before.scores.body["data_errors"].empty());
  CHECK(before.dashboard.body["data_errors"].empty());

  // As a database written before dates were checked may hold them: overdue since 2019, closed
  // late against a 2019 deadline, due in 2030, and a household whose risk appeared in 2019.
  const std::vector<std::int64_t> bad = {
      StoreUnchecked(api, UncheckedProblem("village_1", "2019-05-01", "assigned")),
      StoreUnchecked(api, UncheckedProblem("village_2", "2019-05-01", "closed")),
      StoreUnchecked(api, UncheckedProblem("village_1", "2030-01-01", "assigned")),
      StoreUnchecked(api, UncheckedEnrollment("village_1", CivilDate{2019, 3, 1}))};
  const Answers after = read();

  INFO(after.dashboard.body.dump());
  REQUIRE(after.dashboard.status == 200);
  CHECK(Without(after.dashboard.body, "data_errors") == Without(before.dashboard.body, "data_errors"));
  CHECK(ErrorIds(after.dashboard.body["data_errors"]) == bad);
  const json& first = after.dashboard.body["data_errors"][0];
  CHECK(first["kind"] == "problem");
  CHECK(first["field"] == "deadline");
  CHECK(first["value"] == "2019-05-01");
  CHECK(Contains(Text(first["message"]), "no holiday calendar for 2019"));

  INFO(after.scores.body.dump());
  REQUIRE(after.scores.status == 200);
  CHECK(after.scores.body["villages"] == before.scores.body["villages"]);
  CHECK(ErrorIds(after.scores.body["data_errors"]) == bad);

  // The forms: the bulletin and the scores leave the items out, the ledger and the roster keep
  // their rows as stored; each says so under its rows.
  for (const FileReply* file : {&after.bulletin, &after.ledger, &after.roster, &after.scores_csv}) {
    INFO(file->body);
    REQUIRE(file->status == 200);
    CHECK(Contains(file->body, "数据错误"));
  }
  CHECK(after.bulletin.body.rfind(before.bulletin.body, 0) == 0);
  CHECK(after.scores_csv.body.rfind(before.scores_csv.body, 0) == 0);
  CHECK(Contains(after.bulletin.body, "数据错误：问题 " + std::to_string(bad[0]) +
                                          "「旧库问题 2019-05-01」的办理时限 2019-05-01 超出本系统节假日日历的年份（2021—2026年）"));
  CHECK(Contains(after.ledger.body, "旧库问题 2030-01-01"));
  CHECK(Contains(after.roster.body, "王五"));

  const FileReply xlsx = Download(api, leader, "/api/exports/scores.xlsx");
  REQUIRE(xlsx.status == 200);
  CHECK(Contains(AllText(ReadXlsx(xlsx.body)), "数据错误"));

  const FileReply notice = Download(api, api.Office(), "/api/exports/roster.csv?public=1");
  REQUIRE(notice.status == 200);
  CHECK(Contains(notice.body, "王五"));
  CHECK_FALSE(Contains(notice.body, "数据错误"));  // posted in the village: not the office's notes

  // Closing the bad item does not make it computable: it stays a data error, not a failure.
  const std::string path = "/api/problems/" + std::to_string(bad[0]);
  for (const char* event : {"start", "submit", "verify", "close"}) REQUIRE(api.Fire(path, event).status == 200);
  const HttpReply closed = api.GetAs(leader, "/api/scores");
  REQUIRE(closed.status == 200);
  CHECK(closed.body["villages"] == before.scores.body["villages"]);
  CHECK(ErrorIds(closed.body["data_errors"]) == bad);
}

TEST_CASE("an ended campaign takes only problems and households found while it ran, recorded late") {
  ApiFixture api;
  const HttpReply open = api.Post("/api/problems", Problem("village_1", "2021-10-20"));
  REQUIRE(open.status == 201);
  json problem = Problem("village_2", "2021-11-30");
  // Its last second still runs: nothing is asked of a problem then.
  api.clock().Set(*ParseInstant("2021-11-10T23:59:59+08:00"));
  REQUIRE(api.Post("/api/problems", problem).status == 201);

  api.clock().Set(*ParseInstant("2021-11-11T09:00:00+08:00"));
  problem["title"] = "结束后录入";
  const HttpReply undated = api.Post("/api/problems", problem);
  INFO(undated.body.dump());
  CHECK(undated.status == 400);
  CHECK(undated.body["field"] == "found_on");
  CHECK(undated.body["reason"] == "campaign_ended");
  CHECK(undated.body["params"] == json{{"campaign", "gaoqiao-2021-autumn"}, {"date", ""}, {"last_day", "2021-11-10"}});
  CHECK(Contains(Text(undated.body["message"]), "ended on 2021-11-10: what is recorded since needs the day it was found"));
  problem["found_on"] = "2021-11-11";
  const HttpReply found_later = api.Post("/api/problems", problem);
  CHECK(found_later.status == 400);
  CHECK(found_later.body["reason"] == "campaign_ended");
  CHECK(found_later.body["params"]["date"] == "2021-11-11");
  problem["found_on"] = "2021-11-10";
  // Its own deadline too: the campaign's have passed, and one given must lie ahead.
  json undue = problem;
  undue.erase("deadline");
  const HttpReply without_deadline = api.Post("/api/problems", undue);
  CHECK(without_deadline.status == 400);
  CHECK(without_deadline.body["field"] == "deadline");
  CHECK(without_deadline.body["reason"] == "deadline_needed");
  undue["deadline"] = "2021-11-10";
  CHECK(api.Post("/api/problems", undue).body["reason"] == "not_in_future");
  const HttpReply recorded_late = api.Post("/api/problems", problem);
  CHECK(recorded_late.status == 201);
  CHECK(recorded_late.body["found_on"] == "2021-11-10");

  const HttpReply household_later = api.Post("/api/enrollments", Household("village_3", "2021-11-11"));
  CHECK(household_later.status == 400);
  CHECK(household_later.body["field"] == "risk_found_on");
  CHECK(household_later.body["reason"] == "campaign_ended");
  CHECK(api.Post("/api/enrollments", Household("village_3", "2021-11-09")).status == 201);

  // The work on its own items goes on: an overdue problem is still fixed, late.
  CHECK(api.Fire(open.location, "start").status == 200);
  CHECK(api.Get(open.location).body["state"] == "rectifying");
}

}  // namespace rectify::testing
