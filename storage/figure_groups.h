// The figure groups (engine/figure_items.h) on a connection of either database: each item
// names its group (items.figure_group), each group counts its items (figure_groups), both
// written in the item's own transaction. Instantiated for sqlite::Db and pg::Conn.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
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

// The moves of many updates in one transaction between figure groups, counted once per group
// at the end (Flush) instead of two UPDATEs and two lookups a move: the notifier's tier records
// move thousands of items between a few groups, and the moves were a sixth of their time. Counts
// read in the transaction before Flush are not the items' (nothing reads them there); a
// transaction rolled back takes the tally's groups with it, so the tally goes too.
class FigureTally {
 public:
  // The group of `key` for `item`, counted one more: looked up (or made and counted at once) the
  // first time, remembered after.
  template <class Db>
  Result<std::int64_t> Join(Db& db, const Item& item, const std::string& key);
  // Whether group `id` is the group of `key` for `item` (a group's key never changes).
  template <class Db>
  Result<bool> Holds(Db& db, std::int64_t id, const Item& item, const std::string& key);
  void Leave(std::int64_t id) { --moved_[id]; }
  // Writes each group's count moved since the last Flush.
  template <class Db>
  Status Flush(Db& db);

 private:
  std::map<std::string, std::int64_t> ids_;   // by campaign, kind and key (FigureGroupName)
  std::map<std::int64_t, std::string> names_;  // the FigureGroupName of each group looked up
  std::map<std::int64_t, std::int64_t> moved_;  // items in, less items out, by group
};

// A group's campaign, kind and key as one name, as FigureTally keeps them.
std::string FigureGroupName(const std::string& campaign, const std::string& kind, const std::string& key);

// The group an item is counted in: its id, and its FigureGroupName when the caller read it with
// the item (kReadItemForUpdate does), else it is looked up.
struct StoredGroup {
  std::int64_t id = 0;
  std::optional<std::string> name;
};

// Moves `item` (with these facts) from group `counted_in` (none: not counted yet) to the group of
// its figure item now, writing nothing when that is the same group (most progress notes);
// returns the group's id. With a tally, the counts wait for its Flush.
template <class Db>
Result<std::int64_t> MoveFigureGroup(Db& db, const Item& item, const HistoryFacts& facts,
                                     const std::optional<StoredGroup>& counted_in, FigureTally* tally = nullptr);

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
