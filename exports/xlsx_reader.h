// The first sheet of an XLSX workbook read back as rows of text: problem lists kept in Excel,
// imported without saving them as CSV first. minizip opens the archive, expat parses the XML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace rectify::exports {

// True when the bytes start like a zip archive (an XLSX file), not like text.
bool LooksLikeXlsx(std::string_view bytes);

// Every row of the first sheet, as the cells' text (shared and inline strings, numbers as
// stored, booleans as TRUE/FALSE), columns placed by their letters and rows by their numbers,
// so row i here is row i+1 in Excel. kInvalidArgument (field "file") for anything that is not
// a readable workbook, or one that unpacks to more than 64 MiB.
Result<std::vector<std::vector<std::string>>> ReadXlsxRows(std::string_view bytes);

// The rows as CSV text in RFC 4180 quoting (every field quoted, CRLF), each as wide as the
// widest, an empty row as an empty line: what the problem import reads. No formula guard: the
// text goes to a parser, not to a spreadsheet.
std::string RowsAsCsv(const std::vector<std::vector<std::string>>& rows);

// A problem list as the CSV text the import reads: an XLSX file's first sheet converted, any
// other file read as CSV text in UTF-8 or GBK (engine/text.h DecodeTextFile), so what is stored
// is UTF-8 whichever way it came (the page, `POST /api/problems/import`, `rectify import`).
Result<std::string> ProblemListAsCsv(std::string_view file);

}  // namespace rectify::exports
