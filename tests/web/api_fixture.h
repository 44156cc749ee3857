// A real API server for one test: the real Gaoqiao campaign file (or the deployment a test
// names: several campaigns, a county file), a fresh SQLite file in a temp dir, a clock the test sets, httplib listening on 127.0.0.1 with a port the kernel picks,
// and a real HTTP client. Nothing is mocked.
//
// Requests carry a bearer token from a real login. Get/Post go as an office user; As(role,
// unit) as anyone (the user is created on first use); Fire picks, from the campaign's
// permission table, a user whose role and unit may fire the event on that item.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "accounts/account_service.h"
#include "app/services.h"
#include "config/deployment_loader.h"
#include "engine/clock.h"
#include "engine/household_survey.h"
#include "engine/item_service.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"
#include "web/api_server.h"
#include "web/json_codec.h"

namespace rectify::testing {

using web::json;

struct HttpReply {
  int status = 0;
  json body;
  std::string location;
};

class ApiFixture {
 public:
  // The clock starts at 2021-10-12 09:00 Shanghai: inside the campaign's implementation phase.
  // `options` as `rectify serve` would pass them (its defaults unless a test needs others).
  explicit ApiFixture(web::ApiOptions options = {})
      : options_(options), clock_(*ParseInstant("2021-10-12T09:00:00+08:00")) {
    Start();
  }
  // A deployment of these campaign files (relative to the source tree) and county file.
  ApiFixture(std::vector<std::string> campaign_files, std::string county_file)
      : campaign_files_(std::move(campaign_files)),
        county_file_(std::move(county_file)),
        clock_(*ParseInstant("2021-10-12T09:00:00+08:00")) {
    Start();
  }
  ~ApiFixture() { Stop(); }

  // Stops the server and closes the database, then opens both again on the same file.
  void Restart() {
    Stop();
    Start();
  }

  // A logged-in user's bearer token.
  struct Login {
    std::string username;
    std::string token;
  };

  HttpReply Get(const std::string& path) { return GetAs(Office(), path); }
  HttpReply Post(const std::string& path, const json& body) { return PostAs(Office(), path, body); }
  HttpReply PostRaw(const std::string& path, const std::string& body) { return PostRawAs(Office(), path, body); }
  HttpReply GetAs(const Login& who, const std::string& path) {
    return Read(client_->Get(path.c_str(), Bearer(who)));
  }
  HttpReply PostAs(const Login& who, const std::string& path, const json& body) {
    return PostRawAs(who, path, body.dump());
  }
  HttpReply PostRawAs(const Login& who, const std::string& path, const std::string& body) {
    return Read(client_->Post(path.c_str(), Bearer(who), body, "application/json"));
  }
  HttpReply DeleteAs(const Login& who, const std::string& path) { return Read(client_->Delete(path.c_str(), Bearer(who))); }
  // Without any credentials.
  HttpReply GetAnonymous(const std::string& path) { return Read(client_->Get(path.c_str())); }
  httplib::Client& client() { return *client_; }

  // Fires `event` with extra fields as a user the permission table allows; returns the reply.
  HttpReply Fire(const std::string& item_path, const std::string& event, json extra = json::object()) {
    extra["event"] = event;
    return PostAs(PermittedFor(item_path, event), item_path + "/events", extra);
  }
  HttpReply FireAs(const Login& who, const std::string& item_path, const std::string& event,
                   json extra = json::object()) {
    extra["event"] = event;
    return PostAs(who, item_path + "/events", extra);
  }

  // A user with one role (and unit), created and logged in on first use: "t.<r>.<unit>" where
  // <r> is the role's initial (o, u, i, s, l), cut to the 32 characters a username may have.
  const Login& As(const std::string& role, const std::string& unit = {}) {
    return AsOf(campaign_->town, role, unit);
  }
  // The same for a user of town `town` (empty: a county-level user, "t.<r>.county").
  const Login& AsOf(const std::string& town, const std::string& role, const std::string& unit = {}) {
    const std::string key = town + "/" + role + "/" + unit;
    auto found = logins_.find(key);
    if (found != logins_.end()) return found->second;
    const std::string username =
        ("t." + role.substr(0, 1) + (unit.empty() ? (town.empty() ? ".county" : town == campaign_->town ? "" : "." + town)
                                                  : "." + unit))
            .substr(0, 32);
    auto role_value = accounts::ParseRole(role);
    if (!role_value.ok()) throw std::runtime_error(role_value.status().ToString());
    auto added = services_->accounts().AddUser("test", username, role, unit, town, {*role_value}, kTestPassword,
                                               clock_.Now());
    if (!added.ok()) throw std::runtime_error(added.status().ToString());
    const HttpReply login = Read(client_->Post(
        "/api/login", json{{"username", username}, {"password", kTestPassword}, {"session", "bearer"}}.dump(),
        "application/json"));
    if (login.status != 200) throw std::runtime_error("login failed: " + login.body.dump());
    // Tests move the clock by days, past a session's 12 hours: the session issues the user an
    // API token of the longest life (a year and a day) and the test goes on with that.
    const Login session{username, login.body["token"].get<std::string>()};
    const HttpReply token = PostAs(session, "/api/tokens", {{"label", "test"}, {"expires_in_days", 366}});
    if (token.status != 201) throw std::runtime_error("token failed: " + token.body.dump());
    return logins_[key] = Login{username, token.body["token"].get<std::string>()};
  }
  const Login& Office() { return As("office", "rural_office"); }
  // A person's own login (a bearer session) of a user made by As(), for what an API token may not
  // do (issue tokens, log out).
  Login LoginSession(const Login& user) {
    const HttpReply login = Read(client_->Post(
        "/api/login", json{{"username", user.username}, {"password", kTestPassword}, {"session", "bearer"}}.dump(),
        "application/json"));
    if (login.status != 200) throw std::runtime_error("login failed: " + login.body.dump());
    return Login{user.username, login.body["token"].get<std::string>()};
  }

  // A user who may fire `event` on the item, by the first grant of the permission table.
  const Login& PermittedFor(const std::string& item_path, const std::string& event) {
    const HttpReply item = Get(item_path);
    if (item.status != 200) return Office();
    auto text = [&item](const char* key) {
      const auto found = item.body.find(key);
      return found != item.body.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    const auto& table = text("kind") == "problem" ? campaign_->permissions.problem_events
                                                  : campaign_->permissions.enrollment_events;
    const std::string from = text("step").empty() ? text("state") : text("step");
    auto grants = table.find(event + "@" + from);
    if (grants == table.end()) grants = table.find(event);
    if (grants == table.end() || grants->second.empty()) return Office();
    const Grant& grant = grants->second.front();
    std::string unit;
    if (grant.relation == "village") {
      unit = text("village");
    } else if (grant.relation == "cooperating") {
      const std::vector<std::string> cooperating = item.body.value("cooperating_units", std::vector<std::string>{});
      if (!cooperating.empty()) unit = cooperating.front();
    } else if (!grant.relation.empty()) {
      unit = text("unit");
    } else if (grant.role == "office") {
      unit = "rural_office";
    }
    return As(grant.role, unit);
  }

  static constexpr const char* kTestPassword = "test-password-2021";

  ManualClock& clock() { return clock_; }
  // The server's own store, for writing what an older release may have left in a database.
  SqliteStores& store() { return *store_; }
  // The deployment's services, as the server calls them.
  app::DeploymentServices& services() { return *services_; }
  // The first campaign's items in that store: what its services read and write.
  ItemStore& campaign_items() { return services_->campaigns().front()->Ports().store; }
  int port() const { return port_; }
  const std::string& db_path() const { return db_path_; }

 private:
  void Start() {
    std::vector<std::string> files;
    // Relative to the source tree, or absolute (a campaign file a test wrote).
    auto path = [](const std::string& file) {
      return file.empty() || file[0] == '/' ? file : std::string(RECTIFY_SOURCE_DIR) + "/" + file;
    };
    for (const std::string& file : campaign_files_) files.push_back(path(file));
    auto deployment = LoadDeployment(files, path(county_file_));
    if (!deployment.ok()) throw std::runtime_error(deployment.status().ToString());
    deployment_ = std::make_unique<Deployment>(std::move(deployment).value());
    campaign_ = deployment_->campaigns.front().get();
    // The store stamps audit records on the test's clock too (not owned: the fixture outlives it).
    auto store = SqliteStores::Open(db_path_, std::shared_ptr<const Clock>(&clock_, [](const Clock*) {}));
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    store_ = std::move(store.value());
    accounts::AccountPolicy policy;
    policy.cost = accounts::PasswordCost::TestOnlyMinimum();
    services_ = std::make_unique<app::DeploymentServices>(*deployment_, *store_, policy);
    server_ = std::make_unique<web::ApiServer>(services_->Api(), clock_, options_);
    auto port = server_->Bind("127.0.0.1", 0);
    if (!port.ok()) throw std::runtime_error(port.status().ToString());
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Serve(); });
    while (!server_->IsServing()) std::this_thread::yield();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }

  void Stop() {
    client_.reset();
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    services_.reset();
    store_.reset();
  }

  static httplib::Headers Bearer(const Login& who) { return {{"Authorization", "Bearer " + who.token}}; }

  static HttpReply Read(const httplib::Result& result) {
    if (!result) throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
    HttpReply reply;
    reply.status = result->status;
    reply.location = result->get_header_value("Location");
    reply.body = json::parse(result->body, nullptr, false);
    return reply;
  }

  const std::vector<std::string> campaign_files_ = {"workflows/gaoqiao-2021-autumn.json"};
  const std::string county_file_;
  const web::ApiOptions options_;
  TempDir dir_;
  std::string db_path_ = dir_.File("rectify.sqlite");
  ManualClock clock_;
  std::unique_ptr<Deployment> deployment_;
  const Campaign* campaign_ = nullptr;  // the first campaign: the one plain paths mean
  std::unique_ptr<SqliteStores> store_;
  std::unique_ptr<app::DeploymentServices> services_;
  std::unique_ptr<web::ApiServer> server_;
  std::map<std::string, Login> logins_;  // sessions live in the database: they survive Restart()
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

// A problem in area 2 (义务教育) from the 2020 national assessment, as the office files it.
inline json SampleProblem() {
  return {{"title", "某村一名适龄儿童辍学未劝返"},
          {"area", 2},
          {"source", "national_assessment_2020"}};
}

}  // namespace rectify::testing
