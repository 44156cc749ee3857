#include "storage/figure_groups.h"

#include <string>
#include <utility>

#include "engine/history_facts.h"
#include "storage/item_codec.h"
#include "storage/item_reads.h"
#include "storage/item_sql.h"
#include "storage/item_writes.h"
#include "storage/pg_db.h"
#include "storage/sqlite_db.h"

namespace rectify::sql {
namespace {


// Whether the groups can stand for the items of `query.kind` at query.as_of: every item
// counted, none written after it. Two index lookups (items_uncounted, items_kind_updated).
template <class Db>
Result<bool> GroupsStandFor(Db& db, const FigureGroupsQuery& query) {
  auto uncounted = db.Prepare(kAnyUncountedItem);
  uncounted.BindAll(ItemKindName(query.kind));
  Result<bool> row = uncounted.Step();
  if (!row.ok()) return row.status();
  if (!*row || uncounted.Int(0) > 0) return false;
  auto latest = db.Prepare(kLatestWrite);
  latest.BindAll(ItemKindName(query.kind));
  row = latest.Step();
  if (!row.ok()) return row.status();
  return *row && !(latest.OptionalInt(0).value_or(0) > query.as_of);
}

// Counts the item in the group of `key`, made when there is none; the group's id.
//
// PostgreSQL: one upsert, so that instances writing the same new group at once make it once. Its
// unique index is on the key's md5 (a key may outgrow a btree entry), which the upsert names.
Result<std::int64_t> Join(pg::Conn& conn, const Item& item, const std::string& key) {
  auto join = conn.Prepare(
      "INSERT INTO figure_groups (campaign_id, kind, figure_key, items) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (campaign_id, kind, md5(figure_key)) DO UPDATE SET items = figure_groups.items + 1 RETURNING id");
  join.BindAll(item.campaign, ItemKindName(item.kind), key);
  Result<bool> row = join.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("figure_groups: an upsert ... RETURNING id answered no row");
  return join.Int(0);
}

// SQLite: a lookup, then an UPDATE or INSERT of one row (its one writer makes a new group once).
// SQLite runs RETURNING as a trigger, and a statement with a trigger journals every page it
// writes in case it fails half-way; these statements journal none.
Result<std::int64_t> Join(sqlite::Db& db, const Item& item, const std::string& key) {
  const std::string kind = ItemKindName(item.kind);
  // Each read is reset (its query gone) before the table is written.
  const auto first_int = [&db](const char* sql, const auto&... params) -> Result<std::optional<std::int64_t>> {
    auto query = db.Prepare(sql);
    query.BindAll(params...);
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    return *row ? std::optional<std::int64_t>(query.Int(0)) : std::nullopt;
  };
  Result<std::optional<std::int64_t>> found = first_int(
      "SELECT id FROM figure_groups WHERE campaign_id = ? AND kind = ? AND figure_key = ?", item.campaign, kind, key);
  if (!found.ok()) return found.status();
  if (*found) {
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("UPDATE figure_groups SET items = items + 1 WHERE campaign_id = ? AND kind = ? AND figure_key = ?")
            .BindAll(item.campaign, kind, key)
            .Run());
    return **found;
  }
  // A new group's id is the next one (the table has no rowid to number it).
  Result<std::optional<std::int64_t>> last = first_int("SELECT max(id) FROM figure_groups");
  if (!last.ok()) return last.status();
  const std::int64_t id = last->value_or(0) + 1;
  RECTIFY_RETURN_IF_ERROR(
      db.Prepare("INSERT INTO figure_groups (campaign_id, kind, figure_key, id, items) VALUES (?, ?, ?, ?, 1)")
          .BindAll(item.campaign, kind, key, id)
          .Run());
  return id;
}


// The FigureGroupName of group `id`; nullopt when there is no such group.
template <class Db>
Result<std::optional<std::string>> StoredGroupName(Db& db, std::int64_t id) {
  auto stored = db.Prepare("SELECT campaign_id, kind, figure_key FROM figure_groups WHERE id = ?");
  stored.BindAll(id);
  Result<bool> row = stored.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(FigureGroupName(stored.Text(0), stored.Text(1), stored.Text(2)));
}

// Whether group `id` is the group of `key` for `item`.
template <class Db>
Result<bool> HoldsItem(Db& db, std::int64_t id, const Item& item, const std::string& key) {
  Result<std::optional<std::string>> stored = StoredGroupName(db, id);
  if (!stored.ok()) return stored.status();
  return *stored && **stored == FigureGroupName(item.campaign, ItemKindName(item.kind), key);
}

}  // namespace

// None of the campaign and the kind holds a newline.
std::string FigureGroupName(const std::string& campaign, const std::string& kind, const std::string& key) {
  return campaign + "\n" + kind + "\n" + key;
}

template <class Db>
Result<std::int64_t> JoinFigureGroup(Db& db, const Item& item, const HistoryFacts& facts) {
  return Join(db, item, FormatFigureItem(FigureItemOf(item, facts)));
}

template <class Db>
Result<std::int64_t> FigureTally::Join(Db& db, const Item& item, const std::string& key) {
  const std::string name = FigureGroupName(item.campaign, ItemKindName(item.kind), key);
  const auto found = ids_.find(name);
  if (found != ids_.end()) {
    ++moved_[found->second];
    return found->second;
  }
  Result<std::int64_t> id = sql::Join(db, item, key);  // counted at once
  if (!id.ok()) return id;
  ids_.emplace(name, *id);
  names_.emplace(*id, name);
  return id;
}

template <class Db>
Result<bool> FigureTally::Holds(Db& db, std::int64_t id, const Item& item, const std::string& key) {
  const std::string name = FigureGroupName(item.campaign, ItemKindName(item.kind), key);
  const auto known = names_.find(id);
  if (known != names_.end()) return known->second == name;
  Result<std::optional<std::string>> stored = StoredGroupName(db, id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return false;
  names_.emplace(id, **stored);
  ids_.emplace(**stored, id);
  return **stored == name;
}

namespace {

// SQLite: an UPDATE a group, each a call into the library.
Status WriteMoves(sqlite::Db& db, const std::map<std::int64_t, std::int64_t>& moved) {
  for (const auto& [id, count] : moved)
    if (count != 0)
      RECTIFY_RETURN_IF_ERROR(
          db.Prepare("UPDATE figure_groups SET items = items + ? WHERE id = ?").BindAll(count, id).Run());
  return Status::Ok();
}

// PostgreSQL: one UPDATE for them all, a round trip where there was one a group (the notifier's
// page of tier records moves items out of hundreds of groups).
Status WriteMoves(pg::Conn& conn, const std::map<std::int64_t, std::int64_t>& moved) {
  std::string ids = "{", counts = "{";
  for (const auto& [id, count] : moved) {
    if (count == 0) continue;
    if (ids.size() > 1) {
      ids += ',';
      counts += ',';
    }
    ids += std::to_string(id);
    counts += std::to_string(count);
  }
  if (ids.size() == 1) return Status::Ok();
  return conn
      .Prepare("UPDATE figure_groups AS g SET items = g.items + m.moved "
               "FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS m (id, moved) WHERE g.id = m.id")
      .BindAll(ids + "}", counts + "}")
      .Run();
}

}  // namespace

template <class Db>
Status FigureTally::Flush(Db& db) {
  RECTIFY_RETURN_IF_ERROR(WriteMoves(db, moved_));
  moved_.clear();
  return Status::Ok();
}

template <class Db>
Result<std::int64_t> MoveFigureGroup(Db& db, const Item& item, const HistoryFacts& facts,
                                     const std::optional<StoredGroup>& counted_in, FigureTally* tally) {
  const std::string key = FormatFigureItem(FigureItemOf(item, facts));
  if (counted_in) {
    const std::int64_t id = counted_in->id;
    Result<bool> same = counted_in->name ? Result<bool>(*counted_in->name == FigureGroupName(item.campaign, ItemKindName(item.kind), key))
                        : tally != nullptr ? tally->Holds(db, id, item, key)
                                           : HoldsItem(db, id, item, key);
    if (!same.ok()) return same.status();
    if (*same) return id;
  }
  Result<std::int64_t> group = tally != nullptr ? tally->Join(db, item, key) : Join(db, item, key);
  if (!group.ok()) return group.status();
  if (counted_in) {
    if (tally != nullptr) tally->Leave(counted_in->id);
    else RECTIFY_RETURN_IF_ERROR(LeaveFigureGroup(db, counted_in->id));
  }
  return group;
}

template <class Db>
Status LeaveFigureGroup(Db& db, std::int64_t id) {
  return db.Prepare("UPDATE figure_groups SET items = items - 1 WHERE id = ?").BindAll(id).Run();
}

template <class Db>
Result<bool> ReadFigureGroups(Db& db, const FigureGroupsQuery& query,
                              const std::function<void(const FigureGroup& group)>& visit) {
  Result<bool> stand = GroupsStandFor(db, query);
  if (!stand.ok() || !*stand) return stand;
  auto groups = db.Prepare(query.campaign ? kFigureGroupsOfCampaign : kFigureGroupsOfAll);
  if (query.campaign) groups.BindAll(*query.campaign, ItemKindName(query.kind));
  else groups.BindAll(ItemKindName(query.kind));
  FigureGroup group;
  while (true) {
    Result<bool> row = groups.Step();
    if (!row.ok()) return row.status();
    if (!*row) return true;
    std::optional<FigureItem> figure = ParseFigureItem(groups.Text(0));
    // A key this program cannot read (another format version): the items must be read instead.
    if (!figure) return false;
    group.item = std::move(figure->item);
    group.facts = std::move(figure->facts);
    group.count = groups.Int(1);
    visit(group);
  }
}

template <class Db>
Status CountItemFigures(Db& db, const std::vector<Item>& items) {
  for (const Item& item : items) {
    std::optional<HistoryFacts> facts = item.facts;
    if (!facts) {
      Result<std::optional<std::vector<EventRecord>>> history = ReadHistory(db, item.kind, item.id);
      if (!history.ok()) return history.status();
      facts = *history ? HistoryFactsOf(item.kind, **history) : HistoryFacts{};
    }
    Result<std::int64_t> group = JoinFigureGroup(db, item, *facts);
    if (!group.ok()) return group.status();
    // Counted only if still uncounted and as it was read; otherwise its writer counted it.
    auto mark = db.Prepare("UPDATE items SET figure_group = ? WHERE id = ? AND kind = ? AND version = ? "
                           "AND figure_group IS NULL");
    mark.BindAll(*group, item.id, ItemKindName(item.kind), item.version);
    Result<std::int64_t> marked = RunCountingChanges(db, std::move(mark));
    if (!marked.ok()) return marked.status();
    if (*marked == 0) RECTIFY_RETURN_IF_ERROR(LeaveFigureGroup(db, *group));
  }
  return Status::Ok();
}

#define RECTIFY_FIGURE_GROUPS_FOR(Db)                                                                           \
  template Result<std::int64_t> JoinFigureGroup(Db& db, const Item& item, const HistoryFacts& facts);         \
  template Result<std::int64_t> MoveFigureGroup(Db& db, const Item& item, const HistoryFacts& facts,          \
                                                const std::optional<StoredGroup>& counted_in,                \
                                                FigureTally* tally);                                         \
  template Result<std::int64_t> FigureTally::Join(Db& db, const Item& item, const std::string& key);          \
  template Result<bool> FigureTally::Holds(Db& db, std::int64_t id, const Item& item, const std::string& key); \
  template Status FigureTally::Flush(Db& db);                                                                   \
  template Status LeaveFigureGroup(Db& db, std::int64_t id);                                                   \
  template Result<bool> ReadFigureGroups(Db& db, const FigureGroupsQuery& query,                             \
                                         const std::function<void(const FigureGroup& group)>& visit);         \
  template Status CountItemFigures(Db& db, const std::vector<Item>& items);
RECTIFY_FIGURE_GROUPS_FOR(sqlite::Db)
RECTIFY_FIGURE_GROUPS_FOR(pg::Conn)
#undef RECTIFY_FIGURE_GROUPS_FOR

}  // namespace rectify::sql
