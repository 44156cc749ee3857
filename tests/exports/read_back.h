// Reading exports back the way the people who receive them do: an XLSX through a real reader
// (openpyxl, in read_xlsx.py, run by the system python3 that Debian's python3-openpyxl serves),
// a CSV through an RFC 4180 reader that refuses what the rules forbid (a bare LF between records,
// a stray quote).
#pragma once

#include <stdio.h>
#include <sys/wait.h>

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "exports/csv_writer.h"
#include "exports/table.h"
#include "tests/temp_dir.h"

namespace rectify::testing {

// The headers of a table's columns, as the writers print them.
inline std::vector<std::string> Headers(const exports::Table& table) {
  std::vector<std::string> headers;
  for (const exports::Column& column : table.columns) headers.push_back(column.header);
  return headers;
}

// What read_xlsx.py reports about the workbook (its keys are listed in the script).
inline nlohmann::json ReadXlsx(const std::string& bytes) {
  TempDir dir;
  const std::string path = dir.File("export.xlsx");
  std::ofstream(path, std::ios::binary) << bytes;
  const std::string command = std::string(RECTIFY_SYSTEM_PYTHON3) + " " + RECTIFY_SOURCE_DIR +
                              "/tests/exports/read_xlsx.py " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = pclose(pipe);
  INFO(output);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return nlohmann::json::parse(output);
}

// The text of the cell at (row, column), both counted from 0; "" outside the used range.
inline std::string CellText(const nlohmann::json& sheet, std::size_t row, std::size_t column) {
  const nlohmann::json& rows = sheet.at("rows");
  if (row >= rows.size() || column >= rows[row].size()) return "";
  return rows[row][column].at("value").get<std::string>();
}

// The texts of one row.
inline std::vector<std::string> RowTexts(const nlohmann::json& sheet, std::size_t row) {
  std::vector<std::string> texts;
  for (const nlohmann::json& cell : sheet.at("rows").at(row)) texts.push_back(cell.at("value").get<std::string>());
  return texts;
}

// Every cell value anywhere in the sheet, joined: for "appears nowhere" checks.
inline std::string AllText(const nlohmann::json& sheet) {
  std::string text;
  for (const nlohmann::json& row : sheet.at("rows"))
    for (const nlohmann::json& cell : row) text += cell.at("value").get<std::string>() + "\n";
  return text;
}

// The records of a CSV export after its BOM. Fails the test on a record not ended by CRLF, a
// quote inside an unquoted field or anything after a closing quote but a separator.
inline std::vector<std::vector<std::string>> ParseCsv(std::string_view csv) {
  REQUIRE(csv.substr(0, exports::kUtf8Bom.size()) == exports::kUtf8Bom);
  csv.remove_prefix(exports::kUtf8Bom.size());
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  while (i < csv.size()) {
    if (csv[i] == '"') {
      REQUIRE(field.empty());
      for (++i;; ++i) {
        REQUIRE(i < csv.size());
        if (csv[i] == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
          field += '"';
          ++i;
        } else if (csv[i] == '"') {
          ++i;
          break;
        } else {
          field += csv[i];
        }
      }
      REQUIRE((i == csv.size() || csv[i] == ',' || csv[i] == '\r'));
      continue;
    }
    if (csv[i] == ',') {
      record.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (csv[i] == '\r') {
      REQUIRE(csv.substr(i, 2) == "\r\n");
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      i += 2;
    } else {
      REQUIRE(csv[i] != '\n');
      REQUIRE(csv[i] != '"');
      field += csv[i++];
    }
  }
  REQUIRE(record.empty());  // the last record ends with CRLF too
  REQUIRE(field.empty());
  return records;
}

}  // namespace rectify::testing
