#include "web/route_table.h"

#include <algorithm>
#include <stdexcept>

namespace rectify::web {
namespace {

struct PathParam {
  const char* name;
  const char* pattern;  // without the group's parentheses
  const char* type;     // "integer" or "string"
  const char* description;
  bool captured = true;  // false: matched but no capture group, so the route's own groups keep their numbers
};

// Every path parameter of the API: one pattern per name, so "{id}" reads alike on every route.
constexpr PathParam kPathParams[] = {
    // Read off the path by ApiServer::ScopeOf, so no capture group.
    {"campaign", "[a-z0-9][a-z0-9_.-]{0,63}", "string", "a campaign id (GET /api/campaigns)", false},
    {"to", "[a-z0-9][a-z0-9_.-]{0,63}", "string", "the campaign id carried into", true},
    {"id", R"(\d{1,18})", "integer", "the id"},
    {"gate", R"(\d{1,4})", "integer", "a phase gate's position in GET /api/gates' list, from 0"},
    {"sha256", "[0-9a-f]{64}", "string", "the file's SHA-256, in lower-case hex"},
    {"unit", "[a-z0-9_-]{1,64}", "string", "a unit id of the campaign"},
    {"username", R"([a-z0-9_.\-]{3,32})", "string", "the account's username"},
    {"format", "xlsx|csv", "string", "xlsx (A4, to print) or csv (UTF-8 with BOM)"},
    {"file", R"([A-Za-z0-9_\-][A-Za-z0-9_\-./]*)", "string", "a file of the page"},
};

const PathParam& FindPathParam(const std::string& name) {
  for (const PathParam& param : kPathParams)
    if (name == param.name) return param;
  throw std::logic_error("route path parameter {" + name + "} has no pattern in web/route_table.cc");
}

// The "{name}"s of a template, in order.
std::vector<std::string> PathParamNames(const std::string& path) {
  std::vector<std::string> names;
  for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
    const std::size_t close = path.find('}', open);
    if (close == std::string::npos) throw std::logic_error("route path " + path + " has an unclosed {");
    names.push_back(path.substr(open + 1, close - open - 1));
  }
  return names;
}

std::string EscapeRegex(const std::string& literal) {
  std::string out;
  for (const char c : literal) {
    if (std::string(R"(\^$.|?*+()[]{})").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string RouteTable::PatternFor(const std::string& path) {
  std::string pattern;
  std::size_t at = 0;
  for (const std::string& name : PathParamNames(path)) {
    const std::size_t open = path.find('{', at);
    pattern += EscapeRegex(path.substr(at, open - at));
    const PathParam& param = FindPathParam(name);
    pattern += param.captured ? "(" : "(?:";
    pattern += param.pattern;
    pattern += ")";
    at = open + name.size() + 2;
  }
  return pattern + EscapeRegex(path.substr(at));
}

std::string RouteTable::Add(const std::string& method, const std::string& path, RouteDoc doc) {
  for (const RegisteredRoute& route : routes_)
    if (route.method == method && route.path == path) throw std::logic_error("route " + method + " " + path + " added twice");
  std::string pattern = PatternFor(path);
  routes_.push_back({method, path, std::move(doc), std::regex(pattern)});
  return pattern;
}

std::vector<std::string> RouteTable::MethodsFor(const std::string& path) const {
  std::vector<std::string> methods;
  auto add = [&methods](const std::string& method) {
    if (std::find(methods.begin(), methods.end(), method) == methods.end()) methods.push_back(method);
  };
  for (const RegisteredRoute& route : routes_) {
    if (!std::regex_match(path, route.pattern)) continue;
    add(route.method);
    if (route.method == "GET") add("HEAD");
  }
  return methods;
}

const char* ErrorCodeForHttpStatus(int status) {
  switch (status) {
    case 401: return "unauthenticated";
    case 403: return "permission_denied";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "request_timeout";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 415: return "unsupported_media_type";
    case 422: return "unprocessable";
    case 429: return "too_many_requests";
    case 431: return "headers_too_large";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "invalid_argument";
  }
}

json PathParamSchema(const std::string& name, std::string& description) {
  const PathParam& param = FindPathParam(name);
  description = param.description;
  json schema = {{"type", param.type}};
  if (std::string(param.type) == "string") {
    if (name == "format")
      schema["enum"] = {"xlsx", "csv"};
    else
      schema["pattern"] = std::string("^(") + param.pattern + ")$";
  }
  return schema;
}

std::vector<std::string> PathParamsOf(const std::string& path) { return PathParamNames(path); }

}  // namespace rectify::web
