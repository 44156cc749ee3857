// The first sheet of an XLSX workbook read back as rows of text: problem lists kept in Excel,
// imported without saving them as CSV first. minizip opens the archive, expat parses the XML.
//
// Bounded by what the workbook expands to, not only by its size: a 17 KB upload can hold one
// long shared string that a million cells use, or a cell at column ZZZ. The XML is parsed as it
// unpacks (never held whole), and every limit below is checked before the memory it guards is
// taken; going over one is kInvalidArgument (field "file") naming the limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/import_limits.h"
#include "engine/status.h"

namespace rectify::exports {

// What one workbook may expand to: the import's limits (engine/import_limits.h) and a few of
// the workbook's own. Cells without text (formatting only) count for nothing.
inline constexpr std::size_t kXlsxMaxRows = kMaxImportRows;        // the last row with text
inline constexpr std::size_t kXlsxMaxColumns = kMaxImportFields;   // the last column with text: BL
inline constexpr std::size_t kXlsxMaxCells = 100'000;              // cells with text
inline constexpr std::size_t kXlsxMaxSharedStrings = 100'000;
// Number formats and cell formats each (Excel's own limit is 64,000 cell formats).
inline constexpr std::size_t kXlsxMaxStyles = 65'536;
// One cell's text: Excel's own limit is 32,767 characters, which this holds in any UTF-8.
inline constexpr std::size_t kXlsxMaxCellBytes = 128 * 1024;
// All the cells' text together, a shared string counted every time a cell uses it; the shared
// string table itself is held to the same total.
inline constexpr std::size_t kXlsxMaxTextBytes = kMaxImportBytes;
// Each XML member as it unpacks: bounds the time a parse may take.
inline constexpr std::size_t kXlsxMaxMemberBytes = 64 * 1024 * 1024;
// The XML read without one element, end or piece of text coming of it: one start tag with
// megabytes of attributes, or a comment as long. Expat reads such a token again with every
// piece of input that follows (a 60 KB upload with 60 MB of attributes took 49 s); Excel's
// longest tags are a few hundred bytes.
inline constexpr std::size_t kXlsxMaxTokenBytes = 1024 * 1024;

// True when the bytes start like a zip archive (an XLSX file), not like text.
bool LooksLikeXlsx(std::string_view bytes);

// Every row of the first sheet, as the cells' text (shared and inline strings, numbers as
// stored, a number whose format shows a date as 2021-10-30 or 2021-10-30 17:30, booleans as
// TRUE/FALSE), columns placed by their letters and rows by their numbers,
// so row i here is row i+1 in Excel; a row or cell without its `r` attribute (legal OOXML)
// follows the one before it. Rows end at their last cell with text. kInvalidArgument (field
// "file") for anything that is not a readable workbook, or one over a limit above.
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
