// How far the household survey has come, per village and town-wide, against its deadline: the
// figures of the dashboard, the coverage endpoint and the villages' reminders. A pure function
// of the campaign, the households and the enrollment requests their visits opened.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/item.h"
#include "engine/survey.h"
#include "engine/time.h"

namespace rectify {

struct SurveyCounts {
  std::string village;  // unit id; "" for the town
  int households = 0;   // on the list, to visit
  int visited = 0;      // a recorded sheet stands (VisitWorkflow::IsVisited)
  int unvisited = 0;    // households - visited: never visited, or sent back and not yet recorded again
  int sent_back = 0;    // of the unvisited, those whose sheet the inspection group sent back
  int spot_checked = 0; // of the visited, those the inspection group has checked
  int risks_found = 0;  // visited, and the standing visit found a risk
  int enrollments_opened = 0;  // an enrollment request was opened from the visit
  int enrolled = 0;            // ... and it closed as enrolled (纳入监测)
  int with_measures = 0;       // ... enrolled with help measures on record (帮扶措施到位)
};

struct SurveyCoverage {
  std::optional<Instant> due;  // the survey deadline; nullopt without a survey
  bool late = false;           // as_of is past `due` and some household is unvisited
  SurveyCounts total;          // every household given
  std::vector<SurveyCounts> villages;  // each of `villages`, in the campaign's order
};

// The survey deadline (the campaign's survey.deadline rule); nullopt without a survey.
std::optional<Instant> SurveyDue(const Campaign& campaign);

// Counts `households` per village; `enrollments` are the requests their visits opened (others
// are ignored; one not given counts as opened but not enrolled). `villages` lists the village
// ids to report on, each with a line even when it has no household.
SurveyCoverage BuildSurveyCoverage(const Campaign& campaign, const std::vector<SurveyHousehold>& households,
                                   const std::vector<ItemRecord>& enrollments,
                                   const std::vector<std::string>& villages, Instant as_of);

}  // namespace rectify
