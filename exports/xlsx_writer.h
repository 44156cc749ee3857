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
// Rows are written in order and each is flushed to libxlsxwriter's temporary file before the
// next (its constant_memory mode, strings inline), so a form of any length takes the memory of
// one row; the finished file is sent from disk (File) or, for small uses, read back (Bytes).
//
// libxlsxwriter 1.1.4 (Debian 12) writes only to a file path (the in-memory output_buffer option
// came in 1.1.5): the workbook is written to a private temporary file in the system temp
// directory ($TMPDIR, else /tmp) and removed when the writer goes (an open File keeps it readable); the rows flushed before the end go to
// libxlsxwriter's own temporary files in the same directory, removed as they are made. kInternal, with libxlsxwriter's reason,
// when that fails or a cell is refused (more than 32,767 characters).
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"
#include "exports/table.h"
#include "exports/temp_file.h"

namespace rectify::exports {

// How libxlsxwriter holds the sheet while it is written.
enum class XlsxMemory {
  kRowByRow,  // each row flushed before the next (constant_memory): what the forms use
  kWhole,     // every row held until the end, as before the forms streamed: the tests' reference
};

// A FormWriter of one workbook; File() or Bytes() once End has succeeded.
class XlsxWriter final : public FormWriter {
 public:
  explicit XlsxWriter(XlsxMemory memory = XlsxMemory::kRowByRow);
  ~XlsxWriter() override;

  Status Begin(const FormFrame& frame) override;
  Status Add(const Row& row) override;
  Status End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) override;

  // The workbook, open for reading; kInternal before End succeeded.
  Result<std::shared_ptr<SpooledFile>> File() const;
  // The workbook's bytes; kInternal before End succeeded.
  Result<std::string> Bytes() const;

 private:
  struct Workbook;
  XlsxMemory memory_;
  std::unique_ptr<Workbook> workbook_;
};

Result<std::string> WriteXlsx(const Table& table, XlsxMemory memory = XlsxMemory::kRowByRow);

}  // namespace rectify::exports
