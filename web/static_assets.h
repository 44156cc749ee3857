// The web page's files (web/static/), compiled into the binary by web/embed_static.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace rectify::web {

struct StaticAsset {
  std::string_view path;  // relative to web/static/: "index.html", "views/dashboard.js"
  std::string_view body;  // the file's bytes; valid for the life of the program
  std::string_view etag;  // the start of the bytes' SHA-256 in hex: changes when the file does
};

// Every file, sorted by path.
const std::vector<StaticAsset>& StaticAssets();

}  // namespace rectify::web
