#include "storage/item_reads.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "storage/item_rows.h"
#include "storage/item_writes.h"

namespace rectify::sql {
namespace {

constexpr Dialect DialectOf(const sqlite::Db&) { return Dialect::kSqlite; }
constexpr Dialect DialectOf(const pg::Conn&) { return Dialect::kPostgres; }

template <class Db>
auto PrepareAndBind(Db& db, const SqlQuery& query) {
  auto prepared = db.Prepare(query.sql);
  int index = 0;
  for (const SqlParam& param : query.params) {
    ++index;
    std::visit([&](const auto& value) { prepared.Bind(index, value); }, param);
  }
  return prepared;
}

// The room ReadItems makes for a page of `limit` (a limit checked to be positive), capped so that
// a caller's large limit does not allocate for rows that may never come.
std::size_t PageRoom(int limit) { return static_cast<std::size_t>(std::min(limit, 1000)); }

}  // namespace

sqlite::Query PrepareBound(sqlite::Db& db, const SqlQuery& query) { return PrepareAndBind(db, query); }
pg::Query PrepareBound(pg::Conn& db, const SqlQuery& query) { return PrepareAndBind(db, query); }

template <class Db>
Result<std::optional<Item>> FindItem(Db& db, ItemKind kind, std::int64_t id) {
  auto query = db.Prepare(FindItemSql(DialectOf(db)));
  query.BindAll(id, ItemKindName(kind));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Item>();
  Result<Item> item = ReadItem(query);
  if (!item.ok()) return item.status();
  return std::optional<Item>(std::move(item).value());
}

template <class Db>
Result<std::int64_t> CountItems(Db& db, const ItemQuery& query) {
  if (query.text) RECTIFY_RETURN_IF_ERROR(SearchWords(*query.text).status());
  auto prepared = PrepareBound(db, CountItemsSql(query, DialectOf(db)));
  Result<bool> row = prepared.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("count(*) answered no row");
  return prepared.Int(0);
}

template <class Db>
Result<std::vector<Item>> ListItems(Db& db, const ItemQuery& query) {
  RECTIFY_RETURN_IF_ERROR(CheckLimit(query.limit));
  if (query.text) RECTIFY_RETURN_IF_ERROR(SearchWords(*query.text).status());
  auto prepared = PrepareBound(db, ListItemsSql(query, DialectOf(db)));
  return ReadItems(prepared, PageRoom(query.limit));
}

template <class Db>
Result<std::map<std::string, int>> CountByUnit(Db& db, const ItemQuery& query) {
  if (query.text) RECTIFY_RETURN_IF_ERROR(SearchWords(*query.text).status());
  auto prepared = PrepareBound(db, CountByUnitSql(query, DialectOf(db)));
  std::map<std::string, int> counts;
  while (true) {
    Result<bool> row = prepared.Step();
    if (!row.ok()) return row.status();
    if (!*row) return counts;
    counts[prepared.Text(0)] = static_cast<int>(prepared.Int(1));
  }
}

template <class Db>
Result<std::vector<Item>> OverdueItems(Db& db, const OverdueQuery& query) {
  RECTIFY_RETURN_IF_ERROR(CheckLimit(query.limit));
  const Dialect dialect = DialectOf(db);
  const auto read = [&query](auto& prepared, int limit) {
    return query.outline ? ReadItemOutlines(prepared, PageRoom(limit)) : ReadItems(prepared, PageRoom(limit));
  };
  if (!query.after_due) {
    auto prepared = PrepareBound(db, OverdueItemsSql(query, dialect, OverdueResume::kLaterDeadlines));
    return read(prepared, query.limit);
  }
  // Resumed: the rest of the last row's deadline, then the deadlines after it (OverdueResume).
  // A cursor's deadline outside the bounds (a client's, or the bounds moved) has none of its own.
  const Instant after_due = *query.after_due;
  const bool within = after_due < query.as_of && (!query.due_from || *query.due_from <= after_due);
  Result<std::vector<Item>> page = std::vector<Item>();
  if (within) {
    auto same = PrepareBound(db, OverdueItemsSql(query, dialect, OverdueResume::kSameDeadline));
    page = read(same, query.limit);
  }
  if (!page.ok() || page->size() >= static_cast<std::size_t>(query.limit)) return page;
  OverdueQuery rest = query;
  rest.limit = query.limit - static_cast<int>(page->size());
  auto later = PrepareBound(db, OverdueItemsSql(rest, dialect, OverdueResume::kLaterDeadlines));
  Result<std::vector<Item>> more = read(later, rest.limit);
  if (!more.ok()) return more;
  page->insert(page->end(), std::make_move_iterator(more->begin()), std::make_move_iterator(more->end()));
  return page;
}

template <class Db>
Result<std::optional<std::vector<EventRecord>>> ReadHistory(Db& db, ItemKind kind, std::int64_t id) {
  auto query = db.Prepare(kReadHistory);
  query.BindAll(id, ItemKindName(kind));
  return ReadEvents(query);
}

template <class Db>
Result<std::vector<std::vector<EventRecord>>> ReadHistories(Db& db, const HistoriesQuery& query) {
  if (query.ids.size() > kMaxHistoriesBatch)
    return Status::InvalidArgument("ids", "at most " + std::to_string(kMaxHistoriesBatch) + " items at once, not " +
                                              std::to_string(query.ids.size()));
  std::vector<std::vector<EventRecord>> histories;
  if (query.ids.empty()) return histories;
  auto prepared = PrepareBound(db, HistoriesSql(query, DialectOf(db)));
  auto by_item = ReadEventsByItem(prepared);
  if (!by_item.ok()) return by_item.status();
  histories.reserve(query.ids.size());
  for (std::int64_t id : query.ids) {
    auto found = by_item->find(id);
    if (found == by_item->end()) return Status::NotFound(DescribeItem(query.kind, id) + " not found");
    // An id asked for twice gets its history twice: copy, never move, out of the map.
    histories.push_back(found->second);
  }
  return histories;
}

template <class Db>
Result<std::optional<Item>> FirstBlocking(Db& db, const ItemQuery& blocker, std::int64_t except_id) {
  ItemQuery first = blocker;
  first.order = ItemOrder{};
  first.after_id = 0;
  first.after.reset();
  first.limit = 2;  // the excepted item and one more
  Result<std::vector<Item>> found = ListItems(db, first);
  if (!found.ok()) return found.status();
  for (Item& item : *found)
    if (item.id != except_id) return std::optional<Item>(std::move(item));
  return std::optional<Item>();
}

template <class Db>
Result<std::optional<std::string>> ReadMeta(Db& db, const std::string& key) {
  auto query = db.Prepare("SELECT value FROM meta WHERE key = ?");
  query.BindAll(key);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

#define RECTIFY_ITEM_READS_FOR(Db)                                                                     \
  template Result<std::optional<Item>> FindItem(Db& db, ItemKind kind, std::int64_t id);               \
  template Result<std::vector<Item>> ListItems(Db& db, const ItemQuery& query);                        \
  template Result<std::optional<Item>> FirstBlocking(Db& db, const ItemQuery& blocker, std::int64_t except_id); \
  template Result<std::int64_t> CountItems(Db& db, const ItemQuery& query);                            \
  template Result<std::vector<Item>> OverdueItems(Db& db, const OverdueQuery& query);                  \
  template Result<std::map<std::string, int>> CountByUnit(Db& db, const ItemQuery& query);             \
  template Result<std::optional<std::vector<EventRecord>>> ReadHistory(Db& db, ItemKind kind,          \
                                                                       std::int64_t id);               \
  template Result<std::optional<std::string>> ReadMeta(Db& db, const std::string& key);                   \
  template Result<std::vector<std::vector<EventRecord>>> ReadHistories(Db& db, const HistoriesQuery& query);
RECTIFY_ITEM_READS_FOR(sqlite::Db)
RECTIFY_ITEM_READS_FOR(pg::Conn)
#undef RECTIFY_ITEM_READS_FOR

}  // namespace rectify::sql
