// Warning tiers (红黄蓝预警): how urgent an open item is, by the campaign file's tiers (Campaign::
// warning_tiers, mildest first). Gaoqiao's: blue, due within 3 working days; yellow, overdue;
// red, overdue by more than 3 working days, or entering yellow for the second time.
//
// An item's tier is the most severe one any of whose conditions holds at `as_of`, judged on its
// deadline in force (due_at: a step's limit, the sign-for limit, or the overall deadline). The
// conditions of time (due within, overdue, overdue by more than) decide its base tier; a
// condition "entered X N times" reads how often the item has entered tier X, as recorded by
// RecordTiers (Item::tier_entries), counting the entries now under way: into the base tier, and
// into each tier the item moves into on its way (with "orange: entered yellow twice" and "red:
// entered orange twice", an item entering orange for the second time is red now, and has entered
// orange too), none into the tier it is recorded in. Closed items and items without a deadline in
// force have no tier.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct TierDecision {
  const WarningTier* tier = nullptr;  // nullptr: none
  const WarningTier* base = nullptr;  // by the conditions of time alone
  // The tiers the item enters now (not the one it is recorded in), mildest first: what
  // RecordTiers adds to its entries when it records `tier`.
  std::vector<const WarningTier*> entering;
};

// kInvalidArgument when the calendar does not cover a day it must count (a data error).
Result<TierDecision> DecideTier(const Campaign& campaign, const Item& item, Instant as_of);

// The tier id ("" for none) for showing: a day the calendar does not cover shows no tier.
std::string TierId(const Campaign& campaign, const Item& item, Instant as_of);

// The name of a tier id ("黄色预警"), "" for none or an id the campaign no longer has.
std::string TierName(const Campaign& campaign, const std::string& tier_id);

// Records every open item's tier at `as_of` where it changed since last recorded: the item's
// tier and its entries are updated and a history row ("warning_tier", from the old tier to the
// new, charged to the unit holding the item) is written, one transaction for each page of
// items (ItemStore::UpdateEach). An item written by someone else meanwhile, or whose dates the
// calendar does not cover, is left for the next time. Returns how many items changed tier; a
// failure of the store is returned as it is.
//
// It reads only the open items whose recorded tier differs from the base tier their deadline
// gives now (by recorded tier and ranges of deadlines, ItemStore::Overdue), and those that lost
// their deadline in force with a tier: a county's pass reads the day's few changes, not every
// open item. The first pass, and the first after the campaign's tiers changed (the rules are
// kept under kTierRulesMetaKey), reads every open item.
inline constexpr const char* kTierEvent = "warning_tier";
// The tier a kTierEvent row of RecordTiers moved its item into ("" for none); nullopt for any
// other row. (For the item as it stood at an earlier instant, engine/as_it_stood.h.)
std::optional<std::string> TierAfter(const EventRecord& row);
inline constexpr const char* kTierRulesMetaKey = "tier_rules";
Result<int> RecordTiers(const Campaign& campaign, ItemStore& store, Instant as_of);

}  // namespace rectify
