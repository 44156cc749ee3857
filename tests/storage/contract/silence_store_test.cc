// Silences (engine/silences.h) on every backend (backends.h): approved extensions mute an item
// until they end, and a silence needs an existing item.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/silences.h"
#include "tests/storage/contract/contract.h"

namespace rectify::testing {
namespace {

TEMPLATE_TEST_CASE("Active silences are the ones that have not ended and a silence needs an existing item",
                   "[silence_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SilenceStore& store = backend.stores().silences();
  const Item item = InsertOne(backend.stores().items(), Problem("records incomplete", "village_1"));
  auto add = [&](Instant until) {
    Silence silence;
    silence.item_id = item.id;
    silence.approved_by = "镇纪委 王";
    silence.reason = "延期: awaiting the county's data";
    silence.until = until;
    silence.created_at = kStart;
    Result<Silence> added = store.AddSilence(silence);
    INFO(added.status().ToString());
    REQUIRE(added.ok());
    CHECK(added->id > 0);
    CHECK(added->reason == silence.reason);
    return *added;
  };
  const Silence long_one = add(kStart + 10 * kDay);
  const Silence short_one = add(kStart + 2 * kDay);

  Result<std::vector<Silence>> active = store.ActiveSilences(kStart + kDay);
  REQUIRE(active.ok());
  REQUIRE(active->size() == 2);
  CHECK((*active)[0].id == short_one.id);  // the soonest to end first
  CHECK((*active)[0].item_id == item.id);
  CHECK((*active)[0].approved_by == "镇纪委 王");
  CHECK((*active)[0].until == kStart + 2 * kDay);
  CHECK((*active)[0].created_at == kStart);
  CHECK((*active)[1].id == long_one.id);

  active = store.ActiveSilences(kStart + 2 * kDay);  // ends at `until`: no longer active then
  REQUIRE(active.ok());
  REQUIRE(active->size() == 1);
  CHECK((*active)[0].id == long_one.id);
  CHECK(store.ActiveSilences(kStart + 10 * kDay)->empty());

  Silence orphan = long_one;
  orphan.item_id = item.id + 1000;
  CHECK(store.AddSilence(orphan).status().code() == StatusCode::kNotFound);
}

TEMPLATE_TEST_CASE("Ending a silence ends it at that instant and only a silence in force can be ended",
                   "[silence_store]", RECTIFY_STORE_BACKENDS) {
  TestType backend;
  SilenceStore& store = backend.stores().silences();
  const Item item = InsertOne(backend.stores().items(), Problem("records incomplete", "village_1"));
  Silence silence;
  silence.item_id = item.id;
  silence.approved_by = "镇纪委 王";
  silence.reason = "延期";
  silence.until = kStart + 10 * kDay;
  silence.created_at = kStart;
  const Silence added = store.AddSilence(silence).value();

  const Result<Silence> ended = store.EndSilence(added.id, kStart + kDay, "user office");
  INFO(ended.status().ToString());
  REQUIRE(ended.ok());
  CHECK(ended->until == kStart + kDay);
  CHECK(store.ActiveSilences(kStart + kDay)->empty());
  CHECK(store.ActiveSilences(kStart + kDay - 1)->size() == 1);  // it was in force until then
  CHECK(store.EndSilence(added.id, kStart + 2 * kDay, "user office").status().code() == StatusCode::kNotFound);
  CHECK(store.EndSilence(added.id + 100, kStart, "user office").status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace rectify::testing
