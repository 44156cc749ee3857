// The reads of the SQLite store: one item, a filtered page of items, a page of overdue items,
// an item's history. Each is a single SELECT (one consistent snapshot) that reads the item
// with its household and outcome, so a page costs one statement, not one per row.
//
// The SQL text depends only on which filters are set, never on their values (those are bound),
// so each connection caches a handful of statements. The builders are public so tests can ask
// SQLite how it plans them (EXPLAIN QUERY PLAN).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"
#include "storage/sqlite_db.h"

namespace rectify::sqlite {

using SqlParam = std::variant<std::int64_t, std::string>;

struct SqlQuery {
  std::string sql;
  std::vector<SqlParam> params;  // in the order of the ?s in sql
};

SqlQuery ListItemsSql(const ItemQuery& query);
SqlQuery CountItemsSql(const ItemQuery& query);
SqlQuery OverdueItemsSql(const OverdueQuery& query);
// How many items of `query` each unit holds: one GROUP BY over the list's conditions.
SqlQuery CountByUnitSql(const ItemQuery& query);

// Prepares `query` on `db` (cached) and binds its parameters.
Query PrepareBound(Db& db, const SqlQuery& query);
// kInvalidArgument (field "limit") when limit < 1: the check of every paged read.
Status CheckLimit(int limit);

// nullopt when there is no item with this id and kind.
Result<std::optional<Item>> FindItem(Db& db, ItemKind kind, std::int64_t id);
// kInvalidArgument (field "limit") when limit < 1.
Result<std::vector<Item>> ListItems(Db& db, const ItemQuery& query);
// How many items ListItems would find on every page together.
Result<std::int64_t> CountItems(Db& db, const ItemQuery& query);
Result<std::vector<Item>> OverdueItems(Db& db, const OverdueQuery& query);
Result<std::map<std::string, int>> CountByUnit(Db& db, const ItemQuery& query);
// An item's tier entries as stored: "blue=1,yellow=2" (ids in order), "" for none. Parsing skips
// what it cannot read (a hand-edited row costs counts, not the read).
std::string FormatTierEntries(const std::map<std::string, int>& entries);
// The history_facts column: a JSON text; Parse gives nullopt for NULL and for a text it cannot
// read (the figures then read the item's history).
std::string FormatHistoryFacts(const HistoryFacts& facts);
std::optional<HistoryFacts> ParseHistoryFacts(const std::string& text);
std::map<std::string, int> ParseTierEntries(const std::string& text);

// Oldest first; nullopt when there is no item with this id and kind.
Result<std::optional<std::vector<EventRecord>>> ReadHistory(Db& db, ItemKind kind, std::int64_t id);

}  // namespace rectify::sqlite
