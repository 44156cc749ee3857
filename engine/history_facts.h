// How an item's HistoryFacts (engine/item.h) follow from its history rows: one fold, used by the
// stores as they write each row and by anyone who holds a whole history. The figures read the
// facts through charges.h and item_facts.h, never the rows, so both give the same answers.
#pragma once

#include <vector>

#include "engine/item.h"

namespace rectify {

// Adds one history row, the next after those `facts` were made of, of an item of `kind`.
void AdvanceFacts(HistoryFacts& facts, ItemKind kind, const EventRecord& event);

// The facts of a whole history, oldest row first.
HistoryFacts HistoryFactsOf(ItemKind kind, const std::vector<EventRecord>& history);

// The item's facts as kept, or read off `record.history` when it has none kept.
HistoryFacts HistoryFactsOf(const ItemRecord& record);

// The newest progress row with a note (Item::latest_progress) after one more history row.
void AdvanceLatestProgress(ProgressNote& latest, const EventRecord& event);

// The newest progress row with a note of a whole history, oldest row first.
ProgressNote LatestProgressOf(const std::vector<EventRecord>& history);

// The item's as kept, or read off `record.history` when it has none kept.
ProgressNote LatestProgressOf(const ItemRecord& record);

}  // namespace rectify
