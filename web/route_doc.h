// How one route of the API describes itself in GET /api/openapi.json (OpenAPI 3.0): its
// summary, query parameters, body, answer and the errors it may give. A route is registered
// together with its RouteDoc (web/route_table.h), so nothing is served undescribed.
//
//   RouteDoc("Create a problem")
//       .JsonBody(schema::Object({{"title", schema::String("the problem as found")}, ...}, {"title"}))
//       .Answer(201, schema::Ref("Item"))
//       .Errors({403, 422});
//
// Path parameters are not listed here: they follow from the path template ("{id}", "{unit}",
// web/route_table.h). Internal to web/.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "web/json_codec.h"

namespace rectify::web {

// OpenAPI 3.0 schema objects, kept short where the table is written.
namespace schema {
json String(const std::string& description = "");
json Integer(const std::string& description = "");
json Number(const std::string& description = "");
json Boolean(const std::string& description = "");
// An ISO 8601 time in Asia/Shanghai ("2021-10-26T17:30:00+08:00"); as a parameter, a bare date
// ("2021-10-26") or a time without an offset is read in Shanghai too.
json DateTime(const std::string& description = "");
// "YYYY-MM-DD".
json Date(const std::string& description = "");
json Enum(const std::vector<std::string>& values, const std::string& description = "");
json ArrayOf(json items, const std::string& description = "");
// {"$ref": "#/components/schemas/<name>"}; the components are web/openapi.cc's.
json Ref(const std::string& component);
// An object with these properties, `required` naming those that must be present. Bodies allow
// no other property (the API refuses unknown fields), so the schema says so.
json Object(std::vector<std::pair<std::string, json>> properties, const std::vector<std::string>& required = {});
// Any JSON object, described in words (the shape of a report).
json AnyObject(const std::string& description);
// `schema`, or null in its place (OpenAPI 3.0's nullable: it needs a type, so not for a Ref).
json Nullable(json schema);
}  // namespace schema

struct QueryDoc {
  std::string name;
  json schema;
  std::string description;
  bool required = false;
  bool repeated = false;  // may be given more than once (?state=a&state=b)
};

// What the route reads as its body.
enum class BodyKind {
  kNone,    // nothing (a body sent anyway is ignored or refused by the handler)
  kJson,    // application/json, `body_schema`
  kFile,    // the file itself (CSV or XLSX), with or without a Content-Type
  kUpload,  // multipart/form-data with one `file` part
};

class RouteDoc {
 public:
  explicit RouteDoc(std::string summary) : summary_(std::move(summary)) {}

  // A paragraph beyond the summary: who may call it, what it refuses.
  RouteDoc& Describe(std::string description);
  RouteDoc& Query(std::string name, json schema, std::string description, bool required = false);
  // ?as_of=: an instant (default now), saying what it is for.
  RouteDoc& AsOf(std::string what = "the instant the answer is for (default: now)");
  // ?limit=: the page size, 1..500 (default `page`).
  RouteDoc& Limit(int page);
  // A parameter that may be given more than once.
  RouteDoc& RepeatedQuery(std::string name, json schema, std::string description);
  // `optional`: the body may be left out altogether (a POST with no body at all).
  RouteDoc& JsonBody(json schema, bool optional = false);
  RouteDoc& FileBody(std::string description);
  RouteDoc& UploadBody(std::string description);
  // The success answer: a JSON body of `schema` with this status (200 unless said).
  RouteDoc& Answer(int status, json schema, std::string description = "");
  // Another success status with the same body (a create sent again: 200 where it made 201).
  RouteDoc& AlsoAnswers(int status, std::string description);
  // The success answer is a file of one of these media types.
  RouteDoc& FileAnswer(std::vector<std::string> media_types, std::string description);
  // Error statuses the route may answer, beyond those every route may (400, and for a route
  // that needs a session 401, 403; 500).
  RouteDoc& Errors(std::vector<int> statuses);
  // No session needed.
  RouteDoc& Public();
  // The group the route is listed under (defaults to the path's first segment after /api/).
  RouteDoc& Tag(std::string tag);

  const std::string& summary() const { return summary_; }
  const std::string& description() const { return description_; }
  const std::vector<QueryDoc>& query() const { return query_; }
  BodyKind body_kind() const { return body_kind_; }
  const json& body_schema() const { return body_schema_; }
  bool body_optional() const { return body_optional_; }
  const std::string& body_description() const { return body_description_; }
  int answer_status() const { return answer_status_; }
  const json& answer_schema() const { return answer_schema_; }
  const std::string& answer_description() const { return answer_description_; }
  const std::vector<std::string>& answer_media_types() const { return answer_media_types_; }
  const std::vector<std::pair<int, std::string>>& other_answers() const { return other_answers_; }
  const std::vector<int>& errors() const { return errors_; }
  bool is_public() const { return public_; }
  const std::string& tag() const { return tag_; }

 private:
  std::string summary_;
  std::string description_;
  std::vector<QueryDoc> query_;
  BodyKind body_kind_ = BodyKind::kNone;
  json body_schema_;
  bool body_optional_ = false;
  std::string body_description_;
  int answer_status_ = 200;
  json answer_schema_ = json::object();
  std::string answer_description_;
  std::vector<std::string> answer_media_types_;  // a file answer when not empty
  std::vector<std::pair<int, std::string>> other_answers_;  // status, description
  std::vector<int> errors_;
  bool public_ = false;
  std::string tag_;
};

}  // namespace rectify::web
