// What the dashboard, the scores and the forms read off an item and its history, defined once:
// when it was closed, whether that was in time, whether it is overdue now.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/calendar.h"
#include "engine/item.h"
#include "engine/permissions.h"
#include "engine/time.h"

namespace rectify {

// The item had been recorded in its campaign by `as_of`: created, and when carried over (回头看)
// arrived, no later. The figures at an earlier instant leave out what came after it. A figure
// item (engine/figure_items.h) keeps neither time and counts: the groups stand for the items
// only at an instant after every write.
bool RecordedBy(const Item& item, Instant as_of);

// Open (not closed) and past its deadline in force (due_at) at `as_of`: the store's overdue rule.
bool IsOpenOverdue(const Item& item, Instant as_of);

// Open and past its overall deadline (整改时限, not a step's limit) at `as_of`: judged late on
// the scores and the rates even before it closes.
bool IsOpenPastDeadline(const Item& item, Instant as_of);

// When the item was last closed, from its history; nullopt while it is not closed. The record
// forms read the facts kept with its item, or its history (engine/history_facts.h).
std::optional<Instant> ClosedAt(const Item& item, const HistoryFacts& facts);
std::optional<Instant> ClosedAt(const ItemRecord& record);

// Closed after its overall deadline (整改时限). An item without a deadline is never late.
bool ClosedLate(const Item& item, const HistoryFacts& facts);
bool ClosedLate(const ItemRecord& record);

// Whose move it is on an item, asked of its machine and the permission table: the office's when
// the office may move it on and neither its responsible unit nor the inspection group may (an
// unassigned problem, a verified one awaiting 销号), otherwise the responsible unit's (also while
// the inspection group checks its work: the unit still answers for it).
bool AwaitsOffice(const Permissions& permissions, const Item& item);

// AwaitsOffice over many items (the notifier asks it of every overdue item of a county), each
// answer remembered by all it depends on: the kind, the state, what is pending, and how the
// responsible unit stands to the item. Equal to AwaitsOffice for every item.
class AwaitsOfficeMemo {
 public:
  explicit AwaitsOfficeMemo(const Permissions& permissions) : permissions_(permissions) {}
  bool operator()(const Item& item);

 private:
  const Permissions& permissions_;
  std::map<std::string, bool> answers_;
};

// The date a deadline falls on: a deadline at 24:00 belongs to the day it ends.
CivilDate DeadlineDay(Instant deadline);

// The first instant after the window "due within `working_days` working days" of `as_of`'s day:
// a deadline is due soon when as_of <= due_at < DueSoonEnd. A deadline counts on its
// DeadlineDay, so one at 24:00 of the window's last day (every bare date's) is inside it, as the
// warning tiers count it. The /api/due_soon list and the notifier's digests read it. A window
// that runs past the calendar's last year ends with it (every covered deadline is inside; the
// others are data errors); an `as_of` the calendar does not cover is kInvalidArgument naming
// "as_of", with reason no_holiday_calendar.
Result<Instant> DueSoonEnd(const WorkCalendar& calendar, Instant as_of, int working_days);

// An enrollment request that proposes the household: every one but those closed as not eligible.
bool IsProposed(const Item& enrollment);
// Closed as enrolled (纳入监测).
bool IsEnrolled(const Item& enrollment);
// Enrolled within `limit`, the campaign's (RuleLimitFor, engine/deadlines.h: two months from the
// risk): the date entered in the national system, else the closing, is on or before the limit's
// day. Without a limit every enrolled household is within it.
bool EnrolledWithinLimit(const Item& enrollment, const HistoryFacts& facts, const std::optional<Instant>& limit);
// Judged against `limit`: enrolled, or still open after it (a request closed not eligible is not
// judged: it proposes no one).
bool JudgedAgainstLimit(const Item& enrollment, const std::optional<Instant>& limit, Instant as_of);
// Enrolled, with help measures on record: a progress note (帮扶措施 and their progress, recorded
// while the request ran, or a follow-up after it closed: kFollowUpEvent) or the item's measures.
// The data holds no other trace of help given.
bool HasHelpMeasures(const Item& enrollment, const HistoryFacts& facts);
bool HasHelpMeasures(const ItemRecord& enrollment);

}  // namespace rectify
