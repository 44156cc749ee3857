// Deadline rules on the official calendar, table-driven, with the 2021 National Day holiday.
#include <catch2/catch.hpp>

#include <memory>

#include "engine/deadlines.h"

namespace rectify {
namespace {

Campaign CampaignWith(std::vector<DeadlineRule> rules) {
  Campaign c;
  c.close_of_business_seconds = 17 * 3600 + 30 * 60;
  c.phases = {{"inspect", "检查验收", {2021, 10, 21}, {2021, 11, 10}, {}}};
  c.deadlines = std::move(rules);
  HolidayNotice notice;
  notice.year = 2021;
  notice.notice = "国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号）";
  notice.holidays = {{"中秋节", {2021, 9, 19}, {2021, 9, 21}}, {"国庆节", {2021, 10, 1}, {2021, 10, 7}}};
  notice.make_up_working_days = {{2021, 9, 18}, {2021, 9, 26}, {2021, 10, 9}};
  c.calendar = std::make_shared<const WorkCalendar>(WorkCalendar::Build({notice}).value());
  return c;
}

DeadlineRule Rule(DeadlineKind kind, DeadlineSubject subject = DeadlineSubject::kProblem) {
  DeadlineRule rule;
  rule.id = "rule";
  rule.name = "rule";
  rule.kind = kind;
  rule.applies_to = subject;
  return rule;
}

Item ProblemCreated(const char* at) {
  Item item;
  item.kind = ItemKind::kProblem;
  item.state = StatePath{"found", {}};
  item.created_at = *ParseInstant(at);
  item.state_since = item.created_at;
  return item;
}

Item HouseholdAtRisk(const char* risk_found_on) {
  Item item;
  item.kind = ItemKind::kEnrollment;
  item.state = StatePath{"found", {}};
  item.household = rectify::Household{};
  item.household->risk_found_on = *ParseDate(risk_found_on);
  return item;
}

std::string At(const Campaign& campaign, const DeadlineRule& rule, const Item& item) {
  auto deadline = DeadlineFor(campaign, rule, item);
  REQUIRE(deadline.ok());
  REQUIRE(deadline->has_value());
  return FormatInstant(**deadline);
}

}  // namespace

TEST_CASE("each kind of rule counts as a government office does") {
  struct Case {
    const char* what;
    DeadlineRule rule;
    Item item;
    const char* expected;
  };
  DeadlineRule fixed = Rule(DeadlineKind::kFixed);
  fixed.date = {2021, 10, 26};
  fixed.seconds_of_day = 17 * 3600 + 30 * 60;
  DeadlineRule fixed_weekend = fixed;
  fixed_weekend.date = {2021, 10, 31};  // a Sunday: a fixed date never moves
  fixed_weekend.seconds_of_day = kSecondsPerDay;
  DeadlineRule two_months = Rule(DeadlineKind::kMonthsAfter, DeadlineSubject::kEnrollment);
  two_months.from = kFromRiskFound;
  two_months.months = 2;
  DeadlineRule three_working = Rule(DeadlineKind::kWorkingDaysAfter);
  three_working.from = kFromCreated;
  three_working.days = 3;
  DeadlineRule ten_days = Rule(DeadlineKind::kDaysAfter);
  ten_days.from = kFromCreated;
  ten_days.days = 10;
  DeadlineRule phase_end = Rule(DeadlineKind::kPhaseEnd);
  phase_end.phase = "inspect";

  const std::vector<Case> cases = {
      {"fixed at close of business", fixed, ProblemCreated("2021-10-12T09:00"), "2021-10-26T17:30:00+08:00"},
      {"fixed on a Sunday stays there", fixed_weekend, ProblemCreated("2021-10-12T09:00"), "2021-11-01T00:00:00+08:00"},
      {"two months from the 31st end on the month's last day", two_months, HouseholdAtRisk("2021-07-31"),
       "2021-10-01T00:00:00+08:00"},
      {"two months landing on a Sunday move to Monday", two_months, HouseholdAtRisk("2021-08-31"),
       "2021-11-02T00:00:00+08:00"},
      {"two months landing in National Day move to 10-08", two_months, HouseholdAtRisk("2021-08-03"),
       "2021-10-09T00:00:00+08:00"},
      {"two months landing on a Saturday move to Monday", two_months, HouseholdAtRisk("2021-09-20"),
       "2021-11-23T00:00:00+08:00"},
      {"three working days over a weekend", three_working, ProblemCreated("2021-10-14T16:00"),
       "2021-10-19T17:30:00+08:00"},
      {"three working days over National Day count the make-up Saturday", three_working,
       ProblemCreated("2021-09-29T10:00"), "2021-10-09T17:30:00+08:00"},
      {"ten days ending on a holiday move to the next working day", ten_days, ProblemCreated("2021-09-23T10:00"),
       "2021-10-09T00:00:00+08:00"},
      {"phase end is the end of its last day", phase_end, ProblemCreated("2021-10-12T09:00"),
       "2021-11-11T00:00:00+08:00"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const Campaign campaign = CampaignWith({c.rule});
    CHECK(At(campaign, c.rule, c.item) == c.expected);
  }
}

TEST_CASE("a date outside the calendar is an error naming the year") {
  DeadlineRule two_months = Rule(DeadlineKind::kMonthsAfter, DeadlineSubject::kEnrollment);
  two_months.from = kFromRiskFound;
  two_months.months = 2;
  const Campaign campaign = CampaignWith({two_months});
  auto deadline = DeadlineFor(campaign, two_months, HouseholdAtRisk("2021-11-15"));
  REQUIRE_FALSE(deadline.ok());
  CHECK(deadline.status().message().find("2022") != std::string::npos);
}

TEST_CASE("the deadline in force is the earliest of the overall deadline and the state's step limits") {
  DeadlineRule cleared = Rule(DeadlineKind::kFixed);
  cleared.id = "problems_cleared";
  cleared.date = {2021, 10, 31};
  cleared.item_default = true;
  DeadlineRule assign = Rule(DeadlineKind::kWorkingDaysAfter);
  assign.id = "assign_within_3";
  assign.from = kFromCreated;
  assign.days = 3;
  assign.states = {"found"};
  DeadlineRule close = Rule(DeadlineKind::kPhaseEnd);
  close.id = "close_by_inspection_end";
  close.phase = "inspect";
  close.states = {"verified"};
  const Campaign campaign = CampaignWith({cleared, assign, close});

  Item item = ProblemCreated("2021-10-12T09:00");
  REQUIRE(ApplyDefaultDeadline(campaign, item).ok());
  CHECK(item.deadline_rule == "problems_cleared");
  REQUIRE(ApplyCurrentDue(campaign, item).ok());
  CHECK(FormatInstant(*item.due_at) == "2021-10-15T17:30:00+08:00");
  CHECK(item.due_rule == "assign_within_3");

  item.state = StatePath{"rectifying", "working"};
  REQUIRE(ApplyCurrentDue(campaign, item).ok());
  CHECK(FormatInstant(*item.due_at) == "2021-11-01T00:00:00+08:00");
  CHECK(item.due_rule.empty());

  item.state = StatePath{"verified", {}};  // the phase ends later than the overall deadline
  REQUIRE(ApplyCurrentDue(campaign, item).ok());
  CHECK(FormatInstant(*item.due_at) == "2021-11-01T00:00:00+08:00");

  item.state = StatePath{"closed", {}};
  REQUIRE(ApplyCurrentDue(campaign, item).ok());
  CHECK_FALSE(item.due_at.has_value());
}

TEST_CASE("an explicit deadline is kept and a rule deadline follows its rule") {
  DeadlineRule cleared = Rule(DeadlineKind::kFixed);
  cleared.id = "problems_cleared";
  cleared.date = {2021, 10, 31};
  cleared.item_default = true;
  Campaign campaign = CampaignWith({cleared});
  Item given = ProblemCreated("2021-10-12T09:00");
  given.deadline = *ParseDeadline("2021-10-20");
  REQUIRE(ApplyDefaultDeadline(campaign, given).ok());
  CHECK(FormatInstant(*given.deadline) == "2021-10-21T00:00:00+08:00");
  CHECK(given.deadline_rule.empty());

  Item by_rule = ProblemCreated("2021-10-12T09:00");
  REQUIRE(ApplyDefaultDeadline(campaign, by_rule).ok());
  campaign.deadlines[0].date = {2021, 10, 29};  // the rule changed
  REQUIRE(ApplyDefaultDeadline(campaign, by_rule).ok());
  CHECK(FormatInstant(*by_rule.deadline) == "2021-10-30T00:00:00+08:00");
}

TEST_CASE("a minimum dwell holds an item in its step until the days have passed") {
  Campaign campaign = CampaignWith({});
  campaign.minimum_dwells = {{"notice", "村级公示不少于5天", DeadlineSubject::kEnrollment,
                              "rectifying.public_notice", 5, false}};
  Item item = HouseholdAtRisk("2021-09-01");
  item.state = StatePath{"rectifying", "public_notice"};
  item.state_since = *ParseInstant("2021-10-12T15:00");
  auto dwell = MinimumDwellFor(campaign, item);
  REQUIRE(dwell.ok());
  REQUIRE(dwell->has_value());
  CHECK(FormatInstant((*dwell)->until) == "2021-10-18T00:00:00+08:00");
  CHECK((*dwell)->name == "村级公示不少于5天");

  item.state = StatePath{"rectifying", "town_review"};
  dwell = MinimumDwellFor(campaign, item);
  REQUIRE(dwell.ok());
  CHECK_FALSE(dwell->has_value());
}

TEST_CASE("the deadline fingerprint changes with a rule or the calendar and only then") {
  DeadlineRule cleared = Rule(DeadlineKind::kFixed);
  cleared.date = {2021, 10, 31};
  const Campaign a = CampaignWith({cleared});
  const Campaign same = CampaignWith({cleared});
  CHECK(DeadlineFingerprint(a) == DeadlineFingerprint(same));
  DeadlineRule moved = cleared;
  moved.date = {2021, 10, 30};
  CHECK(DeadlineFingerprint(a) != DeadlineFingerprint(CampaignWith({moved})));
  Campaign other_calendar = CampaignWith({cleared});
  HolidayNotice notice;
  notice.year = 2021;
  notice.notice = "不同的安排";
  other_calendar.calendar = std::make_shared<const WorkCalendar>(WorkCalendar::Build({notice}).value());
  CHECK(DeadlineFingerprint(a) != DeadlineFingerprint(other_calendar));
}

TEST_CASE("a deadline written as a bare date means the end of that day") {
  CHECK(FormatInstant(*ParseDeadline("2021-10-20")) == "2021-10-21T00:00:00+08:00");
  CHECK(FormatInstant(*ParseDeadline("2021-10-26T17:30")) == "2021-10-26T17:30:00+08:00");
  CHECK_FALSE(ParseDeadline("2021-02-30").has_value());
  CHECK_FALSE(ParseDeadline("soon").has_value());
}

}  // namespace rectify
