// The survey store's contract (tests/storage/survey_store_contract.h) on SQLite, sharing its
// database with the item store as the server does, plus what only SQLite does: the append-only
// visit rows and the schema's own checks.
#include <catch2/catch.hpp>

#include "storage/sqlite_stores.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

// A fresh database; the survey store shares it with the item store, so their writes take turns
// and append to one audit chain.
class SqliteSurveyBackend {
 public:
  SqliteSurveyBackend() {
    auto opened = SqliteStores::Open(path_);
    REQUIRE(opened.ok());
    stores_ = std::move(opened.value());
  }
  SurveyStore& store() { return stores_->survey(); }
  std::int64_t MakeEnrollment() {
    Item item;
    item.kind = ItemKind::kEnrollment;
    item.state = StatePath{"found", ""};
    item.title = "张三户";
    Household household;
    household.head_name = "张三";
    household.village = "village_1";
    household.category = "marginal";
    household.risk_type = "illness";
    household.risk_found_on = {2021, 9, 20};
    household.clue_source = "cadre_found";
    item.household = household;
    EventRecord created;
    created.to = "found";
    created.event = "create";
    auto stored = stores_->items().Insert({item}, {created});
    REQUIRE(stored.ok());
    return stored->front().id;
  }
  std::vector<AuditRecord> AuditRecords() {
    auto records = stores_->audit().AuditRange(0, 4102444800, 0, 1000);
    REQUIRE(records.ok());
    return records.value();
  }
  SqliteStores& stores() { return *stores_; }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_ = dir_.File("survey.sqlite");
  std::unique_ptr<SqliteStores> stores_;
};

}  // namespace rectify::testing

#define SURVEY_STORE_BACKENDS rectify::testing::SqliteSurveyBackend
#include "tests/storage/survey_store_contract.h"

namespace rectify::testing {

TEST_CASE("a recorded visit cannot be rewritten or deleted in the database") {
  SqliteSurveyBackend backend;
  SurveyHousehold h = AddThree(backend)[0];
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  REQUIRE(backend.store().Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record")).ok());
  auto db = sqlite::Db::Open(backend.path());
  REQUIRE(db.ok());
  for (const char* sql : {"UPDATE survey_visits SET findings = 'x'", "DELETE FROM survey_visits",
                          "DELETE FROM survey_visit_team", "UPDATE survey_events SET note = 'x'",
                          "DELETE FROM survey_events"}) {
    INFO(sql);
    const Status refused = db->Exec(sql);
    CHECK_FALSE(refused.ok());
    CHECK_THAT(refused.message(), Catch::Contains("append-only"));
  }
}

}  // namespace rectify::testing
