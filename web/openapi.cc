// RouteTable::OpenApi: the OpenAPI 3.0.3 document of GET /api/openapi.json, built from the
// routes as they are registered, with the few shapes many routes share as components.
#include <algorithm>
#include <cctype>
#include <map>

#include "web/route_table.h"

namespace rectify::web {
namespace {

using namespace schema;  // NOLINT: the table below reads as a schema

// The error codes of each status, as the README's table lists them.
const std::map<int, std::vector<std::string>>& ErrorCodes() {
  static const std::map<int, std::vector<std::string>> kCodes = {
      {400, {"invalid_argument"}},
      {401, {"unauthenticated"}},
      {403, {"permission_denied"}},
      {404, {"not_found"}},
      {405, {"method_not_allowed"}},
      {408, {"request_timeout"}},
      {409, {"event_not_allowed", "conflict"}},
      {413, {"payload_too_large"}},
      {415, {"unsupported_media_type"}},
      {422, {"unprocessable"}},
      {429, {"too_many_requests"}},
      {431, {"headers_too_large"}},
      {500, {"internal"}},
      {503, {"unavailable"}},
  };
  return kCodes;
}

std::vector<std::string> AllErrorCodes() {
  std::vector<std::string> codes;
  for (const auto& [status, names] : ErrorCodes()) codes.insert(codes.end(), names.begin(), names.end());
  return codes;
}

json ItemSchema() {
  json item = Object({
      {"id", Integer()},
      {"kind", Enum({"problem", "enrollment"})},
      {"campaign", String("the campaign's id")},
      {"carried_from", Nullable(String("回头看: the earlier campaign this problem was carried in from, or null"))},
      {"carried_from_id", Nullable(Integer("回头看: the problem's id there (null for one carried before 2026-12, "
                                           "which kept its id)"))},
      {"carried_at", Nullable(DateTime("回头看: when it was carried in"))},
      {"carried_to", Nullable(String("回头看: the later campaign this problem was carried into, or null; "
                                     "it stays here as it stood and takes no more events"))},
      {"carried_to_id", Nullable(Integer("回头看: the problem's id there"))},
      {"state", String("top-level state: found, assigned, rectifying, verified, closed")},
      {"step", Nullable(String("the step inside the state (rectifying.working), or null"))},
      {"state_label", String("the campaign's Chinese name of the state")},
      {"version", Integer("send it back as \"version\" to refuse a write over someone else's")},
      {"title", String()},
      {"unit", Nullable(String("the responsible unit's id, or null"))},
      {"unit_name", String()},
      {"cooperating_units", ArrayOf(String())},
      {"measures", String()},
      {"deadline", DateTime("整改时限")},
      {"deadline_rule", Nullable(String())},
      {"due_at", Nullable(DateTime("the deadline in force now (a step limit or the deadline)"))},
      {"due_rule", Nullable(String())},
      {"overdue", Boolean()},
      {"state_since", DateTime()},
      {"send_back_count", Integer()},
      {"reopen_count", Integer()},
      {"created_at", DateTime()},
      {"updated_at", DateTime()},
      {"area", Integer("problems: the area's number")},
      {"area_name", String()},
      {"source", String("problems: the source id")},
      {"source_name", String()},
      {"household", String("enrollments: the head of household")},
      {"village", String()},
      {"category", String()},
      {"risk_type", String()},
      {"risk_found_on", Date()},
      {"clue_source", String()},
      {"members", Integer()},
      {"id_number", String("masked unless the caller may view personal data")},
      {"phone", String()},
      {"bank_account", String()},
      {"health_condition", String()},
      {"outcome", AnyObject("enrollments once closed: result, entered_on, explanation")},
      {"minimum_dwell", Nullable(AnyObject("in a step that lasts a minimum time (村级公示): name, until (the instant "
                                           "it may be left); else null"))},
      {"allowed_events", ArrayOf(String(), "what the caller may fire now")},
      {"seconds_overdue", Integer("GET /api/overdue only")},
  });
  item["additionalProperties"] = true;
  item["required"] = {"id", "kind", "state", "version", "title"};
  return item;
}

json Components() {
  json error = Object({{"error", Enum(AllErrorCodes(), "a stable code (README, Errors)")},
                       {"message", String("what was wrong, in English; the page shows Chinese by the code")},
                       {"field", String("the field, parameter or column at fault")},
                       {"allowed_events", ArrayOf(String())},
                       {"reason", String("why, as a stable code the page words in Chinese (README, Errors)")},
                       {"params", AnyObject("the reason's values, each a string (dates in ISO form)")},
                       {"errors", ArrayOf(AnyObject("an import's bad row: line, column, message"))}},
                      {"error", "message"});
  json user = Object({{"id", Integer()},
                      {"username", String()},
                      {"display_name", String()},
                      {"unit", Nullable(String())},
                      {"unit_name", Nullable(String())},
                      {"town", Nullable(String("the user's town; null: a county-level user"))},
                      {"town_name", Nullable(String())},
                      {"roles", ArrayOf(String())},
                      {"disabled", Boolean()}});
  return {{"Error", error},
          {"User", user},
          {"SurveyHousehold", AnyObject("id, village, group, head_name, household_type, priority, state, version, "
                                        "visit, enrollment_id, allowed_events, ...")},
          {"File", AnyObject("sha256, name, size, content_type, uploaded_at, uploaded_by, uploaded_by_name")},
          {"LedgerStatus", AnyObject("unit, unit_name, due, submitted_at, submitted_by, file, confirmed_at, "
                                     "confirmed_by, overdue, late")},
          {"Item", ItemSchema()},
          {"ItemList", Object({{"items", ArrayOf(Ref("Item"))},
                               {"total", Integer("the items of every page together")},
                               // null only by the integer's schema: oneOf matches it once
                               {"next_after", {{"oneOf", json::array({Nullable(Integer()), String()})},
                                               {"description", "the `after` of the next page (an id in the default "
                                                               "order, a cursor in another), or null on the last"}}}},
                              {"items", "total", "next_after"})},
          {"History", Object({{"events", ArrayOf(Object({{"seq", Integer()},
                                                          {"item_id", Integer()},
                                                          {"from", Nullable(String("null: the item's making"))},
                                                          {"to", String()},
                                                          {"event", String()},
                                                          {"actor", String()},
                                                          {"actor_name", Nullable(String("the person's display name"))},
                                                          {"unit", Nullable(String("the unit that held the item"))},
                                                          {"sign_for_due", Nullable(DateTime("a sign-for's limit"))},
                                                          {"at", DateTime()},
                                                          {"note", String()}}))}})}};
}

json ErrorResponse(int status) {
  std::string codes;
  const auto found = ErrorCodes().find(status);
  if (found != ErrorCodes().end())
    for (const std::string& code : found->second) codes += (codes.empty() ? "" : " or ") + code;
  return {{"description", codes.empty() ? "error" : codes},
          {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
}

json Operation(const RegisteredRoute& route) {
  const RouteDoc& doc = route.doc;
  std::string tag = doc.tag();
  if (tag.empty()) {
    // A campaign's route is listed with its plain path's group.
    const std::string prefix = route.path.rfind(kCampaignPrefix, 0) == 0 ? std::string(kCampaignPrefix) + "/" : "/api/";
    const std::string rest = route.path.rfind(prefix, 0) == 0 ? route.path.substr(prefix.size()) : "page";
    tag = rest.substr(0, rest.find_first_of("/.{"));
  }
  std::string id;
  for (const char c : route.method + route.path) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  json op = {{"summary", doc.summary()}, {"operationId", id}, {"tags", {tag}}};
  if (!doc.description().empty()) op["description"] = doc.description();

  json parameters = json::array();
  for (const std::string& name : PathParamsOf(route.path)) {
    std::string description;
    json schema_of = PathParamSchema(name, description);
    parameters.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"description", description},
                          {"schema", schema_of}});
  }
  for (const QueryDoc& q : doc.query()) {
    json parameter = {{"name", q.name}, {"in", "query"}, {"required", q.required}, {"description", q.description}};
    if (q.repeated) {
      parameter["schema"] = ArrayOf(q.schema);
      parameter["style"] = "form";
      parameter["explode"] = true;
    } else {
      parameter["schema"] = q.schema;
    }
    parameters.push_back(std::move(parameter));
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);

  switch (doc.body_kind()) {
    case BodyKind::kNone:
      break;
    case BodyKind::kJson:
      op["requestBody"] = {{"required", !doc.body_optional()},
                           {"content", {{"application/json", {{"schema", doc.body_schema()}}}}}};
      break;
    case BodyKind::kFile: {
      const json binary = {{"type", "string"}, {"format", "binary"}};
      op["requestBody"] = {{"required", true},
                           {"description", doc.body_description()},
                           {"content",
                            {{"text/csv", {{"schema", binary}}},
                             {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {{"schema", binary}}},
                             {"application/octet-stream", {{"schema", binary}}}}}};
      break;
    }
    case BodyKind::kUpload: {
      const json form = Object({{"file", {{"type", "string"}, {"format", "binary"}}}}, {"file"});
      op["requestBody"] = {{"required", true},
                           {"description", doc.body_description()},
                           {"content", {{"multipart/form-data", {{"schema", form}}}}}};
      break;
    }
  }

  json responses = json::object();
  json ok = {{"description", doc.answer_description().empty() ? "done" : doc.answer_description()}};
  if (!doc.answer_media_types().empty()) {
    for (const std::string& type : doc.answer_media_types())
      ok["content"][type] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  } else {
    ok["content"] = {{"application/json", {{"schema", doc.answer_schema()}}}};
  }
  for (const auto& [status, description] : doc.other_answers()) {
    json other = ok;
    other["description"] = description;
    responses[std::to_string(status)] = std::move(other);
  }
  responses[std::to_string(doc.answer_status())] = std::move(ok);
  std::vector<int> errors = {400};
  if (!doc.is_public()) errors.insert(errors.end(), {401, 403});
  errors.insert(errors.end(), doc.errors().begin(), doc.errors().end());
  errors.push_back(500);
  std::sort(errors.begin(), errors.end());
  for (const int status : errors) responses[std::to_string(status)] = ErrorResponse(status);
  op["responses"] = std::move(responses);
  if (doc.is_public()) op["security"] = json::array();
  return op;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

json RouteTable::OpenApi(const std::string& title, const std::string& version) const {
  json paths = json::object();
  for (const RegisteredRoute& route : routes_) paths[route.path][Lower(route.method)] = Operation(route);
  json security_schemes = {
      {"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"description", "a token from POST /api/login (session: bearer) or POST /api/tokens"}}},
      {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "rectify_session"},
                  {"description", "the page's session; every request but GET also sends X-CSRF-Token"}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", title}, {"version", version},
                    {"description", "Every answer is JSON unless it is a file; errors are {error, message, field?}."}}},
          {"servers", json::array({{{"url", "/"}}})},
          {"security", json::array({{{"bearer", json::array()}}, {{"cookie", json::array()}}})},
          {"paths", std::move(paths)},
          {"components", {{"schemas", Components()}, {"securitySchemes", std::move(security_schemes)}}}};
}

}  // namespace rectify::web
