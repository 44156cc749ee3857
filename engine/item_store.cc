#include "engine/item_store.h"

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

}  // namespace rectify
