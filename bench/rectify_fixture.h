// rectify as make bench runs it: the Gaoqiao campaign on a fresh SQLite file in a temp
// directory (WAL, synchronous=FULL, as deployed), served over loopback on a free port, with a
// unit member of village_1 and an office user logged in. The clock stands still at
// 2021-10-12 09:00 (Shanghai), inside the campaign's calendar.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/services.h"
#include "engine/campaign.h"
#include "engine/clock.h"
#include "engine/deployment.h"
#include "storage/sqlite_stores.h"
#include "web/api_server.h"

namespace rectify::bench {

class RectifyFixture {
 public:
  // Throws std::runtime_error when the campaign, the database or the socket refuse.
  explicit RectifyFixture(const std::string& campaign_path);
  ~RectifyFixture();
  RectifyFixture(const RectifyFixture&) = delete;
  RectifyFixture& operator=(const RectifyFixture&) = delete;

  // `count` problems of village_1, assigned and started: ready for progress notes.
  std::vector<std::int64_t> MakeWorkingProblems(int count);

  const Campaign& campaign() const { return *deployment_.campaigns.front(); }
  const std::string& dir() const { return dir_; }  // removed with everything in it at the end
  SqliteStores& store() { return *store_; }
  int port() const { return port_; }
  const std::string& member_token() const { return member_token_; }  // village_1's unit member
  const std::string& office_token() const { return office_token_; }  // sees every unit

 private:
  std::string dir_;
  Deployment deployment_;  // the one campaign of campaign_path
  ManualClock clock_;
  std::unique_ptr<SqliteStores> store_;
  std::unique_ptr<app::DeploymentServices> services_;
  std::string member_token_;
  std::string office_token_;
  std::unique_ptr<web::ApiServer> server_;
  std::thread serving_;
  int port_ = 0;
};

}  // namespace rectify::bench
