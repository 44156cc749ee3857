// ItemStore (engine/item_store.h) on a PgDatabase: the items, households, outcomes,
// cooperating units, history and meta tables, with the same SQL as SQLite's store but for its
// dialect (item_sql.h). Every write appends its audit records inside its own transaction
// (PgDatabase::Audit). The text search reads item_text through its pg_trgm GIN index (words of
// three characters or more, matched with ILIKE) or item by item (shorter words). Thread-safe.
//
// Errors: the codes the port names (kNotFound, kAborted, kInvalidArgument for a bad argument);
// anything PostgreSQL reports is kInternal with its message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/item_store.h"
#include "storage/figure_groups.h"
#include "storage/pg_database.h"

namespace rectify {

class PgItemStore final : public ItemStore {
 public:
  // `database` must outlive the store.
  explicit PgItemStore(PgDatabase& database) : database_(database) {}

  // kInvalidArgument when the two lists differ in length.
  Result<std::vector<Item>> Insert(std::vector<Item> items, std::vector<EventRecord> created) override;
  Result<Item> Get(ItemKind kind, std::int64_t id) override;
  // kInvalidArgument (field "limit") when query.limit < 1.
  Result<std::vector<Item>> List(const ItemQuery& query) override;
  Result<std::int64_t> Count(const ItemQuery& query) override;
  // kInvalidArgument (field "limit") when query.limit < 1.
  Result<std::vector<Item>> Overdue(const OverdueQuery& query) override;
  Result<std::map<std::string, int>> CountByUnit(const ItemQuery& query) override;
  // Writes the item as given: its state, fields, household and outcome (an unset household or
  // outcome is removed); id, kind and created_at never change. The event is stored for
  // item.id whatever its item_id says.
  Status Update(const Item& item, const EventRecord& event) override;
  // Each update in a savepoint of its own inside one write transaction.
  Result<std::vector<Status>> UpdateEach(const std::vector<ItemUpdate>& updates) override;
  Result<Item> CarryOver(Item arriving, EventRecord arrived, Item leaving, EventRecord left) override;
  Result<GuardedWrite> InsertUnless(Item item, EventRecord created, const ItemQuery& blocker) override;
  Result<GuardedWrite> UpdateUnless(const Item& item, const EventRecord& event, const ItemQuery& blocker) override;
  Result<std::vector<EventRecord>> History(ItemKind kind, std::int64_t id) override;
  Result<std::vector<std::vector<EventRecord>>> Histories(const HistoriesQuery& query) override;
  Status UpdateDeadlines(const std::vector<Item>& items) override;
  Result<bool> FigureGroups(const FigureGroupsQuery& query,
                            const std::function<void(const FigureGroup& group)>& visit) override;
  Status CountFigures(const std::vector<Item>& items) override;
  Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;
  Result<bool> PutMetaIf(const std::string& key, const std::optional<std::string>& expected, const std::string& value,
                         const std::optional<AuditRecord>& because) override;

 private:
  // Update's body, inside a write transaction.
  // With a tally (UpdateEach), the figure groups' counts wait for its Flush.
  Status UpdateIn(pg::Conn& conn, const Item& item, const EventRecord& event, sql::FigureTally* tally = nullptr);

  PgDatabase& database_;
};

}  // namespace rectify
