// An item the reports cannot compute. A database written before dates were checked
// (engine/date_rules.h) may hold a deadline or another date in a year the deployment has no
// holiday calendar for, and a count of working days from it fails. Reports never fail for one
// such item: they leave it out of their figures and list it as a data error instead (the
// dashboard's and the scores' `data_errors`, a note under a form's rows, a line in the
// notifier's log), so the rest is computed and the bad item is seen and corrected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/item_store.h"
#include "engine/status.h"

namespace rectify {

struct DataError {
  ItemKind kind = ItemKind::kProblem;
  std::int64_t item_id = 0;
  std::string title;
  std::string field;    // the stored field at fault ("deadline", "due_at", ...); may be empty
  std::string value;    // its stored date ("2019-05-01"); empty when not a date of the item
  std::string message;  // what is wrong with it
};

// What keeps the figures about `item` from being computed, as stored: a responsible unit the
// campaign's town does not have (field "unit"), or the first stored date that the date rules
// would refuse as input now because the calendar does not cover its year: deadline, due_at,
// risk_found_on, entered_on. nullopt when every figure about the item can be computed.
std::optional<DataError> StoredDataError(const Campaign& campaign, const Item& item);

// Ok unless the campaign has an item of a unit its town file says did not exist during it
// (Campaign::units_not_in_force: a "from" or "until" mistyped, say, on a village that holds last
// year's problems): such items would drop out of the campaign's figures, scores and forms.
// kFailedPrecondition naming the campaign, the unit, its dates and one such item. `items` is
// the campaign's own store (CampaignItemStore); one indexed lookup per unit left out.
Status CheckItemsOfUnitsInForce(const Campaign& campaign, ItemStore& items);

// The records of `kind` every figure can be computed for, in order; the data errors of the
// others are appended to `errors`. The Item overload keeps items of both kinds.
std::vector<const ItemRecord*> Computable(const Campaign& campaign, const std::vector<ItemRecord>& records,
                                          ItemKind kind, std::vector<DataError>& errors);
std::vector<const Item*> Computable(const Campaign& campaign, const std::vector<Item>& items,
                                    std::vector<DataError>& errors);

// A computation about `item` that failed with `status`, kept as a data error.
DataError DataErrorOf(const Item& item, const Status& status);

// "problem 7 (title): deadline: 2019-05-01: no holiday calendar for 2019 (...)", for logs.
std::string DescribeDataError(const DataError& error);

}  // namespace rectify
