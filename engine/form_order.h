// The orders the forms list items in (exports/ledger.h, roster.h, bulletin.h), walked from the
// store a page at a time, so that a form of any length is written row by row and never held.
//
// Every form groups by a unit in the campaign's order (Campaign::UnitRank); the items of units
// outside the campaign (unassigned, or an id the campaign no longer has) come last, together.
// The store is asked for one unit at a time through its unit indexes, then for the rest: when the
// rest is one unit (usually the unassigned) by that unit, otherwise by one pass over every unit's
// items, keeping theirs.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// A walk calls its visitor with each item (or record) in order, holding one page of them at a
// time and reading the next meanwhile (PageReading::kAhead: the visitor must not write to the
// store); it stops at, and returns, the first failed Status of the store or of the visitor. A
// walk may be taken more than once; its store and campaign must outlive it.
using ItemVisitor = std::function<Status(const Item&)>;
using RecordVisitor = std::function<Status(const ItemRecord&)>;
using ItemWalk = std::function<Status(const ItemVisitor&)>;
using RecordWalk = std::function<Status(const RecordVisitor&)>;

// The ledger's: the problems of `unit` (every unit's when unset) by responsible unit, then id,
// each with what the ledger reads of its history: kept with the item by the store (its facts and
// its latest progress: HistoryFactsOf, LatestProgressOf), or, for an item written before the
// store kept them, its history.
RecordWalk LedgerWalk(ItemStore& store, const Campaign& campaign, std::optional<std::string> unit);

// The roster's: the enrollments `query` matches (its filters; its order and paging are the
// walk's) by the household's village, then id. An enrollment without a household (never on a
// roster) may be left out.
ItemWalk RosterWalk(ItemStore& store, const Campaign& campaign, ItemQuery query);

// The bulletin's: the open items of both kinds past their deadline in force at `as_of`
// (ItemStore::Overdue) by responsible unit, then most overdue first (due_at, then id).
ItemWalk OverdueWalk(ItemStore& store, const Campaign& campaign, Instant as_of);

// Every item with a deadline in force (Item::due_at: open items only), of both kinds, most
// overdue first, through the store's index of open deadlines: each as its outline
// (OverdueQuery::outline, which holds what tells whether it is overdue, by how many working days
// and whose it is, and every stored date StoredDataError checks), read from the index without
// the items; an item with a stored data error (engine/data_error.h) whole, so that the error
// can name it. What the bulletin counts for its heading, at a county's size.
ItemWalk DeadlineWalk(ItemStore& store, const Campaign& campaign);

}  // namespace rectify
