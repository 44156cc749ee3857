// Reading the rows of the item stores' reads (item_sql.h) into items and history records, the
// same for SQLite's and PostgreSQL's statements (sqlite::Query, pg::Query: both read columns
// with Int, Text, IsNull and OptionalInt, and Step through rows). Instantiated for those two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/item.h"
#include "engine/status.h"

namespace rectify::sql {

// The current row, in the column order of the item reads. kInternal for a row the program
// cannot have written (an unknown kind, a date that is not YYYY-MM-DD).
template <class Row>
Result<Item> ReadItem(const Row& row);

// Every row of `query`, each read by ReadItem; room for `expected` items is made at once (the
// page's limit: an Item is over a kilobyte, and a vector growing to a page of 500 moved each
// about twice).
template <class Query>
Result<std::vector<Item>> ReadItems(Query& query, std::size_t expected);

// Every row of an outline read (OverdueQuery::outline), each an Item with only the outline's
// fields read.
template <class Query>
Result<std::vector<Item>> ReadItemOutlines(Query& query, std::size_t expected);

// Every row of kReadHistory: nullopt when there was no row (no such item).
template <class Query>
Result<std::optional<std::vector<EventRecord>>> ReadEvents(Query& query);

// Every row of HistoriesSql: each item's events by its id; an item without events has an empty
// list, an id that is no item is absent.
template <class Query>
Result<std::map<std::int64_t, std::vector<EventRecord>>> ReadEventsByItem(Query& query);

}  // namespace rectify::sql
