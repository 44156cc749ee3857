// The reads of the SQLite store under the names SQLite's adapters and tests know them by: the
// item SQL shared with PostgreSQL (item_sql.h, item_reads.h, item_codec.h) in SQLite's dialect.
// The builders are public so tests can ask SQLite how it plans them (EXPLAIN QUERY PLAN).
#pragma once

#include "engine/item_store.h"
#include "storage/item_codec.h"
#include "storage/item_reads.h"
#include "storage/item_sql.h"
#include "storage/sqlite_db.h"

namespace rectify::sqlite {

using sql::CheckLimit;
using sql::PrepareBound;
using sql::SqlParam;
using sql::SqlQuery;

inline SqlQuery ListItemsSql(const ItemQuery& query) { return sql::ListItemsSql(query, sql::Dialect::kSqlite); }
inline SqlQuery CountItemsSql(const ItemQuery& query) { return sql::CountItemsSql(query, sql::Dialect::kSqlite); }
using sql::OverdueResume;
inline SqlQuery OverdueItemsSql(const OverdueQuery& query, OverdueResume resume) {
  return sql::OverdueItemsSql(query, sql::Dialect::kSqlite, resume);
}
inline SqlQuery CountByUnitSql(const ItemQuery& query) { return sql::CountByUnitSql(query, sql::Dialect::kSqlite); }

using sql::CountByUnit;
using sql::CountItems;
using sql::FindItem;
using sql::ListItems;
using sql::OverdueItems;
using sql::ReadHistory;

using sql::FormatHistoryFacts;
using sql::FormatTierEntries;
using sql::ParseHistoryFacts;
using sql::ParseTierEntries;

}  // namespace rectify::sqlite
