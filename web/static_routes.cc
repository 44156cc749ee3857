// The static routes of ApiServer: the web page. "/" is index.html; every other file of
// web/static/ is under /static/. The files are compiled in (static_assets.h), so a request
// names an entry of a fixed table, never a path on disk.
//
// On a village's mobile network the page's ~300 KB (~70 KB compressed) weighed on every visit.
// The browser now keeps each file under an entity tag made of its bytes: the next visit asks
// again and gets "304 Not Modified" with no body until the binary ships another version.
#include <algorithm>
#include <string>
#include <string_view>

#include "web/api_server.h"
#include "web/guarded_server.h"
#include "web/http_reply.h"
#include "web/static_assets.h"

namespace rectify::web {
namespace {

constexpr std::string_view kIndex = "index.html";
constexpr char kKeptDoc[] =
    "Answered with Cache-Control: no-cache and a weak ETag made of the file's bytes. A request whose "
    "If-None-Match names that tag (or *) is answered 304 Not Modified, with no body.";

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

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// If-None-Match (RFC 9110 13.1.2): "*" or one of the listed tags, compared weakly.
bool StillCurrent(const httplib::Request& req, std::string_view opaque_tag) {
  const std::string header = req.get_header_value("If-None-Match");
  std::string_view listed = header;
  while (!listed.empty()) {
    const std::size_t comma = listed.find(',');
    std::string_view tag = Trimmed(listed.substr(0, comma));
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    if (tag == "*" || tag == opaque_tag) return true;
    if (comma == std::string_view::npos) break;
    listed.remove_prefix(comma + 1);
  }
  return false;
}

void ReplyAsset(const httplib::Request& req, httplib::Response& res, std::string_view path) {
  const StaticAsset* asset = FindAsset(path);
  if (asset == nullptr)
    return Reply(res, 404, {{"error", "not_found"}, {"message", "no file " + std::string(path)}});
  // Weak: cpp-httplib may send the same file gzip- or brotli-compressed, another representation
  // of the same content, under the one tag.
  const std::string opaque_tag = "\"" + std::string(asset->etag) + "\"";
  res.set_header("ETag", "W/" + opaque_tag);
  res.set_header("Cache-Control", "no-cache");  // keep it, but ask each time whether it is current
  if (StillCurrent(req, opaque_tag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(asset->body.data(), asset->body.size(), ContentTypeOf(asset->path));
}

}  // namespace

void ApiServer::RouteStatic() {
  // No session needed: the page itself asks for one (GET /api/me, and the login form on 401).
  const std::vector<std::string> page_types = {"text/html", "text/javascript", "text/css", "image/svg+xml"};
  PublicGet("/", RouteDoc("The web page").Describe(kKeptDoc).FileAnswer({"text/html"}, "index.html").Tag("page"),
            [](const httplib::Request& req, httplib::Response& res) { ReplyAsset(req, res, kIndex); });
  PublicGet("/static/{file}", RouteDoc("A file of the web page").Describe(kKeptDoc).FileAnswer(page_types, "the file").Errors({404}).Tag("page"),
            [](const httplib::Request& req, httplib::Response& res) { ReplyAsset(req, res, req.matches[1].str()); });
}

void ApiServer::RouteOpenApi() {
  // Registered last; the constructor then builds the document once, from every route.
  PublicGet("/api/openapi.json",
            RouteDoc("This document: every route, parameter, body and error of the API (OpenAPI 3.0)")
                .Answer(200, schema::AnyObject("an OpenAPI 3.0.3 document")),
            [this](const httplib::Request&, httplib::Response& res) {
              res.status = 200;
              res.set_content(openapi_document_, "application/json");  // compressed by httplib
            });
}

}  // namespace rectify::web
