// Whose move it is (AwaitsOffice), and its memo for passes over many items, on the Gaoqiao
// campaign's machines and permission table.
#include <catch2/catch.hpp>

#include "engine/item_facts.h"
#include "engine/workflow.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {

TEST_CASE("the memo of whose move it is answers as AwaitsOffice for every state, pending request and relation") {
  const Campaign campaign = Gaoqiao();
  AwaitsOfficeMemo memo(campaign.permissions);
  int office = 0, unit = 0;
  // Twice over: the second time every answer comes from the memo.
  for (int round = 0; round < 2; ++round) {
    for (const ItemKind kind : {ItemKind::kProblem, ItemKind::kEnrollment}) {
      for (const std::string& path : WorkflowFor(kind).States()) {
        for (int variant = 0; variant < 32; ++variant) {
          Item item;
          item.kind = kind;
          item.state = StatePath::Parse(path);
          item.unit = variant & 1 ? "village_1" : "";
          if (variant & 2) item.sign_for = SignForRequest{};
          if (variant & 4) item.extension = ExtensionRequest{};
          if (variant & 8) item.cooperating_units = {"village_1"};
          if (variant & 16) item.household = Household{};
          if (variant & 16) item.household->village = "village_1";
          INFO(ItemKindName(kind) << " " << path << " variant " << variant);
          const bool expected = AwaitsOffice(campaign.permissions, item);
          CHECK(memo(item) == expected);
          ++(expected ? office : unit);
        }
      }
    }
  }
  // Both answers occur: an unassigned or verified item is the office's, work in hand the unit's.
  CHECK(office > 0);
  CHECK(unit > 0);
}

}  // namespace rectify::testing
