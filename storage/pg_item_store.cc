#include "storage/pg_item_store.h"

#include <utility>

#include "storage/figure_groups.h"
#include "storage/item_reads.h"
#include "storage/item_writes.h"
#include "storage/audit_records.h"

namespace rectify {

using pg::Conn;

Result<std::vector<Item>> PgItemStore::Insert(std::vector<Item> items, std::vector<EventRecord> created) {
  if (items.size() != created.size()) {
    return Status::InvalidArgument("created", "needs one create event per item: " + std::to_string(items.size()) +
                                                  " items, " + std::to_string(created.size()) + " events");
  }
  if (items.empty()) return items;
  Status written = database_.Write([&](Conn& conn) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      RECTIFY_RETURN_IF_ERROR(sql::InsertItem(conn, items[i], created[i]));
      RECTIFY_RETURN_IF_ERROR(database_.Audit(conn, ItemCreatedRecord(items[i], created[i])));
    }
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return items;
}

Status PgItemStore::Update(const Item& item, const EventRecord& event) {
  return database_.Write([&](Conn& conn) { return UpdateIn(conn, item, event); });
}

Result<GuardedWrite> PgItemStore::InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) {
  GuardedWrite out;
  Status written = database_.Write([&](Conn& conn) {
    Result<std::optional<Item>> blocking = sql::FirstBlocking(conn, blocker, 0);
    if (!blocking.ok()) return blocking.status();
    out.blocking = std::move(*blocking);
    if (out.blocking) return Status::Ok();
    RECTIFY_RETURN_IF_ERROR(sql::InsertItem(conn, item, created));
    return database_.Audit(conn, ItemCreatedRecord(item, created));
  });
  if (!written.ok()) return written;
  if (!out.blocking) out.written = std::move(item);
  return out;
}

Result<GuardedWrite> PgItemStore::UpdateUnless(const Item& item, const EventRecord& event, const ItemQuery& blocker) {
  GuardedWrite out;
  Status written = database_.Write([&](Conn& conn) {
    Result<std::optional<Item>> blocking = sql::FirstBlocking(conn, blocker, item.id);
    if (!blocking.ok()) return blocking.status();
    out.blocking = std::move(*blocking);
    if (out.blocking) return Status::Ok();
    return UpdateIn(conn, item, event);
  });
  if (!written.ok()) return written;
  if (!out.blocking) {
    out.written = item;
    ++out.written->version;
  }
  return out;
}

Result<Item> PgItemStore::CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) {
  Status written = database_.Write([&](Conn& conn) {
    RECTIFY_RETURN_IF_ERROR(sql::InsertItem(conn, arriving, arrived));
    RECTIFY_RETURN_IF_ERROR(database_.Audit(conn, ItemCreatedRecord(arriving, arrived)));
    leaving.carried_to_id = arriving.id;
    return UpdateIn(conn, leaving, left);
  });
  if (!written.ok()) return written;
  return arriving;
}

Result<std::vector<Status>> PgItemStore::UpdateEach(const std::vector<ItemUpdate>& updates) {
  std::vector<Status> results(updates.size());
  if (updates.empty()) return results;
  Status written = database_.Write([&](Conn& conn) {
    return sql::UpdateEachInSavepoints(conn, updates, results,
                                       [&](const ItemUpdate& update, sql::FigureTally* tally) {
                                         return UpdateIn(conn, update.item, update.event, tally);
                                       });
  });
  if (!written.ok()) return written;
  return results;
}

Status PgItemStore::UpdateIn(Conn& conn, const Item& item, const EventRecord& event, sql::FigureTally* tally) {
  RECTIFY_RETURN_IF_ERROR(sql::UpdateItem(conn, item, event, tally));
  return database_.Audit(conn, ItemEventRecord(item, event));
}

Result<Item> PgItemStore::Get(ItemKind kind, std::int64_t id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Result<std::optional<Item>> found = sql::FindItem(lease->conn(), kind, id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(sql::DescribeItem(kind, id) + " not found");
  return std::move(**found);
}

Result<std::vector<Item>> PgItemStore::List(const ItemQuery& query) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ListItems(lease->conn(), query);
}

Result<std::int64_t> PgItemStore::Count(const ItemQuery& query) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::CountItems(lease->conn(), query);
}

Result<std::vector<Item>> PgItemStore::Overdue(const OverdueQuery& query) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::OverdueItems(lease->conn(), query);
}

Result<std::map<std::string, int>> PgItemStore::CountByUnit(const ItemQuery& query) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::CountByUnit(lease->conn(), query);
}

Result<std::vector<EventRecord>> PgItemStore::History(ItemKind kind, std::int64_t id) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Result<std::optional<std::vector<EventRecord>>> events = sql::ReadHistory(lease->conn(), kind, id);
  if (!events.ok()) return events.status();
  if (!*events) return Status::NotFound(sql::DescribeItem(kind, id) + " not found");
  return std::move(**events);
}

Result<std::vector<std::vector<EventRecord>>> PgItemStore::Histories(const HistoriesQuery& query) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ReadHistories(lease->conn(), query);
}

Status PgItemStore::UpdateDeadlines(const std::vector<Item>& items) {
  if (items.empty()) return Status::Ok();
  return database_.Write([&](Conn& conn) {
    for (const Item& item : items) {
      Result<bool> changed = sql::UpdateItemDeadlines(conn, item);
      if (!changed.ok()) return changed.status();
      if (*changed) RECTIFY_RETURN_IF_ERROR(database_.Audit(conn, ItemDeadlinesRecord(item)));
    }
    return Status::Ok();
  });
}

Result<bool> PgItemStore::FigureGroups(const FigureGroupsQuery& query,
                                  const std::function<void(const FigureGroup& group)>& visit) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ReadFigureGroups(lease->conn(), query, visit);
}

Status PgItemStore::CountFigures(const std::vector<Item>& items) {
  if (items.empty()) return Status::Ok();
  return database_.Write([&](Conn& conn) { return sql::CountItemFigures(conn, items); });
}

Result<std::optional<std::string>> PgItemStore::GetMeta(const std::string& key) {
  Result<PgDatabase::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ReadMeta(lease->conn(), key);
}

Status PgItemStore::PutMeta(const std::string& key, const std::string& value) {
  return database_.Write([&](Conn& conn) {
    RECTIFY_RETURN_IF_ERROR(sql::WriteMeta(conn, key, value));
    return database_.Audit(conn, MetaPutRecord(key, value));
  });
}

Result<bool> PgItemStore::PutMetaIf(const std::string& key, const std::optional<std::string>& expected,
                                const std::string& value, const std::optional<AuditRecord>& because) {
  bool written = false;
  const Status committed = database_.Write([&](Conn& conn) {
    Result<bool> replaced = sql::WriteMetaIf(conn, key, expected, value);
    if (!replaced.ok()) return replaced.status();
    written = *replaced;
    if (!written) return Status::Ok();
    if (because) RECTIFY_RETURN_IF_ERROR(database_.Audit(conn, *because));
    return database_.Audit(conn, MetaPutRecord(key, value));
  });
  if (!committed.ok()) return committed;
  return written;
}

}  // namespace rectify
