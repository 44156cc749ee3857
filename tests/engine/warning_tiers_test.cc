// Warning tiers (红黄蓝预警) by the Gaoqiao campaign file: blue, due within 3 working days;
// yellow, overdue; red, overdue by more than 3 working days or entering yellow a second time.
// Dates on the 2021 calendar, worked out by hand (10-16/17 and 10-23/24 are weekends).
#include <catch2/catch.hpp>

#include "engine/warning_tiers.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

// Due at the end of Wednesday 10-20.
Item DueOn20th() { return Problem(1, "village_1", At(10, 5)).Deadline(EndOf(10, 20)).Build().item; }

}  // namespace

TEST_CASE("an open item's tier follows its deadline in force on the working-day calendar") {
  const Campaign campaign = Gaoqiao();
  struct Case {
    Instant as_of;
    const char* tier;
  } cases[] = {
      {At(10, 14), ""},        // 4 working days left (15, 18, 19, 20)
      {At(10, 15), "blue"},    // 3 left
      {At(10, 20, 23), "blue"},  // its last day
      {At(10, 21), "yellow"},  // 1 working day late
      {At(10, 25), "yellow"},  // 3 late (21, 22, 25): not more than 3
      {At(10, 26), "red"},     // 4 late
  };
  for (const Case& c : cases) {
    INFO(FormatInstant(c.as_of));
    CHECK(TierId(campaign, DueOn20th(), c.as_of) == c.tier);
  }
  Item closed = DueOn20th();
  closed.state = StatePath{"closed", ""};
  CHECK(TierId(campaign, closed, At(10, 26)).empty());
  Item no_deadline = DueOn20th();
  no_deadline.due_at.reset();
  CHECK(TierId(campaign, no_deadline, At(10, 26)).empty());
}

TEST_CASE("an item entering yellow for the second time is red at once") {
  const Campaign campaign = Gaoqiao();
  Item item = DueOn20th();
  // Yellow once before (an extension took it out), recorded as blue since: overdue again is red.
  item.tier_entries = {{"yellow", 1}, {"blue", 2}};
  item.tier = "blue";
  auto decided = DecideTier(campaign, item, At(10, 21));
  REQUIRE(decided.ok());
  REQUIRE(decided->tier != nullptr);
  CHECK(decided->tier->id == "red");
  CHECK(decided->base->id == "yellow");
  // Its first time in yellow, recorded as such: yellow.
  item.tier_entries = {{"yellow", 1}};
  item.tier = "yellow";
  CHECK(TierId(campaign, item, At(10, 21)) == "yellow");
  // Recorded red after entering yellow twice: it stays red while overdue.
  item.tier_entries = {{"yellow", 2}, {"red", 1}};
  item.tier = "red";
  CHECK(TierId(campaign, item, At(10, 21)) == "red");
}

TEST_CASE("the entries an item makes on its way through counted tiers are counted at once, and recorded") {
  // Gaoqiao's blue and yellow; orange: entered yellow twice; red: entered orange twice.
  Campaign campaign = Gaoqiao();
  WarningTier orange;
  orange.id = "orange";
  orange.name = "橙色预警";
  orange.entered = "yellow";
  orange.entered_times = 2;
  WarningTier red = *campaign.FindTier("red");
  red.overdue_more_than_working_days.reset();
  red.entered = "orange";
  red.entered_times = 2;
  campaign.warning_tiers = {*campaign.FindTier("blue"), *campaign.FindTier("yellow"), orange, red};
  auto ids = [](const TierDecision& decided) {
    std::vector<std::string> out;
    for (const WarningTier* tier : decided.entering) out.push_back(tier->id);
    return out;
  };
  Item item = DueOn20th();
  item.tier = "blue";

  // Overdue again after yellow once and orange never: its second yellow makes it orange.
  item.tier_entries = {{"yellow", 1}, {"blue", 2}};
  auto decided = DecideTier(campaign, item, At(10, 21));
  REQUIRE(decided.ok());
  CHECK(decided->tier->id == "orange");
  CHECK(ids(*decided) == std::vector<std::string>{"yellow", "orange"});
  // Orange once before: entering orange a second time on its way makes it red now, not a pass later.
  item.tier_entries = {{"yellow", 3}, {"orange", 1}, {"blue", 3}};
  decided = DecideTier(campaign, item, At(10, 21));
  REQUIRE(decided.ok());
  CHECK(decided->tier->id == "red");
  CHECK(decided->base->id == "yellow");
  CHECK(ids(*decided) == std::vector<std::string>{"yellow", "orange", "red"});
  // Recorded so (each entry counted), the next day's decision agrees: red, only its base yellow
  // counted as under way (the item is recorded red, not yellow), and no tier changes.
  item.tier = "red";
  item.tier_entries = {{"yellow", 4}, {"orange", 2}, {"red", 1}, {"blue", 3}};
  decided = DecideTier(campaign, item, At(10, 22));
  REQUIRE(decided.ok());
  CHECK(decided->tier->id == "red");
  CHECK(ids(*decided) == std::vector<std::string>{"yellow"});
}

}  // namespace rectify::testing
