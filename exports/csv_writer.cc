#include "exports/csv_writer.h"

#include <algorithm>
#include <utility>

#include "engine/text.h"

namespace rectify::exports {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "-42", "-3.5", "-42%": a spreadsheet reads it as the number it is and runs nothing, so it
// needs no guard (a computed change such as 收入变化 would otherwise print as '-42%).
bool IsPlainNumber(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (whole.empty() || (point != std::string_view::npos && fraction.empty())) return false;
  return std::all_of(whole.begin(), whole.end(), IsDigit) && std::all_of(fraction.begin(), fraction.end(), IsDigit);
}

// Digits that Excel would read as a number and change: past 15 digits it keeps 15 and zeros
// the rest (an 18-digit 身份证号码, a 19-digit 银行账号: shown as 4.30922E+17, saved wrong),
// it drops leading zeros (a landline 0731…, a code 007), and it shows 11 digits or more (a
// mobile number 13912345678) as 1.39E+10 in a column of the default width. No figure of the
// forms has 11 digits: such digits are a number's name, not a quantity.
bool SpreadsheetWouldChange(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), IsDigit)) return false;
  constexpr std::size_t kShownInFull = 10;
  return text.size() > kShownInFull || (text.size() > 1 && text.front() == '0');
}

bool StartsLikeFormula(std::string_view text) {
  if (text.empty() || IsPlainNumber(text)) return false;
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
  // ="…" is a formula whose value is the text: Excel, WPS and LibreOffice show the digits as
  // they are. Only digits reach it, so nothing of a user's can run.
  if (SpreadsheetWouldChange(text)) return "\"=\"\"" + std::string(text) + "\"\"\"";
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
