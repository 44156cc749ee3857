// The forms as they were built before they were streamed: from every item at once, sorted in
// memory, into a whole Table (reference_forms.cc). Only streamed_forms_test.cc uses them, as
// the reference the streamed forms must equal cell for cell.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/dashboard.h"
#include "engine/item.h"
#include "engine/personal_data.h"
#include "engine/status.h"
#include "engine/time.h"
#include "exports/table.h"

namespace rectify::exports::reference {

Result<Table> LedgerTable(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                          const std::optional<std::string>& unit, Instant as_of);
Result<Table> RosterTable(const Campaign& campaign, const std::vector<Item>& enrollments,
                          const std::optional<std::string>& village, Disclosure disclosure, Instant as_of);
Result<Table> BulletinTable(const Campaign& campaign, const std::vector<Item>& items,
                            const std::vector<UnitRates>& rates, Instant as_of);

}  // namespace rectify::exports::reference
