// The writes of the item stores on a connection of either database (sqlite::Db, pg::Conn), each
// inside the caller's write transaction; the caller appends the audit records (so each store
// uses its own database's Audit). Instantiated for those two connections.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "storage/figure_groups.h"

namespace rectify::sqlite {
class Db;
class Query;
}  // namespace rectify::sqlite
namespace rectify::pg {
class Conn;
class Query;
}  // namespace rectify::pg

namespace rectify::sql {

// Runs a statement and says how many rows it changed: where the two connections differ.
Result<std::int64_t> RunCountingChanges(sqlite::Db& db, sqlite::Query query);
Result<std::int64_t> RunCountingChanges(pg::Conn& conn, pg::Query query);

// "problem 12": how messages name an item.
std::string DescribeItem(ItemKind kind, std::int64_t id);

// Stores a new item with its household, outcome, cooperating units, history facts and its
// create event `created`. Assigns item.id, item.version (1), item.facts and created.item_id.
template <class Db>
Status InsertItem(Db& db, Item& item, EventRecord& created);

// ItemStore::Update's writes: the versioned update of the item and its parts, the history facts
// advanced by `event`, and `event` stored for item.id. kAborted when the stored version is not
// item.version, kNotFound when there is no such item; then nothing was written. With a tally,
// the figure groups' counts wait for its Flush (figure_groups.h).
template <class Db>
Status UpdateItem(Db& db, const Item& item, const EventRecord& event, FigureTally* tally = nullptr);

// ItemStore::UpdateEach's loop: calls `update` for each of `updates`, and keeps each one's Status
// in `results` (sized as `updates`): all under one savepoint, their figure groups counted once
// at the end (`update` is given a FigureTally), and when one fails, all again, each in a
// savepoint of its own, rolled back to when that one fails (given none). Fails only when the
// transaction itself does.
template <class Db>
Status UpdateEachInSavepoints(Db& db, const std::vector<ItemUpdate>& updates, std::vector<Status>& results,
                              const std::function<Status(const ItemUpdate&, FigureTally*)>& update);

// The computed deadline fields of `item` (no version change); false when there is no such item.
template <class Db>
Result<bool> UpdateItemDeadlines(Db& db, const Item& item);

template <class Db>
Status WriteMeta(Db& db, const std::string& key, const std::string& value);
// WriteMeta only where `key` holds `expected` (nullopt: no value); false when it did not. One
// statement, so on PostgreSQL a racing writer's row lock makes the second wait and then find the
// value changed (READ COMMITTED re-checks the WHERE on the row the first committed).
template <class Db>
Result<bool> WriteMetaIf(Db& db, const std::string& key, const std::optional<std::string>& expected,
                         const std::string& value);

}  // namespace rectify::sql
