#include "web/route_doc.h"

namespace rectify::web {
namespace schema {
namespace {

json Typed(const char* type, const std::string& description) {
  json out = {{"type", type}};
  if (!description.empty()) out["description"] = description;
  return out;
}

}  // namespace

json String(const std::string& description) { return Typed("string", description); }
json Integer(const std::string& description) { return Typed("integer", description); }
json Number(const std::string& description) { return Typed("number", description); }
json Boolean(const std::string& description) { return Typed("boolean", description); }

json DateTime(const std::string& description) {
  json out = Typed("string", description);
  out["format"] = "date-time";
  return out;
}

json Date(const std::string& description) {
  json out = Typed("string", description);
  out["format"] = "date";
  return out;
}

json Enum(const std::vector<std::string>& values, const std::string& description) {
  json out = Typed("string", description);
  out["enum"] = values;
  return out;
}

json ArrayOf(json items, const std::string& description) {
  json out = Typed("array", description);
  out["items"] = std::move(items);
  return out;
}

json Ref(const std::string& component) { return {{"$ref", "#/components/schemas/" + component}}; }

json Object(std::vector<std::pair<std::string, json>> properties, const std::vector<std::string>& required) {
  json out = {{"type", "object"}, {"properties", json::object()}, {"additionalProperties", false}};
  for (auto& [name, property] : properties) out["properties"][name] = std::move(property);
  if (!required.empty()) out["required"] = required;
  return out;
}

json AnyObject(const std::string& description) { return Typed("object", description); }

json Nullable(json schema) {
  schema["nullable"] = true;
  return schema;
}

}  // namespace schema

RouteDoc& RouteDoc::Describe(std::string description) {
  description_ = std::move(description);
  return *this;
}

RouteDoc& RouteDoc::Query(std::string name, json schema, std::string description, bool required) {
  query_.push_back({std::move(name), std::move(schema), std::move(description), required, false});
  return *this;
}

RouteDoc& RouteDoc::AsOf(std::string what) { return Query("as_of", schema::DateTime(), std::move(what)); }

RouteDoc& RouteDoc::Limit(int page) {
  return Query("limit", schema::Integer(), "page size, 1..500 (default " + std::to_string(page) + ")");
}

RouteDoc& RouteDoc::RepeatedQuery(std::string name, json schema, std::string description) {
  query_.push_back({std::move(name), std::move(schema), std::move(description), false, true});
  return *this;
}

RouteDoc& RouteDoc::JsonBody(json schema, bool optional) {
  body_kind_ = BodyKind::kJson;
  body_schema_ = std::move(schema);
  body_optional_ = optional;
  return *this;
}

RouteDoc& RouteDoc::FileBody(std::string description) {
  body_kind_ = BodyKind::kFile;
  body_description_ = std::move(description);
  return *this;
}

RouteDoc& RouteDoc::UploadBody(std::string description) {
  body_kind_ = BodyKind::kUpload;
  body_description_ = std::move(description);
  return *this;
}

RouteDoc& RouteDoc::Answer(int status, json schema, std::string description) {
  answer_status_ = status;
  answer_schema_ = std::move(schema);
  answer_description_ = std::move(description);
  return *this;
}

RouteDoc& RouteDoc::AlsoAnswers(int status, std::string description) {
  other_answers_.emplace_back(status, std::move(description));
  return *this;
}

RouteDoc& RouteDoc::FileAnswer(std::vector<std::string> media_types, std::string description) {
  answer_media_types_ = std::move(media_types);
  answer_description_ = std::move(description);
  return *this;
}

RouteDoc& RouteDoc::Errors(std::vector<int> statuses) {
  errors_.insert(errors_.end(), statuses.begin(), statuses.end());
  return *this;
}

RouteDoc& RouteDoc::Public() {
  public_ = true;
  return *this;
}

RouteDoc& RouteDoc::Tag(std::string tag) {
  tag_ = std::move(tag);
  return *this;
}

}  // namespace rectify::web
