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

TEST_CASE("An item as it stood has the deadline it had then: an extension granted later does not move it") {
  const Campaign campaign = Gaoqiao();
  RecordBuilder builder = Problem(2, "village_1", At(10, 12));
  builder.Deadline(EndOf(10, 20)).To("rectifying.working", "start", At(10, 13));
  const std::string working = "rectifying.working";
  ItemRecord record = builder.Build();
  record.history.push_back(builder.Event(working, working, "request_extension", At(10, 18), "deadline asked: 10-30"));
  EventRecord approved = builder.Event(working, working, "approve_extension", At(10, 25), "extended");
  approved.before.deadline = DeadlineSetting{EndOf(10, 20), "", std::nullopt};
  record.history.push_back(approved);
  record.item.deadline = EndOf(10, 30);
  record.item.original_deadline = EndOf(10, 20);
  record.item.due_at = EndOf(10, 30);
  record.item.updated_at = At(10, 25);

  const auto late = AsItStood(campaign, record.item, record.history, At(10, 22));
  REQUIRE(late.has_value());
  CHECK(late->item.deadline == EndOf(10, 20));
  CHECK_FALSE(late->item.original_deadline.has_value());
  REQUIRE(late->item.due_at.has_value());
  CHECK(*late->item.due_at <= EndOf(10, 20));  // overdue on 10-22, as it was

  const auto extended = AsItStood(campaign, record.item, record.history, At(10, 26));
  REQUIRE(extended.has_value());
  CHECK(extended->item.deadline == EndOf(10, 30));
  CHECK(extended->item.original_deadline == EndOf(10, 20));

  // Rows written before they kept what they changed: the deadline as it is now.
  record.history.back().before = ChangedByEvent{};
  const auto unknown = AsItStood(campaign, record.item, record.history, At(10, 22));
  REQUIRE(unknown.has_value());
  CHECK(unknown->item.deadline == EndOf(10, 30));
}

TEST_CASE("A request closed then has the outcome it had then, though it was reopened and closed otherwise since") {
  const Campaign campaign = Gaoqiao();
  RecordBuilder builder = Enrollment(3, "village_1", CivilDate{2021, 10, 8}, At(10, 12));
  builder.To("closed", "close", At(10, 20));
  ItemRecord record = builder.Build();
  EnrollmentOutcome enrolled{"enrolled", CivilDate{2021, 10, 19}, ""};
  EventRecord reopened = builder.Event("closed", "rectifying.home_visit", "reopen", At(10, 25), "");
  reopened.before.outcome = enrolled;
  record.history.push_back(reopened);
  record.history.push_back(builder.Event("rectifying.home_visit", "closed", "close_ineligible", At(10, 28), ""));
  record.item.outcome = EnrollmentOutcome{"not_eligible", std::nullopt, "收入超过标准"};
  record.item.updated_at = At(10, 28);

  const auto first = AsItStood(campaign, record.item, record.history, At(10, 22));
  REQUIRE(first.has_value());
  CHECK(first->item.state.ToString() == "closed");
  CHECK(first->item.outcome == std::optional<EnrollmentOutcome>(enrolled));

  const auto reopened_then = AsItStood(campaign, record.item, record.history, At(10, 26));
  REQUIRE(reopened_then.has_value());
  CHECK_FALSE(reopened_then->item.outcome.has_value());

  const auto now = AsItStood(campaign, record.item, record.history, At(10, 29));
  REQUIRE(now.has_value());
  CHECK(now->item.outcome == record.item.outcome);
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
