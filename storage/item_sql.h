// The SQL of the item stores, shared by SQLite (sqlite_item_store.h) and PostgreSQL
// (pg_item_store.h): the statements that write an item, and the builders of the reads (one
// item, a filtered page, a count, an overdue page, an item's history). Each read is a single
// SELECT that reads the item with its household and outcome, so a page costs one statement,
// not one per row.
//
// The two databases take the same text but for a few places, named by Dialect: how the
// cooperating units are aggregated, SQLite's unary `+` that keeps its planner off an index,
// and the text search (SQLite's FTS5 trigram table, PostgreSQL's pg_trgm GIN index).
//
// The SQL text depends only on which filters are set, never on their values (those are bound),
// so each connection caches a handful of statements. The builders are public so tests can ask
// a database how it plans them.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "engine/item_store.h"
#include "engine/status.h"

namespace rectify::sql {

enum class Dialect { kSqlite, kPostgres };

using SqlParam = std::variant<std::int64_t, std::string>;

struct SqlQuery {
  std::string sql;
  std::vector<SqlParam> params;  // in the order of the ?s in sql
};

// Appends `part`'s text and parameters to `query`.
void Append(SqlQuery& query, const SqlQuery& part);

// kInvalidArgument (field "limit") when limit < 1: the check of every paged read.
Status CheckLimit(int limit);

// The reads. Each reads the columns ReadItem (item_rows.h) expects, but ReadHistorySql.
std::string FindItemSql(Dialect dialect);  // binds id, kind
SqlQuery ListItemsSql(const ItemQuery& query, Dialect dialect);
SqlQuery CountItemsSql(const ItemQuery& query, Dialect dialect);
// Where a page of OverdueItemsSql resumes after the previous page's last row (query.after_due,
// query.after_id): the rest of that row's deadline, or the deadlines after it. Apart, each is one
// seek into the (due_at, id) index; SQLite seeks "(due_at, id) > (?, ?)" on due_at alone and
// steps over every item of the deadline read so far, and a county's campaign deadline is shared
// by tens of thousands of items.
// A first page (no query.after_due) reads from the start either way. kSameDeadline leaves out the
// bounds query.as_of and query.due_from: read it only when query.after_due lies within them.
enum class OverdueResume { kSameDeadline, kLaterDeadlines };
SqlQuery OverdueItemsSql(const OverdueQuery& query, Dialect dialect, OverdueResume resume);
// How many items of `query` each unit holds: one GROUP BY over the list's conditions.
SqlQuery CountByUnitSql(const ItemQuery& query, Dialect dialect);
// An item's history, oldest first (binds id, kind), as ReadEvents (item_rows.h) reads it: one
// row of NULLs when the item has no event, no row when there is no such item.
extern const char* const kReadHistory;
// Many items' histories (ItemStore::Histories): the item's id, then kReadHistory's columns, by
// item and then oldest first; as kReadHistory, one row of NULLs for an item without events and
// no row for an id that is no item of the kind (or campaign). The ids are bound as one list.
SqlQuery HistoriesSql(const HistoriesQuery& query, Dialect dialect);

// The writes, the same on both databases.
// An item's first row; binds its columns in the order of kInsertItem's list. PostgreSQL appends
// " RETURNING id".
extern const char* const kInsertItem;
// What an update compares the item with, read in its transaction (binds id, kind): the version
// it checks and the columns it sets only when they changed (item_writes.cc).
extern const char* const kReadItemForUpdate;
// The 督办 fields and the history facts, after the insert in the same transaction.
extern const char* const kUpdateDuban;
// Computed fields only: no version change, no history row.
extern const char* const kUpdateDeadlines;
extern const char* const kUpsertHousehold;
extern const char* const kUpsertOutcome;
extern const char* const kInsertCooperator;
extern const char* const kInsertEvent;
extern const char* const kPutMeta;
// The two halves of a conditional PutMeta (ItemStore::PutMetaIf): binds key, value; and value, key, expected.
extern const char* const kInsertMetaIfAbsent;
extern const char* const kReplaceMetaIfValue;
// ItemStore::FigureGroups' reads: whether any item of a kind is uncounted (binds kind; the
// partial index items_uncounted), the latest write to a kind (binds kind; items_kind_updated),
// and the groups of a campaign (binds campaign, kind) or of all (binds kind).
extern const char* const kAnyUncountedItem;
extern const char* const kLatestWrite;
extern const char* const kFigureGroupsOfCampaign;
extern const char* const kFigureGroupsOfAll;

}  // namespace rectify::sql
