// The one model every export form is built into: a printable table with a title, a few heading
// lines, columns, rows of text cells and closing lines (the signature and stamp block). A form
// builder either fills a whole Table (scores.h, visit_sheet.h: a few rows) or writes its frame,
// rows and closing lines to a FormWriter one at a time (ledger.h, roster.h, bulletin.h: a row per
// item, never all held at once); xlsx_writer.h prints a form as an A4 sheet and csv_writer.h
// writes its data. Neither writer knows which form it writes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "engine/time.h"

namespace rectify::exports {

enum class Align { kLeft, kCenter };

struct Column {
  std::string header;  // in Chinese, as printed on the form
  double width = 10;   // Excel character units; a Chinese character takes about 2
  Align align = Align::kLeft;
  // A count or a rank (序号, 家庭人口, 得分): a cell that reads as a number is written as a
  // number, so a spreadsheet sums and sorts it; any other text in it stays text.
  bool numeric = false;
};

using Row = std::vector<std::string>;

// Everything of a form a writer needs before its first row.
struct FormFrame {
  std::string sheet_name;            // the worksheet tab: at most 31 characters, none of []:*?/\ .
  std::string attachment;            // "附件1", printed above the title; may be empty
  std::string title;                 // printed centred above the header row
  std::vector<std::string> heading;  // lines between the title and the header row
  std::vector<Column> columns;
  // The workbook's recorded creation time: the export's "as of", so that the same data always
  // gives the same bytes and no writer reads the clock.
  Instant created = 0;
  // How it is printed (XLSX): a list on A4 landscape, one page wide and as many tall as it needs;
  // a sheet that is signed (one household's 附件2) on one A4 portrait page, so that the
  // signatures are under the facts they confirm.
  enum class Print { kListLandscape, kSheetOnePage };
  Print print = Print::kListLandscape;
};

struct Table : FormFrame {
  // Every cell is text, written as text (but a number in a numeric column): a cell that looks
  // like a formula stays text. A row
  // should have one cell per column; the writers ignore extra cells and leave missing ones empty.
  std::vector<Row> rows;
  // Lines under the rows that every writer prints, CSV too: the data errors of items the form
  // could not compute (engine/data_error.h), so a form never hides that it is incomplete.
  std::vector<std::string> notes;
  std::vector<std::string> closing;  // lines under the rows (and notes): signature, stamp, date; print only
};

// A form written as it is built: Begin once with its frame, Add each row in order, End once with
// the lines under the rows (Table::notes and Table::closing). The XLSX writer holds one row at a
// time; the others hold what they make (the CSV text, the Table). A failed call loses the form:
// the caller stops there.
class FormWriter {
 public:
  virtual ~FormWriter() = default;
  virtual Status Begin(const FormFrame& frame) = 0;
  virtual Status Add(const Row& row) = 0;
  virtual Status End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) = 0;
};

// A whole Table through `out`.
Status WriteTable(const Table& table, FormWriter& out);

// Collects what it is given into a Table: for forms small enough to hold, and for tests.
class TableWriter final : public FormWriter {
 public:
  Status Begin(const FormFrame& frame) override;
  Status Add(const Row& row) override;
  Status End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) override;

  Table Take() { return std::move(table_); }

 private:
  Table table_;
};

}  // namespace rectify::exports
