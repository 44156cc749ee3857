// The reads of the item stores on a connection of either database (sqlite::Db, pg::Conn), each
// one statement of item_sql.h in the connection's dialect, read by item_rows.h. Instantiated for
// those two connections.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "storage/item_sql.h"
#include "storage/pg_db.h"
#include "storage/sqlite_db.h"

namespace rectify::sql {

// Prepares `query` on `db` (cached) and binds its parameters.
sqlite::Query PrepareBound(sqlite::Db& db, const SqlQuery& query);
pg::Query PrepareBound(pg::Conn& db, const SqlQuery& query);

// nullopt when there is no item with this id and kind.
template <class Db>
Result<std::optional<Item>> FindItem(Db& db, ItemKind kind, std::int64_t id);
// kInvalidArgument (field "limit") when limit < 1; kInvalidArgument (field "q") for a search of
// too many words.
template <class Db>
Result<std::vector<Item>> ListItems(Db& db, const ItemQuery& query);
// The first item `blocker` matches other than the one with id `except_id` (0: none excepted),
// in id order whatever the query's order and paging: the check of ItemStore::InsertUnless and
// UpdateUnless, run by the caller inside its write transaction.
template <class Db>
Result<std::optional<Item>> FirstBlocking(Db& db, const ItemQuery& blocker, std::int64_t except_id);
// How many items ListItems would find on every page together.
template <class Db>
Result<std::int64_t> CountItems(Db& db, const ItemQuery& query);
// kInvalidArgument (field "limit") when limit < 1.
template <class Db>
Result<std::vector<Item>> OverdueItems(Db& db, const OverdueQuery& query);
template <class Db>
Result<std::map<std::string, int>> CountByUnit(Db& db, const ItemQuery& query);
// Oldest first; nullopt when there is no item with this id and kind.
template <class Db>
Result<std::optional<std::vector<EventRecord>>> ReadHistory(Db& db, ItemKind kind, std::int64_t id);
// ItemStore::Histories, with its errors.
template <class Db>
Result<std::vector<std::vector<EventRecord>>> ReadHistories(Db& db, const HistoriesQuery& query);
// The value stored under `key` in the meta table, nullopt when none.
template <class Db>
Result<std::optional<std::string>> ReadMeta(Db& db, const std::string& key);

}  // namespace rectify::sql
