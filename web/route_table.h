// Every route the API serves, with its description: ApiServer registers a handler only through
// this table (api_server.h Get/Post/Delete/Public), so GET /api/openapi.json, built from it,
// lists exactly the routes the server answers, and a route cannot be served undescribed.
//
// Paths are written as OpenAPI templates ("/api/problems/{id}/events"); each parameter name
// has one pattern and one schema (kPathParams in route_table.cc), so "{id}" means the same
// everywhere. The table also answers which methods a path has, for 405's Allow header.
// Internal to web/.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "web/json_codec.h"
#include "web/route_doc.h"

namespace rectify::web {

// Where a campaign's routes are served besides their plain path (web/api_server.h).
inline constexpr const char* kCampaignPrefix = "/api/campaigns/{campaign}";

struct RegisteredRoute {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // the OpenAPI template
  RouteDoc doc;
  std::regex pattern;  // what httplib matches
};

class RouteTable {
 public:
  // The regular expression httplib routes `path` by: literal text escaped, each "{name}" its
  // parameter's pattern as a capture group, in order. Throws std::logic_error for a parameter
  // name kPathParams does not know: a mistake in the code, met when the server is built.
  static std::string PatternFor(const std::string& path);

  // Records the route; returns PatternFor(path). Throws std::logic_error when the same method
  // and path are added twice.
  std::string Add(const std::string& method, const std::string& path, RouteDoc doc);

  // The methods some route serves `path` with ("GET", "HEAD" with every GET), in table order;
  // empty when no route matches the path at all.
  std::vector<std::string> MethodsFor(const std::string& path) const;

  // The OpenAPI 3.0.3 document of every route.
  json OpenApi(const std::string& title, const std::string& version) const;

  const std::vector<RegisteredRoute>& routes() const { return routes_; }

 private:
  std::vector<RegisteredRoute> routes_;
};

// The "{name}"s of a path template, in order, and the schema (and a few words) of one.
std::vector<std::string> PathParamsOf(const std::string& path);
json PathParamSchema(const std::string& name, std::string& description);

// The error code the README's table gives an HTTP status that reaches the server's error
// handler without a handler's own body (an unknown route, a wrong method, a refused body).
const char* ErrorCodeForHttpStatus(int status);

}  // namespace rectify::web
