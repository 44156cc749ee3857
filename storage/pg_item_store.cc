#include "storage/pg_item_store.h"

// Not written yet: each method fails until its PostgreSQL version lands.

namespace rectify {
Result<std::vector<Item>> PgItemStore::Insert(std::vector<Item>, std::vector<EventRecord>) { return Status::Internal("postgresql: PgItemStore::Insert is not written yet"); }
Result<Item> PgItemStore::Get(ItemKind, std::int64_t) { return Status::Internal("postgresql: PgItemStore::Get is not written yet"); }
Result<std::vector<Item>> PgItemStore::List(const ItemQuery&) { return Status::Internal("postgresql: PgItemStore::List is not written yet"); }
Result<std::int64_t> PgItemStore::Count(const ItemQuery&) { return Status::Internal("postgresql: PgItemStore::Count is not written yet"); }
Result<std::vector<Item>> PgItemStore::Overdue(const OverdueQuery&) { return Status::Internal("postgresql: PgItemStore::Overdue is not written yet"); }
Result<std::map<std::string, int>> PgItemStore::CountByUnit(const ItemQuery&) { return Status::Internal("postgresql: PgItemStore::CountByUnit is not written yet"); }
Status PgItemStore::Update(const Item&, const EventRecord&) { return Status::Internal("postgresql: PgItemStore::Update is not written yet"); }
Result<std::vector<Status>> PgItemStore::UpdateEach(const std::vector<ItemUpdate>&) { return Status::Internal("postgresql: PgItemStore::UpdateEach is not written yet"); }
Result<std::vector<EventRecord>> PgItemStore::History(ItemKind, std::int64_t) { return Status::Internal("postgresql: PgItemStore::History is not written yet"); }
Status PgItemStore::UpdateDeadlines(const std::vector<Item>&) { return Status::Internal("postgresql: PgItemStore::UpdateDeadlines is not written yet"); }
Result<std::optional<std::string>> PgItemStore::GetMeta(const std::string&) { return Status::Internal("postgresql: PgItemStore::GetMeta is not written yet"); }
Status PgItemStore::PutMeta(const std::string&, const std::string&) { return Status::Internal("postgresql: PgItemStore::PutMeta is not written yet"); }

}  // namespace rectify
