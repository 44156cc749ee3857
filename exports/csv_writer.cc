#include "exports/csv_writer.h"

#include <utility>

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

Status CsvWriter::Begin(const FormFrame& frame) {
  out_ = std::string(kUtf8Bom);
  width_ = frame.columns.size();
  std::vector<std::string> header;
  for (const Column& column : frame.columns) header.push_back(column.header);
  AppendRecord(out_, header, width_);
  return Status::Ok();
}

Status CsvWriter::Add(const Row& row) {
  AppendRecord(out_, row, width_);
  return Status::Ok();
}

Status CsvWriter::End(const std::vector<std::string>& notes, const std::vector<std::string>& /*closing: print only*/) {
  // Notes after an empty record, one cell each, so that a program reading the rows stops at the
  // gap and a person sees them.
  if (!notes.empty()) AppendRecord(out_, {}, width_);
  for (const std::string& note : notes) AppendRecord(out_, {note}, width_);
  return Status::Ok();
}

std::string WriteCsv(const Table& table) {
  CsvWriter writer;
  (void)WriteTable(table, writer);  // a CsvWriter never fails
  return std::move(writer.bytes());
}

}  // namespace rectify::exports
