// The operator's view of a running server over real HTTP: GET /metrics (checked by Debian's
// promtool), GET /api/health, the X-Request-Id of every answer and the JSON line it is logged as.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

#include "ops/json_log.h"
#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

const char* kPromtool = "/usr/bin/promtool";

// The value of one series ("name{a=\"1\",b=\"2\"}", labels in name order as prometheus-cpp writes
// them) in an exposition; 0 when it is absent (a counter that never moved is not written).
double Sample(const std::string& exposition, const std::string& series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return 0;
}

std::string Metrics(ApiFixture& api) {
  const auto res = api.client().Get("/metrics");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return res->body;
}

// promtool's exit status and what it said about `exposition`.
std::pair<int, std::string> Promtool(const std::string& exposition) {
  TempDir dir;
  const std::string input = dir.File("metrics.txt");
  const std::string output = dir.File("promtool.txt");
  std::ofstream(input) << exposition;
  const std::string command = std::string(kPromtool) + " check metrics < " + input + " > " + output + " 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream said(output);
  std::stringstream text;
  text << said.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

const std::string kProblem = R"(route="/api/problems/{id}")";

}  // namespace

TEST_CASE("GET /metrics counts requests by route template and status, and transitions by event") {
  ApiFixture api;
  const auto& office = api.Office();
  const auto& school = api.As("unit_member", "central_school");
  const HttpReply created = api.Post("/api/problems", SampleProblem());
  REQUIRE(created.status == 201);
  const std::string path = created.location;
  const std::string before = Metrics(api);

  for (int i = 0; i < 3; ++i) REQUIRE(api.Get(path).status == 200);
  REQUIRE(api.Get("/api/problems/999999").status == 404);
  REQUIRE(api.Get("/api/no_such_route").status == 404);
  REQUIRE(api.FireAs(office, path, "assign", {{"unit", "central_school"}}).status == 200);
  REQUIRE(api.FireAs(school, path, "start").status == 200);
  REQUIRE(api.FireAs(school, path, "verify").status == 409);  // refused: no transition from here
  const std::string after = Metrics(api);

  auto moved = [&](const std::string& series) { return Sample(after, series) - Sample(before, series); };
  CHECK(moved("rectify_http_requests_total{method=\"GET\"," + kProblem + ",status=\"200\"}") == 3);
  CHECK(moved("rectify_http_requests_total{method=\"GET\"," + kProblem + ",status=\"404\"}") == 1);
  CHECK(moved("rectify_http_request_duration_seconds_count{method=\"GET\"," + kProblem + "}") == 4);
  CHECK(moved("rectify_http_request_duration_seconds_bucket{method=\"GET\"," + kProblem + ",le=\"+Inf\"}") == 4);
  CHECK(moved(R"(rectify_http_requests_total{method="GET",route="unmatched",status="404"})") == 1);
  CHECK(moved(R"(rectify_http_requests_total{method="POST",route="/api/problems/{id}/events",status="200"})") == 2);
  CHECK(moved(R"(rectify_http_requests_total{method="POST",route="/api/problems/{id}/events",status="409"})") == 1);
  CHECK(moved(R"(rectify_http_requests_total{method="GET",route="/metrics",status="200"})") == 1);
  // The raw path never becomes a label.
  CHECK(after.find("route=\"" + path + "\"") == std::string::npos);
  CHECK(moved(R"(rectify_transitions_total{event="assign",kind="problem"})") == 1);
  CHECK(moved(R"(rectify_transitions_total{event="start",kind="problem"})") == 1);
  CHECK(moved(R"(rectify_transitions_total{event="verify",kind="problem"})") == 0);
  // Every write of this process went through the write queue; none waits at the scrape.
  CHECK(moved("rectify_db_writes_total") >= 2);
  CHECK(Sample(after, "rectify_db_write_transactions_total") >= 1);
  CHECK(Sample(after, "rectify_db_write_queue_length") == 0);
  CHECK(after.find("rectify_db_write_queue_wait_seconds_total ") != std::string::npos);
}

TEST_CASE("GET /metrics reports the outbox's depth by state, read from the database at each scrape") {
  ApiFixture api;
  CHECK(Sample(Metrics(api), R"(rectify_outbox_messages{state="pending"})") == 0);
  notifier::OutboxMessage message;
  message.idempotency_key = "2021-10-12T09:00:00+08:00|unit|village_1#webhook-1|0";
  message.slot = "2021-10-12T09:00:00+08:00";
  message.audience = "unit";
  message.unit = "village_1";
  message.channel = "village_1#webhook-1";
  message.message = "示例";
  REQUIRE(api.store().outbox().Enqueue({message}).ok());
  const std::string exposition = Metrics(api);
  CHECK(Sample(exposition, R"(rectify_outbox_messages{state="pending"})") == 1);
  CHECK(Sample(exposition, R"(rectify_outbox_messages{state="dead"})") == 0);
  CHECK(exposition.find(R"(rectify_outbox_messages{state="dead"} 0)") != std::string::npos);
}

TEST_CASE("the notifier's passes and deliveries appear in GET /metrics and its last pass in /api/health") {
  ApiFixture api;
  CHECK(api.GetAnonymous("/api/health").body["notifier"]["last_pass"].is_null());
  ops::Metrics& metrics = api.services().metrics();
  const Instant finished = *ParseInstant("2021-10-12T09:00:02+08:00");
  metrics.ObserveNotifierPass(0.3, finished);
  metrics.CountDeliveries("webhook", "sent", 2);
  metrics.CountDeliveries("dingtalk", "failed", 1);
  const HttpReply health = api.GetAnonymous("/api/health");
  CHECK(health.status == 200);
  CHECK(health.body["status"] == "ok");
  CHECK(health.body["database"]["status"] == "ok");
  CHECK(health.body["notifier"]["last_pass"] == "2021-10-12T09:00:02+08:00");
  const std::string exposition = Metrics(api);
  CHECK(Sample(exposition, "rectify_notifier_pass_duration_seconds_count") == 1);
  CHECK(Sample(exposition, "rectify_notifier_pass_duration_seconds_sum") == Approx(0.3));
  CHECK(Sample(exposition, R"(rectify_notifier_pass_duration_seconds_bucket{le="0.25"})") == 0);
  CHECK(Sample(exposition, R"(rectify_notifier_pass_duration_seconds_bucket{le="0.5"})") == 1);
  CHECK(Sample(exposition, "rectify_notifier_last_pass_timestamp_seconds") == static_cast<double>(finished));
  CHECK(Sample(exposition, R"(rectify_notifier_deliveries_total{channel_type="webhook",result="sent"})") == 2);
  CHECK(Sample(exposition, R"(rectify_notifier_deliveries_total{channel_type="dingtalk",result="failed"})") == 1);
  CHECK(health.body["notifier"]["failing"] == false);
  CHECK(health.body["notifier"]["last_failure"].is_null());
}

TEST_CASE("a failed notifier pass is not a finished one: /api/health says it fails, and why") {
  ApiFixture api;
  ops::Metrics& metrics = api.services().metrics();
  const Instant good = *ParseInstant("2021-10-12T09:00:02+08:00");
  const Instant bad = *ParseInstant("2021-10-12T09:01:02+08:00");
  metrics.ObserveNotifierPass(0.3, good);
  metrics.ObserveFailedNotifierPass(0.1, bad, "enqueueing the slot failed: unavailable: database or disk is full");
  const HttpReply failing = api.GetAnonymous("/api/health");
  CHECK(failing.status == 200);  // the API answers: a load balancer keeps sending requests
  CHECK(failing.body["notifier"]["last_pass"] == "2021-10-12T09:00:02+08:00");
  CHECK(failing.body["notifier"]["failing"] == true);
  CHECK(failing.body["notifier"]["last_failure"]["at"] == "2021-10-12T09:01:02+08:00");
  CHECK(failing.body["notifier"]["last_failure"]["why"] ==
        "enqueueing the slot failed: unavailable: database or disk is full");
  CHECK(Sample(Metrics(api), "rectify_notifier_failed_passes_total") == 1);
  CHECK(Sample(Metrics(api), "rectify_notifier_last_pass_timestamp_seconds") == static_cast<double>(good));
  // The next good pass ends it.
  metrics.ObserveNotifierPass(0.2, bad + 60);
  CHECK(api.GetAnonymous("/api/health").body["notifier"]["failing"] == false);
}

TEST_CASE("promtool accepts GET /metrics as it stands after requests, transitions and a notifier pass") {
  if (access(kPromtool, X_OK) != 0) {
    WARN("SKIPPED: " << kPromtool << " is missing (Debian's package prometheus; scripts/install-deps.sh installs it)");
    return;
  }
  ApiFixture api;
  const HttpReply created = api.Post("/api/problems", SampleProblem());
  REQUIRE(created.status == 201);
  REQUIRE(api.Fire(created.location, "assign", {{"unit", "central_school"}}).status == 200);
  REQUIRE(api.Get("/api/no_such_route").status == 404);
  api.services().metrics().ObserveNotifierPass(0.02, api.clock().Now());
  api.services().metrics().CountDeliveries("sms", "deferred", 1);
  const std::string exposition = Metrics(api);
  const auto [status, said] = Promtool(exposition);
  INFO(said);
  CHECK(status == 0);
  CHECK(said.empty());  // no lint remarks either
  // promtool can fail: a counter without _total is a lint problem.
  CHECK(Promtool("# HELP a_counter A counter\n# TYPE a_counter counter\na_counter 1\n").first != 0);
}

TEST_CASE("every answer carries an X-Request-Id, a proxy's sane one is kept, and its log line is JSON with it") {
  TempDir dir;
  std::ofstream log_file(dir.File("log.jsonl"));
  ops::JsonLog log(log_file);
  web::ApiOptions options;
  options.log = &log;
  ApiFixture api(options);
  const auto& office = api.Office();

  const auto mine = api.client().Get("/api/health");
  REQUIRE(mine);
  const std::string made = mine->get_header_value("X-Request-Id");
  CHECK(std::regex_match(made, std::regex("[0-9a-f]{8}-[0-9a-f]+")));
  const auto kept = api.client().Get("/api/health", {{"X-Request-Id", "edge-7f3a.42:1"}});
  REQUIRE(kept);
  CHECK(kept->get_header_value("X-Request-Id") == "edge-7f3a.42:1");
  for (const std::string& hostile : {std::string("has space"), std::string("quote\"brace}"), std::string(65, 'a')}) {
    const auto replaced = api.client().Get("/api/health", {{"X-Request-Id", hostile}});
    REQUIRE(replaced);
    CHECK(std::regex_match(replaced->get_header_value("X-Request-Id"), std::regex("[0-9a-f]{8}-[0-9a-f]+")));
  }
  const auto as_office =
      api.client().Get("/api/problems/999999", {{"Authorization", "Bearer " + office.token}, {"X-Request-Id", "req-1"}});
  REQUIRE(as_office);
  CHECK(as_office->status == 404);
  CHECK(as_office->get_header_value("X-Request-Id") == "req-1");

  // A line is written as its answer goes out: allow the last one a generous while.
  auto lines_by_id = [&] {
    std::map<std::string, json> by_id;
    std::ifstream in(dir.File("log.jsonl"));
    for (std::string line; std::getline(in, line);) {
      const json parsed = json::parse(line, nullptr, false);
      REQUIRE_FALSE(parsed.is_discarded());  // every line is one JSON object
      REQUIRE(parsed.is_object());
      const auto id = parsed.find("request_id");
      REQUIRE((id != parsed.end() && id->is_string()));
      by_id[id->get_ref<const std::string&>()] = parsed;
    }
    return by_id;
  };
  std::map<std::string, json> logged = lines_by_id();
  for (int i = 0; i < 500 && logged.count("req-1") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    logged = lines_by_id();
  }
  REQUIRE(logged.count(made) == 1);
  CHECK(logged[made]["msg"] == "request");
  CHECK(logged[made]["level"] == "info");
  CHECK(logged[made]["method"] == "GET");
  CHECK(logged[made]["route"] == "/api/health");
  CHECK(logged[made]["status"] == 200);
  CHECK(logged[made]["user"].is_null());
  CHECK(logged[made]["duration_ms"].is_number());
  CHECK(logged[made]["client"] == "127.0.0.1");
  CHECK(std::regex_match(logged[made]["time"].get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  CHECK(logged.count("edge-7f3a.42:1") == 1);
  REQUIRE(logged.count("req-1") == 1);
  CHECK(logged["req-1"]["route"] == "/api/problems/{id}");
  CHECK(logged["req-1"]["path"] == "/api/problems/999999");
  CHECK(logged["req-1"]["status"] == 404);
  CHECK(logged["req-1"]["user"] == office.username);
}

}  // namespace rectify::testing
