#include "exports/csv_writer.h"

#include "engine/text.h"

namespace rectify::exports {
namespace {

bool StartsLikeFormula(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
      return true;
    default:
      return false;
  }
}

void AppendRecord(std::string& out, const std::vector<std::string>& cells, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) {
    if (i > 0) out += ',';
    if (i < cells.size()) out += CsvField(cells[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string CsvField(std::string_view text) {
  std::string field = StartsLikeFormula(text) ? "'" : "";
  field += XmlSafeText(text);  // UTF-8 text whatever was stored long ago (engine/text.h)
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string WriteCsv(const Table& table) {
  std::string out(kUtf8Bom);
  std::vector<std::string> header;
  for (const Column& column : table.columns) header.push_back(column.header);
  AppendRecord(out, header, table.columns.size());
  for (const Row& row : table.rows) AppendRecord(out, row, table.columns.size());
  return out;
}

}  // namespace rectify::exports
