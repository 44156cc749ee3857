// What the forms are built from: items as the store keeps them, with their history where a form
// needs it (the ledger's progress notes and completion dates). The loaders read a store and
// nothing else; the form builders never touch a store, so they can be given data from anywhere.
#pragma once

#include <vector>

#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"

namespace rectify::exports {

using ItemRecord = ::rectify::ItemRecord;  // engine/item.h

// Every item matching `query`, all pages (query.after_id and query.limit are ignored), by id.
Result<std::vector<Item>> LoadItems(ItemStore& store, const ItemQuery& query);

// LoadItems, each with its history.
Result<std::vector<ItemRecord>> LoadRecords(ItemStore& store, const ItemQuery& query);

}  // namespace rectify::exports
