#include "storage/sqlite_item_store.h"

#include <utility>

#include "engine/history_facts.h"
#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_item_reads.h"

namespace rectify {
namespace {

using sqlite::Db;
using sqlite::Query;

constexpr const char* kInsertItem =
    "INSERT INTO items (kind, state, step, version, title, area, source, unit, measures, deadline, "
    "send_back_count, reopen_count, created_at, updated_at, deadline_rule, state_since, due_at, due_rule, "
    "campaign_id, carried_from, carried_at) "
    "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// The version check and the increment are one statement, so no writer can slip in between.
constexpr const char* kUpdateItem =
    "UPDATE items SET state = ?, step = ?, title = ?, area = ?, source = ?, unit = ?, measures = ?, "
    "deadline = ?, send_back_count = ?, reopen_count = ?, updated_at = ?, deadline_rule = ?, state_since = ?, "
    "due_at = ?, due_rule = ?, campaign_id = ?, carried_from = ?, carried_at = ?, version = version + 1 "
    "WHERE id = ? AND kind = ? AND version = ?";

// The 督办 fields (schema version 10), written after the insert or the versioned update in the
// same transaction.
constexpr const char* kUpdateDuban =
    "UPDATE items SET found_on = ?, original_deadline = ?, sign_for_unit = ?, sign_for_since = ?, "
    "extension_proposed = ?, extension_reason = ?, extension_requested_by = ?, extension_requested_at = ?, "
    "tier = ?, tier_entries = ?, history_facts = ? WHERE id = ?";

// Computed fields only: no version change, no history row.
constexpr const char* kUpdateDeadlines =
    "UPDATE items SET deadline = ?, deadline_rule = ?, due_at = ?, due_rule = ? WHERE id = ? AND kind = ?";

constexpr const char* kUpsertHousehold =
    "INSERT INTO households (item_id, head_name, village, category, risk_type, risk_found_on, clue_source, "
    "members, id_number, phone, bank_account, health_condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (item_id) DO UPDATE SET head_name = excluded.head_name, "
    "village = excluded.village, category = excluded.category, risk_type = excluded.risk_type, "
    "risk_found_on = excluded.risk_found_on, clue_source = excluded.clue_source, members = excluded.members, "
    "id_number = excluded.id_number, phone = excluded.phone, bank_account = excluded.bank_account, "
    "health_condition = excluded.health_condition";

constexpr const char* kUpsertOutcome =
    "INSERT INTO enrollment_outcomes (item_id, result, entered_on, explanation) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (item_id) DO UPDATE SET result = excluded.result, entered_on = excluded.entered_on, "
    "explanation = excluded.explanation";

constexpr const char* kInsertEvent =
    "INSERT INTO events (item_id, from_state, to_state, event, actor, at, note, unit, sign_for_due, signed_for, "
    "sent_back) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

std::string Describe(ItemKind kind, std::int64_t id) {
  return std::string(ItemKindName(kind)) + " " + std::to_string(id);
}

Status WriteHousehold(Db& db, const Item& item, bool replace) {
  if (!item.household) {
    if (!replace) return Status::Ok();
    return db.Prepare("DELETE FROM households WHERE item_id = ?").BindAll(item.id).Run();
  }
  const Household& h = *item.household;
  return db.Prepare(kUpsertHousehold)
      .BindAll(item.id, h.head_name, h.village, h.category, h.risk_type, FormatDate(h.risk_found_on), h.clue_source,
               std::int64_t{h.members}, h.personal.id_number, h.personal.phone, h.personal.bank_account,
               h.personal.health_condition)
      .Run();
}

Status WriteOutcome(Db& db, const Item& item, bool replace) {
  if (!item.outcome) {
    if (!replace) return Status::Ok();
    return db.Prepare("DELETE FROM enrollment_outcomes WHERE item_id = ?").BindAll(item.id).Run();
  }
  const EnrollmentOutcome& o = *item.outcome;
  Query query = db.Prepare(kUpsertOutcome);
  query.BindAll(item.id, o.result);
  if (o.entered_on) {
    query.Bind(3, FormatDate(*o.entered_on));
  } else {
    query.BindNull(3);
  }
  query.Bind(4, o.explanation);
  return query.Run();
}

Status WriteCooperators(Db& db, const Item& item, bool replace) {
  if (replace) RECTIFY_RETURN_IF_ERROR(db.Prepare("DELETE FROM item_cooperators WHERE item_id = ?").BindAll(item.id).Run());
  for (const std::string& unit : item.cooperating_units)
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("INSERT OR IGNORE INTO item_cooperators (item_id, unit) VALUES (?, ?)").BindAll(item.id, unit).Run());
  return Status::Ok();
}

Status InsertEvent(Db& db, std::int64_t item_id, const EventRecord& e) {
  return db.Prepare(kInsertEvent)
      .BindAll(item_id, e.from, e.to, e.event, e.actor, e.at, e.note, e.unit, e.sign_for_due,
               std::int64_t{e.signed_for ? 1 : 0}, std::int64_t{e.sent_back ? 1 : 0})
      .Run();
}

// The 督办 fields and the history facts the item has with its newest row.
Status WriteDuban(Db& db, const Item& item, const HistoryFacts& facts) {
  Query query = db.Prepare(kUpdateDuban);
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
  query.Bind(10, sqlite::FormatTierEntries(item.tier_entries));
  query.Bind(11, sqlite::FormatHistoryFacts(facts));
  query.Bind(12, item.id);
  return query.Run();
}

// Stores the item and its create event; the caller records the change.
Status InsertOne(Db& db, Item& item, EventRecord& created) {
  RECTIFY_RETURN_IF_ERROR(db.Prepare(kInsertItem)
                              .BindAll(ItemKindName(item.kind), item.state.state, item.state.step, item.title,
                                       std::int64_t{item.area}, item.source, item.unit, item.measures, item.deadline,
                                       std::int64_t{item.send_back_count}, std::int64_t{item.reopen_count},
                                       item.created_at, item.updated_at, item.deadline_rule, item.state_since,
                                       item.due_at, item.due_rule, item.campaign, item.carried_from, item.carried_at)
                              .Run());
  item.id = db.LastInsertId();
  item.version = 1;
  RECTIFY_RETURN_IF_ERROR(WriteHousehold(db, item, /*replace=*/false));
  RECTIFY_RETURN_IF_ERROR(WriteOutcome(db, item, /*replace=*/false));
  RECTIFY_RETURN_IF_ERROR(WriteCooperators(db, item, /*replace=*/false));
  item.facts = HistoryFactsOf(item.kind, {created});
  RECTIFY_RETURN_IF_ERROR(WriteDuban(db, item, *item.facts));
  created.item_id = item.id;
  return InsertEvent(db, item.id, created);
}

// The item's history facts as stored, read in the writing transaction (whatever the caller's
// copy holds); an item written before the store kept them gets them from its history, once.
Result<HistoryFacts> StoredFacts(Db& db, const Item& item) {
  Query stored = db.Prepare("SELECT history_facts FROM items WHERE id = ?");
  stored.BindAll(item.id);
  Result<bool> row = stored.Step();
  if (!row.ok()) return row.status();
  if (*row && !stored.IsNull(0))
    if (std::optional<HistoryFacts> facts = sqlite::ParseHistoryFacts(stored.Text(0))) return std::move(*facts);
  Result<std::optional<std::vector<EventRecord>>> history = sqlite::ReadHistory(db, item.kind, item.id);
  if (!history.ok()) return history.status();
  return *history ? HistoryFactsOf(item.kind, **history) : HistoryFacts{};
}

// After an UPDATE matched no row: tells a missing item from a newer version.
Status ExplainNoUpdate(Db& db, const Item& item) {
  Query query = db.Prepare("SELECT version FROM items WHERE id = ? AND kind = ?");
  query.BindAll(item.id, ItemKindName(item.kind));
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(Describe(item.kind, item.id) + " not found");
  return Status::Aborted(Describe(item.kind, item.id) + " was changed by someone else: it is at version " +
                         std::to_string(query.Int(0)) + ", not " + std::to_string(item.version));
}

}  // namespace

Result<std::vector<Item>> SqliteItemStore::Insert(std::vector<Item> items, std::vector<EventRecord> created) {
  if (items.size() != created.size()) {
    return Status::InvalidArgument("created", "needs one create event per item: " + std::to_string(items.size()) +
                                                  " items, " + std::to_string(created.size()) + " events");
  }
  if (items.empty()) return items;
  Status written = database_.Write([&](Db& db) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      RECTIFY_RETURN_IF_ERROR(InsertOne(db, items[i], created[i]));
      RECTIFY_RETURN_IF_ERROR(database_.Audit(db, ItemCreatedRecord(items[i], created[i])));
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return items;
}

Status SqliteItemStore::Update(const Item& item, const EventRecord& event) {
  return database_.Write([&](Db& db) { return UpdateIn(db, item, event); });
}

Result<std::vector<Status>> SqliteItemStore::UpdateEach(const std::vector<ItemUpdate>& updates) {
  std::vector<Status> results(updates.size());
  if (updates.empty()) return results;
  Status written = database_.Write([&](Db& db) {
    for (std::size_t i = 0; i < updates.size(); ++i) {
      // A savepoint per update: one that fails half-way leaves nothing of itself behind.
      RECTIFY_RETURN_IF_ERROR(db.Prepare("SAVEPOINT one_update").Run());
      results[i] = UpdateIn(db, updates[i].item, updates[i].event);
      if (!db.InTransaction()) return results[i].ok() ? Status::Internal("sqlite ended the transaction") : results[i];
      if (!results[i].ok()) RECTIFY_RETURN_IF_ERROR(db.Prepare("ROLLBACK TO one_update").Run());
      RECTIFY_RETURN_IF_ERROR(db.Prepare("RELEASE one_update").Run());
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return results;
}

Status SqliteItemStore::UpdateIn(Db& db, const Item& item, const EventRecord& event) {
  RECTIFY_RETURN_IF_ERROR(db.Prepare(kUpdateItem)
                              .BindAll(item.state.state, item.state.step, item.title, std::int64_t{item.area},
                                       item.source, item.unit, item.measures, item.deadline,
                                       std::int64_t{item.send_back_count}, std::int64_t{item.reopen_count},
                                       item.updated_at, item.deadline_rule, item.state_since, item.due_at,
                                       item.due_rule, item.campaign, item.carried_from, item.carried_at, item.id,
                                       ItemKindName(item.kind), item.version)
                              .Run());
  if (db.Changes() == 0) return ExplainNoUpdate(db, item);
  RECTIFY_RETURN_IF_ERROR(WriteHousehold(db, item, /*replace=*/true));
  RECTIFY_RETURN_IF_ERROR(WriteOutcome(db, item, /*replace=*/true));
  RECTIFY_RETURN_IF_ERROR(WriteCooperators(db, item, /*replace=*/true));
  Result<HistoryFacts> facts = StoredFacts(db, item);
  if (!facts.ok()) return facts.status();
  AdvanceFacts(*facts, item.kind, event);
  RECTIFY_RETURN_IF_ERROR(WriteDuban(db, item, *facts));
  RECTIFY_RETURN_IF_ERROR(InsertEvent(db, item.id, event));
  return database_.Audit(db, ItemEventRecord(item, event));
}

Result<Item> SqliteItemStore::Get(ItemKind kind, std::int64_t id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Result<std::optional<Item>> found = sqlite::FindItem(lease->db(), kind, id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(Describe(kind, id) + " not found");
  return std::move(**found);
}

Result<std::vector<Item>> SqliteItemStore::List(const ItemQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sqlite::ListItems(lease->db(), query);
}

Result<std::int64_t> SqliteItemStore::Count(const ItemQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sqlite::CountItems(lease->db(), query);
}

Result<std::vector<Item>> SqliteItemStore::Overdue(const OverdueQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sqlite::OverdueItems(lease->db(), query);
}

Result<std::map<std::string, int>> SqliteItemStore::CountByUnit(const ItemQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sqlite::CountByUnit(lease->db(), query);
}

Result<std::vector<EventRecord>> SqliteItemStore::History(ItemKind kind, std::int64_t id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Result<std::optional<std::vector<EventRecord>>> events = sqlite::ReadHistory(lease->db(), kind, id);
  if (!events.ok()) return events.status();
  if (!*events) return Status::NotFound(Describe(kind, id) + " not found");
  return std::move(**events);
}

Status SqliteItemStore::UpdateDeadlines(const std::vector<Item>& items) {
  if (items.empty()) return Status::Ok();
  return database_.Write([&](Db& db) {
    for (const Item& item : items) {
      RECTIFY_RETURN_IF_ERROR(db.Prepare(kUpdateDeadlines)
                                  .BindAll(item.deadline, item.deadline_rule, item.due_at, item.due_rule, item.id,
                                           ItemKindName(item.kind))
                                  .Run());
      if (db.Changes() > 0) RECTIFY_RETURN_IF_ERROR(database_.Audit(db, ItemDeadlinesRecord(item)));
    }
    return Status::Ok();
  });
}

Result<std::optional<std::string>> SqliteItemStore::GetMeta(const std::string& key) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Query query = lease->db().Prepare("SELECT value FROM meta WHERE key = ?");
  query.BindAll(key);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

Status SqliteItemStore::PutMeta(const std::string& key, const std::string& value) {
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(
        db.Prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .BindAll(key, value)
            .Run());
    return database_.Audit(db, MetaPutRecord(key, value));
  });
}

}  // namespace rectify
