// Configuration changes (the campaign and channel files) in the audit log, on a real SQLite file.
#include <catch2/catch.hpp>

#include <fstream>

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

  CHECK(app::RecordConfiguration((*store)->items(), (*store)->audit(), {campaign, channels}).value());
  CHECK_FALSE(app::RecordConfiguration((*store)->items(), (*store)->audit(), {campaign, channels}).value());
  REQUIRE(ConfigChanges(**store).size() == 1);
  CHECK(ConfigChanges(**store)[0].detail.find("(first start)") != std::string::npos);

  std::ofstream(channels) << "{\"units\": {}}";
  CHECK(app::RecordConfiguration((*store)->items(), (*store)->audit(), {campaign, channels}).value());
  const std::vector<AuditRecord> changes = ConfigChanges(**store);
  REQUIRE(changes.size() == 2);
  CHECK(changes[1].actor == "system");
  CHECK(changes[1].detail.find(channels + " sha256 ") != std::string::npos);
  CHECK(changes[1].detail.find("(was: " + campaign) != std::string::npos);
  CHECK(app::RecordConfiguration((*store)->items(), (*store)->audit(), {campaign, dir.File("missing.json")}).status().code() ==
        StatusCode::kNotFound);
}

}  // namespace rectify::testing
