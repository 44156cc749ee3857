// An item as it stood at an earlier instant, for the figures asked of a past moment (?as_of=):
// the dashboard and the scores judge each item at as_of, and an item written since would
// otherwise bring what happened later into that moment (a close on 11-15 raising a village's
// score "as of" 11-10, a send-back of November charged at an as_of in October).
#pragma once

#include <optional>
#include <vector>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct StoodItem {
  Item item;
  HistoryFacts facts;
};

// `item` as its history rows up to `as_of` (oldest first) leave it: its state, when it entered
// it, its responsible unit, the signature it awaited, its send-back and reopen counts, its
// warning tier and the tiers it entered (each once a tier row, engine/warning_tiers.h), its
// facts, and the step limit in force; nullopt when no row was written by then. Its deadline
// (整改时限) and outcome are those the first later row that changed them found
// (EventRecord::before: an extension granted, a reopening), else as they are now; rows written
// before 2026-12-03 kept no such record.
std::optional<StoodItem> AsItStood(const Campaign& campaign, const Item& item, const std::vector<EventRecord>& history,
                                   Instant as_of);

// As ForEachItemWithFacts (engine/item_store.h), each item as it stood at `as_of`: one written
// after it is rebuilt from its history (one more read each), one not yet recorded is skipped.
Status ForEachItemAsOf(ItemStore& store, const Campaign& campaign, ItemQuery query, Instant as_of,
                       const std::function<void(const Item& item, const HistoryFacts& facts)>& visit);

}  // namespace rectify
