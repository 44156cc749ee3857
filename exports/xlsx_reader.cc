#include "exports/xlsx_reader.h"

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "engine/text.h"
#include "exports/temp_file.h"

namespace rectify::exports {
namespace {

constexpr std::uint64_t kMaxUnpackedBytes = 64u << 20;

Status NotAWorkbook(const std::string& why) { return Status::InvalidArgument("file", "not a readable XLSX workbook: " + why); }

// One member of the archive, or nullopt when it is not there.
Result<std::optional<std::string>> ReadMember(unzFile zip, const char* name) {
  if (unzLocateFile(zip, name, 0) != UNZ_OK) return std::optional<std::string>();
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
    return NotAWorkbook(std::string("cannot read ") + name);
  if (info.uncompressed_size > kMaxUnpackedBytes) return NotAWorkbook(std::string(name) + " unpacks to more than 64 MiB");
  if (unzOpenCurrentFile(zip) != UNZ_OK) return NotAWorkbook(std::string("cannot open ") + name);
  std::string out;
  char buffer[1 << 16];
  int got = 0;
  while ((got = unzReadCurrentFile(zip, buffer, sizeof buffer)) > 0) {
    out.append(buffer, static_cast<std::size_t>(got));
    // The size in the directory may lie; the bytes do not.
    if (out.size() > kMaxUnpackedBytes) {
      unzCloseCurrentFile(zip);
      return NotAWorkbook(std::string(name) + " unpacks to more than 64 MiB");
    }
  }
  const bool crc_ok = unzCloseCurrentFile(zip) == UNZ_OK;
  if (got < 0 || !crc_ok) return NotAWorkbook(std::string(name) + " is damaged");
  return std::optional<std::string>(std::move(out));
}

// Expat's callbacks over one parse, with the text of the element being read.
struct SheetParse {
  const std::vector<std::string>* shared = nullptr;
  // sharedStrings.xml
  std::vector<std::string> strings;
  int phonetic_depth = 0;  // <rPh> holds a reading of the text, not the text
  bool in_text = false;
  // sheet1.xml
  std::vector<std::vector<std::string>> rows;
  std::size_t column = 0;
  std::string cell_type;
  std::string value;
  bool in_value = false;
  std::string error;
};

const char* Attribute(const XML_Char** attributes, const char* name) {
  for (int i = 0; attributes[i] != nullptr; i += 2)
    if (std::strcmp(attributes[i], name) == 0) return attributes[i + 1];
  return nullptr;
}

// "BC12" -> 54 (0-based column).
std::optional<std::size_t> ColumnOf(const char* reference) {
  std::size_t column = 0;
  int letters = 0;
  for (; *reference >= 'A' && *reference <= 'Z'; ++reference, ++letters) column = column * 26 + (*reference - 'A' + 1);
  if (letters == 0 || letters > 3) return std::nullopt;
  return column - 1;
}

void XMLCALL StartShared(void* data, const XML_Char* name, const XML_Char**) {
  auto& p = *static_cast<SheetParse*>(data);
  if (std::strcmp(name, "si") == 0) p.strings.emplace_back();
  else if (std::strcmp(name, "rPh") == 0) ++p.phonetic_depth;
  else if (std::strcmp(name, "t") == 0 && p.phonetic_depth == 0) p.in_text = true;
}
void XMLCALL EndShared(void* data, const XML_Char* name) {
  auto& p = *static_cast<SheetParse*>(data);
  if (std::strcmp(name, "rPh") == 0) --p.phonetic_depth;
  else if (std::strcmp(name, "t") == 0) p.in_text = false;
}
void XMLCALL TextShared(void* data, const XML_Char* text, int length) {
  auto& p = *static_cast<SheetParse*>(data);
  if (p.in_text && !p.strings.empty()) p.strings.back().append(text, static_cast<std::size_t>(length));
}

void XMLCALL StartSheet(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& p = *static_cast<SheetParse*>(data);
  if (std::strcmp(name, "row") == 0) {
    const char* number = Attribute(attributes, "r");
    const std::size_t row = number ? std::strtoul(number, nullptr, 10) : p.rows.size() + 1;
    if (row < p.rows.size() + 1 || row > 1'048'576) {
      p.error = "rows out of order";
      return;
    }
    p.rows.resize(row);  // empty rows keep Excel's numbering
  } else if (std::strcmp(name, "c") == 0) {
    const char* reference = Attribute(attributes, "r");
    const auto column = reference ? ColumnOf(reference) : std::optional<std::size_t>(p.column);
    if (!column) {
      p.error = "a cell reference that is not a column";
      return;
    }
    p.column = *column;
    const char* type = Attribute(attributes, "t");
    p.cell_type = type ? type : "n";
    p.value.clear();
  } else if (std::strcmp(name, "v") == 0 || std::strcmp(name, "t") == 0) {
    p.in_value = true;
  }
}
void XMLCALL EndSheet(void* data, const XML_Char* name) {
  auto& p = *static_cast<SheetParse*>(data);
  if (std::strcmp(name, "v") == 0 || std::strcmp(name, "t") == 0) {
    p.in_value = false;
  } else if (std::strcmp(name, "c") == 0 && !p.rows.empty() && p.error.empty()) {
    std::string text = p.value;
    if (p.cell_type == "s") {
      const std::size_t index = std::strtoul(p.value.c_str(), nullptr, 10);
      if (p.shared == nullptr || index >= p.shared->size()) {
        p.error = "a cell names a shared string that is not there";
        return;
      }
      text = (*p.shared)[index];
    } else if (p.cell_type == "b") {
      text = p.value == "1" ? "TRUE" : "FALSE";
    }
    std::vector<std::string>& row = p.rows.back();
    if (row.size() <= p.column) row.resize(p.column + 1);
    row[p.column] = std::move(text);
    ++p.column;
  }
}
void XMLCALL TextSheet(void* data, const XML_Char* text, int length) {
  auto& p = *static_cast<SheetParse*>(data);
  if (p.in_value) p.value.append(text, static_cast<std::size_t>(length));
}

Status Parse(const std::string& xml, const char* member, SheetParse& parse, XML_StartElementHandler start,
             XML_EndElementHandler end, XML_CharacterDataHandler text) {
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"), &XML_ParserFree);
  if (!parser) return Status::Internal("expat: cannot create a parser");
  XML_SetUserData(parser.get(), &parse);
  XML_SetElementHandler(parser.get(), start, end);
  XML_SetCharacterDataHandler(parser.get(), text);
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1) != XML_STATUS_OK)
    return NotAWorkbook(std::string(member) + ": " + XML_ErrorString(XML_GetErrorCode(parser.get())));
  if (!parse.error.empty()) return NotAWorkbook(std::string(member) + ": " + parse.error);
  return Status::Ok();
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

  auto shared_xml = ReadMember(zip.get(), "xl/sharedStrings.xml");
  if (!shared_xml.ok()) return shared_xml.status();
  SheetParse shared;
  if (*shared_xml)
    RECTIFY_RETURN_IF_ERROR(Parse(**shared_xml, "xl/sharedStrings.xml", shared, StartShared, EndShared, TextShared));

  auto sheet_xml = ReadMember(zip.get(), "xl/worksheets/sheet1.xml");
  if (!sheet_xml.ok()) return sheet_xml.status();
  if (!*sheet_xml) return NotAWorkbook("it has no first sheet (xl/worksheets/sheet1.xml)");
  SheetParse sheet;
  sheet.shared = &shared.strings;
  RECTIFY_RETURN_IF_ERROR(Parse(**sheet_xml, "xl/worksheets/sheet1.xml", sheet, StartSheet, EndSheet, TextSheet));
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
