#include "engine/item_store.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/exports/export_fixture.h"

namespace rectify::exports {
namespace {

using namespace rectify::testing;  // NOLINT: fixture vocabulary

// More than one page of the store's listing (the loaders read 500 at a time).
constexpr int kProblems = 501;

void AddProblems(ExportFixture& f) {
  std::vector<NewProblem> problems;
  for (int i = 0; i < kProblems; ++i) {
    problems.push_back(MakeProblem("问题" + std::to_string(i), 2, "campaign_sweep",
                                   i % 2 == 0 ? "central_school" : "village_1"));
  }
  auto created = f.service().CreateProblems(problems, Actor::System("镇乡村振兴办"), At(10, 8, 9));
  INFO(created.status().ToString());
  REQUIRE(created.ok());
}

TEST_CASE("LoadItems reads every page of a listing in id order and keeps the query's filters") {
  ExportFixture f;
  AddProblems(f);
  ItemQuery query;
  query.kind = ItemKind::kProblem;
  query.limit = 7;  // ignored: the loader pages by itself
  const auto all = LoadItems(f.store(), query);
  REQUIRE(all.ok());
  REQUIRE(all->size() == kProblems);
  for (std::size_t i = 1; i < all->size(); ++i) CHECK((*all)[i - 1].id < (*all)[i].id);

  query.unit = "central_school";
  const auto school = LoadItems(f.store(), query);
  REQUIRE(school.ok());
  CHECK(school->size() == (kProblems + 1) / 2);
  for (const Item& item : *school) CHECK(item.unit == "central_school");
}

TEST_CASE("LoadRecords gives every item its own history") {
  ExportFixture f;
  const NewProblem problem = MakeProblem("送教上门台账不全", 2, "campaign_sweep", "central_school");
  const std::int64_t first = f.AddProblem(problem, At(10, 8, 9));
  const std::int64_t second = f.AddProblem(problem, At(10, 8, 10));
  f.Fire(ItemKind::kProblem, second, Event("start"), At(10, 9, 9));
  const auto records = f.Records(ItemKind::kProblem);
  REQUIRE(records.size() == 2);
  CHECK(records[0].item.id == first);
  // Created, then signed for by its unit (the fixture signs at once).
  REQUIRE(records[0].history.size() == 2);
  CHECK(records[0].history[0].event == "create");
  CHECK(records[1].item.id == second);
  REQUIRE(records[1].history.size() == 3);
  CHECK(records[1].history[2].event == "start");
  CHECK(records[1].history[2].item_id == second);
}

}  // namespace
}  // namespace rectify::exports
