// An item as it stood at an earlier instant (engine/as_it_stood.h), rebuilt from history rows
// written by hand: what each instant's figures judge it by.
#include <algorithm>

#include "engine/as_it_stood.h"
#include "engine/warning_tiers.h"
#include "tests/engine/record_builder.h"

namespace rectify::testing {
namespace {

// 示例村一's problem: started, submitted, sent back, given to 示例村二 (asked to sign), tiered
// yellow and red by the notifier, closed. Now it is closed and 示例村二's.
ItemRecord SentBackReassignedClosed() {
  RecordBuilder builder = Problem(1, "village_1", At(10, 12));
  builder.Deadline(EndOf(10, 20))
      .To("rectifying.working", "start", At(10, 13))
      .To("rectifying.submitted", "submit", At(10, 15))
      .To("rectifying.working", "send_back", At(10, 18))
      .Reassigned("village_2", At(10, 19), At(10, 20, 17, 30));
  ItemRecord record = builder.Build();
  for (const auto& [at, note] : {std::pair{At(10, 21), "tier: none -> yellow"}, std::pair{At(10, 25), "tier: yellow -> red"}}) {
    EventRecord tier = builder.Event("rectifying.working", "rectifying.working", kTierEvent, at, note);
    record.history.push_back(tier);
  }
  record.history.push_back(builder.Event("rectifying.working", "closed", "close", At(10, 28), ""));
  std::stable_sort(record.history.begin(), record.history.end(),
                   [](const EventRecord& a, const EventRecord& b) { return a.at < b.at; });
  record.item.state = StatePath::Parse("closed");
  record.item.due_at.reset();
  record.item.send_back_count = 1;
  record.item.tier_entries = {{"yellow", 1}, {"red", 1}};
  record.item.updated_at = At(10, 28);
  return record;
}

}  // namespace

TEST_CASE("An item as it stood has the state, unit, send-backs and tier its rows gave it by then, nothing later") {
  const Campaign campaign = Gaoqiao();
  const ItemRecord record = SentBackReassignedClosed();
  CHECK_FALSE(AsItStood(campaign, record.item, record.history, At(10, 11)).has_value());

  const auto working = AsItStood(campaign, record.item, record.history, At(10, 14));
  REQUIRE(working.has_value());
  CHECK(working->item.state.ToString() == "rectifying.working");
  CHECK(working->item.unit == "village_1");
  CHECK(working->item.state_since == At(10, 13));
  CHECK(working->item.send_back_count == 0);
  CHECK(working->facts.send_backs.empty());
  CHECK(working->item.tier.empty());
  CHECK(working->item.updated_at == At(10, 13));

  const auto moved = AsItStood(campaign, record.item, record.history, At(10, 19, 12));
  REQUIRE(moved.has_value());
  CHECK(moved->item.unit == "village_2");
  CHECK(moved->item.send_back_count == 1);
  CHECK(moved->facts.send_backs == std::map<std::string, int>{{"village_1", 1}});
  REQUIRE(moved->item.sign_for.has_value());
  CHECK(moved->item.sign_for->unit == "village_2");
  CHECK(moved->item.sign_for->since == At(10, 19));
  REQUIRE(moved->item.due_at.has_value());  // open: its limit is in force again

  const auto red = AsItStood(campaign, record.item, record.history, At(10, 26));
  REQUIRE(red.has_value());
  CHECK(red->item.tier == "red");
  CHECK(red->item.tier_entries == std::map<std::string, int>{{"yellow", 1}, {"red", 1}});
  const auto yellow = AsItStood(campaign, record.item, record.history, At(10, 22));
  REQUIRE(yellow.has_value());
  CHECK(yellow->item.tier == "yellow");
  CHECK(yellow->item.tier_entries == std::map<std::string, int>{{"yellow", 1}});

  const auto closed = AsItStood(campaign, record.item, record.history, At(10, 29));
  REQUIRE(closed.has_value());
  CHECK(closed->item.state.ToString() == "closed");
  CHECK_FALSE(closed->item.sign_for.has_value());
  CHECK(closed->facts.last_closed_at == At(10, 28));
}

TEST_CASE("A tier row names the tier it moved the item into, and no other row does") {
  const ItemRecord record = SentBackReassignedClosed();
  std::vector<std::optional<std::string>> tiers;
  for (const EventRecord& row : record.history)
    if (auto tier = TierAfter(row)) tiers.push_back(tier);
  CHECK(tiers == std::vector<std::optional<std::string>>{std::string("yellow"), std::string("red")});
  EventRecord cleared = record.history.back();
  cleared.event = kTierEvent;
  cleared.note = "tier: red -> none";
  CHECK(TierAfter(cleared) == std::string());
}

}  // namespace rectify::testing
