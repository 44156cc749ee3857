// The web page as the server hands it out: the files of web/static/ compiled in, "/" as the
// page, the right types, the security headers, and nothing else reachable.
#include <catch2/catch.hpp>
#include <openssl/sha.h>
#include <zlib.h>

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

// The bytes of a gzip member, or "" when it is not one.
std::string Gunzip(const std::string& gzipped) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return "";
  std::string out;
  char buffer[16384];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzipped.data()));
  stream.avail_in = static_cast<uInt>(gzipped.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  return result == Z_STREAM_END ? out : "";
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) hex += {kHex[byte >> 4], kHex[byte & 15]};
  return hex;
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

TEST_CASE("a browser keeps the page's files and asks again only whether they changed") {
  ApiFixture api;
  for (const char* file : {"index.html", "app.js", "views/dashboard.js", "icon.svg"}) {
    INFO(file);
    const std::string path = std::string(file) == "index.html" ? "/" : std::string("/static/") + file;
    const auto first = api.client().Get(path.c_str());
    REQUIRE(first);
    REQUIRE(first->status == 200);
    // The tag is the start of the file's SHA-256: a new build with another file has another tag.
    const std::string etag = first->get_header_value("ETag");
    CHECK(etag == "W/\"" + Sha256Hex(SourceFile(std::string("web/static/") + file)).substr(0, 20) + "\"");
    CHECK(first->get_header_value("Cache-Control") == "no-cache");

    const auto again = api.client().Get(path.c_str(), {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    CHECK(again->get_header_value("ETag") == etag);
    CHECK(again->get_header_value("X-Content-Type-Options") == "nosniff");
    // Among others, and without its W/, the tag still matches.
    const auto listed = api.client().Get(path.c_str(), {{"If-None-Match", "\"0000\", " + etag.substr(2)}});
    REQUIRE(listed);
    CHECK(listed->status == 304);

    const auto changed = api.client().Get(path.c_str(), {{"If-None-Match", "\"an-older-build\""}});
    REQUIRE(changed);
    CHECK(changed->status == 200);
    CHECK(changed->body == SourceFile(std::string("web/static/") + file));
  }
  // Answers of the API are never kept: they hold personal data.
  const auto health = api.client().Get("/api/health", {{"If-None-Match", "*"}});
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->get_header_value("Cache-Control") == "no-store");
  CHECK(health->get_header_value("ETag").empty());
  const auto missing = api.client().Get("/static/missing.js");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->get_header_value("Cache-Control") == "no-store");
}

TEST_CASE("the page's files go out compressed to a browser that accepts it, under the same tag") {
  ApiFixture api;
  api.client().set_decompress(false);  // the bytes as sent, to check them here
  std::size_t plain_bytes = 0;
  std::size_t sent_bytes = 0;
  for (const char* file : {"app.js", "style.css", "views/item.js", "icon.svg"}) {
    INFO(file);
    const std::string source = SourceFile(std::string("web/static/") + file);
    const std::string path = std::string("/static/") + file;
    const auto zipped = api.client().Get(path.c_str(), {{"Accept-Encoding", "gzip"}});
    REQUIRE(zipped);
    CHECK(zipped->status == 200);
    CHECK(zipped->get_header_value("Content-Encoding") == "gzip");
    CHECK(Gunzip(zipped->body) == source);
    plain_bytes += source.size();
    sent_bytes += zipped->body.size();

    const auto plain = api.client().Get(path.c_str());
    REQUIRE(plain);
    CHECK(plain->get_header_value("Content-Encoding").empty());
    CHECK(plain->body == source);
    // The same content either way: one (weak) tag, and a kept copy of either is current.
    const std::string tag = zipped->get_header_value("ETag");
    CHECK(tag.rfind("W/\"", 0) == 0);
    CHECK(tag == plain->get_header_value("ETag"));
    const auto again = api.client().Get(path.c_str(), {{"Accept-Encoding", "gzip"}, {"If-None-Match", tag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
  }
  // The scripts and styles shrink to well under half.
  CHECK(sent_bytes * 2 < plain_bytes);
}

TEST_CASE("JSON answers go out compressed to a client that accepts it, and say they vary by it") {
  ApiFixture api;
  api.Get("/api/problems");  // logs the office in before the client stops decompressing
  api.client().set_decompress(false);
  const auto zipped = api.client().Get("/api/openapi.json", {{"Accept-Encoding", "gzip, br"}});
  REQUIRE(zipped);
  CHECK(zipped->status == 200);
  CHECK(zipped->get_header_value("Content-Type") == "application/json");
  CHECK_FALSE(zipped->get_header_value("Content-Encoding").empty());
  CHECK(zipped->get_header_value("Vary") == "Accept-Encoding");
  const auto plain = api.client().Get("/api/openapi.json");
  REQUIRE(plain);
  CHECK(plain->get_header_value("Content-Encoding").empty());
  CHECK(json::parse(plain->body).contains("paths"));
  CHECK(zipped->body.size() * 4 < plain->body.size());  // the API's description: 200 KB and more
  const auto gzipped = api.client().Get("/api/openapi.json", {{"Accept-Encoding", "gzip"}});
  REQUIRE(gzipped);
  CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
  CHECK(Gunzip(gzipped->body) == plain->body);
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
