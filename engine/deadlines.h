// Turning a campaign's deadline rules into instants. Working-day counting on the official
// holiday calendar comes with the calendar (issue 3); until then rules are fixed dates and
// calendar months.
#pragma once

#include <optional>
#include <string_view>

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

// A deadline as people write it: a bare date "2021-10-20" means the end of that day (24:00,
// Asia/Shanghai); a full time ("2021-10-26T17:30" or with an offset) means that instant.
std::optional<Instant> ParseDeadline(std::string_view text);

}  // namespace rectify
