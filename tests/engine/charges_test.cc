// What a unit answers for stays with the unit that held the item at the time: send-backs,
// overdue days and signatures, read from the history rows, on scenarios worked out by hand on
// the 2021 calendar (10-16/17 and 10-23/24 are weekends).
#include <catch2/catch.hpp>

#include "engine/charges.h"
#include "engine/dashboard.h"
#include "engine/village_scores.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

// Held by village_1 from 10-05, sent back then, due 10-15 (a Friday) at 24:00, reassigned to
// village_2 on Wednesday 10-20 and still open.
ItemRecord ReassignedLate() {
  return Problem(1, "village_1", At(10, 5))
      .Deadline(EndOf(10, 15))
      .SentBack(1)
      .Reassigned("village_2", At(10, 20, 15))
      .Build();
}

const std::string& UnitOf(const VillageScore& score) { return score.village; }
const std::string& UnitOf(const UnitProblemCounts& counts) { return counts.unit; }

template <class Rows>
const auto& RowOf(const Rows& rows, const std::string& unit) {
  for (const auto& row : rows)
    if (UnitOf(row) == unit) return row;
  FAIL("no row for " << unit);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("overdue working days are charged to the unit that held the item when each day began") {
  const Campaign campaign = Gaoqiao();
  // Overdue after Friday 10-15: 10-18, 19, 20 began with village_1 (reassigned on the 20th),
  // 10-21, 22 and 25 with village_2.
  auto days = OverdueWorkingDaysByUnit(*campaign.calendar, ReassignedLate(), At(10, 25, 12));
  REQUIRE(days.ok());
  CHECK(*days == std::map<std::string, int>{{"village_1", 3}, {"village_2", 3}});
  // Closed in time: nothing to charge.
  const ItemRecord closed =
      Problem(2, "village_1", At(10, 5)).Deadline(EndOf(10, 15)).To("closed", "close", At(10, 14)).Build();
  auto none = OverdueWorkingDaysByUnit(*campaign.calendar, closed, At(10, 25, 12));
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("a reassigned problem's send-backs and overdue days stay with the village that held it then") {
  const Campaign campaign = Gaoqiao();
  auto scores = ScoreVillages(campaign, {ReassignedLate()}, {}, At(10, 25, 12));
  INFO(scores.status().ToString());
  REQUIRE(scores.ok());
  const VillageScore& before = RowOf(scores->villages, "village_1");
  const VillageScore& after = RowOf(scores->villages, "village_2");
  CHECK(before.problems == 0);
  CHECK(before.send_backs == 1);
  CHECK(before.overdue_working_days == 3);
  CHECK(after.problems == 1);
  CHECK(after.send_backs == 0);
  CHECK(after.overdue_working_days == 3);
  CHECK(after.on_time_rate == Approx(0));

  const Dashboard d = BuildDashboard(campaign, {ReassignedLate()}, {}, At(10, 25, 12));
  CHECK(RowOf(d.units, "village_1").send_backs == 1);
  CHECK(RowOf(d.units, "village_1").total == 0);
  CHECK(RowOf(d.units, "village_2").send_backs == 0);
  CHECK(RowOf(d.units, "village_2").overdue == 1);
}

TEST_CASE("a request to sign is on time when signed by its limit and late when its limit passed unsigned") {
  // village_1 is asked on Tuesday 10-12 by 10-13 17:30 and signs at 10:00 on the 13th; the item
  // moves to village_2 on the 14th, which lets its limit (10-15 17:30) pass; it moves on to
  // village_3 on Monday 10-18, whose limit has not come yet.
  const ItemRecord record = Problem(1, "village_1", At(10, 12))
                                .AskedToSign(At(10, 13, 17, 30))
                                .Signed(At(10, 13, 10))
                                .Reassigned("village_2", At(10, 14), At(10, 15, 17, 30))
                                .Reassigned("village_3", At(10, 18, 8), At(10, 19, 17, 30))
                                .Build();
  const Instant as_of = At(10, 18, 12);
  const std::vector<SignForRequestRecord> requests = SignForRequests(record, as_of);
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].unit == "village_1");
  CHECK(requests[0].signed_at == std::optional<Instant>(At(10, 13, 10)));
  CHECK(SignedOnTime(requests[0], as_of) == std::optional<bool>(true));
  CHECK(requests[1].unit == "village_2");
  CHECK(requests[1].released_at == std::optional<Instant>(At(10, 18, 8)));
  CHECK(SignedOnTime(requests[1], as_of) == std::optional<bool>(false));
  CHECK(requests[2].unit == "village_3");
  CHECK_FALSE(SignedOnTime(requests[2], as_of).has_value());
  // Released before its limit: the unit was relieved of it in time, nothing to judge.
  const ItemRecord relieved = Problem(2, "village_4", At(10, 12))
                                  .AskedToSign(At(10, 13, 17, 30))
                                  .Reassigned("village_5", At(10, 13, 9))
                                  .Build();
  const std::vector<SignForRequestRecord> first = SignForRequests(relieved, as_of);
  REQUIRE(first.size() == 1);
  CHECK_FALSE(SignedOnTime(first[0], as_of).has_value());
}

TEST_CASE("the dashboard gives each unit its on-time signing, on-time closing and sent-back counts") {
  const Campaign campaign = Gaoqiao();
  const std::vector<ItemRecord> problems = {
      Problem(1, "village_1", At(10, 12))
          .AskedToSign(At(10, 13, 17, 30))
          .Signed(At(10, 13, 10))
          .Reassigned("village_2", At(10, 14), At(10, 15, 17, 30))
          .Build(),
      // Signed late, sent back once, closed by its deadline.
      Problem(2, "village_1", At(10, 12))
          .Deadline(EndOf(10, 31))
          .AskedToSign(At(10, 13, 17, 30))
          .Signed(At(10, 14, 9))
          .SentBack(1)
          .To("closed", "close", At(10, 22))
          .Build(),
  };
  const Dashboard d = BuildDashboard(campaign, problems, {}, At(10, 25, 12));
  REQUIRE(d.rates.size() == 2);
  const UnitRates& v1 = d.rates[0];
  CHECK(v1.unit == "village_1");
  CHECK(v1.sign_for_judged == 2);
  CHECK(v1.signed_on_time == 1);
  CHECK(v1.held == 2);
  CHECK(v1.sent_back == 1);
  CHECK(v1.close_judged == 1);
  CHECK(v1.closed_on_time == 1);
  const UnitRates& v2 = d.rates[1];
  CHECK(v2.unit == "village_2");
  CHECK(v2.sign_for_judged == 1);
  CHECK(v2.signed_on_time == 0);
  CHECK(v2.held == 1);
  CHECK(v2.sent_back == 0);
  CHECK(v2.close_judged == 0);  // no deadline, still open: nothing to judge yet
}

TEST_CASE("the dashboard counts problems per source against the number the plan names") {
  const Campaign campaign = Gaoqiao();
  const std::vector<ItemRecord> problems = {
      Problem(1, "village_1", At(10, 5)).Source("national_assessment_2020").Deadline(EndOf(10, 31))
          .To("closed", "close", At(10, 20)).Build(),
      Problem(2, "village_2", At(10, 5)).Source("national_assessment_2020").Deadline(EndOf(10, 15)).Build(),
      Problem(3, "village_2", At(10, 5)).Source("campaign_sweep").Deadline(EndOf(10, 31)).Build(),
  };
  const Dashboard d = BuildDashboard(campaign, problems, {}, At(10, 25, 12));
  REQUIRE(d.sources.size() == 5);
  CHECK(d.sources[0].source == "national_assessment_2020");
  CHECK(d.sources[0].expected == std::optional<int>(13));
  CHECK(d.sources[0].total == 2);
  CHECK(d.sources[0].closed == 1);
  CHECK(d.sources[0].overdue == 1);
  CHECK(d.sources[1].total == 0);  // post-evaluation: none recorded yet of the 11
  CHECK(d.sources[4].source == "campaign_sweep");
  CHECK_FALSE(d.sources[4].expected.has_value());
  CHECK(d.sources[4].total == 1);
}

}  // namespace rectify::testing
