// When digests go out: at the campaign's send_at times (09:00) on working days of the official
// calendar. A slot is named by its instant; every scan within a slot produces the same
// idempotency keys, so a unit gets one digest per slot however often the notifier runs.
#pragma once

#include <optional>

#include "engine/campaign.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify::notifier {

// The latest slot at or before `now` within the last 31 days, or nullopt when there is none (no
// send_at times, or no working day in that window). kInvalidArgument when the calendar lacks a
// day it needs.
Result<std::optional<Instant>> CurrentSlot(const Campaign& campaign, Instant now);

}  // namespace rectify::notifier
