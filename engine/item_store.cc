#include "engine/item_store.h"

#include <iterator>
#include <utility>

namespace rectify {

Status ForEachItemPage(ItemStore& store, ItemQuery query, const std::function<Status(std::vector<Item>& page)>& visit) {
  while (true) {
    auto page = store.List(query);
    if (!page.ok()) return page.status();
    if (page->empty()) return Status::Ok();
    const bool last = static_cast<int>(page->size()) < query.limit;
    query.after_id = page->back().id;
    RECTIFY_RETURN_IF_ERROR(visit(*page));
    if (last) return Status::Ok();
  }
}

Status ForEachItem(ItemStore& store, ItemQuery query, const std::function<Status(const Item& item)>& visit) {
  return ForEachItemPage(store, std::move(query), [&visit](std::vector<Item>& page) {
    for (const Item& item : page) RECTIFY_RETURN_IF_ERROR(visit(item));
    return Status::Ok();
  });
}

Result<std::vector<Item>> LoadItems(ItemStore& store, const ItemQuery& query) {
  constexpr int kPage = 500;
  ItemQuery all = query;
  all.after_id = 0;
  all.limit = kPage;
  std::vector<Item> items;
  RECTIFY_RETURN_IF_ERROR(ForEachItemPage(store, all, [&items](std::vector<Item>& page) {
    items.insert(items.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    return Status::Ok();
  }));
  return items;
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

}  // namespace rectify
