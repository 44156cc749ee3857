// Creating a problem or an enrollment request with an Idempotency-Key, over HTTP: a request sent
// again with the same key (its answer lost on a weak network) finds the item the first made.
#include <catch2/catch.hpp>

#include <string>

#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

struct Sent {
  int status = 0;
  json body;
  std::string replayed;
};

Sent PostWithKey(ApiFixture& api, const ApiFixture::Login& who, const std::string& path, const json& body,
                 const std::string& key) {
  const httplib::Headers headers = {{"Authorization", "Bearer " + who.token}, {"Idempotency-Key", key}};
  const httplib::Result result = api.client().Post(path.c_str(), headers, body.dump(), "application/json");
  REQUIRE(result);
  return {result->status, json::parse(result->body, nullptr, false), result->get_header_value("Idempotent-Replayed")};
}

std::int64_t CountTitled(ApiFixture& api, const std::string& path, const std::string& title) {
  const HttpReply listed = api.Get(path + "?limit=500");
  REQUIRE(listed.status == 200);
  std::int64_t count = 0;
  for (const json& item : listed.body["items"]) count += item["title"] == title ? 1 : 0;
  return count;
}

}  // namespace

TEST_CASE("a problem sent again with the same Idempotency-Key is made once and answered with it") {
  ApiFixture api;
  const ApiFixture::Login& lead = api.As("unit_member", "village_1");
  json found = SampleProblem();
  found["title"] = "村口路灯损坏未修复";
  found["source"] = "campaign_sweep";
  found["unit"] = "village_1";

  const Sent first = PostWithKey(api, lead, "/api/problems", found, "5f0c2a9e-retry-1");
  REQUIRE(first.status == 201);
  CHECK(first.replayed.empty());
  const Sent again = PostWithKey(api, lead, "/api/problems", found, "5f0c2a9e-retry-1");
  CHECK(again.status == 200);
  CHECK(again.replayed == "true");
  CHECK(again.body["id"] == first.body["id"]);
  CHECK(again.body["version"] == first.body["version"]);
  CHECK(CountTitled(api, "/api/problems", "村口路灯损坏未修复") == 1);
  const HttpReply history = api.Get("/api/problems/" + first.body["id"].dump() + "/history");
  CHECK(history.body["events"].size() == 1);

  // The item as it is now, not as it was made.
  INFO(first.body.dump());
  REQUIRE(api.FireAs(lead, "/api/problems/" + first.body["id"].dump(), "start").status == 200);
  const Sent later = PostWithKey(api, lead, "/api/problems", found, "5f0c2a9e-retry-1");
  CHECK(later.status == 200);
  CHECK(later.body["version"] == first.body["version"].get<int>() + 1);

  // Another key, or the same key from another person, is another request.
  CHECK(PostWithKey(api, lead, "/api/problems", found, "5f0c2a9e-retry-2").status == 201);
  CHECK(PostWithKey(api, api.Office(), "/api/problems", found, "5f0c2a9e-retry-1").status == 201);
  CHECK(CountTitled(api, "/api/problems", "村口路灯损坏未修复") == 3);

  // Without a key nothing changes: two posts, two problems.
  REQUIRE(api.PostAs(lead, "/api/problems", found).status == 201);
  REQUIRE(api.PostAs(lead, "/api/problems", found).status == 201);
  CHECK(CountTitled(api, "/api/problems", "村口路灯损坏未修复") == 5);
}

TEST_CASE("an enrollment request sent again with the same Idempotency-Key is made once, with or without an ID number") {
  ApiFixture api;
  const json request = {{"household", "王五"},         {"village", "village_2"},
                        {"category", "marginal"},     {"risk_type", "因病"},
                        {"risk_found_on", "2021-09-20"}, {"clue_source", "cadre_found"}};
  const Sent first = PostWithKey(api, api.Office(), "/api/enrollments", request, "enroll-1");
  REQUIRE(first.status == 201);
  const Sent again = PostWithKey(api, api.Office(), "/api/enrollments", request, "enroll-1");
  CHECK(again.status == 200);
  CHECK(again.body["id"] == first.body["id"]);
  CHECK(CountTitled(api, "/api/enrollments", "王五户") == 1);

  // With an ID number the retry is the same request, not "this household already has one".
  json with_id = request;
  with_id["household"] = "赵六";
  with_id["id_number"] = "11010519491231002X";
  const Sent made = PostWithKey(api, api.Office(), "/api/enrollments", with_id, "enroll-2");
  REQUIRE(made.status == 201);
  const Sent retried = PostWithKey(api, api.Office(), "/api/enrollments", with_id, "enroll-2");
  CHECK(retried.status == 200);
  CHECK(retried.body["id"] == made.body["id"]);
  // Another request for the household is still refused as before.
  CHECK(PostWithKey(api, api.Office(), "/api/enrollments", with_id, "enroll-3").status == 422);
}

TEST_CASE("an Idempotency-Key that is no visible ASCII of 1 to 128 characters is refused, naming the header") {
  ApiFixture api;
  for (const std::string& key : {std::string(129, 'k'), std::string("with space")}) {
    const Sent refused = PostWithKey(api, api.Office(), "/api/problems", SampleProblem(), key);
    CHECK(refused.status == 400);
    CHECK(refused.body["field"] == "Idempotency-Key");
  }
  CHECK(PostWithKey(api, api.Office(), "/api/problems", SampleProblem(), std::string(128, 'k')).status == 201);
}

TEST_CASE("a key sent again with a different request is refused, not answered with the first request's item") {
  ApiFixture api;
  json first = SampleProblem();
  first["title"] = "幂等测试";
  REQUIRE(PostWithKey(api, api.Office(), "/api/problems", first, "nightly-1").status == 201);
  json other = SampleProblem();
  other["title"] = "完全不同的问题";
  const Sent reused = PostWithKey(api, api.Office(), "/api/problems", other, "nightly-1");
  CHECK(reused.status == 400);
  CHECK(reused.body["field"] == "Idempotency-Key");
  CHECK(reused.replayed.empty());
  CHECK(CountTitled(api, "/api/problems", "完全不同的问题") == 0);
  // The same problem in other words of spacing is the same request (titles are kept cleaned).
  json spaced = first;
  spaced["title"] = " 幂等测试 ";
  CHECK(PostWithKey(api, api.Office(), "/api/problems", spaced, "nightly-1").status == 200);
  // An enrollment request's key, sent again for another household.
  const json request = {{"household", "王五"},         {"village", "village_2"},
                        {"category", "marginal"},     {"risk_type", "因病"},
                        {"risk_found_on", "2021-09-20"}, {"clue_source", "cadre_found"}};
  REQUIRE(PostWithKey(api, api.Office(), "/api/enrollments", request, "enroll-9").status == 201);
  json another = request;
  another["household"] = "钱七";
  const Sent household = PostWithKey(api, api.Office(), "/api/enrollments", another, "enroll-9");
  CHECK(household.status == 400);
  CHECK(household.body["field"] == "Idempotency-Key");
}

}  // namespace rectify::testing
