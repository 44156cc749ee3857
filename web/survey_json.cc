#include "web/survey_json.h"

#include <utility>

#include "engine/visit_workflow.h"

namespace rectify::web {
namespace {

std::string ChoiceNameOf(const std::vector<Choice>& choices, const std::string& id) {
  const Choice* choice = FindChoice(choices, id);
  return choice ? choice->name : id;
}

json Choices(const std::vector<Choice>& choices) {
  json out = json::array();
  for (const Choice& c : choices) out.push_back({{"id", c.id}, {"name", c.name}});
  return out;
}

json OptionalInt(const std::optional<int>& value) { return value ? json(*value) : json(nullptr); }

json Share(int part, int whole) { return whole == 0 ? json(nullptr) : json(static_cast<double>(part) / whole); }

json VisitToJson(const Campaign& campaign, const SurveyVisit& v, Disclosure personal) {
  const SurveySettings& survey = *campaign.survey;
  json team = json::array();
  for (const TeamMember& m : v.team)
    team.push_back({{"name", m.name}, {"role", m.role}, {"role_name", ChoiceNameOf(survey.team_roles, m.role)}});
  json causes = json::array();
  for (const std::string& cause : v.spending_causes) causes.push_back(ChoiceNameOf(campaign.risk_types, cause));
  json change = nullptr;
  if (v.income_last_year && v.income_this_year && *v.income_last_year > 0)
    change = static_cast<double>(*v.income_this_year - *v.income_last_year) / *v.income_last_year;
  PersonalData health;
  health.health_condition = v.health_condition;
  return {{"id", v.id},
          {"visited_on", FormatDate(v.visited_on)},
          {"team", team},
          {"members", v.members},
          {"income_last_year", OptionalInt(v.income_last_year)},
          {"income_this_year", OptionalInt(v.income_this_year)},
          {"income_change", change},
          {"rigid_spending", v.rigid_spending},
          {"spending_causes", v.spending_causes},
          {"spending_cause_names", causes},
          {"education_secured", v.education_secured},
          {"medical_secured", v.medical_secured},
          {"housing_secured", v.housing_secured},
          {"water_secured", v.water_secured},
          {"assistance", v.assistance},
          {"findings", v.findings},
          {"health_condition", v.health_condition.empty() ? "" : Disclose(health, personal).health_condition},
          {"conclusion", v.risk_found ? "risk_found" : "no_risk"},
          {"risk_type", v.risk_found ? json(v.risk_type) : json(nullptr)},
          {"risk_type_name", v.risk_found ? json(ChoiceNameOf(campaign.risk_types, v.risk_type)) : json(nullptr)},
          {"risk_found_on", v.risk_found_on ? json(FormatDate(*v.risk_found_on)) : json(nullptr)},
          {"category", v.risk_found ? json(v.category) : json(nullptr)},
          {"category_name",
           v.risk_found ? json(ChoiceNameOf(campaign.household_categories, v.category)) : json(nullptr)},
          {"recorded_at", FormatInstant(v.recorded_at)},
          {"recorded_by", v.recorded_by}};
}

json CountsToJson(const Campaign& campaign, const SurveyCounts& c) {
  json out = json::object();
  if (!c.village.empty()) {
    const Unit* unit = campaign.FindUnit(c.village);
    out["village"] = c.village;
    out["village_name"] = unit ? unit->name : c.village;
  }
  out["households"] = c.households;
  out["visited"] = c.visited;
  out["unvisited"] = c.unvisited;
  out["sent_back"] = c.sent_back;
  out["spot_checked"] = c.spot_checked;
  out["risks_found"] = c.risks_found;
  out["enrollments_opened"] = c.enrollments_opened;
  out["enrolled"] = c.enrolled;
  out["with_measures"] = c.with_measures;
  out["share_visited"] = Share(c.visited, c.households);
  out["share_enrollments_opened"] = Share(c.enrollments_opened, c.risks_found);
  out["share_with_measures"] = Share(c.with_measures, c.enrolled);
  return out;
}

// Optional whole yuan; null means not asked or not known.
Status ReadMoney(const Json& value, const std::string& path, int& out) {
  RECTIFY_RETURN_IF_ERROR(ReadJsonInt(value, path, out));
  if (out < 0 || out > 100000000) return Status::InvalidArgument(path, "金额应在0至1亿元之间");
  return Status::Ok();
}

Status ReadTeamMember(const Json& value, const std::string& path, TeamMember& member) {
  JsonObjectReader in(value, path);
  in.Required("name", member.name);
  in.Required("role", member.role);
  return in.Finish();
}

Status ReadVersion(const Json& value, const std::string& path, std::int64_t& out) {
  int version = 0;
  RECTIFY_RETURN_IF_ERROR(ReadJsonInt(value, path, version));
  out = version;
  return Status::Ok();
}

}  // namespace

json SurveySettingsToJson(const Campaign& campaign) {
  const SurveySettings& s = *campaign.survey;
  const std::optional<Instant> due = SurveyDue(campaign);
  json labels = json::object();
  for (const Label& label : s.labels) labels[label.key] = label.name;
  json states = json::array();
  for (const std::string& state : SurveyVisitWorkflow().States()) states.push_back(state);
  return {{"due", due ? json(FormatInstant(*due)) : json(nullptr)},
          {"minimum_team", s.minimum_team},
          {"team_roles", Choices(s.team_roles)},
          {"household_types", Choices(s.household_types)},
          {"priorities", Choices(s.priorities)},
          {"clue_source", s.clue_source},
          {"states", states},
          {"labels", labels},
          {"event_fields", EventFieldsToJson(SurveyVisitWorkflow())}};
}

json SurveyHouseholdToJson(const Campaign& campaign, const SurveyHouseholdView& view) {
  const SurveyHousehold& h = view.household;
  const SurveySettings& survey = *campaign.survey;
  const Disclosure personal = view.personal_data_visible ? Disclosure::kFull : Disclosure::kMasked;
  const PersonalData shown = Disclose(h.personal, personal);
  const Unit* village = campaign.FindUnit(h.village);
  return {{"id", h.id},
          {"village", h.village},
          {"village_name", village ? village->name : h.village},
          {"group", h.group},
          {"head_name", h.head_name},
          {"household_type", h.household_type},
          {"household_type_name", ChoiceNameOf(survey.household_types, h.household_type)},
          {"priority", h.priority},
          {"priority_name", ChoiceNameOf(survey.priorities, h.priority)},
          {"note", h.note},
          {"id_number", shown.id_number},
          {"phone", shown.phone},
          {"personal_data", view.personal_data_visible ? "full" : "masked"},
          {"found_on_the_way", h.found_on_the_way},
          {"state", h.state},
          {"state_label", survey.LabelOf(h.state)},
          {"visited", SurveyVisitWorkflow().IsVisited(h.state)},
          {"version", h.version},
          {"visit", h.visit ? VisitToJson(campaign, *h.visit, personal) : json(nullptr)},
          {"enrollment_id", h.enrollment_id ? json(*h.enrollment_id) : json(nullptr)},
          {"allowed_events", view.allowed_events},
          {"may_open_enrollment", view.may_open_enrollment},
          {"added_at", FormatInstant(h.added_at)},
          {"added_by", h.added_by},
          {"updated_at", FormatInstant(h.updated_at)}};
}

json SurveyEventToJson(const SurveyEvent& e, const std::map<std::string, std::string>& display_names) {
  const auto name = display_names.find(e.actor);
  return {{"seq", e.seq},
          {"from", e.from},
          {"to", e.to},
          {"event", e.event},
          {"actor", e.actor},
          {"actor_name", name == display_names.end() ? json(nullptr) : json(name->second)},
          {"at", FormatInstant(e.at)},
          {"note", e.note}};
}

json SurveyPhotoToJson(const SurveyPhoto& photo) {
  return {{"sha256", photo.file.sha256},       {"name", photo.file.name},
          {"size", photo.file.size},           {"content_type", photo.file.content_type},
          {"visit_id", photo.visit_id},        {"uploaded_at", FormatInstant(photo.uploaded_at)},
          {"uploaded_by", photo.uploaded_by}};
}

json SurveyCoverageToJson(const Campaign& campaign, const SurveyCoverage& coverage, Instant as_of) {
  json villages = json::array();
  for (const SurveyCounts& counts : coverage.villages) villages.push_back(CountsToJson(campaign, counts));
  return {{"as_of", FormatInstant(as_of)},
          {"due", coverage.due ? json(FormatInstant(*coverage.due)) : json(nullptr)},
          {"late", coverage.late},
          {"total", CountsToJson(campaign, coverage.total)},
          {"villages", villages}};
}

Result<NewSurveyHousehold> ParseNewSurveyHousehold(const json& body) {
  JsonObjectReader in(body, "");
  NewSurveyHousehold h;
  in.Required("village", h.village);
  in.Optional("group", h.group, ReadJsonString);
  in.Required("head_name", h.head_name);
  in.Required("household_type", h.household_type);
  in.Required("priority", h.priority);
  in.Optional("note", h.note, ReadJsonString);
  in.Optional("phone", h.personal.phone, ReadJsonString);
  in.Optional("id_number", h.personal.id_number, ReadJsonString);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return h;
}

Result<SurveyVisit> ParseSurveyVisit(const json& body, std::optional<std::int64_t>& expected_version) {
  JsonObjectReader in(body, "");
  SurveyVisit v;
  std::string conclusion;
  in.Required("visited_on", v.visited_on, ReadJsonDate);
  in.Required("team", v.team, JsonArrayOf<TeamMember>(ReadTeamMember));
  in.Required("members", v.members);
  in.Optional("income_last_year", v.income_last_year, ReadMoney);
  in.Optional("income_this_year", v.income_this_year, ReadMoney);
  in.Optional("rigid_spending", v.rigid_spending, ReadMoney);
  in.Optional("spending_causes", v.spending_causes);
  in.Required("education_secured", v.education_secured, ReadJsonBool);
  in.Required("medical_secured", v.medical_secured, ReadJsonBool);
  in.Required("housing_secured", v.housing_secured, ReadJsonBool);
  in.Required("water_secured", v.water_secured, ReadJsonBool);
  in.Optional("assistance", v.assistance, ReadJsonString);
  in.Optional("findings", v.findings, ReadJsonString);
  in.Optional("health_condition", v.health_condition, ReadJsonString);
  in.Required("conclusion", conclusion);
  in.Optional("risk_type", v.risk_type, ReadJsonString);
  in.Optional("risk_found_on", v.risk_found_on, ReadJsonDate);
  in.Optional("category", v.category, ReadJsonString);
  in.Optional("version", expected_version, ReadVersion);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  if (conclusion != "no_risk" && conclusion != "risk_found")
    return Status::InvalidArgument("conclusion", "\"" + conclusion + "\" is not \"no_risk\" or \"risk_found\"");
  v.risk_found = conclusion == "risk_found";
  return v;
}

Result<EventInput> ParseSurveyEvent(const json& body, std::optional<std::int64_t>& expected_version) {
  JsonObjectReader in(body, "");
  EventInput input;
  in.Required("event", input.name);
  in.Optional("reason", input.reason, ReadJsonString);
  in.Optional("note", input.note, ReadJsonString);
  in.Optional("version", expected_version, ReadVersion);
  RECTIFY_RETURN_IF_ERROR(in.Finish());
  return input;
}

}  // namespace rectify::web
