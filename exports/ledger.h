// 附件1 问题排查整改台账: the rectification ledger a unit hands in, signed by its head and
// stamped (due 2021-10-26 下班前), or the whole town's ledger for the office.
//
// One row per problem, ordered by responsible unit (the campaign's order, unassigned last) and
// then by id: the order of engine/form_order.h's LedgerWalk, which the rows are written in. Columns: 序号, 问题来源, 问题领域, 问题描述, 整改措施, 责任单位, 整改时限, 整改状态,
// 整改进展, 完成时间, 备注.
//   整改时限  the item's overall deadline (its own, or the campaign's default rule)
//   整改状态  the campaign's label of the state (整改中, 待验收, 已销号, ...)
//   整改进展  the latest progress note the unit recorded, with its date
//   完成时间  the date it was closed (销号), while it is closed
//   备注      已逾期 when open past its deadline in force at `as_of`; how often it was sent back
//             or reopened
// Only problems are listed: enrollment records among `problems` are skipped. A problem with a
// data error (engine/data_error.h) keeps its row as stored, with a note under the rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/form_order.h"
#include "engine/status.h"
#include "engine/time.h"
#include "exports/table.h"

namespace rectify::exports {

// Writes the ledger to `out` a row at a time as `problems` walks them, in the ledger's order.
// `unit`: the unit whose ledger this is (its problems only), or nullopt for the whole town.
// `as_of` is the export date printed on the form and the instant "overdue" is judged at.
// kNotFound, before anything is written, when `unit` is not a unit of the campaign; otherwise
// the first failure of the walk or of `out`.
Status WriteLedger(const Campaign& campaign, const RecordWalk& problems, const std::optional<std::string>& unit,
                   Instant as_of, FormWriter& out);

}  // namespace rectify::exports
