// Configuration changes (the campaign and channel files) in the audit log, on a real SQLite file.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "app/config_audit.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

std::vector<AuditRecord> ConfigChanges(SqliteStores& store) {
  std::vector<AuditRecord> out;
  REQUIRE(store.audit()
              .ForEachAudit([&](const AuditRecord& r) {
                if (r.action == app::kAuditConfigChange) out.push_back(r);
                return Status::Ok();
              })
              .ok());
  return out;
}

}  // namespace

TEST_CASE("a start records the configuration once and again only when a file changed") {
  TempDir dir;
  const std::string campaign = dir.File("campaign.json");
  const std::string channels = dir.File("channels.json");
  std::ofstream(campaign) << "{\"id\": 1}";
  std::ofstream(channels) << "{}";
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());

  CHECK(app::RecordConfiguration((*store)->items(), {campaign, channels}).value());
  CHECK_FALSE(app::RecordConfiguration((*store)->items(), {campaign, channels}).value());
  REQUIRE(ConfigChanges(**store).size() == 1);
  CHECK(ConfigChanges(**store)[0].detail.find("(first start)") != std::string::npos);

  std::ofstream(channels) << "{\"units\": {}}";
  CHECK(app::RecordConfiguration((*store)->items(), {campaign, channels}).value());
  const std::vector<AuditRecord> changes = ConfigChanges(**store);
  REQUIRE(changes.size() == 2);
  CHECK(changes[1].actor == "system");
  CHECK(changes[1].detail.find(channels + " sha256 ") != std::string::npos);
  CHECK(changes[1].detail.find("(was: " + campaign) != std::string::npos);
  // The same files spelled another way (another working directory, ./) are no change.
  CHECK_FALSE(app::RecordConfiguration((*store)->items(), {dir.File("./campaign.json"), dir.File("././channels.json")})
                  .value());
  CHECK(app::RecordConfiguration((*store)->items(), {campaign, dir.File("missing.json")}).status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE("a folder stands for the files in it, and a file named twice counts once") {
  TempDir dir;
  const std::string calendars = dir.File("calendars");
  std::filesystem::create_directory(calendars);
  std::ofstream(calendars + "/cn-2021.json") << "{}";
  std::ofstream(calendars + "/cn-2022.json") << "{}";
  const std::string campaign = dir.File("campaign.json");
  std::ofstream(campaign) << "{\"id\": 1}";
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());

  REQUIRE(app::RecordConfiguration((*store)->items(), {campaign, calendars, campaign}).value());
  const std::string first = ConfigChanges(**store)[0].detail;
  CHECK(first.find(calendars + "/cn-2021.json sha256 ") != std::string::npos);
  CHECK(first.find(calendars + "/cn-2022.json sha256 ") != std::string::npos);
  CHECK(first.find(campaign + " sha256 ") == first.rfind(campaign + " sha256 "));
  CHECK_FALSE(app::RecordConfiguration((*store)->items(), {campaign, calendars}).value());
  // A holiday notice edited inside the folder is a change.
  std::ofstream(calendars + "/cn-2022.json") << "{\"holidays\": []}";
  CHECK(app::RecordConfiguration((*store)->items(), {campaign, calendars}).value());
  CHECK(ConfigChanges(**store).size() == 2);
}

TEST_CASE("instances starting together on new files record the change once") {
  TempDir dir;
  const std::string campaign = dir.File("campaign.json");
  std::ofstream(campaign) << "{\"id\": 1}";
  constexpr int kInstances = 6;
  std::vector<std::unique_ptr<SqliteStores>> instances;
  for (int i = 0; i < kInstances; ++i) {
    auto opened = SqliteStores::Open(dir.File("rectify.sqlite"));
    REQUIRE(opened.ok());
    instances.push_back(std::move(*opened));
  }
  for (int round = 0; round < 3; ++round) {  // the first start, then two changes of the file
    if (round > 0) std::ofstream(campaign) << "{\"id\": " << round + 1 << "}";
    std::atomic<int> waiting{kInstances};
    std::atomic<int> recorded{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> starts;
    for (auto& instance : instances) {
      starts.emplace_back([&, store = instance.get()] {
        --waiting;
        while (waiting > 0) std::this_thread::yield();  // every instance reads at once
        auto changed = app::RecordConfiguration(store->items(), {campaign});
        if (!changed.ok()) ++failed;
        else if (*changed) ++recorded;
      });
    }
    for (std::thread& start : starts) start.join();
    CHECK(failed == 0);
    CHECK(recorded == 1);
    CHECK(ConfigChanges(*instances[0]).size() == static_cast<std::size_t>(round + 1));
  }
}

}  // namespace rectify::testing
