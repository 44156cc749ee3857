// What a unit answers for, read from an item's history. Each history row names the unit that held
// the item once the event happened (EventRecord::unit), so a send-back, a late signature or a day
// overdue stays with the unit that held the item then, even after the item is reassigned: the
// unit it moves to starts with a clean record. Rows with no unit (an unassigned item) charge no one.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

// Signed by its limit: a request signed in time is on time; one signed late, or unsigned and
// past its limit at `as_of` while the unit still held it, is late. A request still awaited and
// not yet due, or released before its limit, is not judged (nullopt).
std::optional<bool> SignedOnTime(const SignForRequestRecord& request, Instant as_of);

// Every sign-for request of the item, oldest first, as its history stood at `as_of`: rows
// after it are ignored. (The history's rows are in time order: the store stamps them as written.)
std::vector<SignForRequestRecord> SignForRequests(const HistoryFacts& facts, Instant as_of);
std::vector<SignForRequestRecord> SignForRequests(const ItemRecord& record, Instant as_of);

// The units that held the item (a row named them) at or before `as_of`.
std::set<std::string> HoldersAsOf(const HistoryFacts& facts, Instant as_of);

// Send-backs (退回重办) per unit that held the item when its work was sent back: facts.send_backs.

// The item's working days overdue (after the day its overall deadline falls on, up to the day it
// was closed, or as_of's day while open), each charged to the unit that held the item when the
// day began (the days before the item was recorded: the unit it was recorded for). Empty when
// the item has no deadline or was not late. An error of the calendar (a
// day it does not cover) is returned as it is.
Result<std::map<std::string, int>> OverdueWorkingDaysByUnit(const WorkCalendar& calendar, const Item& item,
                                                            const HistoryFacts& facts, Instant as_of);
Result<std::map<std::string, int>> OverdueWorkingDaysByUnit(const WorkCalendar& calendar, const ItemRecord& record,
                                                            Instant as_of);

}  // namespace rectify
