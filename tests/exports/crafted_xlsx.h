// Workbooks written member by member, for what no spreadsheet program writes on its own: a
// shared string used by every cell, a cell at column ZZZ, cells and rows without references.
// Members are deflated as Excel deflates them, so a bomb is as small as an attacker's.
#pragma once

#include <zip.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/temp_dir.h"

namespace rectify::testing {

// A zip archive of `members` (name -> content), as bytes.
inline std::string ZipOf(const std::map<std::string, std::string>& members) {
  TempDir dir;
  const std::string path = dir.File("crafted.xlsx");
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (zip == nullptr) throw std::runtime_error("zipOpen64 failed");
  for (const auto& [name, content] : members) {
    if (zipOpenNewFileInZip64(zip, name.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                              Z_BEST_COMPRESSION, 0) != ZIP_OK ||
        zipWriteInFileInZip(zip, content.data(), static_cast<unsigned>(content.size())) != ZIP_OK ||
        zipCloseFileInZip(zip) != ZIP_OK)
      throw std::runtime_error("cannot write " + name + " into the archive");
  }
  if (zipClose(zip, nullptr) != ZIP_OK) throw std::runtime_error("zipClose failed");
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// A workbook whose first sheet's <sheetData> is `rows` (XML), with these shared strings and,
// when given, this xl/styles.xml and xl/workbook.xml.
inline std::string CraftedXlsx(const std::string& rows, const std::vector<std::string>& shared = {},
                               const std::string& styles = {}, const std::string& workbook = {}) {
  std::map<std::string, std::string> members;
  members["[Content_Types].xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  members["xl/worksheets/sheet1.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + rows +
      "</sheetData></worksheet>";
  if (!shared.empty()) {
    std::string table = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst "
                        "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    for (const std::string& text : shared) table += "<si><t>" + text + "</t></si>";
    members["xl/sharedStrings.xml"] = table + "</sst>";
  }
  if (!styles.empty()) members["xl/styles.xml"] = styles;
  if (!workbook.empty()) members["xl/workbook.xml"] = workbook;
  return ZipOf(members);
}

// <c> with inline text; `reference` "" leaves the r attribute out.
inline std::string InlineCell(const std::string& reference, const std::string& text) {
  return "<c" + (reference.empty() ? std::string() : " r=\"" + reference + "\"") + " t=\"inlineStr\"><is><t>" +
         text + "</t></is></c>";
}

// The shared-string bomb: one string of `length` bytes used by `uses` cells, `per_row` a row.
inline std::string SharedStringBomb(std::size_t length, std::size_t uses, std::size_t per_row = 16) {
  std::string rows;
  for (std::size_t used = 0; used < uses;) {
    rows += "<row>";
    for (std::size_t c = 0; c < per_row && used < uses; ++c, ++used) rows += "<c t=\"s\"><v>0</v></c>";
    rows += "</row>";
  }
  return CraftedXlsx(rows, {std::string(length, 'x')});
}

}  // namespace rectify::testing
