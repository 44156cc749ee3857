#include "storage/item_sql.h"

#include <string_view>
#include <utility>

namespace rectify::sql {

// What a row's event changed, as it was before (EventRecord::before), after its other columns.
#define kEventBeforeColumns                                                                              \
  "e.deadline_moved, e.deadline_before, e.deadline_rule_before, e.original_deadline_before, "          \
  "e.outcome_before_result, e.outcome_before_entered_on, e.outcome_before_explanation"

const char* const kReadHistory =
    "SELECT e.seq, e.item_id, e.from_state, e.to_state, e.event, e.actor, e.at, e.note, e.unit, e.sign_for_due, "
    "e.signed_for, e.sent_back, " kEventBeforeColumns
    " FROM items i LEFT JOIN events e ON e.item_id = i.id "
    "WHERE i.id = ? AND i.kind = ? ORDER BY e.seq";

const char* const kInsertItem =
    "INSERT INTO items (kind, state, step, version, title, area, source, unit, measures, deadline, "
    "send_back_count, reopen_count, created_at, updated_at, deadline_rule, state_since, due_at, due_rule, "
    "campaign_id, carried_from, carried_at, request_key, carried_from_id, carried_to, carried_to_id) "
    "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

const char* const kReadItemForUpdate =
    "SELECT version, state, step, title, area, source, unit, measures, due_at, campaign_id, history_facts, "
    "figure_group, progress_at, progress_note, tier, updated_at, "
    "(SELECT count(*) FROM households h WHERE h.item_id = items.id), "
    "(SELECT count(*) FROM enrollment_outcomes o WHERE o.item_id = items.id), "
    "(SELECT count(*) FROM item_cooperators c WHERE c.item_id = items.id), "
    "deadline, sign_for_unit, sign_for_since, extension_proposed, "
    "(SELECT g.campaign_id FROM figure_groups g WHERE g.id = items.figure_group), "
    "(SELECT g.kind FROM figure_groups g WHERE g.id = items.figure_group), "
    "(SELECT g.figure_key FROM figure_groups g WHERE g.id = items.figure_group) "
    "FROM items WHERE id = ? AND kind = ?";

const char* const kUpdateDuban =
    "UPDATE items SET found_on = ?, original_deadline = ?, sign_for_unit = ?, sign_for_since = ?, "
    "extension_proposed = ?, extension_reason = ?, extension_requested_by = ?, extension_requested_at = ?, "
    "tier = ?, tier_entries = ?, history_facts = ?, figure_group = ?, progress_at = ?, progress_note = ? WHERE id = ?";

const char* const kUpdateDeadlines =
    "UPDATE items SET deadline = ?, deadline_rule = ?, due_at = ?, due_rule = ?, figure_group = ? "
    "WHERE id = ? AND kind = ?";

// In id order, which only the partial index items_uncounted gives without a sort: without it,
// SQLite (no statistics) took any index of the kind as good, and read every item of the kind.
const char* const kAnyUncountedItem =
    "SELECT count(*) FROM (SELECT 1 FROM items WHERE kind = ? AND figure_group IS NULL ORDER BY id LIMIT 1) AS "
    "uncounted";

const char* const kLatestWrite = "SELECT max(updated_at) FROM items WHERE kind = ?";

const char* const kFigureGroupsOfCampaign =
    "SELECT figure_key, items FROM figure_groups WHERE campaign_id = ? AND kind = ? AND items > 0";

// The same figure item of several campaigns is one group here.
const char* const kFigureGroupsOfAll =
    "SELECT figure_key, CAST(sum(items) AS BIGINT) FROM figure_groups WHERE kind = ? GROUP BY figure_key "
    "HAVING sum(items) > 0";

const char* const kUpsertHousehold =
    "INSERT INTO households (item_id, head_name, village, category, risk_type, risk_found_on, clue_source, "
    "members, id_number, phone, bank_account, health_condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (item_id) DO UPDATE SET head_name = excluded.head_name, "
    "village = excluded.village, category = excluded.category, risk_type = excluded.risk_type, "
    "risk_found_on = excluded.risk_found_on, clue_source = excluded.clue_source, members = excluded.members, "
    "id_number = excluded.id_number, phone = excluded.phone, bank_account = excluded.bank_account, "
    "health_condition = excluded.health_condition";

const char* const kUpsertOutcome =
    "INSERT INTO enrollment_outcomes (item_id, result, entered_on, explanation) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (item_id) DO UPDATE SET result = excluded.result, entered_on = excluded.entered_on, "
    "explanation = excluded.explanation";

const char* const kInsertCooperator =
    "INSERT INTO item_cooperators (item_id, unit) VALUES (?, ?) ON CONFLICT (item_id, unit) DO NOTHING";

const char* const kInsertEvent =
    "INSERT INTO events (item_id, from_state, to_state, event, actor, at, note, unit, sign_for_due, signed_for, "
    "sent_back, deadline_moved, deadline_before, deadline_rule_before, original_deadline_before, "
    "outcome_before_result, outcome_before_entered_on, outcome_before_explanation) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

const char* const kPutMeta =
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
const char* const kInsertMetaIfAbsent = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING";
const char* const kReplaceMetaIfValue = "UPDATE meta SET value = ? WHERE key = ? AND value = ?";

namespace {

// The cooperating units of item i, joined by commas (ReadItem splits them).
std::string CooperatorsColumn(Dialect dialect) {
  return dialect == Dialect::kSqlite
             ? "(SELECT group_concat(c.unit, ',') FROM item_cooperators c WHERE c.item_id = i.id)"
             : "(SELECT string_agg(c.unit, ',' ORDER BY c.unit) FROM item_cooperators c WHERE c.item_id = i.id)";
}

// Column order read by ReadItem (item_rows.h); the cooperating units come as one text, joined
// by commas.
std::string ItemColumns(Dialect dialect) {
  std::string sql =
      "SELECT i.id, i.kind, i.state, i.step, i.version, i.title, i.area, i.source, i.unit, i.measures, "
      "i.deadline, i.send_back_count, i.reopen_count, i.created_at, i.updated_at, "
      "i.deadline_rule, i.state_since, i.due_at, i.due_rule, "
      "h.item_id, h.head_name, h.village, h.category, h.risk_type, h.risk_found_on, h.clue_source, h.members, "
      "o.item_id, o.result, o.entered_on, o.explanation, "
      "h.id_number, h.phone, h.bank_account, h.health_condition, ";
  sql += CooperatorsColumn(dialect) + ", ";
  sql +=
      "i.campaign_id, i.carried_from, i.carried_at, "
      "i.found_on, i.original_deadline, i.sign_for_unit, i.sign_for_since, i.extension_proposed, i.extension_reason, "
      "i.extension_requested_by, i.extension_requested_at, i.tier, i.tier_entries, i.history_facts, "
      "i.progress_at, i.progress_note, i.request_key, i.carried_from_id, i.carried_to, i.carried_to_id ";
  return sql;
}

// Column order read by ReadItemOutline (item_rows.h): OverdueQuery::outline. Of the items' own
// columns only those of the index items_open_due (SQLite), which holds them all.
std::string OutlineColumns(Dialect dialect) {
  return "SELECT i.id, i.kind, i.campaign_id, i.state, i.step, i.unit, i.deadline, i.due_at, i.sign_for_unit, "
         "i.sign_for_since, i.extension_proposed, h.item_id, h.village, h.risk_found_on, o.item_id, o.entered_on, " +
         CooperatorsColumn(dialect) + " ";
}

constexpr const char* kHouseholdJoin = "LEFT JOIN households h ON h.item_id = i.id ";
constexpr const char* kOutcomeJoin = "LEFT JOIN enrollment_outcomes o ON o.item_id = i.id ";
// Word for word the WHERE clause of the partial indexes items_open_due and
// items_open_unit_due (both migrations): a database uses a partial index only when the query
// implies its condition.
constexpr const char* kOpenWithDeadline = "i.state <> 'closed' AND i.due_at IS NOT NULL";

// SQLite's unary + on a column keeps its planner from answering through that column's index
// (see where it is used); PostgreSQL plans by its statistics and has no such operator on text.
std::string Unindexed(Dialect dialect, std::string_view column) {
  return (dialect == Dialect::kSqlite ? "+" : "") + std::string(column);
}

// Appends "AND <condition>" with its one parameter.
void AddFilter(SqlQuery& query, std::string_view condition, SqlParam value) {
  query.sql += "AND ";
  query.sql += condition;
  query.sql += " ";
  query.params.push_back(std::move(value));
}

// Characters (UTF-8 code points) in `word`.
std::size_t CodePoints(const std::string& word) {
  std::size_t count = 0;
  for (const char c : word) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// `word` as a LIKE pattern that matches it anywhere, its own % _ and \ taken literally.
std::string ContainsPattern(const std::string& word) {
  std::string pattern = "%";
  for (const char c : word) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// PostgreSQL's item_text as one text: word for word the expression of its trigram index
// item_text_trigrams (pg_migrations.cc), which the planner matches only when it is the same.
constexpr const char* kPgItemText = "(t.title || E'\\n' || t.measures || E'\\n' || t.household)";

// One search word (ItemQuery::text), looked for in the item's own texts (item_text) and in its
// history notes (note_text, one row per note), the items of either kind of match together, in
// each of its spellings (engine/item_store.h SearchSpellings: most words have one; they all
// have as many characters). Both trigram indexes answer a word of three characters or more
// (SQLite's FTS5 as a phrase of its trigrams, PostgreSQL's GIN as ILIKE '%word%'); a shorter
// word has no trigram, so it is looked for in the texts themselves, row by row. Either way ASCII
// letters match in either case (PostgreSQL's ILIKE and lower() fold as its locale does, a
// superset). On SQLite the newest notes may still wait in note_text_queue for the index
// (SqliteDatabase::kNotesPerIndexing): they are looked for row by row, as a short word is.
void AddSearchWord(SqlQuery& query, const std::string& word, Dialect dialect) {
  const bool indexed = CodePoints(word) >= 3;
  const std::vector<std::string> spellings = SearchSpellings(word);
  if (dialect == Dialect::kPostgres && !indexed) {
    // Correlated with the item: cheap once the other filters have narrowed the items down.
    query.sql += "AND (";
    for (std::size_t i = 0; i < spellings.size(); ++i) {
      query.sql += std::string(i > 0 ? "OR " : "") +
                   "EXISTS (SELECT 1 FROM item_text t WHERE t.item_id = i.id AND strpos(lower(" + kPgItemText +
                   "), lower(?::text)) > 0) OR EXISTS (SELECT 1 FROM note_text n WHERE n.item_id = i.id AND "
                   "strpos(lower(n.note), lower(?::text)) > 0) ";
      query.params.emplace_back(spellings[i]);
      query.params.emplace_back(spellings[i]);
    }
    query.sql += ") ";
    return;
  }
  query.sql += "AND i.id IN (";
  for (std::size_t i = 0; i < spellings.size(); ++i) {
    const std::string& spelling = spellings[i];
    if (i > 0) query.sql += "UNION ";
    if (dialect == Dialect::kSqlite && indexed) {
      std::string phrase = "\"";
      for (const char c : spelling) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
      phrase += "\"";
      query.sql +=
          "SELECT rowid FROM item_text WHERE item_text MATCH ? "
          "UNION SELECT item_id FROM note_text WHERE note_text MATCH ? "
          "UNION SELECT item_id FROM note_text_queue WHERE instr(lower(note), lower(?)) ";
      query.params.emplace_back(phrase);
      query.params.emplace_back(phrase);
      query.params.emplace_back(spelling);
    } else if (dialect == Dialect::kSqlite) {
      query.sql +=
          "SELECT rowid FROM item_text WHERE instr(lower(title), lower(?)) OR instr(lower(measures), lower(?)) OR "
          "instr(lower(household), lower(?)) "
          "UNION SELECT item_id FROM note_text WHERE instr(lower(note), lower(?)) "
          "UNION SELECT item_id FROM note_text_queue WHERE instr(lower(note), lower(?)) ";
      for (int n = 0; n < 5; ++n) query.params.emplace_back(spelling);
    } else {
      query.sql += std::string("SELECT t.item_id FROM item_text t WHERE ") + kPgItemText +
                   " ILIKE ? UNION SELECT n.item_id FROM note_text n WHERE n.note ILIKE ? ";
      query.params.emplace_back(ContainsPattern(spelling));
      query.params.emplace_back(ContainsPattern(spelling));
    }
  }
  query.sql += ") ";
}

// SortValue (engine/item_store.h) as SQL, with its parameters.
SqlQuery SortValueSql(const ItemOrder& order) {
  auto ranked = [&order](const std::string& value) {
    SqlQuery out;
    out.sql = "CASE " + value;
    for (std::size_t i = 0; i < order.ranks.size(); ++i) {
      out.sql += " WHEN ? THEN " + std::to_string(i);
      out.params.emplace_back(order.ranks[i]);
    }
    out.sql += " ELSE " + std::to_string(order.ranks.size()) + " END";
    if (order.ranks.empty()) out.sql = "0";
    return out;
  };
  switch (order.key) {
    case ItemSortKey::kId: return {"i.id", {}};
    case ItemSortKey::kDeadline: return {"coalesce(i.deadline, 9223372036854775807)", {}};
    case ItemSortKey::kDueAt: return {"coalesce(i.due_at, 9223372036854775807)", {}};
    case ItemSortKey::kArea: return {"i.area", {}};
    case ItemSortKey::kUnit: return ranked("i.unit");
    case ItemSortKey::kState: return ranked("(CASE WHEN i.step = '' THEN i.state ELSE i.state || '.' || i.step END)");
  }
  return {"i.id", {}};
}

// What a query selects besides the filters' own columns: the whole item (ItemColumns, which
// read the household and the outcome), or only a count.
enum class Selects { kItems, kCount };

// FROM and WHERE of ListItemsSql and CountItemsSql: the items `query`'s filters match.
SqlQuery ItemFilterSql(const ItemQuery& query, Dialect dialect, Selects selects) {
  SqlQuery out;
  out.sql = "FROM items i ";
  // The village filter needs the household: an inner join lets SQLite start from its index. A
  // count joins only what a filter reads: each join is a lookup per item (an item has at most
  // one household and one outcome, so the count is the same), and at a million items the two
  // took a count of a campaign's problems from 70 ms to 240 ms, on every page of its list.
  if (query.village || query.id_number) out.sql += "JOIN households h ON h.item_id = i.id ";
  else if (selects == Selects::kItems || query.visible_to_unit) out.sql += kHouseholdJoin;
  if (selects == Selects::kItems) out.sql += kOutcomeJoin;
  // A village's items are found through the households' village index: the unary + keeps
  // SQLite from walking the kind's or the campaign's index instead and looking up each item's
  // household (a count of one village's requests went through every item of the campaign).
  // A household's requests by its ID number are found the same way, through that index.
  const bool by_household = query.village || query.id_number;
  // Items with a history row in a window are looked up by id (below): by the kind's index
  // SQLite would test every item of the kind against the window's few.
  const bool by_id = by_household || query.event_between;
  // A count of the overdue is read from the partial index of open deadlines, which holds the
  // kind, campaign, state and unit of each (covering): by the kind's or the unit's index SQLite
  // read every item of the kind to test its deadline. At a million problems the bulletin's count
  // of the overdue by unit took 1 s so, 0.15 s from the deadlines' index. A page in id order
  // keeps the id-ordered indexes: it stops at its first `limit` rows.
  const bool by_deadline = selects == Selects::kCount && query.overdue_as_of && !by_id;
  out.sql += "WHERE " + (by_id || by_deadline ? Unindexed(dialect, "i.kind") : std::string("i.kind")) + " = ? ";
  out.params.emplace_back(std::string(ItemKindName(query.kind)));
  // The indexes of the state, step, unit, area and source hold the campaign after the filter's
  // column (SQLite schema 22), so that SQLite searches the filter and the campaign together: by
  // the campaign's index alone it read every item of the campaign to fill one unit's page. The
  // unary + keeps SQLite on the village's index (above), and on the partial index of the few
  // items whose tier lost its deadline.
  // Items changed since an instant (a day's writes) are searched by the write times' index and
  // sorted: by the campaign's index in id order SQLite read every item of the campaign.
  if (query.campaign)
    AddFilter(out,
              (by_household || by_deadline || query.tier_without_deadline || query.changed_since ||
                       query.event_between
                   ? Unindexed(dialect, "i.campaign_id")
                   : "i.campaign_id") +
                  " = ?",
              *query.campaign);
  if (query.state) AddFilter(out, "i.state = ?", *query.state);
  if (query.step) AddFilter(out, "i.step = ?", *query.step);
  if (query.unit) AddFilter(out, "i.unit = ?", *query.unit);
  if (query.area) AddFilter(out, "i.area = ?", std::int64_t{*query.area});
  if (query.source) AddFilter(out, "i.source = ?", *query.source);
  if (query.village) AddFilter(out, "h.village = ?", *query.village);
  if (query.id_number) AddFilter(out, "h.id_number = ?", *query.id_number);
  if (query.request_key) AddFilter(out, "i.request_key = ?", *query.request_key);
  if (query.visible_to_unit) {
    AddFilter(out, "(i.unit = ? OR h.village = ? OR i.id IN (SELECT item_id FROM item_cooperators WHERE unit = ?))",
              *query.visible_to_unit);
    out.params.emplace_back(*query.visible_to_unit);
    out.params.emplace_back(*query.visible_to_unit);
  }
  if (query.overdue_as_of) {
    out.sql += "AND ";
    out.sql += kOpenWithDeadline;
    out.sql += " ";
    AddFilter(out, "i.due_at < ?", *query.overdue_as_of);
  }
  if (query.open_only) out.sql += "AND i.state <> 'closed' ";
  if (query.figures_uncounted) out.sql += "AND i.figure_group IS NULL ";
  // As the partial index items_open_tier_undue says it, so that SQLite's planner can use it.
  if (query.tier_without_deadline) out.sql += "AND i.state <> 'closed' AND i.due_at IS NULL AND i.tier <> '' ";
  if (!query.state_paths.empty()) {
    out.sql += "AND (";
    for (std::size_t i = 0; i < query.state_paths.size(); ++i) {
      const StatePath path = StatePath::Parse(query.state_paths[i]);
      out.sql += i == 0 ? "(i.state = ? AND i.step = ?)" : " OR (i.state = ? AND i.step = ?)";
      out.params.emplace_back(path.state);
      out.params.emplace_back(path.step);
    }
    out.sql += ") ";
  }
  if (query.changed_since) AddFilter(out, "i.updated_at >= ?", *query.changed_since);
  if (query.recorded_before) AddFilter(out, "i.created_at < ?", *query.recorded_before);
  // The few items with such a row are looked up by id from the index of events and times; the
  // campaign's index (unary + above) would read every item of the campaign to test each.
  if (query.event_between) {
    AddFilter(out, "i.id IN (SELECT e.item_id FROM events e WHERE e.event = ? AND e.at > ? AND e.at <= ?)",
              query.event_between->event);
    out.params.emplace_back(query.event_between->after);
    out.params.emplace_back(query.event_between->until);
  }
  if (query.text) {
    const Result<std::vector<std::string>> words = SearchWords(*query.text);
    if (words.ok())
      for (const std::string& word : *words) AddSearchWord(out, word, dialect);
  }
  return out;
}

}  // namespace

void Append(SqlQuery& query, const SqlQuery& part) {
  query.sql += part.sql;
  query.params.insert(query.params.end(), part.params.begin(), part.params.end());
}

Status CheckLimit(int limit) {
  if (limit < 1) return Status::InvalidArgument("limit", "must be at least 1");
  return Status::Ok();
}

std::string FindItemSql(Dialect dialect) {
  std::string sql = ItemColumns(dialect);
  sql += "FROM items i ";
  sql += kHouseholdJoin;
  sql += kOutcomeJoin;
  sql += "WHERE i.id = ? AND i.kind = ?";
  return sql;
}

SqlQuery CountItemsSql(const ItemQuery& query, Dialect dialect) {
  SqlQuery out{"SELECT count(*) ", {}};
  Append(out, ItemFilterSql(query, dialect, Selects::kCount));
  return out;
}

SqlQuery CountByUnitSql(const ItemQuery& query, Dialect dialect) {
  SqlQuery out{"SELECT i.unit, count(*) ", {}};
  Append(out, ItemFilterSql(query, dialect, Selects::kCount));
  out.sql += "GROUP BY i.unit";
  return out;
}

SqlQuery HistoriesSql(const HistoriesQuery& query, Dialect dialect) {
  SqlQuery out{
      "SELECT i.id, e.seq, e.item_id, e.from_state, e.to_state, e.event, e.actor, e.at, e.note, e.unit, "
      "e.sign_for_due, e.signed_for, e.sent_back, " kEventBeforeColumns
      " FROM items i LEFT JOIN events e ON e.item_id = i.id WHERE i.kind = ? ",
      {std::string(ItemKindName(query.kind))}};
  if (query.campaign) AddFilter(out, Unindexed(dialect, "i.campaign_id") + " = ?", *query.campaign);
  // One bound text holds the whole list, so the statement's text is the same for every batch:
  // a JSON array for SQLite's json_each, an array literal for PostgreSQL.
  std::string ids;
  for (std::int64_t id : query.ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  if (dialect == Dialect::kSqlite)
    AddFilter(out, "i.id IN (SELECT value FROM json_each(?))", "[" + ids + "]");
  else
    AddFilter(out, "i.id = ANY(CAST(? AS bigint[]))", "{" + ids + "}");
  out.sql += "ORDER BY i.id, e.seq";
  return out;
}

SqlQuery ListItemsSql(const ItemQuery& query, Dialect dialect) {
  SqlQuery out{ItemColumns(dialect), {}};
  Append(out, ItemFilterSql(query, dialect, Selects::kItems));
  if (!query.order.is_default() || query.after) {
    const SqlQuery value = SortValueSql(query.order);
    const std::string direction = query.order.descending ? " DESC" : "";
    if (query.after) {
      out.sql += "AND (";
      Append(out, value);
      out.sql += query.order.descending ? ", i.id) < (?, ?) " : ", i.id) > (?, ?) ";
      out.params.emplace_back(query.after->value);
      out.params.emplace_back(query.after->id);
    }
    out.sql += "ORDER BY ";
    Append(out, value);
    out.sql += direction + ", i.id" + direction + " LIMIT ?";
  } else if (query.village) {
    // h.item_id equals i.id; naming the household's copy lets SQLite walk the village index
    // (village, item_id) in order, where i.id would make it walk every item of the kind.
    AddFilter(out, "h.item_id > ?", query.after_id);
    out.sql += "ORDER BY h.item_id LIMIT ?";
  } else {
    AddFilter(out, query.changed_since ? Unindexed(dialect, "i.id") + " > ?" : std::string("i.id > ?"),
              query.after_id);
    out.sql += "ORDER BY i.id LIMIT ?";
  }
  out.params.emplace_back(std::int64_t{query.limit});
  return out;
}

SqlQuery OverdueItemsSql(const OverdueQuery& query, Dialect dialect, OverdueResume resume) {
  SqlQuery out;
  out.sql = query.outline ? OutlineColumns(dialect) : ItemColumns(dialect);
  out.sql += "FROM items i ";
  out.sql += kHouseholdJoin;
  out.sql += kOutcomeJoin;
  out.sql += "WHERE ";
  out.sql += kOpenWithDeadline;
  out.sql += " ";
  const bool same_deadline = query.after_due && resume == OverdueResume::kSameDeadline;
  // Within one deadline the bounds say nothing (the caller checks that it lies within them), and
  // beside "due_at = ?" they made SQLite search the unit's or tier's index by the bounds and sort.
  if (!same_deadline) {
    AddFilter(out, "i.due_at < ?", query.as_of);
    if (query.due_from) AddFilter(out, "i.due_at >= ?", *query.due_from);
  }
  // The unary + keeps SQLite from answering through the (kind, ...) indexes, which would
  // then sort every open item of the kind by deadline; the partial index is already in order.
  if (query.kind) AddFilter(out, Unindexed(dialect, "i.kind") + " = ?", std::string(ItemKindName(*query.kind)));
  if (query.campaign) AddFilter(out, Unindexed(dialect, "i.campaign_id") + " = ?", *query.campaign);
  if (query.unit) AddFilter(out, "i.unit = ?", *query.unit);
  if (query.tier) AddFilter(out, "i.tier = ?", *query.tier);
  if (same_deadline) {
    AddFilter(out, "i.due_at = ?", *query.after_due);
    AddFilter(out, "i.id > ?", query.after_id);
  } else if (query.after_due) {
    AddFilter(out, "i.due_at > ?", *query.after_due);
  }
  out.sql += "ORDER BY i.due_at, i.id LIMIT ?";
  out.params.emplace_back(std::int64_t{query.limit});
  return out;
}

}  // namespace rectify::sql
