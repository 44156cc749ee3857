#include "storage/sqlite_item_store.h"

#include <utility>

#include "storage/figure_groups.h"
#include "storage/item_reads.h"
#include "storage/item_writes.h"
#include "storage/sqlite_audit.h"
#include "storage/sqlite_db.h"

namespace rectify {

using sqlite::Db;

Result<std::vector<Item>> SqliteItemStore::Insert(std::vector<Item> items, std::vector<EventRecord> created) {
  if (items.size() != created.size()) {
    return Status::InvalidArgument("created", "needs one create event per item: " + std::to_string(items.size()) +
                                                  " items, " + std::to_string(created.size()) + " events");
  }
  if (items.empty()) return items;
  Status written = database_.Write([&](Db& db) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      RECTIFY_RETURN_IF_ERROR(sql::InsertItem(db, items[i], created[i]));
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

Result<GuardedWrite> SqliteItemStore::InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) {
  GuardedWrite out;
  Status written = database_.Write([&](Db& db) {
    Result<std::optional<Item>> blocking = sql::FirstBlocking(db, blocker, 0);
    if (!blocking.ok()) return blocking.status();
    out.blocking = std::move(*blocking);
    if (out.blocking) return Status::Ok();
    RECTIFY_RETURN_IF_ERROR(sql::InsertItem(db, item, created));
    return database_.Audit(db, ItemCreatedRecord(item, created));
  });
  if (!written.ok()) return written;
  if (!out.blocking) out.written = std::move(item);
  return out;
}

Result<GuardedWrite> SqliteItemStore::UpdateUnless(const Item& item, const EventRecord& event, const ItemQuery& blocker) {
  GuardedWrite out;
  Status written = database_.Write([&](Db& db) {
    Result<std::optional<Item>> blocking = sql::FirstBlocking(db, blocker, item.id);
    if (!blocking.ok()) return blocking.status();
    out.blocking = std::move(*blocking);
    if (out.blocking) return Status::Ok();
    return UpdateIn(db, item, event);
  });
  if (!written.ok()) return written;
  if (!out.blocking) {
    out.written = item;
    ++out.written->version;
  }
  return out;
}

Result<Item> SqliteItemStore::CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) {
  Status written = database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(sql::InsertItem(db, arriving, arrived));
    RECTIFY_RETURN_IF_ERROR(database_.Audit(db, ItemCreatedRecord(arriving, arrived)));
    leaving.carried_to_id = arriving.id;
    return UpdateIn(db, leaving, left);
  });
  if (!written.ok()) return written;
  return arriving;
}

Result<std::vector<Status>> SqliteItemStore::UpdateEach(const std::vector<ItemUpdate>& updates) {
  std::vector<Status> results(updates.size());
  if (updates.empty()) return results;
  Status written = database_.Write([&](Db& db) {
    return sql::UpdateEachInSavepoints(db, updates, results,
                                       [&](const ItemUpdate& update, sql::FigureTally* tally) {
                                         return UpdateIn(db, update.item, update.event, tally);
                                       });
  });
  if (!written.ok()) return written;
  return results;
}

Status SqliteItemStore::UpdateIn(Db& db, const Item& item, const EventRecord& event, sql::FigureTally* tally) {
  RECTIFY_RETURN_IF_ERROR(sql::UpdateItem(db, item, event, tally));
  return database_.Audit(db, ItemEventRecord(item, event));
}

Result<Item> SqliteItemStore::Get(ItemKind kind, std::int64_t id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Result<std::optional<Item>> found = sql::FindItem(lease->db(), kind, id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(sql::DescribeItem(kind, id) + " not found");
  return std::move(**found);
}

Result<std::vector<Item>> SqliteItemStore::List(const ItemQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ListItems(lease->db(), query);
}

Result<std::int64_t> SqliteItemStore::Count(const ItemQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::CountItems(lease->db(), query);
}

Result<std::vector<Item>> SqliteItemStore::Overdue(const OverdueQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::OverdueItems(lease->db(), query);
}

Result<std::map<std::string, int>> SqliteItemStore::CountByUnit(const ItemQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::CountByUnit(lease->db(), query);
}

Result<std::vector<EventRecord>> SqliteItemStore::History(ItemKind kind, std::int64_t id) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  Result<std::optional<std::vector<EventRecord>>> events = sql::ReadHistory(lease->db(), kind, id);
  if (!events.ok()) return events.status();
  if (!*events) return Status::NotFound(sql::DescribeItem(kind, id) + " not found");
  return std::move(**events);
}

Result<std::vector<std::vector<EventRecord>>> SqliteItemStore::Histories(const HistoriesQuery& query) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ReadHistories(lease->db(), query);
}

Status SqliteItemStore::UpdateDeadlines(const std::vector<Item>& items) {
  if (items.empty()) return Status::Ok();
  return database_.Write([&](Db& db) {
    for (const Item& item : items) {
      Result<bool> changed = sql::UpdateItemDeadlines(db, item);
      if (!changed.ok()) return changed.status();
      if (*changed) RECTIFY_RETURN_IF_ERROR(database_.Audit(db, ItemDeadlinesRecord(item)));
    }
    return Status::Ok();
  });
}

Result<bool> SqliteItemStore::FigureGroups(const FigureGroupsQuery& query,
                                  const std::function<void(const FigureGroup& group)>& visit) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ReadFigureGroups(lease->db(), query, visit);
}

Status SqliteItemStore::CountFigures(const std::vector<Item>& items) {
  if (items.empty()) return Status::Ok();
  return database_.Write([&](Db& db) { return sql::CountItemFigures(db, items); });
}

Result<std::optional<std::string>> SqliteItemStore::GetMeta(const std::string& key) {
  Result<sqlite::ConnectionPool::Lease> lease = database_.Read();
  if (!lease.ok()) return lease.status();
  return sql::ReadMeta(lease->db(), key);
}

Status SqliteItemStore::PutMeta(const std::string& key, const std::string& value) {
  return database_.Write([&](Db& db) {
    RECTIFY_RETURN_IF_ERROR(sql::WriteMeta(db, key, value));
    return database_.Audit(db, MetaPutRecord(key, value));
  });
}

Result<bool> SqliteItemStore::PutMetaIf(const std::string& key, const std::optional<std::string>& expected,
                                const std::string& value, const std::optional<AuditRecord>& because) {
  bool written = false;
  const Status committed = database_.Write([&](Db& db) {
    Result<bool> replaced = sql::WriteMetaIf(db, key, expected, value);
    if (!replaced.ok()) return replaced.status();
    written = *replaced;
    if (!written) return Status::Ok();
    if (because) RECTIFY_RETURN_IF_ERROR(database_.Audit(db, *because));
    return database_.Audit(db, MetaPutRecord(key, value));
  });
  if (!committed.ok()) return committed;
  return written;
}

}  // namespace rectify
