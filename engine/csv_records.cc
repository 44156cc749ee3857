#include "engine/csv_records.h"

namespace rectify {

Status OverImportLimit(const std::string& what) {
  return Status::InvalidArgument("file", "the file is larger than an import may be: " + what);
}

std::optional<std::vector<CsvRecord>> SplitCsvRecords(std::string_view text, ImportError& error, Status& refused) {
  if (text.size() > kMaxImportBytes) {
    refused = OverImportLimit("more than " + std::to_string(kMaxImportBytes >> 20) + " MiB of text");
    return std::nullopt;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // Excel writes a UTF-8 BOM
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool quoted = false;
  bool any = false;  // anything in the current record yet
  int line = 1;
  record.line = 1;
  auto end_field = [&] {
    if (record.fields.size() == kMaxImportFields) {
      refused = OverImportLimit("line " + std::to_string(record.line) + " has more than " +
                                std::to_string(kMaxImportFields) + " fields");
      return false;
    }
    record.fields.push_back(std::move(field));
    field.clear();
    return true;
  };
  auto end_record = [&] {
    if (!end_field()) return false;
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank && records.size() == kMaxImportRows) {
      refused = OverImportLimit("more than " + std::to_string(kMaxImportRows) + " rows");
      return false;
    }
    if (!blank) records.push_back(std::move(record));
    record = CsvRecord{};
    record.line = line;
    any = false;
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      if (!end_field()) return std::nullopt;
      any = true;
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      ++line;
      if (!end_record()) return std::nullopt;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) {
    error = {record.line, {}, "a quoted field is never closed", "unclosed_quote", {}};
    return std::nullopt;
  }
  if ((any || !field.empty()) && !end_record()) return std::nullopt;
  return records;
}

std::string TrimField(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  std::string field = s.substr(first, last - first + 1);
  // ="13812345678": a spreadsheet's way of keeping digits as text, as rectify's own CSVs write an
  // ID number or a phone (exports/csv_writer.h); the text is what is inside.
  if (field.size() >= 3 && field.compare(0, 2, "=\"") == 0 && field.back() == '"' &&
      field.find('"', 2) == field.size() - 1)
    return field.substr(2, field.size() - 3);
  return field;
}

}  // namespace rectify
