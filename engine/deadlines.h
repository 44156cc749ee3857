// Turning the campaign's deadline rules into instants, on the official working-day calendar.
//
// An item has an overall deadline (given, or the campaign's item_default rule for its kind) and,
// in some states, step limits (rules whose `states` include the current state). The deadline in
// force, `due_at`, is the earliest of these; it is recomputed on every transition and stored.
// Periods counted from an event do not count their start day, and a last day that is not a
// working day moves to the next working day; fixed dates never move.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// The subject of the campaign's rules that govern items of `kind`.
DeadlineSubject SubjectOf(ItemKind kind);

// The instant `rule` sets for `item`, or nullopt when the item lacks the date the rule counts
// from. kInvalidArgument when the calendar has no data for a day the count needs.
//   fixed:              the rule's date at its time of day ("2021-10-26 下班前" = 17:30 that day)
//   months_after:       24:00 of the day N months after `from` (moved off non-working days)
//   days_after:         24:00 of the day N days after `from` (moved off non-working days)
//   working_days_after: close of business of the Nth working day after `from`
//   phase_end:          24:00 of the phase's last day
Result<std::optional<Instant>> DeadlineFor(const Campaign& campaign, const DeadlineRule& rule, const Item& item);

// Fills item.deadline and item.deadline_rule from the campaign's item_default rule for the item's
// kind (or its if_past rule, when its fixed date had passed at item.created_at), unless the
// deadline was given (deadline_rule empty and deadline set).
Status ApplyDefaultDeadline(const Campaign& campaign, Item& item);

// The limit the campaign's own rule sets for the item (its kind's item_default rule, counted from
// the item's dates: two months from the risk for an enrollment request), whatever deadline the
// item was given or extended to: "enrolled within two months" (方案: 从出现返贫风险到纳入监测…
// 2个月以内) is judged against it, not against a date a village chose or an extension moved. The
// item's deadline when the campaign has no such rule or the item lacks the date it counts from.
Result<std::optional<Instant>> RuleLimitFor(const Campaign& campaign, const Item& item);

// Fills item.due_at and item.due_rule for the item's current state and state_since.
Status ApplyCurrentDue(const Campaign& campaign, Item& item);

// The sign-for limit (签收时限) of an item that awaits its unit's signature: the earliest of the
// campaign's rules counted from sign_for_requested; nullopt when none applies or none is awaited.
Result<std::optional<Instant>> SignForDue(const Campaign& campaign, const Item& item);

// The overall deadline the campaign's reopen rule (on_reopen) gives a reopened item, counted from
// its state_since (the reopening); nullopt when the campaign has no such rule.
Result<std::optional<Instant>> ReopenDeadlineFor(const Campaign& campaign, const Item& item);

// The earliest instant the item may leave its current state (a minimum dwell such as the
// 5-day public notice), with the rule's name; nullopt when nothing holds it.
struct DwellLimit {
  Instant until = 0;
  std::string name;
};
Result<std::optional<DwellLimit>> MinimumDwellFor(const Campaign& campaign, const Item& item);

// A deadline as people write it: a bare date "2021-10-20" means the end of that day (24:00,
// Asia/Shanghai); a full time ("2021-10-26T17:30" or with an offset) means that instant.
std::optional<Instant> ParseDeadline(std::string_view text);

// A fingerprint of everything that decides deadlines (the rules and the calendar's working
// days), so a changed campaign or calendar file can be detected at start.
std::string DeadlineFingerprint(const Campaign& campaign);

}  // namespace rectify
