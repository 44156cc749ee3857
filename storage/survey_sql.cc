#include "storage/survey_sql.h"

#include "storage/attachment_sql.h"

namespace rectify::survey_sql {

std::string ListHouseholdsSql(const SurveyQuery& query) {
  std::string sql = std::string(kHouseholdColumns) + "WHERE h.id > ?";
  if (query.campaign) sql += " AND h.campaign_id = ?";
  if (query.village) sql += " AND h.village = ?";
  if (!query.states.empty()) {
    sql += " AND h.state IN (?";
    for (std::size_t i = 1; i < query.states.size(); ++i) sql += ", ?";
    sql += ")";
  }
  return sql + " ORDER BY h.id LIMIT ?";
}

std::int64_t Flag(bool value) { return value ? 1 : 0; }

std::optional<std::int64_t> Wide(const std::optional<int>& value) {
  return value ? std::optional<std::int64_t>(*value) : std::nullopt;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Subject(std::int64_t household_id) { return "survey household " + std::to_string(household_id); }

std::string AddedDetail(const SurveyHousehold& h, const SurveyEvent& added) {
  return h.village + " " + h.group + " " + h.head_name + " (" + h.household_type + ", " + h.priority + ")" +
         (added.note.empty() ? "" : ": " + added.note);
}

std::string EventDetail(const SurveyEvent& event) {
  return event.from + " -> " + event.to + (event.note.empty() ? "" : ": " + event.note);
}

std::string PhotoDetail(const SurveyPhoto& photo) {
  return "visit " + std::to_string(photo.visit_id) + ": " + attachment_sql::Describe(photo.file);
}

}  // namespace rectify::survey_sql
