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
  // A long line (the scores' 计分办法) wraps inside its merged row, which is sized for it.
  format_set_text_wrap(formats.line);
  format_set_align(formats.line, LXW_ALIGN_VERTICAL_CENTER);
  formats.header = CellFormat(workbook, LXW_ALIGN_CENTER);
  format_set_bold(formats.header);
  formats.left = CellFormat(workbook, LXW_ALIGN_LEFT);
  formats.center = CellFormat(workbook, LXW_ALIGN_CENTER);
  return formats;
}

// Excel's limit is 32,767 characters; bytes >= characters, so this many bytes always fit.
constexpr std::size_t kMaxCellBytes = 32767;

bool IsHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

// An XLSX reader takes _xHHHH_ in a cell's text for the character U+HHHH (ECMA-376 22.9.2.19):
// 编号_x0041_ would show as 编号A. Its own underscore escaped as _x005F_ keeps the text as typed.
std::string EscapeCharacterCodes(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool code = text.compare(i, 2, "_x") == 0 && i + 6 < text.size() && text[i + 6] == '_' &&
                      std::all_of(text.begin() + i + 2, text.begin() + i + 6, IsHexDigit);
    out += code ? "_x005F_" : std::string(1, text[i]);  // the underscore, escaped
  }
  return out;
}

// What a cell may hold: text an XML document accepts (a database written before text was
// checked may hold anything), within Excel's 32,767 characters, visibly cut when longer, with
// any _xHHHH_ of its own escaped.
std::string CellText(const std::string& text) {
  constexpr std::string_view kCut = "…（已截断）";
  std::string safe = EscapeCharacterCodes(XmlSafeText(text));
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
    // Text checked when it was stored goes in as it is, uncopied; only what an older database
    // may hold is rewritten (CellText), and text holding an _xHHHH_ to escape. Measured on one
    // unit's ledger at 1M (55,560 rows): CPU 1,555 and 1,587 -> 1,458 and 1,577 ms a ledger,
    // noisy; the file is the same bytes.
    if (text.size() <= kMaxCellBytes && text.find("_x") == std::string::npos && CheckText("cell", text).ok())
      return Check(worksheet_write_string(sheet_, row, column, text.c_str(), format), row, column);
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

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) return Status::Internal("xlsx: cannot read back the temporary file");
  return bytes.str();
}

}  // namespace

// The workbook being written: rows go out in order, `row` is the next one.
struct XlsxWriter::Workbook {
  PrivateTempFile file;
  lxw_workbook* workbook = nullptr;
  lxw_worksheet* sheet = nullptr;
  Formats formats{};
  std::optional<SheetWriter> out;
  std::vector<Column> columns;
  std::vector<double> widths;
  std::string title;   // the document property points into it until the workbook is closed
  std::string tmpdir;  // where libxlsxwriter keeps the rows it flushed: beside `file`
  lxw_row_t row = 0;
  bool finished = false;

  ~Workbook() {
    if (workbook != nullptr) workbook_close(workbook);
  }
};

XlsxWriter::XlsxWriter(XlsxMemory memory) : memory_(memory) {}
XlsxWriter::~XlsxWriter() = default;

Status XlsxWriter::Begin(const FormFrame& frame) {
  if (workbook_) return Status::Internal("xlsx: the form was begun already");
  workbook_ = std::make_unique<Workbook>();
  Workbook& w = *workbook_;
  if (w.file.path().empty()) return Status::Internal("xlsx: cannot create a temporary file");
  lxw_workbook_options options{};
  options.constant_memory = memory_ == XlsxMemory::kRowByRow ? LXW_TRUE : LXW_FALSE;
  w.tmpdir = std::filesystem::path(w.file.path()).parent_path().string();
  options.tmpdir = w.tmpdir.data();
  w.workbook = workbook_new_opt(w.file.path().c_str(), &options);
  if (w.workbook == nullptr) return Status::Internal("xlsx: cannot create the workbook");

  w.title = CellText(frame.title);
  lxw_doc_properties properties{};
  properties.title = w.title.data();
  properties.created = frame.created != 0 ? frame.created : 1;  // 0 would make libxlsxwriter read the clock
  w.sheet = workbook_add_worksheet(w.workbook, frame.sheet_name.empty() ? nullptr : frame.sheet_name.c_str());
  SheetWriter& out = w.out.emplace(w.sheet, frame.columns);
  out.Check(workbook_set_properties(w.workbook, &properties), 0, 0);
  if (w.sheet == nullptr) return Status::Internal("xlsx: invalid worksheet name \"" + frame.sheet_name + "\"");
  w.formats = AddFormats(w.workbook);
  w.columns = frame.columns;

  lxw_row_t& row = w.row;
  if (!frame.attachment.empty()) out.Line(row++, frame.attachment, w.formats.attachment, kAttachmentPoints, kLineHeight);
  out.Line(row++, frame.title, w.formats.title, kTitlePoints, kTitleHeight);
  for (const std::string& line : frame.heading) out.Line(row++, line, w.formats.line, kLinePoints, kLineHeight);

  std::vector<std::string_view> headers;
  for (const Column& column : frame.columns) {
    w.widths.push_back(column.width);
    headers.push_back(column.header);
  }
  const lxw_row_t header_row = row++;
  out.Height(header_row, WrappedRowHeight(headers, w.widths, kCellPoints, kLineHeight));
  for (std::size_t c = 0; c < frame.columns.size(); ++c) {
    const auto column = static_cast<lxw_col_t>(c);
    out.Check(worksheet_set_column(w.sheet, column, column, frame.columns[c].width, nullptr), header_row, column);
    out.Cell(header_row, column, frame.columns[c].header, w.formats.header);
  }

  worksheet_set_paper(w.sheet, kPaperA4);
  if (frame.print == FormFrame::Print::kSheetOnePage) {
    worksheet_set_portrait(w.sheet);
    worksheet_fit_to_pages(w.sheet, 1, 1);
  } else {
    worksheet_set_landscape(w.sheet);
    worksheet_fit_to_pages(w.sheet, 1, 0);
  }
  worksheet_center_horizontally(w.sheet);
  worksheet_set_margins(w.sheet, 0.4, 0.4, 0.6, 0.6);
  out.Check(worksheet_set_footer(w.sheet, kPageFooter), header_row, 0);
  out.Check(worksheet_repeat_rows(w.sheet, header_row, header_row), header_row, 0);
  worksheet_freeze_panes(w.sheet, header_row + 1, 0);
  return out.status();
}

Status XlsxWriter::Add(const Row& cells) {
  if (!workbook_ || !workbook_->out || workbook_->finished) return Status::Internal("xlsx: no form begun");
  Workbook& w = *workbook_;
  SheetWriter& out = *w.out;
  RECTIFY_RETURN_IF_ERROR(out.status());
  std::vector<std::string_view> texts;
  for (std::size_t c = 0; c < w.columns.size(); ++c) {
    const Column& column = w.columns[c];
    static const std::string kEmpty;
    const std::string& text = c < cells.size() ? cells[c] : kEmpty;
    texts.push_back(text);
    out.Cell(w.row, static_cast<lxw_col_t>(c), text, column.align == Align::kCenter ? w.formats.center : w.formats.left,
             column.numeric);
  }
  out.Height(w.row, WrappedRowHeight(texts, w.widths, kCellPoints, kMinRowHeight));
  ++w.row;
  return out.status();
}

Status XlsxWriter::End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) {
  if (!workbook_ || !workbook_->out || workbook_->finished) return Status::Internal("xlsx: no form begun");
  Workbook& w = *workbook_;
  SheetWriter& out = *w.out;
  lxw_row_t& row = w.row;
  if (!notes.empty()) ++row;
  for (const std::string& line : notes) out.Line(row++, line, w.formats.line, kLinePoints, kClosingHeight);
  if (!closing.empty()) ++row;
  for (const std::string& line : closing) out.Line(row++, line, w.formats.line, kLinePoints, kClosingHeight);
  const lxw_error closed = workbook_close(w.workbook);  // writes the file and frees the workbook
  w.workbook = nullptr;
  RECTIFY_RETURN_IF_ERROR(out.status());
  if (closed != LXW_NO_ERROR) return Status::Internal(std::string("xlsx: ") + lxw_strerror(closed));
  w.finished = true;
  return Status::Ok();
}

Result<std::shared_ptr<SpooledFile>> XlsxWriter::File() const {
  if (!workbook_ || !workbook_->finished) return Status::Internal("xlsx: the form is not finished");
  std::shared_ptr<SpooledFile> file = SpooledFile::Open(workbook_->file.path());
  if (file == nullptr) return Status::Internal("xlsx: cannot read back the temporary file");
  return file;
}

Result<std::string> XlsxWriter::Bytes() const {
  if (!workbook_ || !workbook_->finished) return Status::Internal("xlsx: the form is not finished");
  return ReadFile(workbook_->file.path());
}

Result<std::string> WriteXlsx(const Table& table, XlsxMemory memory) {
  XlsxWriter writer(memory);
  RECTIFY_RETURN_IF_ERROR(WriteTable(table, writer));
  return writer.Bytes();
}

}  // namespace rectify::exports
