// 督查通报: the supervision bulletin of items still open past their deadline in force (due_at)
// at `as_of`, for the supervisors (镇纪委, the office) to circulate.
//
// One row per overdue item, problems and enrollment requests alike, grouped by responsible unit
// (the campaign's order, unassigned last) and most overdue first within a unit: the order of
// engine/form_order.h's OverdueWalk, which the rows are written in. Columns: 序号,
// 责任单位, 事项类别, 事项, 所属领域（村）, 办理状态, 办理时限, 时限依据, 逾期工作日, 预警 (the
// warning tier, engine/warning_tiers.h), and the responsible unit's three rates 按时签收率,
// 按时办结率, 发回重办率 ("87.5%（7/8）", "—" when nothing is judged, engine/dashboard.h
// UnitRates: the dashboard's figures). An extended deadline reads "延期至…（原时限…）".
//
// 逾期工作日 counts working days on the campaign's official calendar, as the notifier's digests
// count them: the working days after the day the deadline falls on (a deadline at 24:00 falls on
// the day it ends), up to and including the as-of date. 0 means overdue by less than a working
// day. Items that are closed, or not past due_at, are skipped wherever they come.
#pragma once

#include <vector>

#include "engine/campaign.h"
#include "engine/dashboard.h"
#include "engine/form_order.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/time.h"
#include "exports/table.h"

namespace rectify::exports {

// Writes the bulletin to `out`. Its heading counts the rows and units before the first row, so
// `with_deadline` (every item with a deadline in force, in any order: DeadlineWalk; its
// outline will do, OverdueQuery::outline, except for an item with a stored data error, whose
// note names its title) is walked once for the data errors, and `overdue` (the overdue items in
// the bulletin's order, whole) twice: for the counts, then for the rows, each written as it comes
// (a change written between the walks can make the heading's counts differ from the rows by the
// items it changed: the store offers no snapshot across them). The data errors are noted problems
// first, then enrollments, by id. An item whose overdue days cannot be counted (a data error,
// engine/data_error.h) is not a row but a note under the rows. A problem carried into a later
// campaign (回头看, Item::carried_to) is no row either: a closing note names it. kInvalidArgument,
// before anything is written, when the campaign has no calendar, or (field "as_of") when its
// calendar does not cover as_of's day. `rates` are the dashboard's (BuildDashboard over every
// item, as of `as_of`); a unit without any reads "—".
Status WriteBulletin(const Campaign& campaign, const ItemWalk& with_deadline, const ItemWalk& overdue,
                     const std::vector<UnitRates>& rates, Instant as_of, FormWriter& out);

}  // namespace rectify::exports
