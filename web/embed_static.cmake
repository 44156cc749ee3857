# Writes a C++ file that holds every file under web/static/ as a byte array, so the page ships
# inside the `rectify` binary: nothing to install beside it, no path to configure, and no file
# system behind the static routes (so no path to traverse). Run at build time by web/CMakeLists.txt:
#   cmake -DSTATIC_DIR=<web/static> -DOUTPUT=<file.cc> -P embed_static.cmake
file(GLOB_RECURSE files RELATIVE "${STATIC_DIR}" "${STATIC_DIR}/*")
list(SORT files)
set(arrays "")
set(table "")
set(index 0)
foreach(name IN LISTS files)
  file(READ "${STATIC_DIR}/${name}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  if(size EQUAL 0)
    message(FATAL_ERROR "web/static/${name} is empty")
  endif()
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # The entity tag names the bytes, so a browser's copy is good until the file changes.
  file(SHA256 "${STATIC_DIR}/${name}" digest)
  string(SUBSTRING "${digest}" 0 20 etag)
  string(APPEND arrays "const unsigned char kAsset${index}[] = {\n    ${bytes}};\n")
  string(APPEND table "    {\"${name}\", Bytes(kAsset${index}, ${size}), \"${etag}\"},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(content "// Generated from web/static/ by web/embed_static.cmake. Do not edit.
#include \"web/static_assets.h\"

#include <vector>

namespace rectify::web {
namespace {

std::string_view Bytes(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

${arrays}
}  // namespace

const std::vector<StaticAsset>& StaticAssets() {
  static const std::vector<StaticAsset> assets = {
${table}  };
  return assets;
}

}  // namespace rectify::web
")
file(WRITE "${OUTPUT}" "${content}")
