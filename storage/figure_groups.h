// The figure groups (engine/figure_items.h) on a connection of either database: each item
// names its group (items.figure_group), each group counts its items (figure_groups), both
// written in the item's own transaction. Instantiated for sqlite::Db and pg::Conn.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/figure_items.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"

namespace rectify::sql {

// Counts one more item in the group of `item` with these facts, creating the group if new;
// returns the group's id, to be stored as the item's figure_group.
template <class Db>
Result<std::int64_t> JoinFigureGroup(Db& db, const Item& item, const HistoryFacts& facts);

// Moves `item` (with these facts) from group `counted_in` (none: not counted yet) to the group of
// its figure item now, writing nothing when that is the same group (most progress notes);
// returns the group's id.
template <class Db>
Result<std::int64_t> MoveFigureGroup(Db& db, const Item& item, const HistoryFacts& facts,
                                     std::optional<std::int64_t> counted_in);

// Counts one item fewer in group `id` (an empty group stays, and is not read).
template <class Db>
Status LeaveFigureGroup(Db& db, std::int64_t id);

// ItemStore::FigureGroups.
template <class Db>
Result<bool> ReadFigureGroups(Db& db, const FigureGroupsQuery& query,
                              const std::function<void(const FigureGroup& group)>& visit);

// ItemStore::CountFigures, in the caller's transaction.
template <class Db>
Status CountItemFigures(Db& db, const std::vector<Item>& items);

}  // namespace rectify::sql
