// The static routes of ApiServer: the web page. "/" is index.html; every other file of
// web/static/ is under /static/. The files are compiled in (static_assets.h), so a request
// names an entry of a fixed table, never a path on disk.
#include <algorithm>
#include <string_view>

#include "web/api_server.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/static_assets.h"

namespace rectify::web {
namespace {

constexpr std::string_view kIndex = "index.html";

const char* ContentTypeOf(std::string_view path) {
  struct Type {
    std::string_view extension;
    const char* content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".json", "application/json; charset=utf-8"},
  };
  for (const Type& type : kTypes)
    if (path.size() > type.extension.size() && path.substr(path.size() - type.extension.size()) == type.extension)
      return type.content_type;
  return "application/octet-stream";
}

const StaticAsset* FindAsset(std::string_view path) {
  const std::vector<StaticAsset>& assets = StaticAssets();
  const auto found = std::lower_bound(assets.begin(), assets.end(), path,
                                      [](const StaticAsset& asset, std::string_view p) { return asset.path < p; });
  return found != assets.end() && found->path == path ? &*found : nullptr;
}

void ReplyAsset(httplib::Response& res, std::string_view path) {
  const StaticAsset* asset = FindAsset(path);
  if (asset == nullptr)
    return Reply(res, 404, {{"error", "not_found"}, {"message", "no file " + std::string(path)}});
  res.status = 200;
  res.set_content(asset->body.data(), asset->body.size(), ContentTypeOf(asset->path));
}

}  // namespace

void ApiServer::RouteStatic() {
  // No session needed: the page itself asks for one (GET /api/me, and the login form on 401).
  const std::vector<std::string> page_types = {"text/html", "text/javascript", "text/css", "image/svg+xml"};
  PublicGet("/", RouteDoc("The web page").FileAnswer({"text/html"}, "index.html").Tag("page"),
            [](const httplib::Request&, httplib::Response& res) { ReplyAsset(res, kIndex); });
  PublicGet("/static/{file}", RouteDoc("A file of the web page").FileAnswer(page_types, "the file").Errors({404}).Tag("page"),
            [](const httplib::Request& req, httplib::Response& res) { ReplyAsset(res, req.matches[1].str()); });
}

void ApiServer::RouteOpenApi() {
  // Registered last; the constructor then builds the document once, from every route.
  PublicGet("/api/openapi.json",
            RouteDoc("This document: every route, parameter, body and error of the API (OpenAPI 3.0)")
                .Answer(200, schema::AnyObject("an OpenAPI 3.0.3 document")),
            [this](const httplib::Request&, httplib::Response& res) {
              res.status = 200;
              res.set_content(openapi_document_, "application/json; charset=utf-8");
            });
}

}  // namespace rectify::web
