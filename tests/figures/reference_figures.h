// The dashboard and the scores as rectify computed them before the store kept history facts:
// every item with its whole history, each figure read off the history rows. Kept, word for word
// but for names, as the oracle that the streamed figures (engine/dashboard.h DashboardTally,
// engine/village_scores.h VillageScoreTally over the facts the store keeps) must match.
#pragma once

#include <vector>

#include "engine/campaign.h"
#include "engine/dashboard.h"
#include "engine/item.h"
#include "engine/status.h"
#include "engine/village_scores.h"

namespace rectify::reference {

Dashboard BuildDashboard(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                         const std::vector<ItemRecord>& enrollments, Instant as_of);

Result<VillageScores> ScoreVillages(const Campaign& campaign, const std::vector<ItemRecord>& problems,
                                    const std::vector<ItemRecord>& enrollments, Instant as_of);

}  // namespace rectify::reference
