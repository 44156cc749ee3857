// 附件3 拟纳入监测对象花名册: the roster of households proposed for monitoring, reported by the
// villages to the office, and its public-notice (公示) version.
//
// One row per enrollment request, by village (the campaign's order) and then id: the order of
// engine/form_order.h's RosterWalk, which the rows are written in. Requests
// closed as not eligible are left out: they are not proposed, and a public notice must not
// name them. Columns: 序号, 所在村, 户主姓名, 身份证号码*, 家庭人口, 监测对象类别, 风险类型,
// 风险发现时间, 线索来源, 联系电话*, 银行账号*, 健康状况*, 办理状态, 纳入监测时间.
//
// The columns marked * hold personal data (engine/personal_data.h) and follow `disclosure`:
//   kFull     as recorded: for the people who handle the cases
//   kMasked   masked ("4301**********1234", "138****5678", "**** **** **** 1234", "（已隐藏）")
//   kOmitted  the public notice: the four columns are absent, not blanked, so neither the
//             values nor the fact that a household has them on record reaches the notice
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/form_order.h"
#include "engine/item.h"
#include "engine/personal_data.h"
#include "engine/status.h"
#include "engine/time.h"
#include "exports/table.h"

namespace rectify::exports {

// Writes the roster to `out` a row at a time as `enrollments` walks them, in the roster's order.
// `village`: one village's roster (the unit id), or nullopt for every village. kNotFound, before
// anything is written, when `village` is not a unit of the campaign. Records that are not
// enrollments are skipped. A household with a data error (engine/data_error.h) keeps its row as
// stored, with a note under the rows, except on the public notice, which is posted in the village.
// With kMasked, the rows `in_full` accepts are written in full all the same.
Status WriteRoster(const Campaign& campaign, const ItemWalk& enrollments, const std::optional<std::string>& village,
                   Disclosure disclosure, Instant as_of, FormWriter& out,
                   const std::function<bool(const Item&)>& in_full = {});

}  // namespace rectify::exports
