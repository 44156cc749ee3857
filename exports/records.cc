#include "exports/records.h"

#include <utility>

namespace rectify::exports {
namespace {

constexpr int kPage = 500;

}  // namespace

Result<std::vector<Item>> LoadItems(ItemStore& store, const ItemQuery& query) {
  std::vector<Item> items;
  ItemQuery next = query;
  next.after_id = 0;
  next.limit = kPage;
  while (true) {
    auto page = store.List(next);
    if (!page.ok()) return page.status();
    items.insert(items.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < kPage) return items;
    next.after_id = page->back().id;
  }
}

Result<std::vector<ItemRecord>> LoadRecords(ItemStore& store, const ItemQuery& query) {
  auto items = LoadItems(store, query);
  if (!items.ok()) return items.status();
  std::vector<ItemRecord> records;
  records.reserve(items->size());
  for (Item& item : *items) {
    auto history = store.History(item.kind, item.id);
    if (!history.ok()) return history.status();
    records.push_back({std::move(item), std::move(history).value()});
  }
  return records;
}

}  // namespace rectify::exports
