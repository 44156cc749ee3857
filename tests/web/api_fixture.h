// A real API server for one test: the real Gaoqiao campaign file, a fresh SQLite file in a
// temp dir, a clock the test sets, httplib listening on 127.0.0.1 with a port the kernel picks,
// and a real HTTP client. Nothing is mocked.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "config/campaign_loader.h"
#include "engine/clock.h"
#include "engine/item_service.h"
#include "storage/sqlite_store.h"
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
  ApiFixture() : clock_(*ParseInstant("2021-10-12T09:00:00+08:00")) { Start(); }
  ~ApiFixture() { Stop(); }

  // Stops the server and closes the database, then opens both again on the same file.
  void Restart() {
    Stop();
    Start();
  }

  HttpReply Get(const std::string& path) { return Read(client_->Get(path.c_str())); }
  HttpReply Post(const std::string& path, const json& body) { return PostRaw(path, body.dump()); }
  HttpReply PostRaw(const std::string& path, const std::string& body) {
    return Read(client_->Post(path.c_str(), body, "application/json"));
  }
  // Fires `event` with extra fields; returns the reply.
  HttpReply Fire(const std::string& item_path, const std::string& event, json extra = json::object()) {
    extra["event"] = event;
    if (!extra.contains("actor")) extra["actor"] = "tester";
    return Post(item_path + "/events", extra);
  }

  ManualClock& clock() { return clock_; }
  int port() const { return port_; }
  const std::string& db_path() const { return db_path_; }

 private:
  void Start() {
    auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
    if (!campaign.ok()) throw std::runtime_error(campaign.status().ToString());
    campaign_ = std::make_unique<Campaign>(std::move(campaign.value()));
    auto store = SqliteStore::Open(db_path_);
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    store_ = std::move(store.value());
    service_ = std::make_unique<ItemService>(*campaign_, *store_);
    server_ = std::make_unique<web::ApiServer>(*service_, *campaign_, clock_, *store_);
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
    service_.reset();
    store_.reset();
  }

  static HttpReply Read(const httplib::Result& result) {
    if (!result) throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
    HttpReply reply;
    reply.status = result->status;
    reply.location = result->get_header_value("Location");
    reply.body = json::parse(result->body, nullptr, false);
    return reply;
  }

  TempDir dir_;
  std::string db_path_ = dir_.File("rectify.sqlite");
  ManualClock clock_;
  std::unique_ptr<Campaign> campaign_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<ItemService> service_;
  std::unique_ptr<web::ApiServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

// A problem in area 2 (义务教育) from the 2020 national assessment, as the office files it.
inline json SampleProblem() {
  return {{"title", "某村一名适龄儿童辍学未劝返"},
          {"area", 2},
          {"source", "national_assessment_2020"},
          {"actor", "office"}};
}

}  // namespace rectify::testing
