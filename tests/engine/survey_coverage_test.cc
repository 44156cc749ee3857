// The survey's coverage (engine/survey_coverage.h) over households and enrollment requests
// written by hand, against a count made by hand.
#include <catch2/catch.hpp>

#include "engine/survey_coverage.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

SurveyHousehold Listed(std::int64_t id, const std::string& village, const std::string& state) {
  SurveyHousehold household;
  household.id = id;
  household.village = village;
  household.head_name = "户主" + std::to_string(id);
  household.state = state;
  if (state != "to_visit") {
    household.visit = SurveyVisit{};
    household.visit->visited_on = {2021, 10, 8};
  }
  return household;
}

SurveyHousehold WithRisk(SurveyHousehold household, std::optional<std::int64_t> enrollment) {
  household.visit->risk_found = true;
  household.visit->risk_type = "illness";
  household.visit->risk_found_on = CivilDate{2021, 9, 20};
  household.enrollment_id = enrollment;
  return household;
}

}  // namespace

TEST_CASE("the survey is due at the end of the implementation phase") {
  const Campaign campaign = Gaoqiao();
  CHECK(SurveyDue(campaign) == EndOf(10, 31));
  Campaign without = campaign;
  without.survey.reset();
  CHECK_FALSE(SurveyDue(without).has_value());
}

TEST_CASE("coverage counts each village's households by where their visit stands, and the town's in total") {
  const Campaign campaign = Gaoqiao();
  const std::vector<SurveyHousehold> households = {
      Listed(1, "village_1", "to_visit"),
      Listed(2, "village_1", "recorded"),
      Listed(3, "village_1", "spot_checked"),
      WithRisk(Listed(4, "village_1", "recorded"), 40),   // enrolled, with a progress note
      WithRisk(Listed(5, "village_1", "recorded"), 50),   // still in the procedure
      WithRisk(Listed(6, "village_1", "recorded"), std::nullopt),
      Listed(7, "village_2", "sent_back"),
      WithRisk(Listed(8, "village_2", "sent_back"), std::nullopt),  // a sent-back risk does not count
  };
  const std::vector<ItemRecord> enrollments = {
      Enrollment(40, "village_1", {2021, 9, 20}, At(10, 8))
          .To("rectifying.home_visit", "start", At(10, 9))
          .To("rectifying.home_visit", "progress", At(10, 10), "落实医疗救助")
          .To("verified", "verify", At(10, 20))
          .To("closed", "close", At(10, 21))
          .Outcome("enrolled", CivilDate{2021, 10, 21})
          .Build(),
      Enrollment(50, "village_1", {2021, 9, 20}, At(10, 8)).To("rectifying.data_check", "start", At(10, 9)).Build(),
  };
  const std::vector<std::string> villages = {"village_1", "village_2", "village_3"};
  const SurveyCoverage coverage = BuildSurveyCoverage(campaign, households, enrollments, villages, At(10, 22));
  CHECK(coverage.due == EndOf(10, 31));
  CHECK_FALSE(coverage.late);
  REQUIRE(coverage.villages.size() == 3);
  const SurveyCounts& v1 = coverage.villages[0];
  CHECK(v1.village == "village_1");
  CHECK(v1.households == 6);
  CHECK(v1.visited == 5);
  CHECK(v1.unvisited == 1);
  CHECK(v1.sent_back == 0);
  CHECK(v1.spot_checked == 1);
  CHECK(v1.risks_found == 3);
  CHECK(v1.enrollments_opened == 2);
  CHECK(v1.enrolled == 1);
  CHECK(v1.with_measures == 1);
  const SurveyCounts& v2 = coverage.villages[1];
  CHECK(v2.households == 2);
  CHECK(v2.visited == 0);
  CHECK(v2.unvisited == 2);
  CHECK(v2.sent_back == 2);
  CHECK(v2.risks_found == 0);
  CHECK(coverage.villages[2].households == 0);
  CHECK(coverage.total.households == 8);
  CHECK(coverage.total.visited == 5);
  CHECK(coverage.total.unvisited == 3);
  CHECK(coverage.total.risks_found == 3);

  // Past the deadline with households unvisited, the survey is late; with none, it is not.
  CHECK(BuildSurveyCoverage(campaign, households, enrollments, villages, EndOf(10, 31)).late);
  const std::vector<SurveyHousehold> done = {Listed(2, "village_1", "recorded")};
  CHECK_FALSE(BuildSurveyCoverage(campaign, done, {}, villages, At(11, 5)).late);
}

}  // namespace rectify::testing
