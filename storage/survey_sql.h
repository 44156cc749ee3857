// What the survey stores of both databases (sqlite_survey_store.h, pg_survey_store.h) say alike:
// the statements on survey_* (the same words in SQLite's and PostgreSQL's dialects), how their
// rows read back (any Query with Int/Text/IsNull/OptionalInt) and the audit records' wording.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/survey.h"
#include "engine/survey_store.h"
#include "engine/time.h"

namespace rectify::survey_sql {

// PostgreSQL appends " RETURNING id" (it has no last insert id), here and to kInsertVisit and
// kInsertPhoto.
inline constexpr const char* kInsertHousehold =
    "INSERT INTO survey_households (village, village_group, head_name, household_type, priority, note, id_number, "
    "phone, found_on_the_way, state, version, added_at, added_by, updated_at, campaign_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)";

// The household with its latest visit, in the column order ReadHousehold and ReadVisit expect;
// a WHERE follows.
inline constexpr const char* kHouseholdColumns =
    "SELECT h.id, h.village, h.village_group, h.head_name, h.household_type, h.priority, h.note, h.id_number, "
    "h.phone, h.found_on_the_way, h.state, h.version, h.enrollment_id, h.added_at, h.added_by, h.updated_at, "
    "v.id, v.visited_on, v.members, v.income_last_year, v.income_this_year, v.rigid_spending, v.spending_causes, "
    "v.education_secured, v.medical_secured, v.housing_secured, v.water_secured, v.assistance, v.findings, "
    "v.health_condition, v.risk_found, v.risk_type, v.risk_found_on, v.category, v.recorded_at, v.recorded_by, "
    "h.campaign_id FROM survey_households h LEFT JOIN survey_visits v ON v.id = h.visit_id ";
inline constexpr int kVisitColumn = 16;

// The version check and the increment are one statement, so no writer can slip in between.
// Parameters: state, enrollment id, found on the way, updated at, the new visit's id or NULL,
// id, version read. The CAST gives PostgreSQL the NULL's type.
inline constexpr const char* kUpdateHousehold =
    "UPDATE survey_households SET state = ?, enrollment_id = ?, found_on_the_way = ?, updated_at = ?, "
    "visit_id = coalesce(CAST(? AS BIGINT), visit_id), version = version + 1 WHERE id = ? AND version = ?";
inline constexpr const char* kVersionOf = "SELECT version FROM survey_households WHERE id = ?";

inline constexpr const char* kInsertVisit =
    "INSERT INTO survey_visits (household_id, visited_on, members, income_last_year, income_this_year, "
    "rigid_spending, spending_causes, education_secured, medical_secured, housing_secured, water_secured, "
    "assistance, findings, health_condition, risk_found, risk_type, risk_found_on, category, recorded_at, "
    "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* kInsertTeamMember =
    "INSERT INTO survey_visit_team (visit_id, position, name, role) VALUES (?, ?, ?, ?)";

inline constexpr const char* kInsertEvent =
    "INSERT INTO survey_events (household_id, from_state, to_state, event, actor, at, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* kHistory =
    "SELECT seq, from_state, to_state, event, actor, at, note FROM survey_events WHERE household_id = ? ORDER BY seq";

inline constexpr const char* kHouseholdOfEnrollment = "SELECT id FROM survey_households WHERE enrollment_id = ?";

inline constexpr const char* kInsertPhoto =
    "INSERT INTO survey_photos (household_id, visit_id, sha256, name, size, content_type, uploaded_at, uploaded_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
inline constexpr const char* kListPhotos =
    "SELECT id, visit_id, sha256, name, size, content_type, uploaded_at, uploaded_by FROM survey_photos "
    "WHERE household_id = ? ORDER BY id";

// kHouseholdColumns narrowed by `query`'s filters, a page in id order. The text depends only on
// which filters are set; the values are bound in this order: after_id, campaign, village, each
// state, limit.
std::string ListHouseholdsSql(const SurveyQuery& query);

std::int64_t Flag(bool value);
std::optional<std::int64_t> Wide(const std::optional<int>& value);
// "illness,education" and back: risk type ids are lowercase ASCII without commas (campaign
// validation).
std::string JoinIds(const std::vector<std::string>& ids);
std::vector<std::string> SplitIds(const std::string& text);

// The audit records' words.
std::string Subject(std::int64_t household_id);  // "survey household 3"
std::string AddedDetail(const SurveyHousehold& household, const SurveyEvent& added);
std::string EventDetail(const SurveyEvent& event);
std::string PhotoDetail(const SurveyPhoto& photo);

// Binds kInsertVisit's parameters for `visit` of household `household_id`.
template <class Query>
Query& BindVisit(Query& insert, std::int64_t household_id, const SurveyVisit& v) {
  insert.BindAll(household_id, FormatDate(v.visited_on), std::int64_t{v.members}, Wide(v.income_last_year),
                 Wide(v.income_this_year), std::int64_t{v.rigid_spending}, JoinIds(v.spending_causes),
                 Flag(v.education_secured), Flag(v.medical_secured), Flag(v.housing_secured), Flag(v.water_secured),
                 v.assistance, v.findings, v.health_condition, Flag(v.risk_found), v.risk_type);
  if (v.risk_found_on) {
    insert.Bind(17, FormatDate(*v.risk_found_on));
  } else {
    insert.BindNull(17);
  }
  return insert.Bind(18, v.category).Bind(19, v.recorded_at).Bind(20, v.recorded_by);
}

// The visit in the columns of a row from `c` on (kHouseholdColumns: kVisitColumn), without its team.
template <class Row>
SurveyVisit ReadVisit(const Row& row, int c) {
  SurveyVisit v;
  v.id = row.Int(c);
  v.visited_on = ParseDate(row.Text(c + 1)).value_or(CivilDate{});
  v.members = static_cast<int>(row.Int(c + 2));
  if (!row.IsNull(c + 3)) v.income_last_year = static_cast<int>(row.Int(c + 3));
  if (!row.IsNull(c + 4)) v.income_this_year = static_cast<int>(row.Int(c + 4));
  v.rigid_spending = static_cast<int>(row.Int(c + 5));
  v.spending_causes = SplitIds(row.Text(c + 6));
  v.education_secured = row.Int(c + 7) != 0;
  v.medical_secured = row.Int(c + 8) != 0;
  v.housing_secured = row.Int(c + 9) != 0;
  v.water_secured = row.Int(c + 10) != 0;
  v.assistance = row.Text(c + 11);
  v.findings = row.Text(c + 12);
  v.health_condition = row.Text(c + 13);
  v.risk_found = row.Int(c + 14) != 0;
  v.risk_type = row.Text(c + 15);
  if (!row.IsNull(c + 16)) v.risk_found_on = ParseDate(row.Text(c + 16));
  v.category = row.Text(c + 17);
  v.recorded_at = row.Int(c + 18);
  v.recorded_by = row.Text(c + 19);
  return v;
}

// A row of kHouseholdColumns, its visit (if any) without the team.
template <class Row>
SurveyHousehold ReadHousehold(const Row& row) {
  SurveyHousehold h;
  h.id = row.Int(0);
  h.village = row.Text(1);
  h.group = row.Text(2);
  h.head_name = row.Text(3);
  h.household_type = row.Text(4);
  h.priority = row.Text(5);
  h.note = row.Text(6);
  h.personal.id_number = row.Text(7);
  h.personal.phone = row.Text(8);
  h.found_on_the_way = row.Int(9) != 0;
  h.state = row.Text(10);
  h.version = row.Int(11);
  h.enrollment_id = row.OptionalInt(12);
  h.added_at = row.Int(13);
  h.added_by = row.Text(14);
  h.updated_at = row.Int(15);
  h.campaign = row.Text(kVisitColumn + 20);
  if (!row.IsNull(kVisitColumn)) h.visit = ReadVisit(row, kVisitColumn);
  return h;
}

// A row of kHistory, of household `household_id`.
template <class Row>
SurveyEvent ReadEvent(const Row& row, std::int64_t household_id) {
  return {row.Int(0), household_id, row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Int(5), row.Text(6)};
}

// A row of kListPhotos, of household `household_id`.
template <class Row>
SurveyPhoto ReadPhoto(const Row& row, std::int64_t household_id) {
  SurveyPhoto photo;
  photo.id = row.Int(0);
  photo.household_id = household_id;
  photo.visit_id = row.Int(1);
  photo.file = {row.Text(2), row.Text(3), row.Int(4), row.Text(5)};
  photo.uploaded_at = row.Int(6);
  photo.uploaded_by = row.Text(7);
  return photo;
}

}  // namespace rectify::survey_sql
