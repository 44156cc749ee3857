// The API's deadline and notifier views over real HTTP: due soon, phase gates, silences and
// the outbox.
#include <catch2/catch.hpp>

#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

std::string CreateProblem(ApiFixture& api, const char* unit, const char* deadline) {
  json body = SampleProblem();
  if (unit) body["unit"] = unit;
  if (deadline) body["deadline"] = deadline;
  const HttpReply created = api.Post("/api/problems", body);
  REQUIRE(created.status == 201);
  if (unit) REQUIRE(api.Fire(created.location, "sign_for").status == 200);  // else due in a working day
  return created.location;
}

}  // namespace

TEST_CASE("due soon lists open items due within the next working days and not the overdue ones") {
  ApiFixture api;  // the clock: 2021-10-12 09:00, a Tuesday
  CreateProblem(api, "village_1", "2021-10-11");      // already late
  CreateProblem(api, "village_1", "2021-10-14");      // due in 2 working days
  CreateProblem(api, "village_1", "2021-10-15");      // due at the end of the 3rd working day (Friday)
  CreateProblem(api, "village_2", "2021-10-18");      // the 4th working day (Monday): not yet "soon"
  const HttpReply soon = api.Get("/api/due_soon");
  REQUIRE(soon.status == 200);
  REQUIRE(soon.body["items"].size() == 2);
  CHECK(soon.body["items"][0]["due_at"] == "2021-10-15T00:00:00+08:00");
  // A bare date's deadline is its 24:00: the window's last day takes it, as the warning tier does.
  CHECK(soon.body["items"][1]["due_at"] == "2021-10-16T00:00:00+08:00");
  CHECK(soon.body["items"][1]["tier"]["id"] == "blue");  // "due within 3 working days"
  CHECK(soon.body["last_day"] == "2021-10-15");
  CHECK(soon.body["due_before"] == "2021-10-16T00:00:01+08:00");
  CHECK(api.Get("/api/due_soon?working_days=4").body["items"].size() == 3);
  CHECK(api.Get("/api/due_soon?unit=village_2&working_days=4").body["items"].size() == 1);
  CHECK(api.Get("/api/due_soon?working_days=2").body["items"].size() == 1);
  // From 09-30 over National Day the next three working days are 10-08, the make-up Saturday
  // 10-09, and 10-11.
  const HttpReply holiday = api.Get("/api/due_soon?as_of=2021-09-30T09:00");
  CHECK(holiday.body["last_day"] == "2021-10-11");
  CHECK(holiday.body["due_before"] == "2021-10-12T00:00:01+08:00");
  CHECK(api.Get("/api/due_soon?working_days=x").status == 400);
}

TEST_CASE("an unassigned problem is due three working days after it was found") {
  ApiFixture api;
  const HttpReply created = api.Post("/api/problems", SampleProblem());
  REQUIRE(created.status == 201);
  CHECK(created.body["due_at"] == "2021-10-15T17:30:00+08:00");  // close of business, 3 working days on
  CHECK(created.body["due_rule"] == "assign_within_3_working_days");
  CHECK(created.body["deadline"] == "2021-11-01T00:00:00+08:00");
  const HttpReply assigned = api.Fire(created.location, "assign", {{"unit", "village_1"}});
  // Assigned: the village must sign for it by close of business of the next working day.
  CHECK(assigned.body["due_at"] == "2021-10-13T17:30:00+08:00");
  CHECK(assigned.body["due_rule"] == "sign_for_within_1_working_day");
  const HttpReply signed_for = api.Fire(created.location, "sign_for");
  REQUIRE(signed_for.status == 200);
  CHECK(signed_for.body["due_at"] == "2021-11-01T00:00:00+08:00");
  CHECK(signed_for.body["due_rule"].is_null());
}

TEST_CASE("phase gates list by unit the items that have not reached the gate") {
  ApiFixture api;
  const std::string working = CreateProblem(api, "village_1", nullptr);
  REQUIRE(api.Fire(working, "start").status == 200);
  const std::string submitted = CreateProblem(api, "village_2", nullptr);
  for (const char* event : {"start", "submit"}) REQUIRE(api.Fire(submitted, event).status == 200);
  CreateProblem(api, nullptr, nullptr);  // never assigned: the office's

  const HttpReply gates = api.Get("/api/gates?as_of=2021-11-01T09:00");
  REQUIRE(gates.status == 200);
  const json& implement = gates.body["gates"][0];
  CHECK(implement["phase"] == "implement");
  CHECK(implement["passed"] == true);
  CHECK(implement["at_least"] == "rectifying.submitted");
  CHECK(implement["behind"] == 2);
  CHECK(implement["behind_by_unit"].size() == 2);
  CHECK(implement["behind_by_unit"]["village_1"] == 1);
  CHECK(implement["behind_by_unit"]["rural_office"] == 1);  // the unassigned one is the office's
  CHECK(implement["items"].size() == 2);
  CHECK(implement["next_after"].is_null());
  const json& inspect = gates.body["gates"][1];
  CHECK(inspect["phase"] == "inspect");
  CHECK(inspect["passed"] == false);
  CHECK(inspect["behind"] == 3);
}

TEST_CASE("a passed phase gate does not count a problem recorded after the phase ended") {
  ApiFixture api;
  CreateProblem(api, "village_1", nullptr);  // 10-12: behind 组织实施 when it closes on 10-31
  api.clock().Set(*ParseInstant("2021-11-02T09:00:00+08:00"));
  const std::string found_late = CreateProblem(api, "village_2", nullptr);
  for (const char* as_of : {"", "?as_of=2021-11-10T09:00"}) {
    INFO(as_of);
    const HttpReply gates = api.Get(std::string("/api/gates") + as_of);
    REQUIRE(gates.status == 200);
    const json& implement = gates.body["gates"][0];
    CHECK(implement["passed"] == true);
    CHECK(implement["behind"] == 1);
    CHECK(implement["behind_by_unit"] == json{{"village_1", 1}});
    REQUIRE(implement["items"].size() == 1);
    CHECK(implement["items"][0]["unit"] == "village_1");
    // The inspection's gate, still open, counts it.
    CHECK(gates.body["gates"][1]["behind"] == 2);
  }
  // Nor do the supervisors hear of it as the phase's miss.
  const std::string late_id = std::to_string(api.Get(found_late).body["id"].get<int>());
  const HttpReply supervisors = api.GetAs(api.As("supervisor", "discipline_commission"), "/api/gates/0/items");
  REQUIRE(supervisors.status == 200);
  for (const json& item : supervisors.body["items"]) CHECK(std::to_string(item["id"].get<int>()) != late_id);
}

TEST_CASE("a phase gate answers its counts and a first page, and its items page by page") {
  ApiFixture api;
  std::vector<int> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(api.Get(CreateProblem(api, "village_1", nullptr)).body["id"]);

  const HttpReply gates = api.Get("/api/gates?as_of=2021-11-01T09:00&limit=2");
  REQUIRE(gates.status == 200);
  const json& implement = gates.body["gates"][0];
  CHECK(implement["behind"] == 5);  // counted, not listed
  CHECK(implement["behind_by_unit"].size() == 1);
  CHECK(implement["behind_by_unit"]["village_1"] == 5);
  REQUIRE(implement["items"].size() == 2);
  CHECK(implement["items"][0]["id"] == ids[0]);
  CHECK(implement["items"][0]["unit"] == "village_1");
  CHECK(implement["next_after"] == ids[1]);

  std::vector<int> listed;
  json after = implement["next_after"];
  while (!after.is_null()) {
    const HttpReply page =
        api.Get("/api/gates/0/items?as_of=2021-11-01T09:00&limit=2&after=" + std::to_string(after.get<int>()));
    REQUIRE(page.status == 200);
    for (const json& item : page.body["items"]) listed.push_back(item["id"]);
    after = page.body["next_after"];
  }
  CHECK(listed == std::vector<int>{ids[2], ids[3], ids[4]});

  const HttpReply unknown = api.Get("/api/gates/99/items");
  CHECK(unknown.status == 404);
  CHECK(unknown.body["message"].get<std::string>().find("phase gate 99") != std::string::npos);
  const HttpReply bad_limit = api.Get("/api/gates?limit=0");
  CHECK(bad_limit.status == 400);
  CHECK(bad_limit.body["field"] == "limit");
  CHECK(api.Get("/api/gates?after=3").body["field"] == "after");  // only a gate's own pages go on
}

TEST_CASE("a silence records an approved extension without moving the deadline") {
  ApiFixture api;
  const std::string path = CreateProblem(api, "village_1", "2021-10-14");
  const int id = api.Get(path).body["id"];
  const HttpReply silenced = api.Post("/api/silences", {{"item_id", id},
                                                         {"approved_by", "镇农业农村和乡村振兴办公室"},
                                                         {"until", "2021-10-25"},
                                                         {"reason", "汛期道路中断"}});
  REQUIRE(silenced.status == 201);
  CHECK(silenced.body["until"] == "2021-10-26T00:00:00+08:00");
  CHECK(api.Get(path).body["deadline"] == "2021-10-15T00:00:00+08:00");
  CHECK(api.Get("/api/silences").body["silences"].size() == 1);
  CHECK(api.Get("/api/silences?as_of=2021-10-27").body["silences"].empty());

  const HttpReply unknown = api.Post("/api/silences", {{"item_id", 999}, {"approved_by", "x"}, {"until", "2021-10-25"},
                                                        {"reason", "x"}});
  CHECK(unknown.status == 404);
  const HttpReply past = api.Post("/api/silences", {{"item_id", id}, {"approved_by", "x"}, {"until", "2021-10-01"},
                                                     {"reason", "x"}});
  CHECK(past.status == 400);
  CHECK(past.body["field"] == "until");
  const HttpReply missing = api.Post("/api/silences", {{"item_id", id}, {"until", "2021-10-25"}, {"reason", "x"}});
  CHECK(missing.status == 400);
  CHECK(missing.body["field"] == "approved_by");
}

TEST_CASE("the outbox is listed newest first and filtered by state") {
  ApiFixture api;
  const HttpReply empty = api.Get("/api/outbox");
  REQUIRE(empty.status == 200);
  CHECK(empty.body["messages"].empty());
  CHECK(api.Get("/api/outbox?state=pending").status == 200);
  const HttpReply bad = api.Get("/api/outbox?state=lost");
  CHECK(bad.status == 400);
  CHECK(bad.body["field"] == "state");
}

TEST_CASE("the outbox is paged newest first with the total of every page, per state") {
  ApiFixture api;
  notifier::OutboxMessage message;
  message.slot = "2021-10-12T09:00:00+08:00";
  message.audience = "unit";
  message.message = "{}";
  message.created_at = message.next_attempt_at = api.clock().Now();
  for (int i = 1; i <= 5; ++i) {
    message.unit = "village_" + std::to_string(i);
    message.channel = message.unit + "#0";
    message.idempotency_key = message.slot + "|" + message.channel;
    REQUIRE(api.store().outbox().Enqueue({message}).ok());
  }
  message.unit = "no_such_unit";  // another town's: neither listed nor counted
  message.channel = "no_such_unit#0";
  message.idempotency_key = message.slot + "|" + message.channel;
  REQUIRE(api.store().outbox().Enqueue({message}).ok());

  std::vector<std::string> units;
  std::string before;
  for (int pages = 0; pages < 5; ++pages) {
    const HttpReply page = api.Get("/api/outbox?limit=2" + (before.empty() ? "" : "&before=" + before));
    REQUIRE(page.status == 200);
    CHECK(page.body["total"] == 5);
    for (const json& m : page.body["messages"]) units.push_back(m["unit"]);
    if (page.body["next_before"].is_null()) break;
    before = std::to_string(page.body["next_before"].get<long long>());
  }
  CHECK(units == std::vector<std::string>{"village_5", "village_4", "village_3", "village_2", "village_1"});
  const HttpReply sent = api.Get("/api/outbox?state=sent");
  CHECK(sent.body["total"] == 0);
  CHECK(sent.body["messages"].empty());
}

}  // namespace rectify::testing
