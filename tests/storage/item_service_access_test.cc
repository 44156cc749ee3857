// ItemService's narrowing of reads to what an actor may see, on a real SQLite store, for the
// cases the HTTP tests cannot reach through real accounts: an actor without a unit, and a role
// the table grants no reading at all.
#include <catch2/catch.hpp>

#include "config/campaign_loader.h"
#include "engine/item_service.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

TEST_CASE("an actor with nothing to narrow to is refused rather than shown the unassigned items") {
  TempDir dir;
  auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
  REQUIRE(campaign.ok());
  auto store = SqliteStores::Open(dir.File("rectify.sqlite"));
  REQUIRE(store.ok());
  ItemService service(*campaign, (*store)->items());
  NewProblem unassigned;
  unassigned.title = "尚未交办";
  unassigned.area = 14;
  unassigned.source = "campaign_sweep";
  const Instant now = *ParseInstant("2021-10-12T09:00:00+08:00");
  REQUIRE(service.CreateProblem(unassigned, Actor::System("cli"), now).ok());

  Actor no_unit;
  no_unit.name = "user x";
  no_unit.roles = {"unit_member"};
  ItemQuery query;
  CHECK(service.List(query, no_unit).status().code() == StatusCode::kPermissionDenied);
  OverdueQuery overdue;
  overdue.as_of = now + 100 * kSecondsPerDay;
  CHECK(service.Overdue(overdue, no_unit).status().code() == StatusCode::kPermissionDenied);

  Actor member = no_unit;
  member.unit = "village_1";
  REQUIRE(service.List(query, member).ok());
  CHECK(service.List(query, member)->empty());
  CHECK(service.Get(ItemKind::kProblem, 1, member).status().code() == StatusCode::kNotFound);

  Actor stranger;  // a role the table does not know grants nothing
  stranger.name = "user y";
  stranger.roles = {"visitor"};
  stranger.unit = "village_1";
  CHECK(service.List(query, stranger).status().code() == StatusCode::kPermissionDenied);
  CHECK(service.Get(ItemKind::kProblem, 1, stranger).status().code() == StatusCode::kNotFound);

  Actor leader;
  leader.name = "user z";
  leader.roles = {"leader"};
  CHECK(service.List(query, leader)->size() == 1);
}

}  // namespace rectify::testing
