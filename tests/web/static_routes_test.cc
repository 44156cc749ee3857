// The web page as the server hands it out: the files of web/static/ compiled in, "/" as the
// page, the right types, the security headers, and nothing else reachable.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/web/api_fixture.h"

namespace rectify::testing {
namespace {

std::string SourceFile(const std::string& path) {
  std::ifstream file(std::string(RECTIFY_SOURCE_DIR) + "/" + path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the page is served at / without a session, byte for byte as in web/static") {
  ApiFixture api;
  const auto page = api.client().Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body == SourceFile("web/static/index.html"));
  CHECK(page->body.find("<script type=\"module\" src=\"/static/app.js\">") != std::string::npos);
}

TEST_CASE("each kind of file goes out with its content type") {
  ApiFixture api;
  const std::pair<const char*, const char*> files[] = {
      {"app.js", "text/javascript; charset=utf-8"},
      {"views/dashboard.js", "text/javascript; charset=utf-8"},
      {"style.css", "text/css; charset=utf-8"},
      {"icon.svg", "image/svg+xml"},
  };
  for (const auto& [file, type] : files) {
    INFO(file);
    const auto reply = api.client().Get((std::string("/static/") + file).c_str());
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->get_header_value("Content-Type") == type);
    CHECK(reply->body == SourceFile(std::string("web/static/") + file));
  }
}

TEST_CASE("the page's answers carry the security headers, so no inline script or style can run") {
  ApiFixture api;
  for (const char* path : {"/", "/static/app.js", "/static/missing.js"}) {
    INFO(path);
    const auto reply = api.client().Get(path);
    REQUIRE(reply);
    CHECK(reply->get_header_value("Content-Security-Policy").rfind("default-src 'self'", 0) == 0);
    CHECK(reply->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(reply->get_header_value("X-Frame-Options") == "DENY");
  }
}

TEST_CASE("no path outside the compiled-in files is reachable, however it is spelled") {
  ApiFixture api;
  const char* attempts[] = {
      "/static/../CMakeLists.txt",        "/static/..%2fCMakeLists.txt",   "/static/%2e%2e/%2e%2e/etc/passwd",
      "/static/../../../../etc/passwd",   "/static//etc/passwd",           "/static/./app.js",
      "/static/views/../app.js",          "/static/",                       "/static/views",
      "/static/views/",                   "/../etc/passwd",                 "/index.html/../../etc/passwd",
      "/static/app.js%00.png",            "/static/api_server.cc",          "/static/%2Fetc%2Fpasswd",
      "/web/static/index.html",           "/static/static_assets.cc",
  };
  for (const char* path : attempts) {
    INFO(path);
    const auto reply = api.client().Get(path);
    REQUIRE(reply);
    // A NUL is refused with the path's other bad characters (400) before any route is tried.
    CHECK(reply->status == (std::string(path).find("%00") != std::string::npos ? 400 : 404));
    CHECK(reply->body.find("root:") == std::string::npos);
    CHECK(reply->body.find("cmake_minimum_required") == std::string::npos);
  }
}

TEST_CASE("the page is only read: other methods on it are refused and change nothing") {
  ApiFixture api;
  for (const char* path : {"/", "/static/app.js"}) {
    INFO(path);
    const auto post = api.client().Post(path, "x", "text/plain");
    REQUIRE(post);
    CHECK(post->status == 405);
    CHECK(post->get_header_value("Allow") == "GET, HEAD");
    const auto put = api.client().Put(path, "x", "text/plain");
    REQUIRE(put);
    CHECK(put->status == 405);
    const auto del = api.client().Delete(path);
    REQUIRE(del);
    CHECK(del->status == 405);
  }
  const auto page = api.client().Get("/static/app.js");
  REQUIRE(page);
  CHECK(page->body == SourceFile("web/static/app.js"));
}

TEST_CASE("the page holds no inline script or style and loads nothing from elsewhere") {
  // The Content-Security-Policy would block them in the browser; this says so at build time.
  const std::string page = SourceFile("web/static/index.html");
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find("<style") == std::string::npos);
  CHECK(page.find("style=") == std::string::npos);
  CHECK(page.find("onclick=") == std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
}

}  // namespace rectify::testing
