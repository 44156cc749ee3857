// What a unit answers for, read from an item's history. Each history row names the unit that held
// the item once the event happened (EventRecord::unit), so a send-back, a late signature or a day
// overdue stays with the unit that held the item then, even after the item is reassigned: the
// unit it moves to starts with a clean record. Rows with no unit (an unassigned item) charge no one.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// One request to sign for an item (签收), from the row that asked for it to the row that ended it.
struct SignForRequestRecord {
  std::string unit;
  Instant asked_at = 0;
  Instant due = 0;                     // the sign-for limit the asking row recorded
  std::optional<Instant> signed_at;    // the unit signed (or took up the work) then
  std::optional<Instant> released_at;  // another request, the item leaving the unit or closing ended it unsigned
};

// Signed by its limit: a request signed in time is on time; one signed late, or unsigned and
// past its limit at `as_of` while the unit still held it, is late. A request still awaited and
// not yet due, or released before its limit, is not judged (nullopt).
std::optional<bool> SignedOnTime(const SignForRequestRecord& request, Instant as_of);

// Every sign-for request of the item, oldest first. Rows after `as_of` are ignored.
std::vector<SignForRequestRecord> SignForRequests(const ItemRecord& record, Instant as_of);

// Send-backs (退回重办) per unit that held the item when its work was sent back.
std::map<std::string, int> SendBacksByUnit(const ItemRecord& record);

// The item's working days overdue (after the day its overall deadline falls on, up to the day it
// was closed, or as_of's day while open), each charged to the unit that held the item when the
// day began (the days before the item was recorded: the unit it was recorded for). Empty when
// the item has no deadline or was not late. An error of the calendar (a
// day it does not cover) is returned as it is.
Result<std::map<std::string, int>> OverdueWorkingDaysByUnit(const WorkCalendar& calendar, const ItemRecord& record,
                                                            Instant as_of);

}  // namespace rectify
