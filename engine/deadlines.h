// Turning a campaign's deadline rules into instants. Working-day counting on the official
// holiday calendar comes with the calendar (issue 3); until then rules are fixed dates and
// calendar months.
#pragma once

#include <optional>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/time.h"

namespace rectify {

// The instant `rule` sets for `item`, or nullopt when the item lacks the date the rule counts
// from (a months_after rule on an item without a household).
//   fixed:        the rule's date at its time of day ("2021-10-26 下班前" = 17:30 that day).
//   months_after: the end (24:00) of the day `months` months after the item's `from` date,
//                 the start day not counted (Civil Code §201): 2021-08-31 + 2 months = 10-31.
std::optional<Instant> DeadlineFor(const DeadlineRule& rule, const Item& item);

}  // namespace rectify
