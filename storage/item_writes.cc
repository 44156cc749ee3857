#include "storage/item_writes.h"

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/history_facts.h"
#include "storage/figure_groups.h"
#include "storage/item_codec.h"
#include "storage/item_reads.h"
#include "storage/item_sql.h"
#include "storage/pg_db.h"
#include "storage/sqlite_db.h"

namespace rectify::sql {

Result<std::int64_t> RunCountingChanges(sqlite::Db& db, sqlite::Query query) {
  RECTIFY_RETURN_IF_ERROR(query.Run());
  return db.Changes();
}

Result<std::int64_t> RunCountingChanges(pg::Conn&, pg::Query query) {
  RECTIFY_RETURN_IF_ERROR(query.Run());
  return query.Changes();
}

namespace {

// Where the two connections differ: the id an insert made.

sqlite::Query PrepareInsertItem(sqlite::Db& db) { return db.Prepare(kInsertItem); }
pg::Query PrepareInsertItem(pg::Conn& conn) { return conn.Prepare(std::string(kInsertItem) + " RETURNING id"); }

Result<std::int64_t> InsertedId(sqlite::Db& db, sqlite::Query& query) {
  RECTIFY_RETURN_IF_ERROR(query.Run());
  return db.LastInsertId();
}

Result<std::int64_t> InsertedId(pg::Conn&, pg::Query& query) {
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("postgresql: INSERT ... RETURNING id answered no row");
  return query.Int(0);
}

// The item's household, outcome and cooperating units, written over what is stored: `stored` says
// whether the item has any stored (false for a new item). An update of a problem, which has none
// and gets none, writes nothing here: three DELETEs that found nothing were a tenth of a tier
// record's time.
template <class Db>
Status WriteHousehold(Db& db, const Item& item, bool stored) {
  if (!item.household) {
    if (!stored) return Status::Ok();
    return db.Prepare("DELETE FROM households WHERE item_id = ?").BindAll(item.id).Run();
  }
  const Household& h = *item.household;
  return db.Prepare(kUpsertHousehold)
      .BindAll(item.id, h.head_name, h.village, h.category, h.risk_type, FormatDate(h.risk_found_on), h.clue_source,
               std::int64_t{h.members}, h.personal.id_number, h.personal.phone, h.personal.bank_account,
               h.personal.health_condition)
      .Run();
}

template <class Db>
Status WriteOutcome(Db& db, const Item& item, bool stored) {
  if (!item.outcome) {
    if (!stored) return Status::Ok();
    return db.Prepare("DELETE FROM enrollment_outcomes WHERE item_id = ?").BindAll(item.id).Run();
  }
  const EnrollmentOutcome& o = *item.outcome;
  auto query = db.Prepare(kUpsertOutcome);
  query.BindAll(item.id, o.result);
  if (o.entered_on) {
    query.Bind(3, FormatDate(*o.entered_on));
  } else {
    query.BindNull(3);
  }
  query.Bind(4, o.explanation);
  return query.Run();
}

template <class Db>
Status WriteCooperators(Db& db, const Item& item, bool stored) {
  if (stored) RECTIFY_RETURN_IF_ERROR(db.Prepare("DELETE FROM item_cooperators WHERE item_id = ?").BindAll(item.id).Run());
  for (const std::string& unit : item.cooperating_units)
    RECTIFY_RETURN_IF_ERROR(db.Prepare(kInsertCooperator).BindAll(item.id, unit).Run());
  return Status::Ok();
}

// A history row's note joins the search with its transaction. On SQLite the writer queues it
// (note_text_queue, moved into note_text a few hundred at a time: sqlite_database.cc); a trigger did
// until schema 21, and SQLite journals every page a statement with a trigger writes. On
// PostgreSQL its trigger writes note_text.
// Called right after the row's INSERT, whose seq it reads.
Status QueueNoteForSearch(sqlite::Db& db, std::int64_t item_id, const std::string& note) {
  if (note.empty()) return Status::Ok();
  return db.Prepare("INSERT INTO note_text_queue (seq, item_id, note) VALUES (?, ?, ?)")
      .BindAll(db.LastInsertId(), item_id, note)
      .Run();
}
Status QueueNoteForSearch(pg::Conn&, std::int64_t, const std::string&) { return Status::Ok(); }

template <class Db>
Status InsertEvent(Db& db, std::int64_t item_id, const EventRecord& e) {
  const std::optional<DeadlineSetting>& deadline = e.before.deadline;
  const std::optional<EnrollmentOutcome>& outcome = e.before.outcome;
  const auto optional_text = [](bool present, std::string text) {
    return present ? std::optional<std::string>(std::move(text)) : std::nullopt;
  };
  RECTIFY_RETURN_IF_ERROR(
      db.Prepare(kInsertEvent)
          .BindAll(item_id, e.from, e.to, e.event, e.actor, e.at, e.note, e.unit, e.sign_for_due,
                   std::int64_t{e.signed_for ? 1 : 0}, std::int64_t{e.sent_back ? 1 : 0},
                   std::int64_t{deadline ? 1 : 0}, deadline ? deadline->deadline : std::nullopt,
                   deadline ? deadline->rule : std::string(), deadline ? deadline->original : std::nullopt,
                   optional_text(outcome.has_value(), outcome ? outcome->result : std::string()),
                   optional_text(outcome && outcome->entered_on,
                                 outcome && outcome->entered_on ? FormatDate(*outcome->entered_on) : std::string()),
                   outcome ? outcome->explanation : std::string())
          .Run());
  return QueueNoteForSearch(db, item_id, e.note);
}

// The 督办 fields, and the history facts and the latest progress the item has with its newest row.
template <class Db>
Status WriteDuban(Db& db, const Item& item, const HistoryFacts& facts, const ProgressNote& progress,
                  std::int64_t figure_group) {
  auto query = db.Prepare(kUpdateDuban);
  if (item.found_on) query.Bind(1, FormatDate(*item.found_on));
  else query.BindNull(1);
  query.Bind(2, item.original_deadline);
  if (item.sign_for) {
    query.Bind(3, item.sign_for->unit);
    query.Bind(4, item.sign_for->since);
  } else {
    query.BindNull(3);
    query.BindNull(4);
  }
  const ExtensionRequest none;
  const ExtensionRequest& e = item.extension ? *item.extension : none;
  query.Bind(5, item.extension ? std::optional<Instant>(e.proposed) : std::nullopt);
  query.Bind(6, e.reason);
  query.Bind(7, e.requested_by);
  query.Bind(8, item.extension ? std::optional<Instant>(e.requested_at) : std::nullopt);
  query.Bind(9, item.tier);
  query.Bind(10, FormatTierEntries(item.tier_entries));
  query.Bind(11, FormatHistoryFacts(facts));
  query.Bind(12, figure_group);
  query.Bind(13, progress.at);
  query.Bind(14, progress.note);
  query.Bind(15, item.id);
  return query.Run();
}

// After an UPDATE matched no row: tells a missing item from a newer version.
template <class Db>
Status ExplainNoUpdate(Db& db, const Item& item) {
  auto query = db.Prepare("SELECT version FROM items WHERE id = ? AND kind = ?");
  query.BindAll(item.id, ItemKindName(item.kind));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(DescribeItem(item.kind, item.id) + " not found");
  return Status::Aborted(DescribeItem(item.kind, item.id) + " was changed by someone else: it is at version " +
                         std::to_string(query.Int(0)) + ", not " + std::to_string(item.version))
      .WithReason("stale_version", {{"current_version", std::to_string(query.Int(0))}});
}

// A value bound to one column of an UPDATE: NULL for an unset optional.
using ColumnValue = std::variant<std::int64_t, std::string, std::optional<std::int64_t>>;

// kReadItemForUpdate's columns: version, state, step, title, area, source, unit, measures,
// due_at, campaign_id, history_facts, figure_group, progress_at, progress_note, tier, updated_at,
// how many households, outcomes and cooperating units the item has (0 or 1, 0 or 1, any), then
// deadline, sign_for_unit, sign_for_since and extension_proposed, then the campaign, kind and
// key of its figure group (NULL when it has none), so that a move needs no lookup of its own.
constexpr int kStoredFactsColumn = 10;
constexpr int kStoredGroupColumn = 11;
constexpr int kStoredProgressAtColumn = 12;
constexpr int kStoredProgressNoteColumn = 13;
constexpr int kStoredTierColumn = 14;
constexpr int kStoredUpdatedAtColumn = 15;
constexpr int kStoredHouseholdsColumn = 16;
constexpr int kStoredOutcomesColumn = 17;
constexpr int kStoredCooperatorsColumn = 18;
constexpr int kStoredDeadlineColumn = 19;
constexpr int kStoredSignForUnitColumn = 20;
constexpr int kStoredSignForSinceColumn = 21;
constexpr int kStoredExtensionProposedColumn = 22;
constexpr int kStoredGroupCampaignColumn = 23;
constexpr int kStoredGroupKindColumn = 24;
constexpr int kStoredGroupKeyColumn = 25;

// The stored history facts, or for an item written before the store kept them, its history's.
template <class Db>
Result<HistoryFacts> StoredFacts(Db& db, const Item& item, const std::optional<std::string>& stored) {
  std::optional<HistoryFacts> facts;
  if (stored) facts = ParseHistoryFacts(*stored);
  if (facts) return std::move(*facts);
  Result<std::optional<std::vector<EventRecord>>> history = ReadHistory(db, item.kind, item.id);
  if (!history.ok()) return history.status();
  return *history ? HistoryFactsOf(item.kind, **history) : HistoryFacts{};
}

// What the store keeps of an item's history beside it (Item::facts, Item::latest_progress).
struct KeptHistory {
  HistoryFacts facts;
  ProgressNote latest_progress;
};

// What is kept of the stored item's history, read off its history for an item written before
// the store kept it (its history is read once, whichever is missing).
template <class Db>
Result<KeptHistory> StoredHistory(Db& db, const Item& item, const std::optional<std::string>& stored_facts,
                                  const std::optional<ProgressNote>& stored_progress) {
  std::optional<HistoryFacts> facts;
  if (stored_facts) facts = ParseHistoryFacts(*stored_facts);
  if (facts && stored_progress) return KeptHistory{std::move(*facts), *stored_progress};
  Result<std::optional<std::vector<EventRecord>>> history = ReadHistory(db, item.kind, item.id);
  if (!history.ok()) return history.status();
  const std::vector<EventRecord> none;
  const std::vector<EventRecord>& rows = *history ? **history : none;
  return KeptHistory{facts ? std::move(*facts) : HistoryFactsOf(item.kind, rows),
                     stored_progress ? *stored_progress : LatestProgressOf(rows)};
}


// The columns no index or search text reads, each set on every update: the 督办 fields, and the
// history facts and the latest progress with them. (tier, updated_at and figure_group are
// indexed: UpdateItem sets them only when they change.)
// An item's id in a column that holds none as NULL.
std::optional<std::int64_t> OptionalId(std::int64_t id) { return id == 0 ? std::nullopt : std::optional(id); }

std::vector<std::pair<const char*, ColumnValue>> UnindexedColumns(const Item& item, const KeptHistory& kept) {
  const ExtensionRequest none;
  const ExtensionRequest& e = item.extension ? *item.extension : none;
  const auto optional_text = [](bool set, const std::string& text) {
    return set ? ColumnValue(text) : ColumnValue(std::optional<std::int64_t>());
  };
  return {
      {"send_back_count", std::int64_t{item.send_back_count}},
      {"reopen_count", std::int64_t{item.reopen_count}},
      {"deadline_rule", item.deadline_rule},
      {"state_since", item.state_since},
      {"due_rule", item.due_rule},
      {"carried_from", item.carried_from},
      {"carried_from_id", OptionalId(item.carried_from_id)},
      {"carried_at", item.carried_at},
      {"carried_to", item.carried_to},
      {"carried_to_id", OptionalId(item.carried_to_id)},
      {"found_on", optional_text(item.found_on.has_value(), item.found_on ? FormatDate(*item.found_on) : "")},
      {"original_deadline", item.original_deadline},
      {"extension_reason", e.reason},
      {"extension_requested_by", e.requested_by},
      {"extension_requested_at", item.extension ? std::optional<std::int64_t>(e.requested_at) : std::nullopt},
      {"tier_entries", FormatTierEntries(item.tier_entries)},
      {"history_facts", FormatHistoryFacts(kept.facts)},
      {"progress_at", kept.latest_progress.at},
      {"progress_note", kept.latest_progress.note},
  };
}

}  // namespace

std::string DescribeItem(ItemKind kind, std::int64_t id) {
  return std::string(ItemKindName(kind)) + " " + std::to_string(id);
}

template <class Db>
Status InsertItem(Db& db, Item& item, EventRecord& created) {
  auto insert = PrepareInsertItem(db);
  insert.BindAll(ItemKindName(item.kind), item.state.state, item.state.step, item.title, std::int64_t{item.area},
                 item.source, item.unit, item.measures, item.deadline, std::int64_t{item.send_back_count},
                 std::int64_t{item.reopen_count}, item.created_at, item.updated_at, item.deadline_rule,
                 item.state_since, item.due_at, item.due_rule, item.campaign, item.carried_from, item.carried_at,
                 item.request_key.empty() ? std::optional<std::string>() : std::optional<std::string>(item.request_key),
                 OptionalId(item.carried_from_id), item.carried_to, OptionalId(item.carried_to_id));
  Result<std::int64_t> id = InsertedId(db, insert);
  if (!id.ok()) return id.status();
  item.id = *id;
  item.version = 1;
  RECTIFY_RETURN_IF_ERROR(WriteHousehold(db, item, /*stored=*/false));
  RECTIFY_RETURN_IF_ERROR(WriteOutcome(db, item, /*stored=*/false));
  RECTIFY_RETURN_IF_ERROR(WriteCooperators(db, item, /*stored=*/false));
  item.facts = HistoryFactsOf(item.kind, {created});
  item.latest_progress = LatestProgressOf({created});
  Result<std::int64_t> group = JoinFigureGroup(db, item, *item.facts);
  if (!group.ok()) return group.status();
  RECTIFY_RETURN_IF_ERROR(WriteDuban(db, item, *item.facts, *item.latest_progress, *group));
  created.item_id = item.id;
  return InsertEvent(db, item.id, created);
}

template <class Db>
Status UpdateItem(Db& db, const Item& item, const EventRecord& event, FigureTally* tally) {
  // The stored row first, in the writing transaction (every writer of either database waits its
  // turn for it, so nothing changes the row between this read and the UPDATE).
  auto stored = db.Prepare(kReadItemForUpdate);
  stored.BindAll(item.id, ItemKindName(item.kind));
  Result<bool> found = stored.Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(DescribeItem(item.kind, item.id) + " not found");
  // Read before the statement is reset or its tables written.
  const std::int64_t stored_households = stored.Int(kStoredHouseholdsColumn);
  const std::int64_t stored_outcomes = stored.Int(kStoredOutcomesColumn);
  const std::int64_t stored_cooperators = stored.Int(kStoredCooperatorsColumn);
  if (stored.Int(0) != item.version)
    return Status::Aborted(DescribeItem(item.kind, item.id) + " was changed by someone else: it is at version " +
                           std::to_string(stored.Int(0)) + ", not " + std::to_string(item.version))
        .WithReason("stale_version", {{"current_version", std::to_string(stored.Int(0))}});
  // An item written before the store kept its facts and latest progress gets them from its
  // history, once.
  Result<KeptHistory> kept = StoredHistory(
      db, item,
      stored.IsNull(kStoredFactsColumn) ? std::nullopt : std::optional<std::string>(stored.Text(kStoredFactsColumn)),
      stored.IsNull(kStoredProgressNoteColumn)
          ? std::nullopt
          : std::optional<ProgressNote>(ProgressNote{stored.OptionalInt(kStoredProgressAtColumn).value_or(0),
                                                     stored.Text(kStoredProgressNoteColumn)}));
  if (!kept.ok()) return kept.status();
  AdvanceFacts(kept->facts, item.kind, event);
  AdvanceLatestProgress(kept->latest_progress, event);
  std::optional<StoredGroup> counted_in;
  if (const std::optional<std::int64_t> id = stored.OptionalInt(kStoredGroupColumn)) {
    counted_in = StoredGroup{*id, std::nullopt};
    if (!stored.IsNull(kStoredGroupKeyColumn))
      counted_in->name = FigureGroupName(stored.Text(kStoredGroupCampaignColumn), stored.Text(kStoredGroupKindColumn),
                                         stored.Text(kStoredGroupKeyColumn));
  }
  Result<std::int64_t> group = MoveFigureGroup(db, item, kept->facts, counted_in, tally);
  if (!group.ok()) return group.status();

  // Only the indexed or searched columns that changed are set: setting one rewrites its index
  // entries (or the item's search text) even to the same value, and most transitions change
  // none of them (measured: a progress note wrote 13 pages to the WAL with all of them set).
  const auto text_at = [&](int column) {
    return stored.IsNull(column) ? std::optional<std::string>() : std::optional<std::string>(stored.Text(column));
  };
  const auto int_at = [&](int column) { return stored.OptionalInt(column); };
  std::vector<std::pair<const char*, ColumnValue>> set;
  const auto set_if_changed_text = [&](const char* column, int at, const std::string& value) {
    if (text_at(at) != value) set.emplace_back(column, value);
  };
  set_if_changed_text("state", 1, item.state.state);
  set_if_changed_text("step", 2, item.state.step);
  set_if_changed_text("title", 3, item.title);
  if (int_at(4) != std::optional<std::int64_t>(item.area)) set.emplace_back("area", std::int64_t{item.area});
  set_if_changed_text("source", 5, item.source);
  set_if_changed_text("unit", 6, item.unit);
  set_if_changed_text("measures", 7, item.measures);
  if (int_at(8) != item.due_at) set.emplace_back("due_at", item.due_at);
  set_if_changed_text("campaign_id", 9, item.campaign);
  set_if_changed_text("tier", kStoredTierColumn, item.tier);
  if (int_at(kStoredUpdatedAtColumn) != std::optional<std::int64_t>(item.updated_at))
    set.emplace_back("updated_at", item.updated_at);
  if (int_at(kStoredGroupColumn) != std::optional<std::int64_t>(*group)) set.emplace_back("figure_group", *group);
  // In the outline of open deadlines (items_open_due): set only when changed, as the above.
  if (int_at(kStoredDeadlineColumn) != item.deadline) set.emplace_back("deadline", item.deadline);
  const std::optional<std::string> sign_for_unit =
      item.sign_for ? std::optional<std::string>(item.sign_for->unit) : std::nullopt;
  if (text_at(kStoredSignForUnitColumn) != sign_for_unit)
    set.emplace_back("sign_for_unit",
                     sign_for_unit ? ColumnValue(*sign_for_unit) : ColumnValue(std::optional<std::int64_t>()));
  const std::optional<std::int64_t> sign_for_since =
      item.sign_for ? std::optional<std::int64_t>(item.sign_for->since) : std::nullopt;
  if (int_at(kStoredSignForSinceColumn) != sign_for_since) set.emplace_back("sign_for_since", sign_for_since);
  const std::optional<std::int64_t> extension_proposed =
      item.extension ? std::optional<std::int64_t>(item.extension->proposed) : std::nullopt;
  if (int_at(kStoredExtensionProposedColumn) != extension_proposed)
    set.emplace_back("extension_proposed", extension_proposed);
  for (auto& column : UnindexedColumns(item, *kept)) set.push_back(std::move(column));

  std::string sql = "UPDATE items SET ";
  for (const auto& [column, value] : set) sql += std::string(column) + " = ?, ";
  sql += "version = version + 1 WHERE id = ? AND kind = ? AND version = ?";
  auto update = db.Prepare(sql);
  int index = 0;
  for (const auto& [column, value] : set) std::visit([&](const auto& v) { update.Bind(++index, v); }, value);
  update.Bind(++index, item.id);
  update.Bind(++index, ItemKindName(item.kind));
  update.Bind(++index, item.version);
  Result<std::int64_t> changed = RunCountingChanges(db, std::move(update));
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return ExplainNoUpdate(db, item);
  RECTIFY_RETURN_IF_ERROR(WriteHousehold(db, item, stored_households > 0));
  RECTIFY_RETURN_IF_ERROR(WriteOutcome(db, item, stored_outcomes > 0));
  RECTIFY_RETURN_IF_ERROR(WriteCooperators(db, item, stored_cooperators > 0));
  return InsertEvent(db, item.id, event);
}

template <class Db>
Status UpdateEachInSavepoints(Db& db, const std::vector<ItemUpdate>& updates, std::vector<Status>& results,
                              const std::function<Status(const ItemUpdate&, FigureTally*)>& update) {
  // First all of them under one savepoint. A savepoint per update journals again every page each
  // update writes (the history's, the audit log's and the indexes' last pages: SQLite keeps the
  // page as it was for each savepoint that might roll back to it), and most batches have nothing
  // to roll back (the notifier's pages of 500 tier records journaled 8 page images an update,
  // with the statement journals of the note trigger and the figure group's RETURNING, since
  // gone). When one fails, the batch goes back and runs again an update a savepoint.
  RECTIFY_RETURN_IF_ERROR(db.Prepare("SAVEPOINT each_update").Run());
  bool all_written = true;
  {
    FigureTally tally;  // rolled back with the savepoint, it goes with it
    for (std::size_t i = 0; i < updates.size() && all_written; ++i) {
      results[i] = update(updates[i], &tally);
      if (!db.InTransaction()) return results[i].ok() ? Status::Internal("the database ended the transaction") : results[i];
      all_written = results[i].ok();
    }
    if (all_written) RECTIFY_RETURN_IF_ERROR(tally.Flush(db));
  }
  if (!all_written) RECTIFY_RETURN_IF_ERROR(db.Prepare("ROLLBACK TO each_update").Run());
  RECTIFY_RETURN_IF_ERROR(db.Prepare("RELEASE each_update").Run());
  if (all_written) return Status::Ok();
  for (std::size_t i = 0; i < updates.size(); ++i) {
    // A savepoint per update: one that fails half-way leaves nothing of itself behind.
    RECTIFY_RETURN_IF_ERROR(db.Prepare("SAVEPOINT one_update").Run());
    results[i] = update(updates[i], nullptr);
    if (!db.InTransaction()) return results[i].ok() ? Status::Internal("the database ended the transaction") : results[i];
    if (!results[i].ok()) RECTIFY_RETURN_IF_ERROR(db.Prepare("ROLLBACK TO one_update").Run());
    RECTIFY_RETURN_IF_ERROR(db.Prepare("RELEASE one_update").Run());
  }
  return Status::Ok();
}

template <class Db>
Result<bool> UpdateItemDeadlines(Db& db, const Item& item) {
  // New deadlines move the item to another figure group.
  std::optional<StoredGroup> counted_in;
  std::optional<std::string> stored_facts;
  {
    auto stored = db.Prepare("SELECT figure_group, history_facts FROM items WHERE id = ? AND kind = ?");
    stored.BindAll(item.id, ItemKindName(item.kind));
    Result<bool> found = stored.Step();
    if (!found.ok()) return found.status();
    if (!*found) return false;
    if (const std::optional<std::int64_t> id = stored.OptionalInt(0)) counted_in = StoredGroup{*id, std::nullopt};
    if (!stored.IsNull(1)) stored_facts = stored.Text(1);
  }
  Result<HistoryFacts> facts = StoredFacts(db, item, stored_facts);
  if (!facts.ok()) return facts.status();
  Result<std::int64_t> group = MoveFigureGroup(db, item, *facts, counted_in);
  if (!group.ok()) return group.status();
  Result<std::int64_t> changed = RunCountingChanges(
      db, std::move(db.Prepare(kUpdateDeadlines)
                        .BindAll(item.deadline, item.deadline_rule, item.due_at, item.due_rule, *group, item.id,
                                 ItemKindName(item.kind))));
  if (!changed.ok()) return changed.status();
  return *changed > 0;
}

template <class Db>
Status WriteMeta(Db& db, const std::string& key, const std::string& value) {
  return db.Prepare(kPutMeta).BindAll(key, value).Run();
}

template <class Db>
Result<bool> WriteMetaIf(Db& db, const std::string& key, const std::optional<std::string>& expected,
                         const std::string& value) {
  Result<std::int64_t> changed =
      expected ? RunCountingChanges(db, std::move(db.Prepare(kReplaceMetaIfValue).BindAll(value, key, *expected)))
               : RunCountingChanges(db, std::move(db.Prepare(kInsertMetaIfAbsent).BindAll(key, value)));
  if (!changed.ok()) return changed.status();
  return *changed > 0;
}

#define RECTIFY_ITEM_WRITES_FOR(Db)                                                                       \
  template Status InsertItem(Db& db, Item& item, EventRecord& created);                                  \
  template Status UpdateItem(Db& db, const Item& item, const EventRecord& event, FigureTally* tally);   \
  template Status UpdateEachInSavepoints(Db& db, const std::vector<ItemUpdate>& updates,                 \
                                         std::vector<Status>& results,                                   \
                                         const std::function<Status(const ItemUpdate&, FigureTally*)>& update); \
  template Result<bool> UpdateItemDeadlines(Db& db, const Item& item);                                   \
  template Status WriteMeta(Db& db, const std::string& key, const std::string& value);                   \
  template Result<bool> WriteMetaIf(Db& db, const std::string& key, const std::optional<std::string>& expected, \
                                    const std::string& value);
RECTIFY_ITEM_WRITES_FOR(sqlite::Db)
RECTIFY_ITEM_WRITES_FOR(pg::Conn)
#undef RECTIFY_ITEM_WRITES_FOR

}  // namespace rectify::sql
