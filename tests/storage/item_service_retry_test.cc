// ItemService::Fire when another write lands between its read of the item and its write, on a
// real SQLite store: the interleaving is made certain by a store that forwards every call to the
// real one and, at the first Update, first lets "someone else" write the item through it.
#include <catch2/catch.hpp>

#include <functional>
#include <utility>

#include "config/campaign_loader.h"
#include "engine/item_service.h"
#include "engine/warning_tiers.h"
#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

class WriteBetweenReadAndWrite final : public ItemStore {
 public:
  WriteBetweenReadAndWrite(ItemStore& real, std::function<void(ItemStore&)> other_write, int times = 1)
      : real_(real), other_write_(std::move(other_write)), times_(times) {}

  Status Update(const Item& item, const EventRecord& event) override {
    if (times_ > 0) {
      --times_;
      other_write_(real_);
    }
    return real_.Update(item, event);
  }

  Result<std::vector<Item>> Insert(std::vector<Item> items, std::vector<EventRecord> created) override {
    return real_.Insert(std::move(items), std::move(created));
  }
  Result<Item> Get(ItemKind kind, std::int64_t id) override { return real_.Get(kind, id); }
  Result<std::vector<Item>> List(const ItemQuery& query) override { return real_.List(query); }
  Result<std::int64_t> Count(const ItemQuery& query) override { return real_.Count(query); }
  Result<std::vector<Item>> Overdue(const OverdueQuery& query) override { return real_.Overdue(query); }
  Result<std::map<std::string, int>> CountByUnit(const ItemQuery& query) override { return real_.CountByUnit(query); }
  Result<std::vector<Status>> UpdateEach(const std::vector<ItemUpdate>& updates) override {
    return real_.UpdateEach(updates);
  }
  Result<Item> CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) override {
    return real_.CarryOver(std::move(arriving), std::move(arrived), std::move(leaving), std::move(left));
  }
  Result<GuardedWrite> InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) override {
    return real_.InsertUnless(std::move(item), std::move(created), blocker);
  }
  Result<GuardedWrite> UpdateUnless(const Item& item, const EventRecord& event, const ItemQuery& blocker) override {
    return real_.UpdateUnless(item, event, blocker);
  }
  Result<std::vector<EventRecord>> History(ItemKind kind, std::int64_t id) override { return real_.History(kind, id); }
  Result<std::vector<std::vector<EventRecord>>> Histories(const HistoriesQuery& query) override {
    return real_.Histories(query);
  }
  Status UpdateDeadlines(const std::vector<Item>& items) override { return real_.UpdateDeadlines(items); }
  Result<bool> FigureGroups(const FigureGroupsQuery& query,
                            const std::function<void(const FigureGroup& group)>& visit) override {
    return real_.FigureGroups(query, visit);
  }
  Status CountFigures(const std::vector<Item>& items) override { return real_.CountFigures(items); }
  Result<std::optional<std::string>> GetMeta(const std::string& key) override { return real_.GetMeta(key); }
  Status PutMeta(const std::string& key, const std::string& value) override { return real_.PutMeta(key, value); }
  Result<bool> PutMetaIf(const std::string& key, const std::optional<std::string>& expected, const std::string& value,
                         const std::optional<AuditRecord>& because) override {
    return real_.PutMetaIf(key, expected, value, because);
  }

 private:
  ItemStore& real_;
  std::function<void(ItemStore&)> other_write_;
  int times_;
};

const Instant kNow = *ParseInstant("2021-10-12T09:00:00+08:00");

Actor VillageMember() {
  Actor member;
  member.name = "demo.village1";
  member.roles = {"unit_member"};
  member.unit = "village_1";
  return member;
}

// The notifier's kind of write: a warning tier recorded, with its history row.
void RecordTier(ItemStore& store, std::int64_t id, const std::string& tier) {
  Item item = *store.Get(ItemKind::kProblem, id);
  EventRecord row;
  row.from = row.to = item.state.ToString();
  row.event = kTierEvent;
  row.actor = "notifier";
  row.at = kNow;
  row.unit = item.unit;
  row.note = "tier: " + item.tier + " -> " + tier;
  item.tier = tier;
  REQUIRE(store.Update(item, row).ok());
}

struct Fixture {
  TempDir dir;
  Campaign campaign = *LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
  std::unique_ptr<SqliteStores> stores = SqliteStores::Open(dir.File("rectify.sqlite")).value();
  std::int64_t id = 0;

  Fixture() {
    ItemService service(campaign, stores->items());
    NewProblem problem;
    problem.title = "村级公示栏未更新";
    problem.area = 14;
    problem.source = "campaign_sweep";
    problem.unit = "village_1";
    auto created = service.CreateProblem(problem, Actor::System("cli"), kNow);
    REQUIRE(created.ok());
    id = created->item.id;
    EventInput start;
    start.name = "start";
    REQUIRE(service.Fire(ItemKind::kProblem, id, start, VillageMember(), std::nullopt, kNow).ok());
  }
};

EventInput Note(const std::string& text) {
  EventInput progress;
  progress.name = "progress";
  progress.note = text;
  return progress;
}

}  // namespace

TEST_CASE("a note sent without a version is written when the notifier records a tier between its read and write") {
  Fixture f;
  WriteBetweenReadAndWrite store(f.stores->items(), [&](ItemStore& real) { RecordTier(real, f.id, "yellow"); });
  ItemService service(f.campaign, store);
  const std::int64_t before = f.stores->items().Get(ItemKind::kProblem, f.id)->version;

  auto noted = service.Fire(ItemKind::kProblem, f.id, Note("已更新公示栏"), VillageMember(), std::nullopt, kNow);
  REQUIRE(noted.ok());
  CHECK(noted->item.version == before + 2);
  CHECK(noted->item.tier == "yellow");  // decided again on the item as the tier left it
  auto history = f.stores->items().History(ItemKind::kProblem, f.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() >= 2);
  CHECK((*history)[history->size() - 2].event == "warning_tier");
  CHECK(history->back().event == "progress");
  CHECK(history->back().note == "已更新公示栏");
}

TEST_CASE("a note sent with the version it read is refused 409 when the item changed before its write") {
  Fixture f;
  WriteBetweenReadAndWrite store(f.stores->items(), [&](ItemStore& real) { RecordTier(real, f.id, "yellow"); });
  ItemService service(f.campaign, store);
  const Item before = *f.stores->items().Get(ItemKind::kProblem, f.id);

  auto noted = service.Fire(ItemKind::kProblem, f.id, Note("已更新公示栏"), VillageMember(), before.version, kNow);
  REQUIRE_FALSE(noted.ok());
  CHECK(noted.status().code() == StatusCode::kAborted);
  auto history = f.stores->items().History(ItemKind::kProblem, f.id);
  CHECK(history->back().event == "warning_tier");  // the note was not written
}

TEST_CASE("an event decided again after a write between finds what the item now allows") {
  Fixture f;
  // Between the unit's read and its write the unit's submission lands (another member of it):
  // the second "submit" is decided again and refused as the state now stands, naming what it allows.
  WriteBetweenReadAndWrite store(f.stores->items(), [&](ItemStore& real) {
    ItemService other(f.campaign, real);
    EventInput submit;
    submit.name = "submit";
    submit.note = "已整改";
    REQUIRE(other.Fire(ItemKind::kProblem, f.id, submit, VillageMember(), std::nullopt, kNow).ok());
  });
  ItemService service(f.campaign, store);
  EventInput submit;
  submit.name = "submit";
  submit.note = "已整改";
  auto fired = service.Fire(ItemKind::kProblem, f.id, submit, VillageMember(), std::nullopt, kNow);
  REQUIRE_FALSE(fired.ok());
  CHECK(fired.status().code() == StatusCode::kFailedPrecondition);
  CHECK(fired.status().message().find("not allowed in state rectifying.submitted") != std::string::npos);
}

TEST_CASE("a write that keeps losing to others is answered 409 after the last attempt, and nothing of it is written") {
  Fixture f;
  int tiers = 0;
  WriteBetweenReadAndWrite store(
      f.stores->items(), [&](ItemStore& real) { RecordTier(real, f.id, ++tiers % 2 ? "yellow" : "blue"); },
      ItemService::kFireAttempts);
  ItemService service(f.campaign, store);
  auto noted = service.Fire(ItemKind::kProblem, f.id, Note("已更新公示栏"), VillageMember(), std::nullopt, kNow);
  REQUIRE_FALSE(noted.ok());
  CHECK(noted.status().code() == StatusCode::kAborted);
  CHECK(tiers == ItemService::kFireAttempts);
  auto history = f.stores->items().History(ItemKind::kProblem, f.id);
  CHECK(history->back().event == "warning_tier");
}

}  // namespace rectify::testing
