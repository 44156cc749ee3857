// The records of a list kept as CSV (UTF-8, comma-separated, RFC 4180 quoting), as the imports
// read them (engine/problem_import.h, engine/survey_import.h), and how they report a bad row.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <iterator>
#include <utility>
#include <vector>

#include "engine/import_limits.h"
#include "engine/status.h"

namespace rectify {

// A bad row. `message` is English for the log and the command line; `code` is a stable reason
// and `params` its values, so a page can say it in its own language (web/static/errors.js):
//   unclosed_quote, empty_file, unknown_column {name}, duplicate_column {name},
//   missing_column {name}, wrong_width {fields, header_fields}, unknown_area {value},
//   bad_date {value}, missing_description, unknown_source {value}, unknown_unit {value},
//   cooperating_is_responsible {value}, bad_deadline {value}, duplicate_household {first_line},
//   invalid_value {value}; anything else is invalid_row, with the message only.
struct ImportError {
  int line = 0;        // 1-based physical line where the record starts (the header is line 1)
  std::string column;  // the column at fault, as named in the header; empty for the whole row
  std::string message;
  std::string code = "invalid_row";
  std::vector<std::pair<std::string, std::string>> params;
};

struct CsvRecord {
  int line = 0;  // the physical line it starts on
  std::vector<std::string> fields;
};

// RFC 4180 records after a UTF-8 BOM (Excel writes one); a quoted field may hold commas, doubled
// quotes and line breaks; blank lines are passed over. Returns nullopt with `error` set when a
// quote is never closed, or with `refused` set (kInvalidArgument, field "file", naming the
// limit) when the text is over kMaxImportBytes, the records over kMaxImportRows or one record
// over kMaxImportFields (engine/import_limits.h): what an import expands to is bounded.
std::optional<std::vector<CsvRecord>> SplitCsvRecords(std::string_view text, ImportError& error, Status& refused);

// Without leading and trailing spaces and tabs; a cell written ="0731…" (digits a spreadsheet
// keeps as text, as rectify's own CSVs write them) is the text inside.
std::string TrimField(std::string text);

// A CSV list whose first row names its columns, each by one of its spellings ("area", "领域").
// `Column` is the reader's own enum of the columns it knows.
template <class Column>
struct CsvSheet {
  CsvRecord header;
  std::vector<CsvRecord> rows;             // after the header, in file order
  std::map<Column, std::size_t> index;     // where each named column is
  std::vector<std::string> header_names;   // as the header spells them

  bool Has(Column column) const { return index.count(column) == 1; }
  // The trimmed cell of `column` in `row`; "" when the file has no such column.
  std::string Cell(const CsvRecord& row, Column column) const {
    const auto it = index.find(column);
    return it == index.end() || it->second >= row.fields.size() ? std::string() : TrimField(row.fields[it->second]);
  }
  // The column's name as the header spells it. Only for a column the file has.
  const std::string& Name(Column column) const { return header_names[index.at(column)]; }
  // An error for a row whose field count differs from the header's; nullopt when it matches.
  std::optional<ImportError> CheckWidth(const CsvRecord& row) const {
    if (row.fields.size() == header.fields.size()) return std::nullopt;
    return ImportError{row.line, {}, "has " + std::to_string(row.fields.size()) + " fields, the header has " +
                                         std::to_string(header.fields.size()),
                       "wrong_width",
                       {{"fields", std::to_string(row.fields.size())},
                        {"header_fields", std::to_string(header.fields.size())}}};
  }
};

// Splits `csv` and reads its header against `spellings`. nullopt with `error` when the file
// cannot be split, is empty, or its header names an unknown column, one twice, or lacks one of
// `required` (each with the name the error gives it); nullopt with `refused` when it is over a
// limit (SplitCsvRecords).
template <class Column>
std::optional<CsvSheet<Column>> ReadCsvSheet(std::string_view csv, const std::map<std::string, Column>& spellings,
                                             const std::vector<std::pair<Column, const char*>>& required,
                                             ImportError& error, Status& refused) {
  auto records = SplitCsvRecords(csv, error, refused);
  if (!records) return std::nullopt;
  if (records->empty()) {
    error = {1, {}, "the file is empty: the first row must name the columns", "empty_file", {}};
    return std::nullopt;
  }
  CsvSheet<Column> sheet;
  sheet.header = std::move(records->front());
  sheet.rows.assign(std::make_move_iterator(records->begin() + 1), std::make_move_iterator(records->end()));
  for (std::size_t i = 0; i < sheet.header.fields.size(); ++i) {
    const std::string name = TrimField(sheet.header.fields[i]);
    sheet.header_names.push_back(name);
    const auto column = spellings.find(name);
    if (column == spellings.end()) {
      error = {sheet.header.line, name, "unknown column \"" + name + "\"", "unknown_column", {{"name", name}}};
      return std::nullopt;
    }
    if (!sheet.index.emplace(column->second, i).second) {
      error = {sheet.header.line, name, "column \"" + name + "\" appears twice", "duplicate_column", {{"name", name}}};
      return std::nullopt;
    }
  }
  for (const auto& [column, name] : required)
    if (!sheet.Has(column)) {
      error = {sheet.header.line, name, std::string("the required column \"") + name + "\" is missing",
               "missing_column", {{"name", name}}};
      return std::nullopt;
    }
  return sheet;
}

}  // namespace rectify
