#include "exports/xlsx_reader.h"

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

#include "engine/text.h"
#include "engine/time.h"
#include "exports/temp_file.h"

namespace rectify::exports {
namespace {

constexpr const char* kSheet = "xl/worksheets/sheet1.xml";
constexpr const char* kSharedStrings = "xl/sharedStrings.xml";
constexpr const char* kStyles = "xl/styles.xml";
constexpr const char* kWorkbook = "xl/workbook.xml";
constexpr std::size_t kMaxExcelRow = 1'048'576;

Status NotAWorkbook(const std::string& why) { return Status::InvalidArgument("file", "not a readable XLSX workbook: " + why); }

Status OverLimit(const std::string& what) {
  return Status::InvalidArgument("file", "the workbook expands to more than an import may hold: " + what);
}

// 0 -> "A", 63 -> "BL".
std::string ColumnName(std::size_t column) {
  std::string name;
  for (std::size_t n = column + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

// "BC12" -> 54 (0-based column).
std::optional<std::size_t> ColumnOf(const char* reference) {
  std::size_t column = 0;
  int letters = 0;
  for (; *reference >= 'A' && *reference <= 'Z'; ++reference, ++letters) column = column * 26 + (*reference - 'A' + 1);
  if (letters == 0 || letters > 3) return std::nullopt;
  return column - 1;
}

// A whole decimal number, nothing else.
std::optional<std::size_t> Number(std::string_view text) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

const char* Attribute(const XML_Char** attributes, const char* name) {
  for (int i = 0; attributes[i] != nullptr; i += 2)
    if (std::strcmp(attributes[i], name) == 0) return attributes[i + 1];
  return nullptr;
}

// What every parse shares: its parser, and the first error, which stops it. Expat may still
// call a handler or two after XML_StopParser, so handlers return at once once failed().
struct Parse {
  XML_Parser parser = nullptr;
  Status error;
  // The member's own handlers, called through the counting ones of ParseMember, and how many
  // calls there were: the input read since the last one is one token still being read.
  XML_StartElementHandler start = nullptr;
  XML_EndElementHandler end = nullptr;
  XML_CharacterDataHandler text = nullptr;
  std::uint64_t events = 0;

  void Fail(Status status) {
    if (error.ok()) error = std::move(status);
    XML_StopParser(parser, XML_FALSE);
  }
  bool failed() const { return !error.ok(); }
};

// xl/sharedStrings.xml: the text of each <si>, readings (<rPh>) left out.
struct SharedStringsParse : Parse {
  std::vector<std::string> strings;
  std::size_t bytes = 0;
  int phonetic_depth = 0;
  bool in_text = false;
};

void XMLCALL StartShared(void* data, const XML_Char* name, const XML_Char**) {
  auto& p = *static_cast<SharedStringsParse*>(data);
  if (p.failed()) return;
  if (std::strcmp(name, "si") == 0) {
    if (p.strings.size() == kXlsxMaxSharedStrings)
      return p.Fail(OverLimit("more than " + std::to_string(kXlsxMaxSharedStrings) + " shared strings"));
    p.strings.emplace_back();
  } else if (std::strcmp(name, "rPh") == 0) {
    ++p.phonetic_depth;
  } else if (std::strcmp(name, "t") == 0 && p.phonetic_depth == 0) {
    p.in_text = true;
  }
}
void XMLCALL EndShared(void* data, const XML_Char* name) {
  auto& p = *static_cast<SharedStringsParse*>(data);
  if (std::strcmp(name, "rPh") == 0) --p.phonetic_depth;
  else if (std::strcmp(name, "t") == 0) p.in_text = false;
}
void XMLCALL TextShared(void* data, const XML_Char* text, int length) {
  auto& p = *static_cast<SharedStringsParse*>(data);
  if (p.failed() || !p.in_text || p.strings.empty()) return;
  const auto size = static_cast<std::size_t>(length);
  if (p.strings.back().size() + size > kXlsxMaxCellBytes)
    return p.Fail(OverLimit("shared string " + std::to_string(p.strings.size() - 1) + " holds more than " +
                            std::to_string(kXlsxMaxCellBytes / 1024) + " KiB of text"));
  if (p.bytes + size > kXlsxMaxTextBytes)
    return p.Fail(OverLimit("the shared strings hold more than " + std::to_string(kXlsxMaxTextBytes >> 20) +
                            " MiB of text"));
  p.strings.back().append(text, size);
  p.bytes += size;
}

// xl/styles.xml: which cell formats (<cellXfs><xf>, by index: a cell's `s`) show a date. Excel
// stores a date as its day number (45000), and only the format says it is one.
struct StylesParse : Parse {
  std::map<std::string, bool> custom_dates;  // <numFmts>: numFmtId -> its code shows a date
  std::vector<std::string> cell_formats;     // the numFmtId of each <cellXfs><xf>
  bool in_cell_xfs = false;
};

// The built-in formats that show a date (ECMA-376 18.8.30, and the zh-CN ones Excel and WPS
// use: 27-31, 36, 50-58 but the times among them). 18-21, 32-35, 45-47, 55 and 56 are times.
bool IsBuiltInDateFormat(int id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
         id == 57 || id == 58;
}

// A format code shows a date when it has a year or a day (y, d; e and 年 日 are quoted or
// literal too) outside its quoted text, escapes and [brackets]: "yyyy/m/d", "yyyy\"年\"m\"月\"d\"日\"".
// "h:mm" and "0.00" do not.
bool CodeShowsDate(std::string_view code) {
  bool quoted = false;
  int bracket = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or a fill or width), not a code
    } else if (c == '[') {
      ++bracket;
    } else if (c == ']') {
      bracket = bracket > 0 ? bracket - 1 : 0;
    } else if (bracket == 0 && (c == 'y' || c == 'Y' || c == 'd' || c == 'D' || c == 'e')) {
      return true;
    }
  }
  return false;
}

void XMLCALL StartStyles(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& p = *static_cast<StylesParse*>(data);
  if (p.failed()) return;
  if (std::strcmp(name, "numFmt") == 0) {
    const char* id = Attribute(attributes, "numFmtId");
    const char* code = Attribute(attributes, "formatCode");
    if (id == nullptr || code == nullptr) return;
    if (p.custom_dates.size() == kXlsxMaxStyles)
      return p.Fail(OverLimit("more than " + std::to_string(kXlsxMaxStyles) + " number formats"));
    p.custom_dates[id] = CodeShowsDate(code);
  } else if (std::strcmp(name, "cellXfs") == 0) {
    p.in_cell_xfs = true;
  } else if (p.in_cell_xfs && std::strcmp(name, "xf") == 0) {
    if (p.cell_formats.size() == kXlsxMaxStyles)
      return p.Fail(OverLimit("more than " + std::to_string(kXlsxMaxStyles) + " cell formats"));
    const char* id = Attribute(attributes, "numFmtId");
    p.cell_formats.emplace_back(id ? id : "0");
  }
}
void XMLCALL EndStyles(void* data, const XML_Char* name) {
  auto& p = *static_cast<StylesParse*>(data);
  if (std::strcmp(name, "cellXfs") == 0) p.in_cell_xfs = false;
}
void XMLCALL TextStyles(void*, const XML_Char*, int) {}

// For each cell format, whether it shows a date.
std::vector<bool> DateFormats(const StylesParse& styles) {
  std::vector<bool> dates;
  dates.reserve(styles.cell_formats.size());
  for (const std::string& id : styles.cell_formats) {
    const auto custom = styles.custom_dates.find(id);
    const std::optional<std::size_t> number = Number(id);
    dates.push_back(custom != styles.custom_dates.end() ? custom->second
                                                        : number && IsBuiltInDateFormat(static_cast<int>(*number)));
  }
  return dates;
}

// xl/workbook.xml: whether its day numbers count from 1904 (<workbookPr date1904="1"/>, Excel
// for Mac's old default) rather than from 1900.
struct WorkbookParse : Parse {
  bool date1904 = false;
};

void XMLCALL StartWorkbook(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& p = *static_cast<WorkbookParse*>(data);
  if (p.failed() || std::strcmp(name, "workbookPr") != 0) return;
  const char* date1904 = Attribute(attributes, "date1904");
  p.date1904 = date1904 != nullptr && (std::strcmp(date1904, "1") == 0 || std::strcmp(date1904, "true") == 0);
}

// A day number of a date cell as the import reads a date: 2021-10-30, or 2021-10-30 17:30 when
// it has a time of day (to the minute); nothing for a number that is no day of 1900-3000. Day 0
// is 1899-12-30 (day 1 of 1904 is 1904-01-02 in a workbook that counts from 1904).
std::optional<std::string> DateText(const std::string& value, bool date1904) {
  double serial = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), serial);
  constexpr double kFirstDay = 61;       // 1900-03-01: before it Excel counts a 1900-02-29 that was not
  constexpr double kLastDay = 401769;    // 2999-12-31
  if (error != std::errc() || end != value.data() + value.size() || !(serial >= kFirstDay && serial < kLastDay))
    return std::nullopt;
  const auto days = static_cast<int>(serial);
  const double fraction = serial - days;
  const int minutes = static_cast<int>(std::lround(fraction * 24 * 60));
  constexpr int kDaysFrom1900To1904 = 1462;
  std::string text = FormatDate(AddDays(CivilDate{1899, 12, 30}, days + (date1904 ? kDaysFrom1900To1904 : 0)));
  // A date alone is the end of its day to the import, as 24:00 is: 23:59:59 is that end (to the
  // minute), not the next day's first second.
  constexpr double kSecond = 1.0 / (24 * 60 * 60);
  if (fraction < kSecond || minutes == 24 * 60) return text;
  char time[32];
  std::snprintf(time, sizeof time, " %02d:%02d", minutes / 60, minutes % 60);
  return text + time;
}

// xl/worksheets/sheet1.xml: rows of cells, kept only where a cell has text.
struct SheetParse : Parse {
  const std::vector<std::string>* shared = nullptr;
  const std::vector<bool>* date_formats = nullptr;  // by cell format: it shows a date
  bool date1904 = false;                             // its day numbers count from 1904
  bool date = false;                                 // the current cell shows a date
  std::vector<std::vector<std::string>> rows;
  std::size_t row = 0;          // the current row's number (1-based); 0 before the first
  bool in_row = false;
  std::size_t next_column = 0;  // where a cell without `r` goes: after the one before it
  bool in_cell = false;
  std::size_t column = 0;
  std::string cell_type;
  std::string value;
  bool in_value = false;
  std::size_t cells = 0;        // cells with text so far
  std::size_t bytes = 0;        // their text, shared strings counted at every use
};

void XMLCALL StartSheet(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& p = *static_cast<SheetParse*>(data);
  if (p.failed()) return;
  if (std::strcmp(name, "row") == 0) {
    const char* number = Attribute(attributes, "r");
    const std::optional<std::size_t> row = number ? Number(number) : std::optional<std::size_t>(p.row + 1);
    if (!row || *row <= p.row || *row > kMaxExcelRow) return p.Fail(NotAWorkbook(std::string(kSheet) + ": rows out of order"));
    p.row = *row;
    p.in_row = true;
    p.next_column = 0;
  } else if (std::strcmp(name, "c") == 0) {
    if (!p.in_row) return p.Fail(NotAWorkbook(std::string(kSheet) + ": a cell outside a row"));
    const char* reference = Attribute(attributes, "r");
    const auto column = reference ? ColumnOf(reference) : std::optional<std::size_t>(p.next_column);
    if (!column) return p.Fail(NotAWorkbook(std::string(kSheet) + ": a cell reference that is not a column"));
    p.in_cell = true;
    p.column = *column;
    const char* type = Attribute(attributes, "t");
    p.cell_type = type ? type : "n";
    const char* style = Attribute(attributes, "s");
    const std::optional<std::size_t> format = style ? Number(style) : std::optional<std::size_t>(0);
    p.date = format && *format < p.date_formats->size() && (*p.date_formats)[*format];
    p.value.clear();
  } else if (p.in_cell && (std::strcmp(name, "v") == 0 || std::strcmp(name, "t") == 0)) {
    p.in_value = true;
  }
}

// Stores the text of the cell just ended, if it has any and the limits allow it.
void EndCell(SheetParse& p) {
  const std::string* text = &p.value;
  static const std::string kTrue = "TRUE", kFalse = "FALSE";
  if (p.cell_type == "s") {
    const std::optional<std::size_t> index = Number(p.value);
    if (p.shared == nullptr || !index || *index >= p.shared->size())
      return p.Fail(NotAWorkbook(std::string(kSheet) + ": a cell names a shared string that is not there"));
    text = &(*p.shared)[*index];
  } else if (p.cell_type == "b") {
    text = p.value == "1" ? &kTrue : &kFalse;
  }
  std::optional<std::string> date;
  if (p.date && p.cell_type == "n" && (date = DateText(p.value, p.date1904))) text = &*date;
  if (text->empty()) return;  // formatting only
  const std::string where = ColumnName(p.column) + std::to_string(p.row);
  if (p.column >= kXlsxMaxColumns)
    return p.Fail(OverLimit("cell " + where + " has text; at most " + std::to_string(kXlsxMaxColumns) +
                            " columns (A to " + ColumnName(kXlsxMaxColumns - 1) + ") are read"));
  if (p.row > kXlsxMaxRows)
    return p.Fail(OverLimit("cell " + where + " has text; at most " + std::to_string(kXlsxMaxRows) + " rows are read"));
  if (++p.cells > kXlsxMaxCells)
    return p.Fail(OverLimit("more than " + std::to_string(kXlsxMaxCells) + " cells have text"));
  p.bytes += text->size();
  if (p.bytes > kXlsxMaxTextBytes)
    return p.Fail(OverLimit("the cells hold more than " + std::to_string(kXlsxMaxTextBytes >> 20) +
                            " MiB of text (a shared string counts every time a cell uses it)"));
  if (p.rows.size() < p.row) p.rows.resize(p.row);
  std::vector<std::string>& row = p.rows[p.row - 1];
  if (row.size() <= p.column) row.resize(p.column + 1);
  row[p.column] = *text;
}

void XMLCALL EndSheet(void* data, const XML_Char* name) {
  auto& p = *static_cast<SheetParse*>(data);
  if (p.failed()) return;
  if (std::strcmp(name, "v") == 0 || std::strcmp(name, "t") == 0) {
    p.in_value = false;
  } else if (std::strcmp(name, "c") == 0) {
    p.in_cell = false;
    p.next_column = p.column + 1;
    EndCell(p);
  } else if (std::strcmp(name, "row") == 0) {
    p.in_row = false;
  }
}
void XMLCALL TextSheet(void* data, const XML_Char* text, int length) {
  auto& p = *static_cast<SheetParse*>(data);
  if (p.failed() || !p.in_value) return;
  if (p.value.size() + static_cast<std::size_t>(length) > kXlsxMaxCellBytes)
    return p.Fail(OverLimit("cell " + ColumnName(p.column) + std::to_string(p.row) + " holds more than " +
                            std::to_string(kXlsxMaxCellBytes / 1024) + " KiB of text"));
  p.value.append(text, static_cast<std::size_t>(length));
}

void XMLCALL CountedStart(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& p = *static_cast<Parse*>(data);
  ++p.events;
  if (p.start != nullptr) p.start(data, name, attributes);
}
void XMLCALL CountedEnd(void* data, const XML_Char* name) {
  auto& p = *static_cast<Parse*>(data);
  ++p.events;
  if (p.end != nullptr) p.end(data, name);
}
void XMLCALL CountedText(void* data, const XML_Char* text, int length) {
  auto& p = *static_cast<Parse*>(data);
  ++p.events;
  if (p.text != nullptr) p.text(data, text, length);
}

// Unpacks one member of the archive straight into an expat parser over `parse`, 64 KiB at a
// time, so the XML is never held whole. False when the archive has no such member.
Result<bool> ParseMember(unzFile zip, const char* member, Parse& parse, XML_StartElementHandler start,
                         XML_EndElementHandler end, XML_CharacterDataHandler text) {
  if (unzLocateFile(zip, member, 0) != UNZ_OK) return false;
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
    return NotAWorkbook(std::string("cannot read ") + member);
  const Status too_big = NotAWorkbook(std::string(member) + " unpacks to more than " +
                                      std::to_string(kXlsxMaxMemberBytes >> 20) + " MiB");
  if (info.uncompressed_size > kXlsxMaxMemberBytes) return too_big;
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"), &XML_ParserFree);
  if (!parser) return Status::Internal("expat: cannot create a parser");
  parse.parser = parser.get();
  parse.start = start;
  parse.end = end;
  parse.text = text;
  XML_SetUserData(parser.get(), &parse);
  XML_SetElementHandler(parser.get(), CountedStart, CountedEnd);
  XML_SetCharacterDataHandler(parser.get(), CountedText);
  const auto parse_error = [&]() -> Status {
    if (parse.failed()) return parse.error;
    return NotAWorkbook(std::string(member) + ": " + XML_ErrorString(XML_GetErrorCode(parser.get())));
  };

  if (unzOpenCurrentFile(zip) != UNZ_OK) return NotAWorkbook(std::string("cannot open ") + member);
  char buffer[1 << 16];
  std::uint64_t unpacked = 0;
  std::uint64_t events_seen = 0;
  std::uint64_t since_event = 0;  // bytes read since a chunk gave the last handler call
  int got = 0;
  Status failed;
  while ((got = unzReadCurrentFile(zip, buffer, sizeof buffer)) > 0) {
    unpacked += static_cast<std::uint64_t>(got);
    // The size in the directory may lie; the bytes do not.
    if (unpacked > kXlsxMaxMemberBytes) {
      failed = too_big;
      break;
    }
    if (XML_Parse(parser.get(), buffer, got, XML_FALSE) != XML_STATUS_OK) {
      failed = parse_error();
      break;
    }
    since_event = parse.events == events_seen ? since_event + static_cast<std::uint64_t>(got) : 0;
    events_seen = parse.events;
    if (since_event > kXlsxMaxTokenBytes) {
      failed = OverLimit(std::string(member) + " holds a tag or comment of more than " +
                         std::to_string(kXlsxMaxTokenBytes >> 20) + " MiB");
      break;
    }
  }
  const bool crc_ok = unzCloseCurrentFile(zip) == UNZ_OK;
  if (!failed.ok()) return failed;
  if (got < 0 || !crc_ok) return NotAWorkbook(std::string(member) + " is damaged");
  if (XML_Parse(parser.get(), nullptr, 0, XML_TRUE) != XML_STATUS_OK) return parse_error();
  if (parse.failed()) return parse.error;
  return true;
}

}  // namespace

bool LooksLikeXlsx(std::string_view bytes) { return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

Result<std::vector<std::vector<std::string>>> ReadXlsxRows(std::string_view bytes) {
  if (!LooksLikeXlsx(bytes)) return NotAWorkbook("it is not a zip archive");
  PrivateTempFile file;
  if (file.path().empty()) return Status::Internal("cannot make a temporary file to read the workbook");
  {
    std::ofstream out(file.path(), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::Internal("cannot write a temporary file to read the workbook");
  }
  std::unique_ptr<void, decltype(&unzClose)> zip(unzOpen64(file.path().c_str()), &unzClose);
  if (!zip) return NotAWorkbook("the zip archive is damaged");

  SharedStringsParse shared;
  auto has_shared = ParseMember(zip.get(), kSharedStrings, shared, StartShared, EndShared, TextShared);
  if (!has_shared.ok()) return has_shared.status();

  StylesParse styles;
  auto has_styles = ParseMember(zip.get(), kStyles, styles, StartStyles, EndStyles, TextStyles);
  if (!has_styles.ok()) return has_styles.status();
  const std::vector<bool> date_formats = DateFormats(styles);

  WorkbookParse workbook;
  auto has_workbook = ParseMember(zip.get(), kWorkbook, workbook, StartWorkbook, nullptr, nullptr);
  if (!has_workbook.ok()) return has_workbook.status();

  SheetParse sheet;
  sheet.shared = &shared.strings;
  sheet.date_formats = &date_formats;
  sheet.date1904 = workbook.date1904;
  auto has_sheet = ParseMember(zip.get(), kSheet, sheet, StartSheet, EndSheet, TextSheet);
  if (!has_sheet.ok()) return has_sheet.status();
  if (!*has_sheet) return NotAWorkbook(std::string("it has no first sheet (") + kSheet + ")");
  return std::move(sheet.rows);
}

std::string RowsAsCsv(const std::vector<std::vector<std::string>>& rows) {
  // A sheet leaves out a row's empty cells at its end; CSV rows all have the header's fields.
  std::size_t width = 0;
  for (const std::vector<std::string>& row : rows) width = std::max(width, row.size());
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    for (std::size_t i = 0; !row.empty() && i < width; ++i) {
      if (i > 0) out += ',';
      out += '"';
      if (i < row.size())
        for (const char c : row[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += "\r\n";  // an empty row stays an empty line, which the import passes over
  }
  return out;
}

Result<std::string> ProblemListAsCsv(std::string_view file) {
  if (!LooksLikeXlsx(file)) return DecodeTextFile("file", file);
  auto rows = ReadXlsxRows(file);
  if (!rows.ok()) return rows.status();
  return RowsAsCsv(*rows);
}

}  // namespace rectify::exports
