// What only the SQLite backend does with the household survey: its visit rows are append-only
// in the file itself. The survey store's contract is in contract/survey_store_test.cc.
#include <catch2/catch.hpp>

#include "storage/sqlite_db.h"
#include "tests/storage/sqlite_test_store.h"
#include "tests/storage/survey_test_households.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

TEST_CASE("a recorded visit cannot be rewritten or deleted in the database") {
  TempDir dir;
  const std::string path = dir.File("survey.sqlite");
  auto stores = OpenStore(path);
  auto added = stores->survey().AddHouseholds({ListedHousehold("village_1", "张三")}, {AddedEvent()});
  REQUIRE(added.ok());
  SurveyHousehold h = added->front();
  SurveyHousehold recorded = h;
  recorded.state = "recorded";
  REQUIRE(stores->survey().Update(recorded, RecordedVisit("刘联村"), Transition(h, "recorded", "record")).ok());
  auto db = sqlite::Db::Open(path);
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
