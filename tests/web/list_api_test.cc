// The item lists over HTTP: ?q= search (Chinese, by any part; short words too), ?sort= and
// paging through next_after with a total, on the plain and the campaign's own path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "notifier/signing.h"
#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

std::vector<int> Titles(ApiFixture& api, const std::string& query, std::vector<std::string>& titles) {
  const HttpReply reply = api.Get("/api/problems" + query);
  INFO(query << " " << reply.body.dump());
  REQUIRE(reply.status == 200);
  std::vector<int> ids;
  titles.clear();
  for (const json& item : reply.body["items"]) {
    ids.push_back(item["id"]);
    titles.push_back(item["title"]);
  }
  return ids;
}

std::vector<std::string> TitlesOf(ApiFixture& api, const std::string& query) {
  std::vector<std::string> titles;
  Titles(api, query, titles);
  return titles;
}

// Every page of `query`, `limit` at a time, following next_after; checks each page's total.
std::vector<std::string> AllPages(ApiFixture& api, const std::string& query, int limit, int total) {
  std::vector<std::string> titles;
  std::string after;
  for (int pages = 0; pages < 20; ++pages) {
    const HttpReply page =
        api.Get("/api/problems?limit=" + std::to_string(limit) + query + (after.empty() ? "" : "&after=" + after));
    INFO(page.body.dump());
    REQUIRE(page.status == 200);
    CHECK(page.body["total"] == total);
    for (const json& item : page.body["items"]) titles.push_back(item["title"]);
    if (page.body["next_after"].is_null()) return titles;
    after = page.body["next_after"].is_string() ? notifier::UrlEncode(page.body["next_after"].get<std::string>())
                                                : std::to_string(page.body["next_after"].get<long long>());
  }
  FAIL("more pages than items");
  return titles;
}

}  // namespace

TEST_CASE("q= finds problems by any part of their title, measures or notes, in Chinese, short words too") {
  ApiFixture api;
  json dropout = SampleProblem();  // 某村一名适龄儿童辍学未劝返
  dropout["measures"] = "上门劝返并落实资助";
  REQUIRE(api.Post("/api/problems", dropout).status == 201);
  json roads = SampleProblem();
  roads["title"] = "国家脱贫攻坚成效考核后评估反馈问题：通组道路损毁";
  const HttpReply road = api.Post("/api/problems", roads);
  REQUIRE(road.status == 201);
  REQUIRE(api.Fire(road.location, "assign", {{"unit", "village_2"}, {"note", "请于十日内修复道路"}}).status == 200);

  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("辍学未劝返")) == std::vector<std::string>{"某村一名适龄儿童辍学未劝返"});
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("落实资助")).size() == 1);           // measures
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("十日内修复")).size() == 1);         // a note of the history
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("道路")).size() == 1);               // two characters: no trigram
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("问")).size() == 1);                 // one
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("道路 辍学")).empty());               // every word must appear
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("某村 劝返")).size() == 1);
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("道路") + "&state=assigned").size() == 1);
  CHECK(TitlesOf(api, "?q=" + notifier::UrlEncode("道路") + "&state=found").empty());
  // The campaign's own path answers alike; a unit member finds only what it may see.
  CHECK(api.Get("/api/campaigns/gaoqiao-2021-autumn/problems?q=" + notifier::UrlEncode("劝返")).body["total"] == 1);
  CHECK(api.GetAs(api.As("unit_member", "village_2"), "/api/problems?q=" + notifier::UrlEncode("劝返")).body["total"] == 0);
  CHECK(api.GetAs(api.As("unit_member", "village_2"), "/api/problems?q=" + notifier::UrlEncode("道路")).body["total"] == 1);

  const HttpReply many = api.Get("/api/problems?q=a%20b%20c%20d%20e%20f%20g%20h%20i");
  CHECK(many.status == 400);
  CHECK(many.body["field"] == "q");
}

TEST_CASE("sort= orders a list by deadline, days overdue, unit, area or state, and pages keep that order") {
  ApiFixture api;
  struct Row {
    const char* title;
    int area;
    const char* deadline;
    const char* unit;
  };
  const std::vector<Row> rows = {{"甲", 5, "2021-10-25", "village_1"},
                                 {"乙", 2, "2021-10-15", "central_school"},
                                 {"丙", 7, "2021-10-20", ""},
                                 {"丁", 3, "2021-10-18", "health_centre"},
                                 {"戊", 2, "2021-10-22", "central_school"}};
  for (const Row& row : rows) {
    json body = SampleProblem();
    body["title"] = row.title;
    body["area"] = row.area;
    body["deadline"] = row.deadline;
    if (*row.unit) body["unit"] = row.unit;
    REQUIRE(api.Post("/api/problems", body).status == 201);
  }
  using Names = std::vector<std::string>;
  CHECK(TitlesOf(api, "?sort=deadline") == Names{"乙", "丁", "丙", "戊", "甲"});
  CHECK(TitlesOf(api, "?sort=-deadline") == Names{"甲", "戊", "丙", "丁", "乙"});
  CHECK(TitlesOf(api, "?sort=area") == Names{"乙", "戊", "丁", "甲", "丙"});
  // In the town's order of units (学校 before 卫生院 before the villages), unassigned first.
  CHECK(TitlesOf(api, "?sort=unit") == Names{"丙", "乙", "戊", "丁", "甲"});
  // By the workflow's order of states: found (丙, unassigned) before assigned.
  CHECK(TitlesOf(api, "?sort=state").front() == "丙");
  CHECK(TitlesOf(api, "?sort=-state").back() == "丙");
  // Days overdue: by the deadline in force (due_at), the most overdue first.
  const HttpReply overdue = api.Get("/api/problems?sort=overdue");
  std::vector<std::string> due;
  for (const json& item : overdue.body["items"]) due.push_back(item["due_at"]);  // ISO, +08:00: sorts as text
  CHECK(due.size() == 5);
  CHECK(std::is_sorted(due.begin(), due.end()));
  const HttpReply latest = api.Get("/api/problems?sort=-overdue&limit=1");
  CHECK(latest.body["items"][0]["due_at"] == due.back());

  CHECK(AllPages(api, "&sort=deadline", 2, 5) == Names{"乙", "丁", "丙", "戊", "甲"});
  CHECK(AllPages(api, "&sort=-unit", 2, 5) == Names{"甲", "丁", "戊", "乙", "丙"});
  CHECK(AllPages(api, "&sort=area&area=2", 1, 2) == Names{"乙", "戊"});
  CHECK(AllPages(api, "", 3, 5).size() == 5);  // the default order, by id

  const HttpReply unknown = api.Get("/api/problems?sort=title");
  CHECK(unknown.status == 400);
  CHECK(unknown.body["field"] == "sort");
  const HttpReply stale = api.Get("/api/problems?sort=deadline&after=12");
  CHECK(stale.status == 400);
  CHECK(stale.body["field"] == "after");
  // A cursor names its order: one taken from another order is refused, not read as a place in it.
  const HttpReply first = api.Get("/api/problems?sort=deadline&limit=2");
  const std::string cursor = first.body["next_after"];
  CHECK(api.Get("/api/problems?sort=deadline&limit=2&after=" + cursor).body["items"].size() == 2);
  for (const char* other : {"unit", "-deadline"}) {
    INFO(other);
    const HttpReply mixed = api.Get(std::string("/api/problems?sort=") + other + "&after=" + cursor);
    CHECK(mixed.status == 400);
    CHECK(mixed.body["field"] == "after");
    CHECK(mixed.body["message"].get<std::string>().find("not of sort=") != std::string::npos);
  }
}

TEST_CASE("changed_since= lists what was written since an instant, for a program's nightly pull") {
  ApiFixture api;
  const std::int64_t early = api.Post("/api/problems", SampleProblem()).body["id"];
  json second = SampleProblem();
  second["title"] = "第二个问题";
  const std::int64_t late = api.Post("/api/problems", second).body["id"];
  api.clock().Advance(3600);
  const std::string since = "2021-10-12T09:30:00%2B08:00";
  CHECK(api.Get("/api/problems?changed_since=" + since).body["total"] == 0);
  // A note an hour later is a change of the item.
  REQUIRE(api.Post("/api/problems/" + std::to_string(late) + "/events", {{"event", "assign"}, {"unit", "village_1"}}).status == 200);
  const HttpReply changed = api.Get("/api/problems?changed_since=" + since);
  REQUIRE(changed.status == 200);
  CHECK(changed.body["total"] == 1);
  CHECK(changed.body["items"][0]["id"] == late);
  CHECK(changed.body["items"][0]["updated_at"] == "2021-10-12T10:00:00+08:00");
  CHECK(api.Get("/api/problems?changed_since=2021-10-12T09:00:00%2B08:00").body["total"] == 2);
  CHECK(early != late);
  const HttpReply bad = api.Get("/api/problems?changed_since=yesterday");
  CHECK(bad.status == 400);
  CHECK(bad.body["field"] == "changed_since");
}

TEST_CASE("a list filter's value the campaign does not know is a 400 naming it, not an empty list") {
  ApiFixture api;
  REQUIRE(api.Post("/api/problems", SampleProblem()).status == 201);
  struct Case {
    std::string path;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"/api/problems?unit=no_such_unit", "unit"},       {"/api/problems?area=99", "area"},
      {"/api/problems?area=0", "area"},                   {"/api/problems?source=bogus", "source"},
      {"/api/problems?state=bogus", "state"},             {"/api/problems?step=bogus", "step"},
      {"/api/enrollments?village=village_9", "village"}, {"/api/enrollments?village=rural_office", "village"},
      {"/api/enrollments?state=assigned&step=submitted", "step"},
      {"/api/overdue?unit=no_such_unit", "unit"},        {"/api/survey/households?village=no_such", "village"},
      {"/api/survey/households?state=bogus", "state"},
      {"/api/outbox?before=-1", "before"},               {"/api/audit?from=2021-10-01&after=-3", "after"},
      // Only the first of two values would be read; a filter of the other kind would find nothing.
      {"/api/problems?state=closed&state=found", "state"}, {"/api/overdue?unit=village_1&unit=village_2", "unit"},
      {"/api/problems?village=village_1", "village"},     {"/api/enrollments?area=2", "area"},
      {"/api/enrollments?source=bogus", "source"},
  };
  for (const Case& c : cases) {
    INFO(c.path);
    const HttpReply reply = api.Get(c.path);
    CHECK(reply.status == 400);
    CHECK(reply.body["field"] == c.field);
  }
  // Known values answer as ever, an empty unit being the unassigned ones.
  CHECK(api.Get("/api/problems?unit=village_1&area=2&state=rectifying&step=working").status == 200);
  CHECK(api.Get("/api/problems?unit=").status == 200);
  CHECK(api.Get("/api/enrollments?village=village_1").status == 200);
  CHECK(api.Get("/api/overdue?unit=village_1").status == 200);
  const HttpReply sample = api.Get("/api/problems?source=" + SampleProblem()["source"].get<std::string>());
  CHECK(sample.status == 200);
  CHECK(sample.body["total"] == 1);
}

}  // namespace rectify::testing
