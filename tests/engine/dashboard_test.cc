// The dashboard's numbers on a small scenario whose every figure is worked out by hand.
#include <catch2/catch.hpp>

#include <map>

#include "engine/dashboard.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

// Four problems and four households, as of Monday 10-25 noon:
//   1 village_1  area 2  found 09-25, closed 10-20, due 10-31            on time
//   2 village_1  area 2  found 10-05, working, due 10-20                 overdue
//   3 central_school area 3 found 10-10, sent back once, closed 10-24, due 10-22   closed late
//   4 village_2  area 3  found 10-12, closed 10-15, reopened 10-18, due 10-31      on time, open
std::vector<ItemRecord> Problems() {
  return {Problem(1, "village_1", At(9, 25)).Area(2).Deadline(EndOf(10, 31))
              .To("rectifying.working", "start", At(9, 26))
              .To("rectifying.submitted", "submit", At(10, 19))
              .To("verified", "verify", At(10, 19, 15))
              .To("closed", "close", At(10, 20)).Build(),
          Problem(2, "village_1", At(10, 5)).Area(2).Deadline(EndOf(10, 20))
              .To("rectifying.working", "start", At(10, 6)).Build(),
          Problem(3, "central_school", At(10, 10)).Area(3).Deadline(EndOf(10, 22)).SentBack(1)
              .To("rectifying.working", "start", At(10, 11))
              .To("verified", "verify", At(10, 23))
              .To("closed", "close", At(10, 24)).Build(),
          Problem(4, "village_2", At(10, 12)).Area(3).Deadline(EndOf(10, 31))
              .To("closed", "close", At(10, 15))
              .To("rectifying.working", "reopen", At(10, 18)).Build()};
}

//   11 village_1  risk 09-01, enrolled 10-20 (limit 11-01), help measures noted     in time, measures
//   12 village_1  risk 08-01, enrolled 10-15 (limit 10-08)                          late
//   13 village_2  closed as not eligible                                           not proposed
//   14 village_2  still at the home visit, limit 10-20                             overdue
std::vector<ItemRecord> Enrollments() {
  return {Enrollment(11, "village_1", {2021, 9, 1}, At(9, 22)).Deadline(EndOf(11, 1))
              .To("rectifying.home_visit", "start", At(9, 23))
              .To("rectifying.home_visit", "progress", At(9, 24), "落实医疗救助和临时救助")
              .To("verified", "verify", At(10, 18))
              .To("closed", "close", At(10, 20)).Outcome("enrolled", CivilDate{2021, 10, 20}).Build(),
          Enrollment(12, "village_1", {2021, 8, 1}, At(9, 22)).Deadline(EndOf(10, 8))
              .To("verified", "verify", At(10, 14))
              .To("closed", "close", At(10, 15)).Outcome("enrolled", CivilDate{2021, 10, 15}).Build(),
          Enrollment(13, "village_2", {2021, 9, 10}, At(9, 22)).Deadline(EndOf(11, 10))
              .To("closed", "close_ineligible", At(10, 9)).Outcome("not_eligible").Build(),
          Enrollment(14, "village_2", {2021, 8, 19}, At(9, 22)).Deadline(EndOf(10, 20))
              .To("rectifying.home_visit", "start", At(9, 23)).Build()};
}

}  // namespace

TEST_CASE("the burn-down counts problems open at the end of each day from the campaign's first day") {
  const Campaign campaign = Gaoqiao();
  const Dashboard d = BuildDashboard(campaign, Problems(), Enrollments(), At(10, 25, 12));
  REQUIRE(d.burn_down.size() == 35);  // 09-21 .. 10-25
  std::map<std::string, int> open;
  for (const BurnDownPoint& p : d.burn_down) open[FormatDate(p.date)] = p.open;
  CHECK(FormatDate(d.burn_down.front().date) == "2021-09-21");
  CHECK(open["2021-09-24"] == 0);
  CHECK(open["2021-09-25"] == 1);
  CHECK(open["2021-10-05"] == 2);
  CHECK(open["2021-10-12"] == 4);
  CHECK(open["2021-10-15"] == 3);  // 4 closed
  CHECK(open["2021-10-18"] == 4);  // 4 reopened (回头看)
  CHECK(open["2021-10-20"] == 3);  // 1 closed
  CHECK(open["2021-10-24"] == 2);  // 3 closed
  CHECK(open["2021-10-25"] == 2);
}

TEST_CASE("the burn-down ignores what happened after the as-of instant") {
  const Campaign campaign = Gaoqiao();
  const Dashboard d = BuildDashboard(campaign, Problems(), {}, At(10, 20, 8));  // 1 closes at 09:00
  REQUIRE_FALSE(d.burn_down.empty());
  CHECK(FormatDate(d.burn_down.back().date) == "2021-10-20");
  CHECK(d.burn_down.back().open == 4);
  CHECK(BuildDashboard(campaign, Problems(), {}, At(9, 20)).burn_down.empty());  // before the campaign
}

TEST_CASE("each unit's problems are counted as on time or overdue or closed late and by send-backs") {
  const Campaign campaign = Gaoqiao();
  const Dashboard d = BuildDashboard(campaign, Problems(), Enrollments(), At(10, 25, 12));
  REQUIRE(d.units.size() == 3);
  // The campaign's order: departments first, then the villages.
  CHECK(d.units[0].unit == "central_school");
  CHECK(d.units[0].total == 1);
  CHECK(d.units[0].closed_late == 1);
  CHECK(d.units[0].on_time == 0);
  CHECK(d.units[0].sent_back == 1);
  CHECK(d.units[0].send_backs == 1);
  CHECK(d.units[1].unit == "village_1");
  CHECK(d.units[1].total == 2);
  CHECK(d.units[1].on_time == 1);
  CHECK(d.units[1].overdue == 1);
  CHECK(d.units[2].unit == "village_2");
  CHECK(d.units[2].on_time == 1);
  CHECK(d.units[2].overdue == 0);
}

TEST_CASE("progress per area lists every area with its problems and those closed") {
  const Campaign campaign = Gaoqiao();
  const Dashboard d = BuildDashboard(campaign, Problems(), Enrollments(), At(10, 25, 12));
  REQUIRE(d.areas.size() == 16);
  CHECK(d.areas[1].area == 2);
  CHECK(d.areas[1].total == 2);
  CHECK(d.areas[1].closed == 1);
  CHECK(d.areas[2].total == 2);
  CHECK(d.areas[2].closed == 1);  // 3 closed; 4 reopened
  CHECK(d.areas[0].total == 0);
}

TEST_CASE("enrollment progress counts households enrolled within the limit and with help measures") {
  const Campaign campaign = Gaoqiao();
  const Dashboard d = BuildDashboard(campaign, Problems(), Enrollments(), At(10, 25, 12));
  CHECK(d.enrollment.proposed == 3);  // the ineligible household is not proposed
  CHECK(d.enrollment.enrolled == 2);
  CHECK(d.enrollment.within_limit == 1);
  CHECK(d.enrollment.with_measures == 1);
  CHECK(d.enrollment.overdue == 1);
}

TEST_CASE("items whose dates the calendar does not cover are counted nowhere and listed as data errors") {
  const Campaign campaign = Gaoqiao();
  const Instant as_of = At(10, 25, 12);
  const Dashboard clean = BuildDashboard(campaign, Problems(), Enrollments(), as_of);
  CHECK(clean.data_errors.empty());

  std::vector<ItemRecord> problems = Problems();
  problems.push_back(Problem(5, "village_1", At(10, 5)).Deadline(ShanghaiInstant(CivilDate{2019, 5, 1}, kSecondsPerDay))
                         .To("closed", "close", At(10, 20)).Build());
  std::vector<ItemRecord> enrollments = Enrollments();
  enrollments.push_back(Enrollment(15, "village_2", {2030, 1, 1}, At(9, 22)).Deadline(EndOf(11, 1)).Build());
  const Dashboard d = BuildDashboard(campaign, problems, enrollments, as_of);

  REQUIRE(d.data_errors.size() == 2);
  CHECK(d.data_errors[0].item_id == 5);
  CHECK(d.data_errors[0].field == "deadline");
  CHECK(d.data_errors[0].value == "2019-05-01");
  CHECK(d.data_errors[1].item_id == 15);
  CHECK(d.data_errors[1].field == "risk_found_on");
  CHECK(d.data_errors[1].message == "2030-01-01: no holiday calendar for 2030 (the calendar covers 2021 to 2026)");
  CHECK(d.units.size() == clean.units.size());
  CHECK(d.units[0].total == clean.units[0].total);
  CHECK(d.areas[13].total == clean.areas[13].total);
  CHECK(d.enrollment.proposed == clean.enrollment.proposed);
  REQUIRE(d.burn_down.size() == clean.burn_down.size());
  CHECK(d.burn_down.back().open == clean.burn_down.back().open);
}

}  // namespace rectify::testing
