#include "storage/sqlite_item_reads.h"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <string_view>
#include <system_error>
#include <utility>

namespace rectify::sqlite {
namespace {

// Column order read by ReadItem.
constexpr const char* kItemColumns =
    "SELECT i.id, i.kind, i.state, i.step, i.version, i.title, i.area, i.source, i.unit, i.measures, "
    "i.deadline, i.send_back_count, i.reopen_count, i.created_at, i.updated_at, "
    "i.deadline_rule, i.state_since, i.due_at, i.due_rule, "
    "h.item_id, h.head_name, h.village, h.category, h.risk_type, h.risk_found_on, h.clue_source, h.members, "
    "o.item_id, o.result, o.entered_on, o.explanation, "
    "h.id_number, h.phone, h.bank_account, h.health_condition, "
    "(SELECT group_concat(c.unit, ',') FROM item_cooperators c WHERE c.item_id = i.id), "
    "i.campaign_id, i.carried_from, i.carried_at, "
    "i.found_on, i.original_deadline, i.sign_for_unit, i.sign_for_since, i.extension_proposed, i.extension_reason, "
    "i.extension_requested_by, i.extension_requested_at, i.tier, i.tier_entries, i.history_facts ";
constexpr const char* kHouseholdJoin = "LEFT JOIN households h ON h.item_id = i.id ";
constexpr const char* kOutcomeJoin = "LEFT JOIN enrollment_outcomes o ON o.item_id = i.id ";
// Word for word the WHERE clause of the partial indexes items_open_due and
// items_open_unit_due (sqlite_migrations.cc): SQLite uses a partial index only when the
// query implies its condition.
constexpr const char* kOpenWithDeadline = "i.state <> 'closed' AND i.due_at IS NOT NULL";

Result<CivilDate> ReadDate(const Query& row, int column) {
  const std::string text = row.Text(column);
  std::optional<CivilDate> date = ParseDate(text);
  if (!date) return Status::Internal("sqlite: stored date is not YYYY-MM-DD: " + text);
  return *date;
}

Result<Item> ReadItem(const Query& row) {
  Item item;
  item.id = row.Int(0);
  std::optional<ItemKind> kind = ParseItemKind(row.Text(1));
  if (!kind) return Status::Internal("sqlite: item " + std::to_string(item.id) + " has unknown kind " + row.Text(1));
  item.kind = *kind;
  item.state = StatePath{row.Text(2), row.Text(3)};
  item.version = row.Int(4);
  item.title = row.Text(5);
  item.area = static_cast<int>(row.Int(6));
  item.source = row.Text(7);
  item.unit = row.Text(8);
  item.measures = row.Text(9);
  item.deadline = row.OptionalInt(10);
  item.send_back_count = static_cast<int>(row.Int(11));
  item.reopen_count = static_cast<int>(row.Int(12));
  item.created_at = row.Int(13);
  item.updated_at = row.Int(14);
  item.deadline_rule = row.Text(15);
  item.state_since = row.Int(16);
  item.due_at = row.OptionalInt(17);
  item.due_rule = row.Text(18);
  if (!row.IsNull(19)) {
    Household household;
    household.head_name = row.Text(20);
    household.village = row.Text(21);
    household.category = row.Text(22);
    household.risk_type = row.Text(23);
    Result<CivilDate> found_on = ReadDate(row, 24);
    if (!found_on.ok()) return found_on.status();
    household.risk_found_on = *found_on;
    household.clue_source = row.Text(25);
    household.members = static_cast<int>(row.Int(26));
    household.personal.id_number = row.Text(31);
    household.personal.phone = row.Text(32);
    household.personal.bank_account = row.Text(33);
    household.personal.health_condition = row.Text(34);
    item.household = std::move(household);
  }
  if (!row.IsNull(35)) {
    const std::string units = row.Text(35);
    for (std::size_t start = 0; start <= units.size();) {
      const std::size_t comma = std::min(units.find(',', start), units.size());
      item.cooperating_units.push_back(units.substr(start, comma - start));
      start = comma + 1;
    }
  }
  item.campaign = row.Text(36);
  item.carried_from = row.Text(37);
  item.carried_at = row.OptionalInt(38);
  if (!row.IsNull(39)) {
    Result<CivilDate> found_on = ReadDate(row, 39);
    if (!found_on.ok()) return found_on.status();
    item.found_on = *found_on;
  }
  item.original_deadline = row.OptionalInt(40);
  if (!row.IsNull(41) && !row.IsNull(42)) item.sign_for = SignForRequest{row.Text(41), row.Int(42)};
  if (!row.IsNull(43))
    item.extension = ExtensionRequest{row.Int(43), row.Text(44), row.Text(45), row.OptionalInt(46).value_or(0)};
  item.tier = row.Text(47);
  item.tier_entries = ParseTierEntries(row.Text(48));
  if (!row.IsNull(49)) item.facts = ParseHistoryFacts(row.Text(49));
  if (!row.IsNull(27)) {
    EnrollmentOutcome outcome;
    outcome.result = row.Text(28);
    if (!row.IsNull(29)) {
      Result<CivilDate> entered_on = ReadDate(row, 29);
      if (!entered_on.ok()) return entered_on.status();
      outcome.entered_on = *entered_on;
    }
    outcome.explanation = row.Text(30);
    item.outcome = std::move(outcome);
  }
  return item;
}

Result<std::vector<Item>> ReadItems(Query& query) {
  std::vector<Item> items;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return items;
    Result<Item> item = ReadItem(query);
    if (!item.ok()) return item.status();
    items.push_back(std::move(item).value());
  }
}

// Appends "AND <condition>" with its one parameter.
void AddFilter(SqlQuery& query, const char* condition, SqlParam value) {
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

// One search word (ItemQuery::text). The trigram index answers a word of three characters or
// more as an FTS5 phrase (its trigrams in a row: the word as a substring); a shorter word has
// no trigram, so it is looked for in the indexed text itself.
void AddSearchWord(SqlQuery& query, const std::string& word) {
  if (CodePoints(word) >= 3) {
    std::string phrase = "\"";
    for (const char c : word) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
    AddFilter(query, "i.id IN (SELECT rowid FROM item_text WHERE item_text MATCH ?)", phrase + "\"");
    return;
  }
  query.sql +=
      "AND i.id IN (SELECT rowid FROM item_text WHERE instr(lower(title), lower(?)) OR instr(lower(measures), lower(?)) "
      "OR instr(lower(household), lower(?)) OR instr(lower(notes), lower(?))) ";
  for (int i = 0; i < 4; ++i) query.params.emplace_back(word);
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

void Append(SqlQuery& query, const SqlQuery& part) {
  query.sql += part.sql;
  query.params.insert(query.params.end(), part.params.begin(), part.params.end());
}

}  // namespace

namespace {

// FROM and WHERE of ListItemsSql and CountItemsSql: the items `query`'s filters match.
SqlQuery ItemFilterSql(const ItemQuery& query) {
  SqlQuery out;
  out.sql = "FROM items i ";
  // The village filter needs the household: an inner join lets SQLite start from its index.
  out.sql += query.village ? "JOIN households h ON h.item_id = i.id " : kHouseholdJoin;
  out.sql += kOutcomeJoin;
  out.sql += "WHERE i.kind = ? ";
  out.params.emplace_back(std::string(ItemKindName(query.kind)));
  // With a unit, the unary + keeps SQLite on the (kind, unit, id) index: through the campaign's
  // index it walked every item of the campaign to fill one unit's page (measured: the town's
  // ledger, a query per unit, read the whole table once per unit at 100k items).
  if (query.campaign) AddFilter(out, query.unit ? "+i.campaign_id = ?" : "i.campaign_id = ?", *query.campaign);
  if (query.state) AddFilter(out, "i.state = ?", *query.state);
  if (query.step) AddFilter(out, "i.step = ?", *query.step);
  if (query.unit) AddFilter(out, "i.unit = ?", *query.unit);
  if (query.area) AddFilter(out, "i.area = ?", std::int64_t{*query.area});
  if (query.source) AddFilter(out, "i.source = ?", *query.source);
  if (query.village) AddFilter(out, "h.village = ?", *query.village);
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
  if (query.text) {
    const Result<std::vector<std::string>> words = SearchWords(*query.text);
    if (words.ok())
      for (const std::string& word : *words) AddSearchWord(out, word);
  }
  return out;
}

}  // namespace

SqlQuery CountItemsSql(const ItemQuery& query) {
  SqlQuery out{"SELECT count(*) ", {}};
  Append(out, ItemFilterSql(query));
  return out;
}

SqlQuery CountByUnitSql(const ItemQuery& query) {
  SqlQuery out{"SELECT i.unit, count(*) ", {}};
  Append(out, ItemFilterSql(query));
  out.sql += "GROUP BY i.unit";
  return out;
}

SqlQuery ListItemsSql(const ItemQuery& query) {
  SqlQuery out{kItemColumns, {}};
  Append(out, ItemFilterSql(query));
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
    AddFilter(out, "i.id > ?", query.after_id);
    out.sql += "ORDER BY i.id LIMIT ?";
  }
  out.params.emplace_back(std::int64_t{query.limit});
  return out;
}

SqlQuery OverdueItemsSql(const OverdueQuery& query) {
  SqlQuery out;
  out.sql = kItemColumns;
  out.sql += "FROM items i ";
  out.sql += kHouseholdJoin;
  out.sql += kOutcomeJoin;
  out.sql += "WHERE ";
  out.sql += kOpenWithDeadline;
  out.sql += " ";
  AddFilter(out, "i.due_at < ?", query.as_of);
  if (query.due_from) AddFilter(out, "i.due_at >= ?", *query.due_from);
  // The unary + keeps SQLite from answering through the (kind, ...) indexes, which would
  // then sort every open item of the kind by deadline; the partial index is already in order.
  if (query.kind) AddFilter(out, "+i.kind = ?", std::string(ItemKindName(*query.kind)));
  if (query.campaign) AddFilter(out, "+i.campaign_id = ?", *query.campaign);
  if (query.unit) AddFilter(out, "i.unit = ?", *query.unit);
  if (query.after_due) {
    AddFilter(out, "(i.due_at, i.id) > (?, ?)", *query.after_due);
    out.params.emplace_back(query.after_id);
  }
  out.sql += "ORDER BY i.due_at, i.id LIMIT ?";
  out.params.emplace_back(std::int64_t{query.limit});
  return out;
}

std::string FormatTierEntries(const std::map<std::string, int>& entries) {
  std::string out;
  for (const auto& [tier, count] : entries) out += (out.empty() ? "" : ",") + tier + "=" + std::to_string(count);
  return out;
}

namespace {

// A unit id in the history facts' text: bytes other than [A-Za-z0-9_.-] as %XX, so that the
// separators (space, colon, newline) never occur inside one.
void AppendUnit(std::string& out, const std::string& unit) {
  static const char kHex[] = "0123456789ABCDEF";
  for (const char c : unit) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '_' || c == '.' || c == '-') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
}

std::optional<std::string> ReadUnit(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size() || std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr != text.data() + i + 3)
      return std::nullopt;
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

void AppendInstant(std::string& out, const std::optional<Instant>& at) { out += at ? std::to_string(*at) : "-"; }

std::optional<Instant> ReadInt(std::string_view text) {
  Instant value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "-" is none; nullopt in the outer optional: not a number.
std::optional<std::optional<Instant>> ReadOptionalInstant(std::string_view text) {
  if (text == "-") return std::optional<Instant>();
  std::optional<Instant> at = ReadInt(text);
  if (!at) return std::nullopt;
  return at;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  if (text.empty()) return out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

// Six lines, each a letter and its space-separated entries (read on every item of every list
// and of every figure, so no JSON):
//   o <at>:<1 opened|0 closed> ...          h <at>:<unit> ...       s <unit>:<count> ...
//   r <unit>:<asked_at>:<due>:<signed_at|->:<released_at|-> ...     c <last_closed_at|->
//   p <1|0>
std::string FormatHistoryFacts(const HistoryFacts& facts) {
  std::string out = "o";
  for (const auto& [at, open] : facts.open_changes) out += " " + std::to_string(at) + (open ? ":1" : ":0");
  out += "\nh";
  for (const auto& [at, unit] : facts.holders) {
    out += " " + std::to_string(at) + ":";
    AppendUnit(out, unit);
  }
  out += "\ns";
  for (const auto& [unit, count] : facts.send_backs) {
    out += " ";
    AppendUnit(out, unit);
    out += ":" + std::to_string(count);
  }
  out += "\nr";
  for (const SignForRequestRecord& r : facts.sign_for_requests) {
    out += " ";
    AppendUnit(out, r.unit);
    out += ":" + std::to_string(r.asked_at) + ":" + std::to_string(r.due) + ":";
    AppendInstant(out, r.signed_at);
    out += ":";
    AppendInstant(out, r.released_at);
  }
  out += "\nc ";
  AppendInstant(out, facts.last_closed_at);
  out += facts.progress_noted ? "\np 1" : "\np 0";
  return out;
}

std::optional<HistoryFacts> ParseHistoryFacts(const std::string& text) {
  const std::vector<std::string_view> lines = Split(text, '\n');
  if (lines.size() != 6) return std::nullopt;
  const char tags[] = {'o', 'h', 's', 'r', 'c', 'p'};
  std::vector<std::vector<std::string_view>> entries;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string_view> words = Split(lines[i], ' ');
    if (words.empty() || words.front().size() != 1 || words.front()[0] != tags[i]) return std::nullopt;
    words.erase(words.begin());
    entries.push_back(std::move(words));
  }
  HistoryFacts facts;
  for (const std::string_view entry : entries[0]) {
    const std::vector<std::string_view> parts = Split(entry, ':');
    const std::optional<Instant> at = parts.size() == 2 ? ReadInt(parts[0]) : std::nullopt;
    if (!at || (parts[1] != "1" && parts[1] != "0")) return std::nullopt;
    facts.open_changes.emplace_back(*at, parts[1] == "1");
  }
  for (const std::string_view entry : entries[1]) {
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::optional<Instant> at = ReadInt(entry.substr(0, colon));
    std::optional<std::string> unit = ReadUnit(entry.substr(colon + 1));
    if (!at || !unit) return std::nullopt;
    facts.holders.emplace_back(*at, std::move(*unit));
  }
  for (const std::string_view entry : entries[2]) {
    const std::vector<std::string_view> parts = Split(entry, ':');
    std::optional<std::string> unit = parts.size() == 2 ? ReadUnit(parts[0]) : std::nullopt;
    const std::optional<Instant> count = parts.size() == 2 ? ReadInt(parts[1]) : std::nullopt;
    if (!unit || !count) return std::nullopt;
    facts.send_backs[std::move(*unit)] = static_cast<int>(*count);
  }
  for (const std::string_view entry : entries[3]) {
    const std::vector<std::string_view> parts = Split(entry, ':');
    if (parts.size() != 5) return std::nullopt;
    std::optional<std::string> unit = ReadUnit(parts[0]);
    const std::optional<Instant> asked = ReadInt(parts[1]);
    const std::optional<Instant> due = ReadInt(parts[2]);
    const auto signed_at = ReadOptionalInstant(parts[3]);
    const auto released_at = ReadOptionalInstant(parts[4]);
    if (!unit || !asked || !due || !signed_at || !released_at) return std::nullopt;
    facts.sign_for_requests.push_back({std::move(*unit), *asked, *due, *signed_at, *released_at});
  }
  if (entries[4].size() != 1 || entries[5].size() != 1) return std::nullopt;
  const auto closed = ReadOptionalInstant(entries[4][0]);
  if (!closed || (entries[5][0] != "1" && entries[5][0] != "0")) return std::nullopt;
  facts.last_closed_at = *closed;
  facts.progress_noted = entries[5][0] == "1";
  return facts;
}

std::map<std::string, int> ParseTierEntries(const std::string& text) {
  std::map<std::string, int> out;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string pair = text.substr(start, comma - start);
    const std::size_t equals = pair.find('=');
    if (equals != std::string::npos && equals > 0) {
      int count = 0;
      const char* first = pair.data() + equals + 1;
      const char* last = pair.data() + pair.size();
      if (std::from_chars(first, last, count).ptr == last && count > 0) out[pair.substr(0, equals)] = count;
    }
    start = comma + 1;
  }
  return out;
}

Status CheckLimit(int limit) {
  if (limit < 1) return Status::InvalidArgument("limit", "must be at least 1");
  return Status::Ok();
}

Query PrepareBound(Db& db, const SqlQuery& query) {
  Query prepared = db.Prepare(query.sql);
  int index = 0;
  for (const SqlParam& param : query.params) {
    ++index;
    std::visit([&](const auto& value) { prepared.Bind(index, value); }, param);
  }
  return prepared;
}

Result<std::optional<Item>> FindItem(Db& db, ItemKind kind, std::int64_t id) {
  std::string sql = kItemColumns;
  sql += "FROM items i ";
  sql += kHouseholdJoin;
  sql += kOutcomeJoin;
  sql += "WHERE i.id = ? AND i.kind = ?";
  Query query = db.Prepare(sql);
  query.BindAll(id, ItemKindName(kind));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Item>();
  Result<Item> item = ReadItem(query);
  if (!item.ok()) return item.status();
  return std::optional<Item>(std::move(item).value());
}

Result<std::int64_t> CountItems(Db& db, const ItemQuery& query) {
  if (query.text) RECTIFY_RETURN_IF_ERROR(SearchWords(*query.text).status());
  Query prepared = PrepareBound(db, CountItemsSql(query));
  Result<bool> row = prepared.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("sqlite: count(*) answered no row");
  return prepared.Int(0);
}

Result<std::vector<Item>> ListItems(Db& db, const ItemQuery& query) {
  RECTIFY_RETURN_IF_ERROR(CheckLimit(query.limit));
  if (query.text) RECTIFY_RETURN_IF_ERROR(SearchWords(*query.text).status());
  Query prepared = PrepareBound(db, ListItemsSql(query));
  return ReadItems(prepared);
}

Result<std::map<std::string, int>> CountByUnit(Db& db, const ItemQuery& query) {
  if (query.text) RECTIFY_RETURN_IF_ERROR(SearchWords(*query.text).status());
  Query prepared = PrepareBound(db, CountByUnitSql(query));
  std::map<std::string, int> counts;
  while (true) {
    Result<bool> row = prepared.Step();
    if (!row.ok()) return row.status();
    if (!*row) return counts;
    counts[prepared.Text(0)] = static_cast<int>(prepared.Int(1));
  }
}

Result<std::vector<Item>> OverdueItems(Db& db, const OverdueQuery& query) {
  RECTIFY_RETURN_IF_ERROR(CheckLimit(query.limit));
  Query prepared = PrepareBound(db, OverdueItemsSql(query));
  return ReadItems(prepared);
}

Result<std::optional<std::vector<EventRecord>>> ReadHistory(Db& db, ItemKind kind, std::int64_t id) {
  // The left join tells "no such item" (no row) from "no events" (one row of NULLs).
  Query query = db.Prepare(
      "SELECT e.seq, e.item_id, e.from_state, e.to_state, e.event, e.actor, e.at, e.note, e.unit, e.sign_for_due, "
      "e.signed_for, e.sent_back "
      "FROM items i LEFT JOIN events e ON e.item_id = i.id "
      "WHERE i.id = ? AND i.kind = ? ORDER BY e.seq");
  query.BindAll(id, ItemKindName(kind));
  std::optional<std::vector<EventRecord>> events;
  while (true) {
    Result<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) return events;
    if (!events) events.emplace();
    if (query.IsNull(0)) continue;
    EventRecord event;
    event.seq = query.Int(0);
    event.item_id = query.Int(1);
    event.from = query.Text(2);
    event.to = query.Text(3);
    event.event = query.Text(4);
    event.actor = query.Text(5);
    event.at = query.Int(6);
    event.note = query.Text(7);
    event.unit = query.Text(8);
    event.sign_for_due = query.OptionalInt(9);
    event.signed_for = query.Int(10) != 0;
    event.sent_back = query.Int(11) != 0;
    events->push_back(std::move(event));
  }
}

}  // namespace rectify::sqlite
