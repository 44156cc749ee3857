// A deployment of several campaigns over real HTTP: the demo county's two towns (Gaoqiao's real
// 2021 campaign and the sample town 示范镇), and a later Gaoqiao campaign written by the test.
// Each campaign at its own path; a town's people never reach another town; the campaign list
// and the roll-up against a hand count; carry-over (回头看).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "notifier/notifier.h"
#include "notifier/scan_stages.h"
#include "tests/web/api_fixture.h"
#include "tests/web/file_requests.h"

namespace rectify::testing {
namespace {

const std::string kGaoqiao = "/api/campaigns/gaoqiao-2021-autumn";
const std::string kShiyan = "/api/campaigns/shiyan-2021-autumn-sample";

ApiFixture DemoCounty() {
  return ApiFixture({"workflows/gaoqiao-2021-autumn.json", "workflows/demo/shiyan-2021-sample.json"},
                    "workflows/demo/county.json");
}

json ProblemFor(const std::string& unit, const std::string& deadline) {
  json body = SampleProblem();
  body["unit"] = unit;
  body["deadline"] = deadline;
  return body;
}

// Creates a problem as `who` under `campaign` and returns its path.
std::string Create(ApiFixture& api, const ApiFixture::Login& who, const std::string& campaign, const std::string& unit,
                   const std::string& deadline) {
  const HttpReply created = api.PostAs(who, campaign + "/problems", ProblemFor(unit, deadline));
  INFO(created.body.dump());
  REQUIRE(created.status == 201);
  REQUIRE(created.location.rfind(campaign + "/problems/", 0) == 0);
  return created.location;
}

// Moves a problem through the events, each fired as the user given with it.
void Walk(ApiFixture& api, const std::string& path,
          const std::vector<std::pair<const ApiFixture::Login*, std::string>>& steps) {
  for (const auto& [who, event] : steps) {
    INFO(event);
    json extra = json::object();
    if (event == "send_back") extra["reason"] = "材料不全";
    const HttpReply moved = api.FireAs(*who, path, event, extra);
    INFO(moved.body.dump());
    REQUIRE(moved.status == 200);
  }
}

std::string IdOf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

const json& CampaignIn(const json& list, const std::string& id) {
  for (const json& campaign : list)
    if (campaign["id"] == id) return campaign;
  FAIL("no campaign " << id << " in " << list.dump());
  throw std::logic_error("unreachable");
}

// Two campaigns of Gaoqiao at once (the autumn plan and a special rectification on the same
// dates, written into `dir`) and the sample town's: the campaign files of a deployment.
std::vector<std::string> ThreeCampaigns(TempDir& dir) {
  const std::string source = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::ifstream in(source + "/gaoqiao-2021-autumn.json");
  std::stringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  text = std::regex_replace(text, std::regex("\"gaoqiao-2021-autumn\""), "\"gaoqiao-2021-special\"");
  text = std::regex_replace(text, std::regex("\"高桥镇巩固脱贫攻坚成果秋季攻势行动\""), "\"高桥镇专项整治\"");
  text = std::regex_replace(text, std::regex("\"calendars\""), "\"" + source + "/calendars\"");
  text = std::regex_replace(text, std::regex("\"towns/gaoqiao.json\""), "\"" + source + "/towns/gaoqiao.json\"");
  std::ofstream(dir.File("special.json")) << text;
  return {"workflows/gaoqiao-2021-autumn.json", dir.File("special.json"), "workflows/demo/shiyan-2021-sample.json"};
}

// The unit's digests of the current slot as the webhook renders them (what the outbox holds is
// what would be delivered), by unit.
std::map<std::string, std::vector<json>> UnitDigests(ApiFixture& api, const std::vector<std::string>& units) {
  notifier::ChannelDirectory channels;
  for (const std::string& unit : units) {
    notifier::ChannelConfig config;
    config.type = "webhook";
    config.url = "http://127.0.0.1:9/hook";
    auto channel = notifier::MakeChannel(config);
    REQUIRE(channel.ok());
    channels[unit].push_back(std::move(channel.value()));
  }
  notifier::NotifierOptions options;
  options.link_base = "http://rectify.example";
  notifier::Notifier notifier(api.services().Notifier(), api.store().outbox(), channels, options);
  auto enqueued = notifier.EnqueueCurrentSlot(api.clock().Now());
  REQUIRE(enqueued.ok());
  auto outbox = api.store().outbox().ListOutbox(std::nullopt, 0, 100);
  REQUIRE(outbox.ok());
  std::map<std::string, std::vector<json>> by_unit;
  for (const notifier::OutboxMessage& message : *outbox)
    if (message.audience == "unit") by_unit[message.unit].push_back(json::parse(message.message));
  return by_unit;
}

}  // namespace

TEST_CASE("each campaign is served at its own path, and the plain paths say how to name one") {
  ApiFixture api = DemoCounty();
  const auto& office = api.Office();  // Gaoqiao's
  const HttpReply plain = api.GetAs(office, "/api/problems");
  CHECK(plain.status == 404);
  CHECK(plain.body["message"].get<std::string>().find("/api/campaigns/{id}/problems") != std::string::npos);

  const std::string path = Create(api, office, kGaoqiao, "village_1", "2021-10-20");
  const HttpReply item = api.GetAs(office, path);
  REQUIRE(item.status == 200);
  CHECK(item.body["campaign"] == "gaoqiao-2021-autumn");
  CHECK(item.body["carried_from"].is_null());
  const HttpReply me = api.GetAs(office, kGaoqiao + "/me");
  REQUIRE(me.status == 200);
  CHECK(me.body["user"]["town"] == "gaoqiao");
  CHECK(me.body["user"]["town_name"] == "高桥镇");
  CHECK(me.body["campaign"] == "gaoqiao-2021-autumn");
  // The same item through the other town's campaign is not there, even for the county.
  CHECK(api.GetAs(api.AsOf("", "leader"), kShiyan + "/problems/" + IdOf(path)).status == 404);
  CHECK(api.GetAs(api.AsOf("", "leader"), path).status == 200);
  CHECK(api.GetAs(office, "/api/campaigns/no-such-campaign/problems").status == 404);
}

TEST_CASE("a town's people, in every role, get 404 for another town's items, files, exports, outbox and users") {
  ApiFixture api = DemoCounty();
  const std::string gaoqiao_item = Create(api, api.Office(), kGaoqiao, "village_1", "2021-10-20");
  const std::string id = IdOf(gaoqiao_item);
  REQUIRE(Upload(api, api.As("unit_member", "village_1"), gaoqiao_item + "/evidence", PngBytes(), "photo.png",
                 "image/png")
              .status == 201);
  const std::vector<std::string> gaoqiao_paths = {
      kGaoqiao + "/campaign",          kGaoqiao + "/me",
      kGaoqiao + "/problems",          gaoqiao_item,
      gaoqiao_item + "/history",       gaoqiao_item + "/evidence",
      kGaoqiao + "/overdue",           kGaoqiao + "/dashboard",
      kGaoqiao + "/exports/ledger.csv", kGaoqiao + "/exports/bulletin.xlsx",
      kGaoqiao + "/outbox",            kGaoqiao + "/ledgers",
      kGaoqiao + "/users",             kGaoqiao + "/survey/coverage",
      kShiyan + "/problems/" + id,     kShiyan + "/problems/" + id + "/history",
      kShiyan + "/problems/" + id + "/evidence"};
  const std::vector<std::pair<std::string, std::string>> shiyan_people = {
      {"office", "shiyan_rural_office"},
      {"unit_member", "shiyan_village_1"},
      {"inspector", "shiyan_rural_office"},
      {"supervisor", "shiyan_discipline_commission"},
      {"leader", ""}};
  for (const auto& [role, unit] : shiyan_people) {
    const auto& who = api.AsOf("shiyan", role, unit);
    for (const std::string& path : gaoqiao_paths) {
      INFO(role << " GET " << path);
      CHECK(api.GetAs(who, path).status == 404);
    }
    INFO(role);
    CHECK(api.GetAs(who, kShiyan + "/me").status == 200);
    const HttpReply campaigns = api.GetAs(who, "/api/campaigns");
    REQUIRE(campaigns.status == 200);
    REQUIRE(campaigns.body["campaigns"].size() == 1);
    CHECK(campaigns.body["campaigns"][0]["id"] == "shiyan-2021-autumn-sample");
    // Writes do not reach it either.
    CHECK(api.PostAs(who, gaoqiao_item + "/events", {{"event", "start"}}).status == 404);
  }

  // The outbox is the deployment's; each town reads its own units' messages.
  notifier::OutboxMessage message;
  message.slot = "2021-10-12T09:00:00+08:00";
  message.audience = "unit";
  message.message = "{}";
  message.created_at = message.next_attempt_at = api.clock().Now();
  for (const char* unit : {"village_1", "shiyan_village_1"}) {
    message.unit = unit;
    message.channel = std::string(unit) + "#0";
    message.idempotency_key = message.slot + "|" + message.channel;
    REQUIRE(api.store().outbox().Enqueue({message}).ok());
  }
  for (const auto& [campaign, who, unit] :
       {std::tuple{kShiyan, &api.AsOf("shiyan", "office", "shiyan_rural_office"), "shiyan_village_1"},
        std::tuple{kGaoqiao, &api.Office(), "village_1"}}) {
    const HttpReply outbox = api.GetAs(*who, campaign + "/outbox");
    REQUIRE(outbox.status == 200);
    REQUIRE(outbox.body["messages"].size() == 1);
    CHECK(outbox.body["messages"][0]["unit"] == unit);
  }

  // A town's office manages its own town's accounts only.
  const auto& shiyan_office = api.AsOf("shiyan", "office", "shiyan_rural_office");
  api.AsOf("", "supervisor");
  const HttpReply users = api.GetAs(shiyan_office, kShiyan + "/users");
  REQUIRE(users.status == 200);
  for (const json& user : users.body["users"]) CHECK(user["town"] == "shiyan");
  const std::string gaoqiao_user = api.Office().username;
  CHECK(api.PostAs(shiyan_office, kShiyan + "/users/" + gaoqiao_user + "/disable", json::object()).status == 404);
  CHECK(api.PostAs(shiyan_office, kShiyan + "/users/" + gaoqiao_user + "/enable", json::object()).status == 404);
  CHECK(api.PostAs(shiyan_office, kShiyan + "/users/t.s.county/reset_password", json::object()).status == 404);
  CHECK(api.GetAs(api.Office(), kGaoqiao + "/me").status == 200);  // still enabled

  // Silences are for the campaign's own items, and a campaign lists only those.
  const json silence = {{"item_id", std::stoll(id)},
                        {"approved_by", "镇农业农村和乡村振兴办公室"},
                        {"until", "2021-10-25"},
                        {"reason", "汛期道路中断"}};
  REQUIRE(api.PostAs(api.Office(), kGaoqiao + "/silences", silence).status == 201);
  CHECK(api.PostAs(shiyan_office, kShiyan + "/silences", silence).status == 404);
  CHECK(api.GetAs(shiyan_office, kShiyan + "/silences").body["silences"].empty());
  CHECK(api.GetAs(api.Office(), kGaoqiao + "/silences").body["silences"].size() == 1);

  // The audit log is one chain; each town reads its own share of it, the county all of it.
  auto audit_subjects = [&](const ApiFixture::Login& who, const std::string& campaign) {
    std::set<std::string> subjects;
    const HttpReply audit = api.GetAs(who, campaign + "/audit?from=2021-10-01&limit=500");
    INFO(audit.body.dump());
    REQUIRE(audit.status == 200);
    for (const json& record : audit.body["records"]) subjects.insert(record["subject"].get<std::string>());
    return subjects;
  };
  const std::string gaoqiao_subject = "problem " + id;
  const std::string gaoqiao_office_subject = "user " + api.Office().username;
  const auto shiyan_reads = audit_subjects(shiyan_office, kShiyan);
  CHECK(shiyan_reads.count(gaoqiao_subject) == 0);
  CHECK(shiyan_reads.count(gaoqiao_office_subject) == 0);
  CHECK(shiyan_reads.count("user " + shiyan_office.username) == 1);
  // The county's people read the town's data: the town's share shows it, the other town's not.
  REQUIRE(Download(api, api.AsOf("", "leader"), kGaoqiao + "/exports/roster.csv").status == 200);
  const auto gaoqiao_reads = audit_subjects(api.Office(), kGaoqiao);
  CHECK(gaoqiao_reads.count(gaoqiao_subject) == 1);
  CHECK(gaoqiao_reads.count("user " + shiyan_office.username) == 0);
  CHECK(gaoqiao_reads.count("roster town") == 1);
  CHECK(audit_subjects(shiyan_office, kShiyan).count("roster town") == 0);
  const auto county_reads = audit_subjects(api.AsOf("", "supervisor"), kShiyan);
  CHECK(county_reads.count(gaoqiao_subject) == 1);
  CHECK(county_reads.count("user " + shiyan_office.username) == 1);
}

TEST_CASE("the campaign list and the county roll-up give what a hand count gives") {
  ApiFixture api = DemoCounty();
  const auto& office = api.Office();
  const auto& village1 = api.As("unit_member", "village_1");
  const auto& village2 = api.As("unit_member", "village_2");
  const auto& inspector = api.As("inspector", "rural_office");
  // Gaoqiao at 10-12: one overdue, one open and sent back once, one closed on time, one closed late.
  Create(api, office, kGaoqiao, "village_1", "2021-10-08");
  const std::string sent_back = Create(api, office, kGaoqiao, "village_2", "2021-10-31");
  // Sent back, the unit signs for it again (签收), so it is open and not late.
  Walk(api, sent_back, {{&village2, "start"}, {&village2, "submit"}, {&inspector, "send_back"}, {&village2, "sign_for"}});
  const std::string on_time = Create(api, office, kGaoqiao, "village_1", "2021-10-20");
  Walk(api, on_time, {{&village1, "start"}, {&village1, "submit"}, {&inspector, "verify"}, {&office, "close"}});
  const std::string late = Create(api, office, kGaoqiao, "village_2", "2021-10-13");
  api.clock().Set(*ParseInstant("2021-10-15T10:00:00+08:00"));
  Walk(api, late, {{&village2, "start"}, {&village2, "submit"}, {&inspector, "verify"}, {&office, "close"}});
  // The sample town: one problem, overdue by 10-15.
  Create(api, api.AsOf("shiyan", "office", "shiyan_rural_office"), kShiyan, "shiyan_village_1", "2021-10-14");
  REQUIRE(Upload(api, village1, kGaoqiao + "/ledgers", PdfBytes(), "台账.pdf", "application/pdf").status == 201);

  const auto& county = api.AsOf("", "leader");
  const HttpReply rollup = api.GetAs(county, "/api/rollup");
  INFO(rollup.body.dump());
  REQUIRE(rollup.status == 200);
  CHECK(rollup.body["county_name"] == "桃江县（示例）");
  REQUIRE(rollup.body["towns"].size() == 2);
  const json& gaoqiao = rollup.body["towns"][0];
  CHECK(gaoqiao["id"] == "gaoqiao");
  const json& g = gaoqiao["campaigns"][0]["figures"];
  CHECK(g["problems"] == 4);
  CHECK(g["open"] == 2);
  CHECK(g["overdue"] == 1);
  CHECK(g["closed_on_time"] == 1);
  CHECK(g["closed_late"] == 1);
  CHECK(g["send_backs"] == 1);
  CHECK(g["ledgers_due"] == 2);  // village_1 and village_2 are responsible for problems
  CHECK(g["ledgers_handed_in"] == 1);
  const json& s = rollup.body["towns"][1]["campaigns"][0]["figures"];
  CHECK(rollup.body["towns"][1]["name"] == "示范镇（示例）");
  CHECK(s["problems"] == 1);
  CHECK(s["overdue"] == 1);
  CHECK(rollup.body["total"]["problems"] == 5);
  CHECK(rollup.body["total"]["overdue"] == 2);
  CHECK(gaoqiao["total"] == gaoqiao["campaigns"][0]["figures"]);

  // A town's office sees its own town only; a unit member has no roll-up.
  const HttpReply town = api.GetAs(office, "/api/rollup");
  REQUIRE(town.status == 200);
  REQUIRE(town.body["towns"].size() == 1);
  CHECK(town.body["towns"][0]["campaigns"][0]["figures"] == g);
  CHECK(api.GetAs(village1, "/api/rollup").status == 403);

  // The campaign list: the phase of the day, and each person's own figures.
  const HttpReply list = api.GetAs(county, "/api/campaigns");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["campaigns"].size() == 2);
  const json& autumn = CampaignIn(list.body["campaigns"], "gaoqiao-2021-autumn");
  CHECK(autumn["phase"]["name"] == "组织实施");
  CHECK(autumn["phases_in_force"].size() == 1);
  // Phases overlap on purpose: on 10-22 implementation runs on while inspection has begun.
  const json later = CampaignIn(api.GetAs(county, "/api/campaigns?as_of=2021-10-22T09:00").body["campaigns"],
                                "gaoqiao-2021-autumn");
  REQUIRE(later["phases_in_force"].size() == 2);
  CHECK(later["phases_in_force"][0]["id"] == "implement");
  CHECK(later["phases_in_force"][1]["id"] == "inspect");
  CHECK(later["phases_in_force"][1]["start"] == "2021-10-21");
  CHECK(autumn["start"] == "2021-09-21");
  CHECK(autumn["end"] == "2021-11-10");
  CHECK(autumn["figures"] == g);
  const HttpReply own = api.GetAs(village1, "/api/campaigns");
  REQUIRE(own.body["campaigns"].size() == 1);
  CHECK(own.body["campaigns"][0]["figures"]["problems"] == 2);  // village_1's two
  CHECK(api.GetAs(county, "/api/rollup?as_of=tomorrow").status == 400);
}

// The next season: Gaoqiao's plan a year later, written into `dir`; returns its file.
// Gaoqiao's plan a year later; with `town_file`, its units are that file's.
std::string NextSeasonFile(TempDir& dir, const std::string& town_file = "") {
  const std::string source = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::ifstream in(source + "/gaoqiao-2021-autumn.json");
  std::stringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  text = std::regex_replace(text, std::regex("\"2021-"), "\"2022-");
  text = std::regex_replace(text, std::regex("\"gaoqiao-2021-autumn\""), "\"gaoqiao-2022-autumn\"");
  text = std::regex_replace(text, std::regex("\"高桥镇巩固"), "\"2022年高桥镇巩固");
  text = std::regex_replace(text, std::regex("\"calendars\""), "\"" + source + "/calendars\"");
  text = std::regex_replace(text, std::regex("\"towns/gaoqiao.json\""),
                            "\"" + (town_file.empty() ? source + "/towns/gaoqiao.json" : town_file) + "\"");
  const std::string next_file = dir.File("gaoqiao-2022-autumn.json");
  std::ofstream(next_file) << text;
  return next_file;
}

namespace {

// A POST on a connection of its own, for requests sent at the same moment from threads.
HttpReply PostOnOwnConnection(ApiFixture& api, const std::string& token, const std::string& path, const json& body) {
  httplib::Client client("127.0.0.1", api.port());
  client.set_bearer_token_auth(token);
  auto reply = client.Post(path.c_str(), body.dump(), "application/json");
  if (!reply) return {};
  return {reply->status, json::parse(reply->body, nullptr, false), ""};
}

}  // namespace

TEST_CASE("an Idempotency-Key names one request of one campaign: the same key in next year's campaign makes a new item") {
  TempDir dir;
  ApiFixture api({"workflows/gaoqiao-2021-autumn.json", NextSeasonFile(dir)}, "");
  const std::string autumn = "/api/campaigns/gaoqiao-2021-autumn";
  const std::string next = "/api/campaigns/gaoqiao-2022-autumn";
  const auto& office = api.Office();
  auto post_row_1 = [&](const std::string& path, const json& body) {
    const httplib::Headers headers = {{"Authorization", "Bearer " + office.token}, {"Idempotency-Key", "row-1"}};
    const httplib::Result result = api.client().Post(path.c_str(), headers, body.dump(), "application/json");
    REQUIRE(result);
    return HttpReply{result->status, json::parse(result->body, nullptr, false), ""};
  };
  const HttpReply last_year = post_row_1(autumn + "/problems", SampleProblem());
  REQUIRE(last_year.status == 201);
  api.clock().Set(*ParseInstant("2022-09-26T09:00:00+08:00"));
  json this_year_problem = SampleProblem();
  this_year_problem["title"] = "2022年全新问题";
  const HttpReply this_year = post_row_1(next + "/problems", this_year_problem);
  INFO(this_year.body.dump());
  CHECK(this_year.status == 201);
  CHECK(this_year.body["campaign"] == "gaoqiao-2022-autumn");
  CHECK(this_year.body["title"] == "2022年全新问题");
  CHECK(this_year.body["id"] != last_year.body["id"]);
  // Sent again in 2022: the 2022 item, not last year's.
  const HttpReply again = post_row_1(next + "/problems", this_year_problem);
  CHECK(again.status == 200);
  CHECK(again.body["id"] == this_year.body["id"]);
  CHECK(api.GetAs(office, autumn + "/problems").body["total"] == 1);
  CHECK(api.GetAs(office, next + "/problems").body["total"] == 1);
}

TEST_CASE("an open problem of an ended campaign is carried into the town's next one, linked both ways") {
  TempDir dir;
  ApiFixture api({"workflows/gaoqiao-2021-autumn.json", NextSeasonFile(dir)}, "");
  const std::string autumn = "/api/campaigns/gaoqiao-2021-autumn";
  const std::string next = "/api/campaigns/gaoqiao-2022-autumn";

  const auto& office = api.Office();
  const auto& village1 = api.As("unit_member", "village_1");
  const auto& inspector = api.As("inspector", "rural_office");
  const std::string open = Create(api, office, autumn, "village_1", "2021-10-20");
  Walk(api, open, {{&village1, "start"}, {&village1, "submit"}, {&inspector, "send_back"}});
  const std::string closed = Create(api, office, autumn, "village_1", "2021-10-20");
  Walk(api, closed, {{&village1, "start"}, {&village1, "submit"}, {&inspector, "verify"}, {&office, "close"}});
  const std::string id = IdOf(open);
  const json from_autumn = {{"from", "gaoqiao-2021-autumn"}};
  // Never assigned: its 3 working days to be assigned ran out in 2021.
  const HttpReply unassigned = api.PostAs(office, autumn + "/problems", SampleProblem());
  REQUIRE(unassigned.status == 201);

  const HttpReply too_early = api.PostAs(office, next + "/problems/" + id + "/carry_over", from_autumn);
  CHECK(too_early.status == 409);
  CHECK(too_early.body["message"].get<std::string>().find("has not ended") != std::string::npos);

  api.clock().Set(*ParseInstant("2022-09-26T09:00:00+08:00"));
  // Last year's record as it stood at the end, read before anything is carried.
  const std::string at_end = "?as_of=2021-11-10T17:00:00%2B08:00";
  const HttpReply scores_before = api.GetAs(office, autumn + "/scores" + at_end);
  const HttpReply dashboard_before = api.GetAs(office, autumn + "/dashboard" + at_end);
  const HttpReply rollup_before = api.GetAs(office, "/api/rollup" + at_end);
  REQUIRE(scores_before.status == 200);
  REQUIRE(dashboard_before.status == 200);
  REQUIRE(rollup_before.status == 200);

  CHECK(api.PostAs(village1, next + "/problems/" + id + "/carry_over", from_autumn).status == 403);
  CHECK(api.PostAs(office, next + "/problems/" + IdOf(closed) + "/carry_over", from_autumn).status == 409);
  CHECK(api.PostAs(office, next + "/problems/" + id + "/carry_over", {{"from", "gaoqiao-2022-autumn"}}).status == 404);
  const HttpReply carried = api.PostAs(office, next + "/problems/" + id + "/carry_over", from_autumn);
  INFO(carried.body.dump());
  REQUIRE(carried.status == 200);
  const std::string new_id = carried.body["id"].dump();
  CHECK(new_id != id);  // a problem of its own in the new campaign
  CHECK(carried.body["campaign"] == "gaoqiao-2022-autumn");
  CHECK(carried.body["carried_from"] == "gaoqiao-2021-autumn");
  CHECK(carried.body["carried_from_id"].dump() == id);
  CHECK(carried.body["carried_at"] == "2022-09-26T09:00:00+08:00");
  CHECK(carried.body["carried_to"].is_null());
  CHECK(carried.body["state"] == "rectifying");
  CHECK(carried.body["unit"] == "village_1");
  CHECK(carried.body["title"] == ProblemFor("village_1", "2021-10-20")["title"]);
  CHECK(carried.body["send_back_count"] == 0);  // counted afresh from the day it arrived
  CHECK(carried.body["deadline"] == "2022-11-01T00:00:00+08:00");  // the next plan's 10月底前动态清零
  // Sent back in 2021 and never signed for: the signature is asked again, its limit from the arrival.
  CHECK(carried.body["sign_for"]["since"] == "2022-09-26T09:00:00+08:00");
  CHECK(carried.body["due_at"] == "2022-09-27T17:30:00+08:00");
  CHECK(carried.body["overdue"] == false);
  const HttpReply carried_unassigned =
      api.PostAs(office, next + "/problems/" + unassigned.body["id"].dump() + "/carry_over", from_autumn);
  REQUIRE(carried_unassigned.status == 200);
  CHECK(carried_unassigned.body["due_at"] == "2022-09-29T17:30:00+08:00");  // 3 working days from its arrival
  CHECK(carried_unassigned.body["overdue"] == false);
  CHECK(api.GetAs(office, next + "/overdue").body["items"].empty());

  // The old problem stays in its campaign as it stood, says where it went, and takes no more events.
  const HttpReply left = api.GetAs(office, autumn + "/problems/" + id);
  REQUIRE(left.status == 200);
  CHECK(left.body["campaign"] == "gaoqiao-2021-autumn");
  CHECK(left.body["state"] == "rectifying");
  CHECK(left.body["send_back_count"] == 1);
  CHECK(left.body["carried_to"] == "gaoqiao-2022-autumn");
  CHECK(left.body["carried_to_id"].dump() == new_id);
  CHECK(left.body["allowed_events"].empty());
  const HttpReply acted = api.FireAs(village1, autumn + "/problems/" + id, "sign_for", json::object());
  CHECK(acted.status == 409);
  CHECK(acted.body["reason"] == "carried_over");
  CHECK(acted.body["params"]["id"] == new_id);
  CHECK(Upload(api, village1, autumn + "/problems/" + id + "/evidence", PngBytes(), "photo.png", "image/png").status ==
        409);
  const HttpReply old_history = api.GetAs(office, autumn + "/problems/" + id + "/history");
  REQUIRE(old_history.status == 200);
  std::vector<std::string> events;
  for (const json& event : old_history.body["events"]) events.push_back(event["event"]);
  CHECK(events == std::vector<std::string>{"create", "start", "submit", "send_back", "carried_out"});
  // The new problem's history begins with its arrival, naming where it came from.
  const HttpReply history = api.GetAs(office, next + "/problems/" + new_id + "/history");
  REQUIRE(history.status == 200);
  REQUIRE(history.body["events"].size() == 1);
  CHECK(history.body["events"][0]["event"] == "carry_over");
  const std::string note = history.body["events"][0]["note"];
  CHECK(note.find("第" + id + "号") != std::string::npos);
  CHECK(note.find("此前退回1次") != std::string::npos);
  // Each campaign answers for its own problem only.
  CHECK(api.GetAs(office, next + "/problems/" + id).status == 404);
  CHECK(api.GetAs(office, autumn + "/problems/" + new_id).status == 404);
  // Carried already: refused, naming where it went.
  const HttpReply twice = api.PostAs(office, next + "/problems/" + id + "/carry_over", from_autumn);
  CHECK(twice.status == 409);
  CHECK(twice.body["reason"] == "carried_over");

  // Last year's figures, scores and roll-up at its end are what they were before.
  CHECK(api.GetAs(office, autumn + "/scores" + at_end).body == scores_before.body);
  CHECK(api.GetAs(office, autumn + "/dashboard" + at_end).body == dashboard_before.body);
  // The whole roll-up: 2022's ledgers are not owed at a 2021 instant by problems carried in since.
  CHECK(api.GetAs(office, "/api/rollup" + at_end).body == rollup_before.body);
  // Downloaded a year on, the score form is the campaign's at its end, as the dashboard's.
  const FileReply form_default = Download(api, office, autumn + "/exports/scores.csv");
  const FileReply form_at_end = Download(api, office, autumn + "/exports/scores.csv?as_of=2021-11-10T23:59:59%2B08:00");
  REQUIRE(form_default.status == 200);
  REQUIRE(form_at_end.status == 200);
  CHECK(form_default.body == form_at_end.body);
  CHECK(form_default.body.find("示例村一") != std::string::npos);
  // Last year's 督查通报 lists no carried problem as overdue work of its own: a note names them.
  const FileReply bulletin = Download(api, office, autumn + "/exports/bulletin.csv");
  REQUIRE(bulletin.status == 200);
  INFO(bulletin.body);
  CHECK(bulletin.body.find("另有2项问题") != std::string::npos);
  CHECK(bulletin.body.find("第" + id + "号") != std::string::npos);

  const HttpReply list = api.GetAs(office, "/api/campaigns");
  REQUIRE(list.status == 200);
  const json& figures = CampaignIn(list.body["campaigns"], "gaoqiao-2022-autumn")["figures"];
  CHECK(figures["problems"] == 2);
  CHECK(figures["carried_in"] == 2);
  CHECK(figures["open"] == 2);
  CHECK(figures["overdue"] == 0);
  CHECK(figures["send_backs"] == 0);
  // The new campaign's own figures count them from their arrival: the 2021 send-back is not
  // charged again, and the burn-down holds nothing open before 09-26.
  const json dashboard = api.GetAs(office, next + "/dashboard").body;
  for (const json& rates : dashboard["rates"]) {
    INFO(rates.dump());
    CHECK(rates["sent_back"] == 0);
  }
  for (const json& point : dashboard["burn_down"]["points"]) {
    INFO(point.dump());
    CHECK(point["open"] == (point["date"].get<std::string>() < "2022-09-26" ? 0 : 2));
  }
  // Kept in a variable: a range-for over a member of a temporary reads a destroyed object.
  const HttpReply scores = api.GetAs(office, next + "/scores");
  REQUIRE(scores.status == 200);
  REQUIRE_FALSE(scores.body["villages"].empty());
  for (const json& score : scores.body["villages"]) {
    INFO(score.dump());
    CHECK(score["send_backs"] == 0);
  }
  // Last year keeps all three: the closed one and the two it left open.
  CHECK(CampaignIn(list.body["campaigns"], "gaoqiao-2021-autumn")["figures"]["problems"] == 3);
  // The roll-up's totals are of the work under way: the two open problems count once, in 2022.
  const HttpReply rollup_now = api.GetAs(office, "/api/rollup");
  REQUIRE(rollup_now.status == 200);
  const json& town_row = rollup_now.body["towns"][0];
  REQUIRE(town_row["campaigns"].size() == 2);
  CHECK(CampaignIn(town_row["campaigns"], "gaoqiao-2021-autumn")["ended"] == true);
  CHECK(town_row["total"] == CampaignIn(town_row["campaigns"], "gaoqiao-2022-autumn")["figures"]);
  CHECK(town_row["total"]["open"] == 2);
  CHECK(rollup_now.body["total"] == town_row["total"]);
  // The unit works it on in the new campaign.
  Walk(api, next + "/problems/" + new_id, {{&village1, "submit"}});
}

TEST_CASE("a problem whose unit the next campaign no longer has is carried only with the unit that answers for it there") {
  TempDir dir;
  // 示例村三 merged into 示例村一 at the end of 2021: the town file gives it an "until", so the
  // 2021 campaign keeps it and the 2022 one has it no more.
  const std::string workflows = std::string(RECTIFY_SOURCE_DIR) + "/workflows";
  std::ifstream in(workflows + "/towns/gaoqiao.json");
  std::stringstream read;
  read << in.rdbuf();
  const std::string town = std::regex_replace(read.str(), std::regex("\"示例村三\", \"kind\": \"village\", \"sample\": true"),
                                              "\"示例村三\", \"kind\": \"village\", \"sample\": true, \"until\": \"2021-12-31\"");
  REQUIRE(town != read.str());
  const std::string town_file = dir.File("gaoqiao-towns.json");
  std::ofstream(town_file) << town;
  std::ifstream plan_in(workflows + "/gaoqiao-2021-autumn.json");
  std::stringstream plan;
  plan << plan_in.rdbuf();
  std::string last_year = std::regex_replace(plan.str(), std::regex("\"calendars\""), "\"" + workflows + "/calendars\"");
  last_year = std::regex_replace(last_year, std::regex("\"towns/gaoqiao.json\""), "\"" + town_file + "\"");
  const std::string last_year_file = dir.File("gaoqiao-2021-autumn.json");
  std::ofstream(last_year_file) << last_year;
  ApiFixture api({last_year_file, NextSeasonFile(dir, town_file)}, "");
  const std::string autumn = "/api/campaigns/gaoqiao-2021-autumn";
  const std::string next = "/api/campaigns/gaoqiao-2022-autumn";
  const auto& office = api.Office();
  const auto& village3 = api.As("unit_member", "village_3");
  const std::string merged = Create(api, office, autumn, "village_3", "2021-10-20");
  Walk(api, merged, {{&village3, "start"}});
  const HttpReply unassigned = api.PostAs(office, autumn + "/problems", SampleProblem());
  REQUIRE(unassigned.status == 201);
  api.clock().Set(*ParseInstant("2022-09-26T09:00:00+08:00"));
  const std::string carry = next + "/problems/" + IdOf(merged) + "/carry_over";

  const HttpReply orphan = api.PostAs(office, carry, {{"from", "gaoqiao-2021-autumn"}});
  INFO(orphan.body.dump());
  CHECK(orphan.status == 422);
  CHECK(orphan.body["field"] == "unit");
  CHECK(orphan.body["message"].get<std::string>().find("village_3") != std::string::npos);
  CHECK(api.PostAs(office, carry, {{"from", "gaoqiao-2021-autumn"}, {"unit", "village_9"}}).status == 400);
  // Not assigned yet: there is no unit to replace, it is assigned in the new campaign.
  CHECK(api.PostAs(office, next + "/problems/" + unassigned.body["id"].dump() + "/carry_over",
                   {{"from", "gaoqiao-2021-autumn"}, {"unit", "village_1"}})
            .status == 422);
  // Nothing was carried by the refusals.
  CHECK(api.GetAs(office, merged).body["carried_to"].is_null());

  const HttpReply carried = api.PostAs(office, carry, {{"from", "gaoqiao-2021-autumn"}, {"unit", "village_1"}});
  INFO(carried.body.dump());
  REQUIRE(carried.status == 200);
  CHECK(carried.body["unit"] == "village_1");
  CHECK(carried.body["state"] == "rectifying");
  CHECK(carried.body["sign_for"]["unit"] == "village_1");  // the new unit signs for it, as after a reassignment
  // Last year's problem keeps the village that answered for it then.
  const HttpReply left = api.GetAs(office, merged);
  CHECK(left.body["unit"] == "village_3");
  CHECK(left.body["carried_to_id"] == carried.body["id"]);
}

TEST_CASE("a problem carried in before the next campaign begins is its work from the campaign's first day") {
  TempDir dir;
  ApiFixture api({"workflows/gaoqiao-2021-autumn.json", NextSeasonFile(dir)}, "");
  const std::string autumn = "/api/campaigns/gaoqiao-2021-autumn";
  const std::string next = "/api/campaigns/gaoqiao-2022-autumn";
  const auto& office = api.Office();
  const auto& village1 = api.As("unit_member", "village_1");
  const auto& inspector = api.As("inspector", "rural_office");
  const std::string sent_back = Create(api, office, autumn, "village_1", "2021-10-20");
  Walk(api, sent_back, {{&village1, "start"}, {&village1, "submit"}, {&inspector, "send_back"}});
  const HttpReply unassigned = api.PostAs(office, autumn + "/problems", SampleProblem());
  REQUIRE(unassigned.status == 201);
  api.clock().Set(*ParseInstant("2022-01-10T09:00:00+08:00"));  // the 2022 campaign begins on 09-21

  const HttpReply signing = api.PostAs(office, next + "/problems/" + IdOf(sent_back) + "/carry_over",
                                       {{"from", "gaoqiao-2021-autumn"}});
  INFO(signing.body.dump());
  REQUIRE(signing.status == 200);
  CHECK(signing.body["carried_at"] == "2022-01-10T09:00:00+08:00");
  CHECK(signing.body["sign_for"]["since"] == "2022-09-21T00:00:00+08:00");
  CHECK(signing.body["due_at"] == "2022-09-22T17:30:00+08:00");  // 1 working day to sign, from 09-21
  const HttpReply assigning = api.PostAs(office, next + "/problems/" + unassigned.body["id"].dump() + "/carry_over",
                                         {{"from", "gaoqiao-2021-autumn"}});
  REQUIRE(assigning.status == 200);
  CHECK(assigning.body["due_at"] == "2022-09-26T17:30:00+08:00");  // 3 working days to be assigned, from 09-21
  // The office gives it another village in the winter: the new village signs from 09-21 too.
  const HttpReply reassigned = api.PostAs(office, next + "/problems/" + signing.body["id"].dump() + "/events",
                                          {{"event", "reassign"}, {"unit", "village_3"}});
  INFO(reassigned.body.dump());
  REQUIRE(reassigned.status == 200);
  CHECK(reassigned.body["due_at"] == "2022-09-22T17:30:00+08:00");
  // A deadline given must lie ahead, as a reopening's: a year typed wrong is refused.
  api.clock().Set(*ParseInstant("2021-10-20T09:00:00+08:00"));
  json another_problem = SampleProblem();
  another_problem["title"] = "另一个未完成的问题";
  const HttpReply another = api.PostAs(office, autumn + "/problems", another_problem);
  REQUIRE(another.status == 201);
  api.clock().Set(*ParseInstant("2022-01-10T09:00:00+08:00"));
  HttpReply past = api.PostAs(office, next + "/problems/" + another.body["id"].dump() + "/carry_over",
                              {{"from", "gaoqiao-2021-autumn"}, {"deadline", "2021-12-31"}});
  CHECK(past.status == 400);
  CHECK(past.body["field"] == "deadline");
  CHECK(past.body["reason"] == "not_in_future");
  api.clock().Set(*ParseInstant("2022-06-01T09:00:00+08:00"));
  CHECK(api.GetAs(office, next + "/overdue").body["items"].empty());
}

TEST_CASE("a carry-over is not refused for a note written on the old problem at the same moment") {
  TempDir dir;
  ApiFixture api({"workflows/gaoqiao-2021-autumn.json", NextSeasonFile(dir)}, "");
  const std::string autumn = "/api/campaigns/gaoqiao-2021-autumn";
  const std::string next = "/api/campaigns/gaoqiao-2022-autumn";
  const auto& office = api.Office();
  constexpr int kProblems = 6;
  std::vector<std::string> paths;
  for (int i = 0; i < kProblems; ++i) paths.push_back(Create(api, office, autumn, "village_1", "2021-10-20"));
  api.clock().Set(*ParseInstant("2022-09-26T09:00:00+08:00"));
  const auto& supervisor = api.As("supervisor", "discipline_commission");
  for (const std::string& path : paths) {
    HttpReply carried;
    std::vector<std::thread> writers;
    writers.emplace_back([&] {
      carried = PostOnOwnConnection(api, office.token, next + "/problems/" + IdOf(path) + "/carry_over",
                                    {{"from", "gaoqiao-2021-autumn"}});
    });
    for (int n = 0; n < 3; ++n)
      writers.emplace_back([&, n] {
        PostOnOwnConnection(api, supervisor.token, path + "/events",
                            {{"event", "supervise"}, {"note", "督办 " + std::to_string(n)}});
      });
    for (std::thread& t : writers) t.join();
    INFO(carried.body.dump());
    CHECK(carried.status == 200);
  }
  CHECK(api.GetAs(office, next + "/problems").body["total"] == kProblems);
}

TEST_CASE("two offices carrying one problem at once: one carries it, the other is told where it went") {
  TempDir dir;
  ApiFixture api({"workflows/gaoqiao-2021-autumn.json", NextSeasonFile(dir)}, "");
  const std::string autumn = "/api/campaigns/gaoqiao-2021-autumn";
  const std::string next = "/api/campaigns/gaoqiao-2022-autumn";
  const auto& office = api.Office();
  constexpr int kProblems = 6;
  std::vector<std::string> ids;
  for (int i = 0; i < kProblems; ++i) ids.push_back(IdOf(Create(api, office, autumn, "village_1", "2021-10-20")));
  api.clock().Set(*ParseInstant("2022-09-26T09:00:00+08:00"));
  const auto& second_office = api.As("office");  // another person of the office
  for (const std::string& id : ids) {
    std::vector<HttpReply> replies(2);
    std::vector<std::thread> offices;
    for (int o = 0; o < 2; ++o)
      offices.emplace_back([&, o] {
        replies[static_cast<std::size_t>(o)] = PostOnOwnConnection(
            api, o == 0 ? office.token : second_office.token, next + "/problems/" + id + "/carry_over",
            {{"from", "gaoqiao-2021-autumn"}});
      });
    for (std::thread& t : offices) t.join();
    INFO(replies[0].body.dump() << " / " << replies[1].body.dump());
    const int carried = (replies[0].status == 200) + (replies[1].status == 200);
    CHECK(carried == 1);
    const HttpReply& lost = replies[0].status == 200 ? replies[1] : replies[0];
    CHECK(lost.status == 409);
    CHECK(lost.body["reason"] == "carried_over");
  }
  CHECK(api.GetAs(office, next + "/problems").body["total"] == kProblems);
}

TEST_CASE("a unit gets one digest per slot across all its campaigns, its lines grouped by campaign") {
  TempDir dir;
  ApiFixture api(ThreeCampaigns(dir), "workflows/demo/county.json");
  const std::string special = "/api/campaigns/gaoqiao-2021-special";
  const std::string autumn_item = Create(api, api.Office(), kGaoqiao, "village_1", "2021-10-08");
  const std::string special_item = Create(api, api.Office(), special, "village_1", "2021-10-11");
  Create(api, api.AsOf("shiyan", "office", "shiyan_rural_office"), kShiyan, "shiyan_village_1", "2021-10-08");

  auto by_unit = UnitDigests(api, {"village_1", "shiyan_village_1"});
  REQUIRE(by_unit["village_1"].size() == 1);  // one message, both campaigns in it
  const json& village1 = by_unit["village_1"].front();
  std::set<std::string> ids, campaigns;
  for (const json& line : village1["overdue"]) {
    ids.insert(std::to_string(line["id"].get<std::int64_t>()));
    campaigns.insert(line["campaign"]);
    CHECK(line["link"].get<std::string>().find("/?campaign=gaoqiao-2021-") != std::string::npos);
  }
  CHECK(ids == std::set<std::string>{IdOf(autumn_item), IdOf(special_item)});
  CHECK(campaigns == std::set<std::string>{"高桥镇巩固脱贫攻坚成果秋季攻势行动", "高桥镇专项整治"});
  CHECK(village1["campaign"] == "");  // a digest of several campaigns names none: its lines do
  CHECK(village1["text"].get<std::string>().find("【高桥镇专项整治】") != std::string::npos);
  // The other town's village has its own digest, with its own campaign only.
  REQUIRE(by_unit["shiyan_village_1"].size() == 1);
  CHECK(by_unit["shiyan_village_1"].front()["campaign"] == "【示例】示范镇巩固脱贫攻坚成果秋季攻势行动");
  CHECK(by_unit["shiyan_village_1"].front()["overdue"].size() == 1);
}

TEST_CASE("a unit's digest across campaigns that each left lines out links to each campaign's full list") {
  TempDir dir;
  ApiFixture api(ThreeCampaigns(dir), "workflows/demo/county.json");
  const std::string special = "/api/campaigns/gaoqiao-2021-special";
  // One more overdue problem in each campaign than a list shows.
  for (const std::string& campaign : {kGaoqiao, special})
    for (std::size_t i = 0; i <= notifier::kMostLinesPerList; ++i) Create(api, api.Office(), campaign, "village_1", "2021-10-08");

  auto by_unit = UnitDigests(api, {"village_1"});
  REQUIRE(by_unit["village_1"].size() == 1);
  const json& village1 = by_unit["village_1"].front();
  CHECK(village1["overdue"].size() == 2 * notifier::kMostLinesPerList);  // each campaign's first lines
  CHECK(village1["overdue_unlisted"] == 2);
  const json expected = json::array(
      {{{"campaign", "高桥镇巩固脱贫攻坚成果秋季攻势行动"}, {"link", "http://rectify.example/?campaign=gaoqiao-2021-autumn"}},
       {{"campaign", "高桥镇专项整治"}, {"link", "http://rectify.example/?campaign=gaoqiao-2021-special"}}});
  CHECK(village1["full_lists"] == expected);
  const std::string text = village1["text"];
  INFO(text);
  CHECK(text.find("另有逾期2项未列出，全部请登录查看：【高桥镇巩固脱贫攻坚成果秋季攻势行动】http://rectify.example/"
                  "?campaign=gaoqiao-2021-autumn；【高桥镇专项整治】http://rectify.example/?campaign=gaoqiao-2021-special") !=
        std::string::npos);
}

TEST_CASE("a household open in one campaign's enrollment procedure cannot be entered in another campaign") {
  TempDir dir;
  ApiFixture api(ThreeCampaigns(dir), "workflows/demo/county.json");
  const std::string special = "/api/campaigns/gaoqiao-2021-special";
  json household = {{"household", "李四"},         {"village", "village_2"},     {"category", "marginal"},
                    {"risk_type", "因病"},          {"risk_found_on", "2021-09-20"}, {"clue_source", "cadre_found"},
                    {"members", 4},                 {"id_number", "11010519491231002X"}};
  const HttpReply first = api.PostAs(api.Office(), kGaoqiao + "/enrollments", household);
  INFO(first.body.dump());
  REQUIRE(first.status == 201);

  const HttpReply refused = api.PostAs(api.Office(), special + "/enrollments", household);
  CHECK(refused.status == 422);
  CHECK(refused.body["field"] == "id_number");
  const std::string message = refused.body["message"].get<std::string>();
  CHECK(message.find("(" + std::to_string(first.body["id"].get<std::int64_t>()) + ", campaign gaoqiao-2021-autumn)") !=
        std::string::npos);
  CHECK(api.GetAs(api.Office(), special + "/enrollments").body["items"].empty());
  // Another person is entered in the second campaign as ever.
  household["id_number"] = "430922198005120030";
  CHECK(api.PostAs(api.Office(), special + "/enrollments", household).status == 201);
}

}  // namespace rectify::testing
