// The JSON shapes of the household survey's endpoints (web/survey_routes.cc), reading and
// writing. Reading is strict like every request body (config/strict_json.h). Internal to web/.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/household_survey.h"
#include "engine/survey_coverage.h"
#include "web/json_codec.h"

namespace rectify::web {

// {"due", "minimum_team", "team_roles", "household_types", "priorities", "clue_source", "labels"}:
// what the page's forms offer.
json SurveySettingsToJson(const Campaign& campaign);

// A household with its latest visit and what this caller may do with it; personal data
// (ID number, phone, the visit's health note) in full or masked as the view allows.
json SurveyHouseholdToJson(const Campaign& campaign, const SurveyHouseholdView& view);
// `display_names`: actor ("user li.si") -> display name, for actor_name (null when none), as an
// item's history gives it (json_codec.h EventToJson).
json SurveyEventToJson(const SurveyEvent& event, const std::map<std::string, std::string>& display_names);
json SurveyPhotoToJson(const SurveyPhoto& photo);
// {"due", "late", "as_of", "total": {...}, "villages": [{...}]}; shares are fractions, null
// when there is nothing to divide by.
json SurveyCoverageToJson(const Campaign& campaign, const SurveyCoverage& coverage, Instant as_of);

// {"village", "group"?, "head_name", "household_type", "priority", "note"?, "phone"?, "id_number"?}
Result<NewSurveyHousehold> ParseNewSurveyHousehold(const json& body);
// The sheet (附件2): {"visited_on", "team": [{"name", "role"}], "members", "income_last_year"?,
// "income_this_year"?, "rigid_spending"?, "spending_causes"?, "education_secured",
// "medical_secured", "housing_secured", "water_secured", "assistance"?, "findings"?,
// "health_condition"?, "conclusion": "no_risk"|"risk_found", "risk_type"?, "risk_found_on"?,
// "category"?, "version"?}
Result<SurveyVisit> ParseSurveyVisit(const json& body, std::optional<std::int64_t>& expected_version);
// {"event": "spot_check"|"send_back", "reason"?, "note"?, "version"?}
Result<EventInput> ParseSurveyEvent(const json& body, std::optional<std::int64_t>& expected_version);

}  // namespace rectify::web
