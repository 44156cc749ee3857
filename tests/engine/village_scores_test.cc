// The villages' performance scores by the campaign file's formula, on a scenario worked out by
// hand: score = 30 + 40 × on-time rate + 30 × enrollment rate − 2 × send-backs − 0.5 × overdue
// working days (workflows/gaoqiao-2021-autumn.json "scores").
#include <catch2/catch.hpp>

#include "engine/dashboard.h"
#include "engine/village_scores.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

const VillageScore& Find(const std::vector<VillageScore>& scores, const std::string& village) {
  for (const VillageScore& score : scores)
    if (score.village == village) return score;
  FAIL("no score for " << village);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("villages are scored by the campaign's formula and ranked best first") {
  const Campaign campaign = Gaoqiao();
  const Instant as_of = At(11, 1);
  const std::vector<ItemRecord> problems = {
      // village_1: one closed in time, one open since its deadline 10-20 (8 working days to 11-01).
      Problem(1, "village_1", At(10, 5)).Deadline(EndOf(10, 31)).To("closed", "close", At(10, 28)).Build(),
      Problem(2, "village_1", At(10, 5)).Deadline(EndOf(10, 20)).To("rectifying.working", "start", At(10, 6)).Build(),
      // village_2: not yet due, but sent back twice.
      Problem(3, "village_2", At(10, 5)).Deadline(EndOf(11, 30)).SentBack(2)
          .To("rectifying.working", "start", At(10, 6)).Build(),
      // village_3: closed three working days late (due 10-22; closed Wednesday 10-27).
      Problem(4, "village_3", At(10, 5)).Deadline(EndOf(10, 22)).To("closed", "close", At(10, 27)).Build(),
      // A department's problem does not count for any village.
      Problem(5, "central_school", At(10, 5)).Deadline(EndOf(10, 8)).SentBack(5).Build(),
  };
  const std::vector<ItemRecord> enrollments = {
      // village_1: one enrolled within two months, one late.
      Enrollment(11, "village_1", {2021, 9, 1}, At(9, 22)).Deadline(EndOf(11, 1))
          .To("closed", "close", At(10, 20)).Outcome("enrolled", CivilDate{2021, 10, 20}).Build(),
      Enrollment(12, "village_1", {2021, 8, 1}, At(9, 22)).Deadline(EndOf(10, 8))
          .To("closed", "close", At(10, 15)).Outcome("enrolled", CivilDate{2021, 10, 15}).Build(),
      // village_2: past its limit and still open; an ineligible one is not judged.
      Enrollment(13, "village_2", {2021, 8, 19}, At(9, 22)).Deadline(EndOf(10, 20))
          .To("rectifying.home_visit", "start", At(9, 23)).Build(),
      Enrollment(14, "village_2", {2021, 9, 1}, At(9, 22)).Deadline(EndOf(11, 1))
          .To("closed", "close_ineligible", At(10, 9)).Outcome("not_eligible").Build(),
  };
  auto scores = ScoreVillages(campaign, problems, enrollments, as_of);
  INFO(scores.status().ToString());
  REQUIRE(scores.ok());
  REQUIRE(scores->villages.size() == 6);
  CHECK(scores->data_errors.empty());

  const VillageScore& v1 = Find(scores->villages, "village_1");
  CHECK(v1.problems == 2);
  CHECK(v1.problems_judged == 2);
  CHECK(v1.on_time_rate == Approx(0.5));
  // 8 of problem 2 and 6 of request 12 (due 10-08, closed 10-15: 10-09, a make-up working day,
  // and 10-11..10-15), as a problem's days would be.
  CHECK(v1.overdue_working_days == 14);
  CHECK(v1.households_judged == 2);
  CHECK(v1.enrollment_rate == Approx(0.5));
  CHECK(v1.score == Approx(58));  // 30 + 20 + 15 - 0 - 7

  const VillageScore& v2 = Find(scores->villages, "village_2");
  CHECK(v2.problems_judged == 0);
  CHECK(v2.on_time_rate == Approx(1));  // nothing to judge yet
  CHECK(v2.send_backs == 2);
  CHECK(v2.households == 1);
  CHECK(v2.enrollment_rate == Approx(0));
  CHECK(v2.overdue_working_days == 8);  // request 13, due 10-20 and open on 11-01
  CHECK(v2.score == Approx(62));        // 30 + 40 + 0 - 4 - 4

  const VillageScore& v3 = Find(scores->villages, "village_3");
  CHECK(v3.overdue_working_days == 3);
  CHECK(v3.on_time_rate == Approx(0));
  CHECK(v3.score == Approx(58.5));  // 30 + 0 + 30 - 1.5

  // Best first; the three villages with nothing against them share first place, in file order.
  std::vector<std::pair<std::string, int>> ranking;
  for (const VillageScore& score : scores->villages) ranking.emplace_back(score.village, score.rank);
  CHECK(ranking == std::vector<std::pair<std::string, int>>{{"village_4", 1}, {"village_5", 1}, {"village_6", 1},
                                                           {"village_2", 4}, {"village_3", 5}, {"village_1", 6}});
  CHECK(Find(scores->villages, "village_4").score == Approx(100));
}

TEST_CASE("enrolled within two months is judged from the risk, not from the deadline a request was given or moved to") {
  const Campaign campaign = Gaoqiao();
  const Instant as_of = At(11, 15);
  // Risk 09-01: the campaign's limit is 11-01 (2 months) for all three.
  const std::vector<ItemRecord> enrollments = {
      // Given an early deadline (10-15) and entered 10-18: late for its own date, within two months.
      Enrollment(21, "village_1", {2021, 9, 1}, At(9, 22)).Deadline(EndOf(10, 15))
          .To("closed", "close", At(10, 18)).Outcome("enrolled", CivilDate{2021, 10, 18}).Build(),
      // Given (or extended to) 12-31 and entered 11-05: on time for its own date, past two months.
      Enrollment(22, "village_2", {2021, 9, 1}, At(9, 22)).Deadline(EndOf(12, 31))
          .To("closed", "close", At(11, 5)).Outcome("enrolled", CivilDate{2021, 11, 5}).Build(),
      // Still open on 11-15 with a deadline of 12-31: past two months, so judged and not in time.
      Enrollment(23, "village_3", {2021, 9, 1}, At(9, 22)).Deadline(EndOf(12, 31))
          .To("rectifying.home_visit", "start", At(9, 23)).Build(),
  };
  auto scores = ScoreVillages(campaign, {}, enrollments, as_of);
  REQUIRE(scores.ok());
  const VillageScore& v1 = Find(scores->villages, "village_1");
  CHECK(v1.households_judged == 1);
  CHECK(v1.households_in_time == 1);
  CHECK(v1.overdue_working_days == 1);  // its own date was 10-15: 10-18 is one working day after
  const VillageScore& v2 = Find(scores->villages, "village_2");
  CHECK(v2.households_judged == 1);
  CHECK(v2.households_in_time == 0);
  const VillageScore& v3 = Find(scores->villages, "village_3");
  CHECK(v3.households_judged == 1);
  CHECK(v3.households_in_time == 0);
  CHECK(v3.overdue_working_days == 0);  // not past its own date: nothing charged by the day

  const Dashboard dashboard = BuildDashboard(campaign, {}, enrollments, as_of);
  CHECK(dashboard.enrollment.enrolled == 2);
  CHECK(dashboard.enrollment.within_limit == 1);
}

TEST_CASE("an enrollment request's overdue days count against the village that held it then") {
  const Campaign campaign = Gaoqiao();
  // Due 10-20; held by village_1 until it was moved to village_2 on 10-25; open on 10-29.
  const std::vector<ItemRecord> enrollments = {
      Enrollment(31, "village_1", {2021, 8, 19}, At(9, 22)).Deadline(EndOf(10, 20))
          .To("rectifying.home_visit", "start", At(9, 23)).Reassigned("village_2", At(10, 25, 9)).Build(),
  };
  auto scores = ScoreVillages(campaign, {}, enrollments, At(10, 29));
  REQUIRE(scores.ok());
  CHECK(Find(scores->villages, "village_1").overdue_working_days == 3);  // 10-21, 10-22, 10-25 (began with it)
  CHECK(Find(scores->villages, "village_2").overdue_working_days == 4);  // 10-26..10-29
}

TEST_CASE("a score never leaves the formula's range") {
  Campaign campaign = Gaoqiao();
  std::vector<ItemRecord> problems;
  for (int i = 1; i <= 40; ++i)
    problems.push_back(Problem(i, "village_1", At(10, 5)).Deadline(EndOf(10, 8)).SentBack(3).Build());
  auto scores = ScoreVillages(campaign, problems, {}, At(11, 1));
  REQUIRE(scores.ok());
  CHECK(Find(scores->villages, "village_1").score == Approx(0));
  CHECK(scores->villages.back().village == "village_1");
}

TEST_CASE("a campaign without a score formula has no scores") {
  Campaign campaign = Gaoqiao();
  campaign.scores.reset();
  auto scores = ScoreVillages(campaign, {}, {}, At(11, 1));
  REQUIRE_FALSE(scores.ok());
  CHECK(scores.status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("a problem whose overdue days cannot be counted is left out of the scores and listed") {
  const Campaign campaign = Gaoqiao();
  const std::vector<ItemRecord> good = {
      Problem(1, "village_1", At(10, 5)).Deadline(EndOf(10, 20)).To("rectifying.working", "start", At(10, 6)).Build()};
  std::vector<ItemRecord> with_bad = good;
  // Closed in 2021 against a deadline of 2019: the working days between cannot be counted.
  with_bad.push_back(Problem(2, "village_1", At(10, 5)).Deadline(ShanghaiInstant(CivilDate{2019, 5, 1}, kSecondsPerDay))
                         .To("closed", "close", At(10, 20)).Build());
  // A department's bad problem is not the scores' concern.
  with_bad.push_back(Problem(3, "central_school", At(10, 5)).Deadline(ShanghaiInstant(CivilDate{2019, 5, 1}, kSecondsPerDay))
                         .Build());
  auto clean = ScoreVillages(campaign, good, {}, At(11, 1));
  auto scores = ScoreVillages(campaign, with_bad, {}, At(11, 1));
  INFO(scores.status().ToString());
  REQUIRE(clean.ok());
  REQUIRE(scores.ok());
  REQUIRE(scores->data_errors.size() == 1);
  CHECK(scores->data_errors[0].item_id == 2);
  const VillageScore& v1 = Find(scores->villages, "village_1");
  CHECK(v1.problems == 1);
  CHECK(v1.score == Find(clean->villages, "village_1").score);
}

TEST_CASE("scores as of a day outside the calendar are refused naming as_of") {
  auto scores = ScoreVillages(Gaoqiao(), {}, {}, ShanghaiInstant(CivilDate{2027, 1, 4}, 9 * 3600));
  REQUIRE_FALSE(scores.ok());
  CHECK(scores.status().code() == StatusCode::kInvalidArgument);
  CHECK(scores.status().field() == "as_of");
}

}  // namespace rectify::testing
