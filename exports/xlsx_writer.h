// A Table as a printable XLSX workbook of one worksheet, through libxlsxwriter:
//
//   [attachment]              附件1, top left
//   title                     merged across all columns, centred, bold
//   heading lines             merged across, one per line
//   header row                bold, bordered; repeated at the top of every printed page
//                             (_xlnm.Print_Titles) and frozen on screen
//   rows                      bordered, wrapped text, the column's alignment
//   (blank row)
//   closing lines             merged across: the signature and stamp block
//
// Printed on A4 landscape, scaled to one page wide (as many pages tall as it needs), centred,
// with "第 N 页，共 M 页" in the footer. Every cell is written with worksheet_write_string, so no
// data ever becomes a formula.
//
// libxlsxwriter 1.1.4 (Debian 12) writes only to a file path (the in-memory output_buffer option
// came in 1.1.5): the workbook is written to a private temporary file in the system temp
// directory ($TMPDIR, else /tmp), read back and removed. kInternal, with libxlsxwriter's reason,
// when that fails or a cell is refused (more than 32,767 characters).
#pragma once

#include <string>

#include "engine/status.h"
#include "exports/table.h"

namespace rectify::exports {

Result<std::string> WriteXlsx(const Table& table);

}  // namespace rectify::exports
