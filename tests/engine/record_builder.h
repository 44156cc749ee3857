// Items and their histories written by hand, for the pure computations over them (dashboard,
// scores, ledger obligations): each test states exactly what happened and when.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "config/campaign_loader.h"
#include "engine/item.h"
#include "engine/time.h"

namespace rectify::testing {

// 2021 in Shanghai.
inline Instant At(int month, int day, int hour = 9, int minute = 0) {
  return ShanghaiInstant(CivilDate{2021, month, day}, hour * 3600 + minute * 60);
}
// The end (24:00) of a day of 2021: how "10月底前" is stored.
inline Instant EndOf(int month, int day) { return ShanghaiInstant(CivilDate{2021, month, day}, kSecondsPerDay); }

inline Campaign Gaoqiao() {
  auto campaign = LoadCampaignFile(std::string(RECTIFY_SOURCE_DIR) + "/workflows/gaoqiao-2021-autumn.json");
  INFO(campaign.status().ToString());
  REQUIRE(campaign.ok());
  return std::move(campaign).value();
}

// An item created at `created` in state "assigned" (or the first state given to To()), then moved
// by each To(); the item's state is the last one reached.
class RecordBuilder {
 public:
  RecordBuilder(std::int64_t id, ItemKind kind, std::string unit, Instant created) {
    record_.item.id = id;
    record_.item.kind = kind;
    record_.item.unit = std::move(unit);
    record_.item.created_at = created;
    record_.item.state = StatePath{"assigned", ""};
    record_.history.push_back(Event("", "assigned", "create", created, ""));
  }
  // A history row as the service writes it: charged to the unit that holds the item.
  EventRecord Event(const std::string& from, const std::string& to, const std::string& event, Instant at,
                    std::string note) const {
    EventRecord e;
    e.item_id = record_.item.id;
    e.from = from;
    e.to = to;
    e.event = event;
    e.actor = "test";
    e.at = at;
    e.note = std::move(note);
    e.unit = record_.item.unit;
    e.sent_back = event == "send_back";
    return e;
  }
  RecordBuilder& Area(int area) { return record_.item.area = area, *this; }
  RecordBuilder& Source(std::string source) { return record_.item.source = std::move(source), *this; }
  RecordBuilder& Deadline(Instant deadline) {
    record_.item.deadline = deadline;
    record_.item.due_at = deadline;
    return *this;
  }
  // `times` send-backs when the item was created, charged to the unit that holds it then.
  RecordBuilder& SentBack(int times) {
    const std::string state = record_.item.state.ToString();
    for (int i = 0; i < times; ++i) record_.history.push_back(Event(state, state, "send_back", record_.item.created_at, ""));
    record_.item.send_back_count += times;
    return *this;
  }
  // Moved to `unit` at `at`, which is asked to sign for it by `sign_for_due` when given.
  RecordBuilder& Reassigned(std::string unit, Instant at, std::optional<Instant> sign_for_due = std::nullopt) {
    record_.item.unit = std::move(unit);
    const std::string state = record_.item.state.ToString();
    record_.history.push_back(Event(state, state, "reassign", at, ""));
    record_.history.back().sign_for_due = sign_for_due;
    return *this;
  }
  // The last row asks the unit holding the item to sign for it by `due`.
  RecordBuilder& AskedToSign(Instant due) { return record_.history.back().sign_for_due = due, *this; }
  RecordBuilder& Signed(Instant at) {
    const std::string state = record_.item.state.ToString();
    record_.history.push_back(Event(state, state, "sign_for", at, ""));
    record_.history.back().signed_for = true;
    return *this;
  }
  RecordBuilder& To(const std::string& path, const std::string& event, Instant at, std::string note = "") {
    const std::string from = record_.item.state.ToString();
    record_.history.push_back(Event(from, path, event, at, std::move(note)));
    record_.item.state = StatePath::Parse(path);
    if (record_.item.state.state == "closed") record_.item.due_at.reset();
    else if (record_.item.deadline) record_.item.due_at = record_.item.deadline;
    return *this;
  }
  RecordBuilder& Household(std::string village, CivilDate risk_found_on) {
    rectify::Household household;
    household.head_name = "户主" + std::to_string(record_.item.id);
    household.village = std::move(village);
    household.category = "marginal";
    household.risk_type = "illness";
    household.risk_found_on = risk_found_on;
    household.clue_source = "cadre_found";
    record_.item.household = household;
    return *this;
  }
  RecordBuilder& Outcome(std::string result, std::optional<CivilDate> entered_on = std::nullopt) {
    record_.item.outcome = EnrollmentOutcome{std::move(result), entered_on, ""};
    return *this;
  }
  ItemRecord Build() const { return record_; }

 private:
  ItemRecord record_;
};

inline RecordBuilder Problem(std::int64_t id, std::string unit, Instant created) {
  return RecordBuilder(id, ItemKind::kProblem, std::move(unit), created).Area(14);
}
inline RecordBuilder Enrollment(std::int64_t id, std::string village, CivilDate risk_found_on, Instant created) {
  RecordBuilder builder(id, ItemKind::kEnrollment, village, created);
  builder.Household(village, risk_found_on);
  return builder;
}

}  // namespace rectify::testing
