// The JSON shapes of the files, ledgers, dashboard and scores endpoints (the item shapes are in
// json_codec.h). Internal to web/.
#pragma once

#include <map>
#include <vector>

#include "engine/attachments.h"
#include "engine/campaign.h"
#include "engine/dashboard.h"
#include "engine/data_error.h"
#include "engine/ledger_obligations.h"
#include "engine/village_scores.h"
#include "web/json_codec.h"

namespace rectify::web {

// {"sha256", "name", "size", "content_type", "uploaded_at", "uploaded_by"}
// `display_names`: actor name -> the person's display name (uploaded_by_name; null when unknown).
json EvidenceToJson(const EvidenceFile& file, const std::map<std::string, std::string>& display_names);

// {"unit", "unit_name", "due", "submitted_at", "submitted_by", "file": {...} | null,
//  "confirmed_at", "confirmed_by", "overdue", "late"}; unset times are null.
json LedgerStatusToJson(const Campaign& campaign, const LedgerStatus& status);

// {"as_of", "timeline": {"today", "phases": [...], "deadlines": [...]}, "burn_down": {"clear_by",
//  "points": [{"date", "open"}]}, "units": [...], "areas": [...], "enrollment": {...},
//  "data_errors": [...]}.
// Shares are fractions 0..1, null when there is nothing to divide by.
json DashboardToJson(const Campaign& campaign, const Dashboard& dashboard);

// [{"kind", "id", "title", "field", "value", "message"}]: the items a report left out
// (engine/data_error.h); "field" and "value" are null when unknown.
json DataErrorsToJson(const std::vector<DataError>& errors);

// {"base", "on_time_points", "enrollment_points", "per_send_back", "per_overdue_working_day",
//  "minimum", "maximum"}
json ScoreFormulaToJson(const ScoreFormula& formula);

// {"rank", "village", "village_name", "score", "problems", ...} as VillageScore holds them.
json VillageScoreToJson(const Campaign& campaign, const VillageScore& score);

}  // namespace rectify::web
