// How much one import of problems may hold, whatever its bytes are: a CSV file
// (engine/problem_import.h) or an XLSX workbook once unpacked (exports/xlsx_reader.h), from the
// command line or over HTTP. A file over a limit is refused as a whole, naming the limit.
#pragma once

#include <cstddef>

namespace rectify {

// The text: a CSV file, or all the cells of a workbook (a shared string counted every time a
// cell uses it).
inline constexpr std::size_t kMaxImportBytes = 16 * 1024 * 1024;
// Rows with something in them, the header included: a town's problem list has hundreds.
inline constexpr std::size_t kMaxImportRows = 10'000;
// Fields of one row: the import knows seven columns.
inline constexpr std::size_t kMaxImportFields = 64;

}  // namespace rectify
