#include "exports/xlsx_writer.h"

#include "engine/text.h"
#include "exports/row_height.h"
#include "exports/temp_file.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <xlsxwriter.h>

namespace rectify::exports {
namespace {

constexpr std::uint8_t kPaperA4 = 9;
constexpr const char* kFont = "宋体";
constexpr const char* kPageFooter = "&C第 &P 页，共 &N 页";
constexpr double kTitleHeight = 32;
constexpr double kLineHeight = 22;
constexpr double kClosingHeight = 30;
constexpr double kCellPoints = 10;  // the font sizes of NewFormat's callers below
constexpr double kLinePoints = 11;
constexpr double kAttachmentPoints = 12;
constexpr double kTitlePoints = 18;
constexpr double kMinRowHeight = 18;

struct Formats {
  lxw_format* attachment;
  lxw_format* title;
  lxw_format* line;
  lxw_format* header;
  lxw_format* left;
  lxw_format* center;
};

lxw_format* NewFormat(lxw_workbook* workbook, double size) {
  lxw_format* format = workbook_add_format(workbook);
  format_set_font_name(format, kFont);
  format_set_font_size(format, size);
  format_set_align(format, LXW_ALIGN_VERTICAL_CENTER);
  return format;
}

lxw_format* CellFormat(lxw_workbook* workbook, std::uint8_t align) {
  lxw_format* format = NewFormat(workbook, kCellPoints);
  format_set_align(format, align);
  format_set_text_wrap(format);
  format_set_border(format, LXW_BORDER_THIN);
  return format;
}

Formats AddFormats(lxw_workbook* workbook) {
  Formats formats{};
  formats.attachment = NewFormat(workbook, kAttachmentPoints);
  format_set_bold(formats.attachment);
  formats.title = NewFormat(workbook, kTitlePoints);
  format_set_bold(formats.title);
  format_set_align(formats.title, LXW_ALIGN_CENTER);
  formats.line = NewFormat(workbook, kLinePoints);
  formats.header = CellFormat(workbook, LXW_ALIGN_CENTER);
  format_set_bold(formats.header);
  formats.left = CellFormat(workbook, LXW_ALIGN_LEFT);
  formats.center = CellFormat(workbook, LXW_ALIGN_CENTER);
  return formats;
}

// What a cell may hold: text an XML document accepts (a database written before text was
// checked may hold anything), within Excel's 32,767 characters, visibly cut when longer.
std::string CellText(const std::string& text) {
  constexpr std::size_t kMaxCellBytes = 32767;  // bytes >= characters: always within the limit
  constexpr std::string_view kCut = "…（已截断）";
  std::string safe = XmlSafeText(text);
  if (safe.size() <= kMaxCellBytes) return safe;
  safe.resize(Utf8Prefix(safe, kMaxCellBytes - kCut.size()).size());
  return safe + std::string(kCut);
}

// The number a numeric column's cell reads as ("12", "3.5", "-1"), or nullopt for any other text.
std::optional<double> NumberIn(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("-.0123456789") != std::string::npos) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Writes cells and remembers the first call libxlsxwriter refused, and where.
class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* sheet, const std::vector<Column>& columns)
      : sheet_(sheet),
        last_column_(static_cast<lxw_col_t>(std::max<std::size_t>(columns.size(), 1) - 1)),
        total_width_(std::accumulate(columns.begin(), columns.end(), 0.0,
                                     [](double sum, const Column& c) { return sum + c.width; })) {}

  void Cell(lxw_row_t row, lxw_col_t column, const std::string& text, lxw_format* format, bool numeric = false) {
    if (const auto number = numeric ? NumberIn(text) : std::nullopt)
      return Check(worksheet_write_number(sheet_, row, column, *number, format), row, column);
    Check(worksheet_write_string(sheet_, row, column, CellText(text).c_str(), format), row, column);
  }

  void Height(lxw_row_t row, double height) { Check(worksheet_set_row(sheet_, row, height, nullptr), row, 0); }

  // One line of text across the whole width of the table, as tall as its wrapped text needs.
  void Line(lxw_row_t row, const std::string& text, lxw_format* format, double points, double height) {
    Height(row, WrappedRowHeight({text}, {total_width_}, points, height));
    if (last_column_ == 0) return Cell(row, 0, text, format);
    Check(worksheet_merge_range(sheet_, row, 0, row, last_column_, CellText(text).c_str(), format), row, 0);
  }

  void Check(lxw_error error, lxw_row_t row, lxw_col_t column) {
    if (error == LXW_NO_ERROR || status_.code() != StatusCode::kOk) return;
    status_ = Status::Internal(std::string("xlsx: ") + lxw_strerror(error) + " (row " + std::to_string(row + 1) +
                               ", column " + std::to_string(column + 1) + ")");
  }

  const Status& status() const { return status_; }

 private:
  lxw_worksheet* sheet_;
  lxw_col_t last_column_;
  double total_width_;
  Status status_;
};

void WriteSheet(const Table& table, const Formats& formats, lxw_worksheet* sheet, SheetWriter& out) {
  lxw_row_t row = 0;
  if (!table.attachment.empty()) out.Line(row++, table.attachment, formats.attachment, kAttachmentPoints, kLineHeight);
  out.Line(row++, table.title, formats.title, kTitlePoints, kTitleHeight);
  for (const std::string& line : table.heading) out.Line(row++, line, formats.line, kLinePoints, kLineHeight);

  std::vector<double> widths;
  std::vector<std::string_view> headers;
  for (const Column& column : table.columns) {
    widths.push_back(column.width);
    headers.push_back(column.header);
  }
  const lxw_row_t header_row = row++;
  out.Height(header_row, WrappedRowHeight(headers, widths, kCellPoints, kLineHeight));
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const auto column = static_cast<lxw_col_t>(c);
    out.Check(worksheet_set_column(sheet, column, column, table.columns[c].width, nullptr), header_row, column);
    out.Cell(header_row, column, table.columns[c].header, formats.header);
  }
  for (const Row& cells : table.rows) {
    std::vector<std::string_view> texts;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const Column& column = table.columns[c];
      static const std::string kEmpty;
      const std::string& text = c < cells.size() ? cells[c] : kEmpty;
      texts.push_back(text);
      out.Cell(row, static_cast<lxw_col_t>(c), text, column.align == Align::kCenter ? formats.center : formats.left,
               column.numeric);
    }
    out.Height(row, WrappedRowHeight(texts, widths, kCellPoints, kMinRowHeight));
    ++row;
  }
  if (!table.notes.empty()) ++row;
  for (const std::string& line : table.notes) out.Line(row++, line, formats.line, kLinePoints, kClosingHeight);
  if (!table.closing.empty()) ++row;
  for (const std::string& line : table.closing) out.Line(row++, line, formats.line, kLinePoints, kClosingHeight);

  worksheet_set_landscape(sheet);
  worksheet_set_paper(sheet, kPaperA4);
  worksheet_fit_to_pages(sheet, 1, 0);
  worksheet_center_horizontally(sheet);
  worksheet_set_margins(sheet, 0.4, 0.4, 0.6, 0.6);
  out.Check(worksheet_set_footer(sheet, kPageFooter), header_row, 0);
  out.Check(worksheet_repeat_rows(sheet, header_row, header_row), header_row, 0);
  worksheet_freeze_panes(sheet, header_row + 1, 0);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) return Status::Internal("xlsx: cannot read back the temporary file");
  return bytes.str();
}

}  // namespace

Result<std::string> WriteXlsx(const Table& table) {
  PrivateTempFile file;
  if (file.path().empty()) return Status::Internal("xlsx: cannot create a temporary file");
  lxw_workbook_options options{};
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (workbook == nullptr) return Status::Internal("xlsx: cannot create the workbook");

  std::string title = CellText(table.title);
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.created = table.created != 0 ? table.created : 1;  // 0 would make libxlsxwriter read the clock
  lxw_worksheet* sheet =
      workbook_add_worksheet(workbook, table.sheet_name.empty() ? nullptr : table.sheet_name.c_str());
  SheetWriter out(sheet, table.columns);
  out.Check(workbook_set_properties(workbook, &properties), 0, 0);
  if (sheet == nullptr) {
    workbook_close(workbook);
    return Status::Internal("xlsx: invalid worksheet name \"" + table.sheet_name + "\"");
  }
  WriteSheet(table, AddFormats(workbook), sheet, out);
  const lxw_error closed = workbook_close(workbook);  // writes the file and frees the workbook
  if (!out.status().ok()) return out.status();
  if (closed != LXW_NO_ERROR) return Status::Internal(std::string("xlsx: ") + lxw_strerror(closed));
  return ReadFile(file.path());
}

}  // namespace rectify::exports
