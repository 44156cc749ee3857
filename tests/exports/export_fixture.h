// The Gaoqiao campaign on a real SqliteStores in a temp directory, with items created and moved
// through ItemService as the API moves them, and read back with the exports' loaders.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "config/campaign_loader.h"
#include "engine/item_service.h"
#include "engine/item_store.h"
#include "storage/sqlite_stores.h"
#include "tests/sqlite_file.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

// 2021 in Shanghai: At(10, 26, 17, 30) is 10月26日 17:30.
inline Instant At(int month, int day, int hour, int minute = 0) {
  return ShanghaiInstant(CivilDate{2021, month, day}, hour * 3600 + minute * 60);
}

inline EventInput Event(std::string name) {
  EventInput input;
  input.name = std::move(name);
  return input;
}

inline NewProblem MakeProblem(std::string title, int area, std::string source, std::string unit = "") {
  NewProblem problem;
  problem.title = std::move(title);
  problem.area = area;
  problem.source = std::move(source);
  problem.unit = std::move(unit);
  return problem;
}

// A marginal household (边缘易致贫户) of four at risk through illness, found by cadres.
inline Household MakeHousehold(std::string head, std::string village, CivilDate risk_found_on = {2021, 9, 20}) {
  Household household;
  household.head_name = std::move(head);
  household.village = std::move(village);
  household.category = "marginal";
  household.risk_type = "illness";
  household.risk_found_on = risk_found_on;
  household.clue_source = "cadre_found";
  household.members = 4;
  return household;
}

class ExportFixture {
 public:
  ExportFixture()
      : campaign_(LoadGaoqiao()), store_(OpenStore(dir_.File("exports.sqlite"))), service_(campaign_, store_->items()) {}

  const Campaign& campaign() const { return campaign_; }
  ItemStore& store() { return store_->items(); }
  SqliteStores& stores() { return *store_; }

  // Runs `sql` on the database file past the store, as an older rectify left it.
  void Exec(const std::string& sql) { ExecOnFile(dir_.File("exports.sqlite"), sql); }
  ItemService& service() { return service_; }

  std::int64_t AddProblem(const NewProblem& problem, Instant at) {
    auto created = service_.CreateProblem(problem, Actor::System("镇乡村振兴办"), at);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    // A unit given the problem signs for it at once: the forms show its deadline, not its 签收.
    if (!problem.unit.empty()) Fire(ItemKind::kProblem, created->item.id, Event("sign_for"), at);
    return created->item.id;
  }

  std::int64_t AddEnrollment(const Household& household, Instant at) {
    NewEnrollment enrollment;
    enrollment.household = household;
    auto created = service_.CreateEnrollment(enrollment, Actor::System("镇乡村振兴办"), at);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    return created->item.id;
  }

  void Fire(ItemKind kind, std::int64_t id, const EventInput& input, Instant at) {
    auto fired = service_.Fire(kind, id, input, Actor::System("测试"), std::nullopt, at);
    INFO(input.name << ": " << fired.status().ToString());
    REQUIRE(fired.ok());
  }

  std::vector<ItemRecord> Records(ItemKind kind) {
    ItemQuery query;
    query.kind = kind;
    auto records = LoadRecords(store_->items(), query);
    INFO(records.status().ToString());
    REQUIRE(records.ok());
    return std::move(records).value();
  }

  std::vector<Item> Items(ItemKind kind) {
    ItemQuery query;
    query.kind = kind;
    auto items = LoadItems(store_->items(), query);
    INFO(items.status().ToString());
    REQUIRE(items.ok());
    return std::move(items).value();
  }

 private:
  static Campaign LoadGaoqiao() {
    auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
    INFO(campaign.status().ToString());
    REQUIRE(campaign.ok());
    return std::move(campaign).value();
  }

  static std::unique_ptr<SqliteStores> OpenStore(const std::string& path) {
    auto store = SqliteStores::Open(path);
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    return std::move(store).value();
  }

  TempDir dir_;
  Campaign campaign_;
  std::unique_ptr<SqliteStores> store_;
  ItemService service_;
};

}  // namespace rectify::testing
