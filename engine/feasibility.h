// Can an open item still finish in time? The shortest remaining path from its current state to
// closing (the workflow's states in order, engine/workflow.h States()), each step taking at least
// its minimum: the campaign's minimum dwells (the village notice 公示 lasts at least 5 days) and
// the step_durations' minimum_days; a step with neither takes no time. The current step's
// minimum counts from when the item entered it. The earliest finish is compared with the item's
// overall deadline (整改时限, an approved extension's): an item that can no longer make it is
// flagged with the day it became impossible, while there may still be time to ask for an
// extension. The typical finish uses each step's typical_days where given (never below its
// minimum), for information only.
#pragma once

#include <optional>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

struct Feasibility {
  CivilDate earliest_finish;  // the first day by whose end it can be closed, at the minimums
  CivilDate typical_finish;   // the same at the typical durations
  bool in_time = true;        // earliest_finish is on or before the deadline's day
  // Not in time: the first day it could no longer have made it, from the day it entered its
  // current state on (when even that day was too late, that day).
  std::optional<CivilDate> impossible_since;
};

// nullopt for a closed item or one without an overall deadline. kInvalidArgument when the
// calendar does not cover a day the path needs (a data error, or a path beyond the calendar).
Result<std::optional<Feasibility>> CheckFeasibility(const Campaign& campaign, const Item& item, Instant as_of);

// The latest earliest finish at `as_of` of any open item of `kind` that entered its state by
// `entered_by` (the latest write there can be: the time of the pass; as_of when earlier): the
// largest over its workflow's open states, each entered then (an item that entered earlier can
// only finish sooner). So an open item whose overall deadline's day is this day or later is in
// time, and since its deadline in force is never later than its overall deadline, the notifier
// need not read those due after it to find the ones that cannot finish. kInvalidArgument as
// CheckFeasibility.
Result<CivilDate> LatestEarliestFinish(const Campaign& campaign, ItemKind kind, Instant as_of, Instant entered_by);

}  // namespace rectify
