// Can it still finish in time? On the Gaoqiao file: the village notice (公示) lasts at least 5
// days, the town review and the county decision at least a working day each. Dates of 2021,
// worked out by hand (10-23/24 and 10-30/31 are weekends).
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "engine/feasibility.h"
#include "engine/workflow.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

// An enrollment request in the village review since Wednesday 10-20, due at the end of `due`.
Item InVillageReview(Instant due) {
  Item item = Enrollment(1, "village_1", {2021, 9, 1}, At(9, 22)).Deadline(due).Build().item;
  item.state = StatePath{"rectifying", "village_review"};
  item.state_since = At(10, 20, 10);
  return item;
}

}  // namespace

TEST_CASE("the remaining path runs through the workflow's later steps at their minimums") {
  REQUIRE(EnrollmentWorkflow().States() ==
          std::vector<std::string>{"found", "assigned", "rectifying.home_visit", "rectifying.data_check",
                                   "rectifying.village_review", "rectifying.public_notice", "rectifying.town_review",
                                   "rectifying.county_decision", "verified", "closed"});
  const Campaign campaign = Gaoqiao();
  // From Friday 10-22: the notice to 10-27, the town review 10-28, the county decision 10-29.
  auto in_time = CheckFeasibility(campaign, InVillageReview(EndOf(10, 31)), At(10, 22));
  REQUIRE(in_time.ok());
  REQUIRE(in_time->has_value());
  CHECK(FormatDate((*in_time)->earliest_finish) == "2021-10-29");
  CHECK((*in_time)->in_time);
  CHECK_FALSE((*in_time)->impossible_since.has_value());
  // Typical: town review 3 working days (to 11-01), county decision 5 (to 11-08).
  CHECK(FormatDate((*in_time)->typical_finish) == "2021-11-08");
}

TEST_CASE("an item that can no longer make its deadline is flagged with the day it became impossible") {
  const Campaign campaign = Gaoqiao();
  // Due 10-28: starting the notice on 10-21 would have finished on 10-28; from 10-22 it cannot.
  auto late = CheckFeasibility(campaign, InVillageReview(EndOf(10, 28)), At(10, 22));
  REQUIRE(late.ok());
  REQUIRE(late->has_value());
  CHECK_FALSE((*late)->in_time);
  CHECK(FormatDate((*late)->earliest_finish) == "2021-10-29");
  CHECK(FormatDate(*(*late)->impossible_since) == "2021-10-22");
  // Due 10-25: impossible already when it entered the step.
  auto hopeless = CheckFeasibility(campaign, InVillageReview(EndOf(10, 25)), At(10, 22));
  REQUIRE(hopeless.ok());
  CHECK(FormatDate(*(*hopeless)->impossible_since) == "2021-10-20");
}

// The day it became impossible is, by definition, the first day from the step's start on whose
// earliest finish (as judged that day) is after the deadline: checked day by day against every
// step of the enrollment workflow, entered on different days, due on different days.
TEST_CASE("the day an item became impossible is the first day whose earliest finish misses the deadline") {
  const Campaign campaign = Gaoqiao();
  const Workflow& workflow = EnrollmentWorkflow();
  int judged = 0;
  for (const std::string& path : workflow.States()) {
    if (workflow.IsClosed(StatePath::Parse(path))) continue;
    for (int entered_on = 1; entered_on <= 20; entered_on += 3) {
      for (int due_on = entered_on; due_on <= 31; due_on += 2) {
        Item item = InVillageReview(EndOf(10, due_on));
        item.state = StatePath::Parse(path);
        item.state_since = At(10, entered_on, 10);
        const Instant today = At(10, 29, 9);
        auto now = CheckFeasibility(campaign, item, today);
        REQUIRE(now.ok());
        REQUIRE(now->has_value());
        INFO(path << " entered 10-" << entered_on << " due 10-" << due_on);
        if ((*now)->in_time) {
          CHECK_FALSE((*now)->impossible_since.has_value());
          continue;
        }
        ++judged;
        std::optional<CivilDate> first_missed;
        for (int day = entered_on; day <= 29 && !first_missed; ++day) {
          auto then = CheckFeasibility(campaign, item, At(10, day, 9));
          REQUIRE(then.ok());
          if (!(*then)->in_time) first_missed = CivilDate{2021, 10, day};
        }
        REQUIRE(first_missed.has_value());
        REQUIRE((*now)->impossible_since.has_value());
        CHECK(FormatDate(*(*now)->impossible_since) == FormatDate(*first_missed));
      }
    }
  }
  CHECK(judged > 20);
}

TEST_CASE("a problem without minimums can finish the day it is looked at, and closed or undated items are not judged") {
  const Campaign campaign = Gaoqiao();
  const Item problem = Problem(2, "village_1", At(10, 5)).Deadline(EndOf(10, 22)).Build().item;
  auto judged = CheckFeasibility(campaign, problem, At(10, 22, 9));
  REQUIRE(judged.ok());
  REQUIRE(judged->has_value());
  CHECK((*judged)->in_time);
  CHECK(FormatDate((*judged)->earliest_finish) == "2021-10-22");
  Item closed = problem;
  closed.state = StatePath{"closed", ""};
  CHECK_FALSE(CheckFeasibility(campaign, closed, At(10, 22)).value().has_value());
  Item undated = problem;
  undated.deadline.reset();
  CHECK_FALSE(CheckFeasibility(campaign, undated, At(10, 22)).value().has_value());
}

}  // namespace rectify::testing

namespace rectify::testing {

TEST_CASE("no open item due on or after its kind's latest earliest finish can miss its deadline") {
  const Campaign campaign = Gaoqiao();
  // From Friday 10-22, an enrollment found that morning: the notice to 10-27, the town review
  // 10-28, the county decision 10-29. A problem has no minimums: that day.
  auto enrollments = LatestEarliestFinish(campaign, ItemKind::kEnrollment, At(10, 22), At(10, 22));
  REQUIRE(enrollments.ok());
  CHECK(FormatDate(*enrollments) == "2021-10-29");
  auto problems = LatestEarliestFinish(campaign, ItemKind::kProblem, At(10, 22), At(10, 22));
  REQUIRE(problems.ok());
  CHECK(FormatDate(*problems) == "2021-10-22");
  // Every open state, entered then or earlier, makes a deadline at the end of 10-29; the
  // earliest state would miss one a day sooner.
  for (const std::string& path : EnrollmentWorkflow().States()) {
    Item item = InVillageReview(EndOf(10, 29));
    item.state = StatePath::Parse(path);
    if (EnrollmentWorkflow().IsClosed(item.state)) continue;
    for (const Instant entered : {At(10, 22), At(10, 12)}) {
      INFO(path << " entered " << FormatInstant(entered));
      item.state_since = entered;
      auto judged = CheckFeasibility(campaign, item, At(10, 22));
      REQUIRE(judged.ok());
      REQUIRE(judged->has_value());
      CHECK((*judged)->in_time);
    }
  }
  Item found = InVillageReview(EndOf(10, 28));
  found.state = StatePath{"found", ""};
  found.state_since = At(10, 22);
  CHECK_FALSE(CheckFeasibility(campaign, found, At(10, 22)).value()->in_time);
  // Judged for 10-22 while items were written until Monday 10-25 (a late pass on an earlier
  // slot): an enrollment found then finishes 11-01 at the earliest (the notice to 10-30, the
  // reviews 11-01 and 11-02: the 2nd).
  auto late_pass = LatestEarliestFinish(campaign, ItemKind::kEnrollment, At(10, 22), At(10, 25));
  REQUIRE(late_pass.ok());
  CHECK(*late_pass > *enrollments);
  found.state_since = At(10, 25);
  found.deadline = ShanghaiInstant(*late_pass, kSecondsPerDay);
  CHECK(CheckFeasibility(campaign, found, At(10, 22)).value()->in_time);
  found.deadline = ShanghaiInstant(*late_pass, 0);  // the day before's end
  CHECK_FALSE(CheckFeasibility(campaign, found, At(10, 22)).value()->in_time);
}

}  // namespace rectify::testing
