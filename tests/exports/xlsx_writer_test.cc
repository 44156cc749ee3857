#include "exports/xlsx_writer.h"

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/exports/read_back.h"

namespace rectify::exports {
namespace {

using rectify::testing::CellText;
using rectify::testing::ReadXlsx;
using rectify::testing::RowTexts;

// Rows 1-4 are the attachment, the title and two heading lines, so the header is row 5.
Table Sample() {
  Table table;
  table.sheet_name = "测试表";
  table.attachment = "附件9";
  table.title = "测试标题";
  table.heading = {"第一行说明", "第二行说明"};
  table.columns = {{"序号", 5, Align::kCenter}, {"内容", 30}, {"备注", 12}};
  table.rows = {{"1", "一段较长的问题描述，打印时应当自动换行", "=1+1"}, {"2", "+SUM(A1:A2)", "@cmd"}, {"3"}};
  table.closing = {"单位负责人签字：______"};
  table.created = ShanghaiInstant(CivilDate{2021, 10, 22}, 9 * 3600);
  return table;
}

nlohmann::json WrittenSample() {
  auto bytes = WriteXlsx(Sample());
  INFO(bytes.status().ToString());
  REQUIRE(bytes.ok());
  return ReadXlsx(*bytes);
}

TEST_CASE("An XLSX form prints the attachment title heading header rows and closing in that order") {
  const auto sheet = WrittenSample();
  CHECK(sheet["sheet_names"] == nlohmann::json::array({"测试表"}));
  CHECK(CellText(sheet, 0, 0) == "附件9");
  CHECK(CellText(sheet, 1, 0) == "测试标题");
  CHECK(CellText(sheet, 2, 0) == "第一行说明");
  CHECK(CellText(sheet, 3, 0) == "第二行说明");
  CHECK(RowTexts(sheet, 4) == std::vector<std::string>{"序号", "内容", "备注"});
  CHECK(RowTexts(sheet, 5) == std::vector<std::string>{"1", "一段较长的问题描述，打印时应当自动换行", "=1+1"});
  CHECK(RowTexts(sheet, 7) == std::vector<std::string>{"3", "", ""});
  CHECK(RowTexts(sheet, 8) == std::vector<std::string>{"", "", ""});  // a blank row before the signature
  CHECK(CellText(sheet, 9, 0) == "单位负责人签字：______");
  CHECK(sheet["rows"].size() == 10);
  CHECK(sheet["merged"] == nlohmann::json::array({"A10:C10", "A1:C1", "A2:C2", "A3:C3", "A4:C4"}));
}

TEST_CASE("An XLSX form is A4 landscape one page wide with the header row repeated and frozen") {
  const auto sheet = WrittenSample();
  CHECK(sheet["orientation"] == "landscape");
  CHECK(sheet["paper_size"] == 9);
  CHECK(sheet["fit_to_page"] == true);
  CHECK(sheet["fit_to_width"] == 1);
  CHECK(sheet["fit_to_height"] == 0);
  CHECK(sheet["print_title_rows"] == "$5:$5");
  CHECK(sheet["freeze_panes"] == "A6");
  CHECK(sheet["footer"].get<std::string>().find("第 &P 页，共 &N 页") != std::string::npos);
  const std::string workbook_xml = sheet["parts"]["xl/workbook.xml"];
  const std::string sheet_xml = sheet["parts"]["xl/worksheets/sheet1.xml"];
  CHECK(workbook_xml.find("name=\"_xlnm.Print_Titles\"") != std::string::npos);
  CHECK(workbook_xml.find("'测试表'!$5:$5") != std::string::npos);
  CHECK(sheet_xml.find("paperSize=\"9\"") != std::string::npos);
  CHECK(sheet_xml.find("orientation=\"landscape\"") != std::string::npos);
  CHECK(sheet_xml.find("fitToHeight=\"0\"") != std::string::npos);
  CHECK(sheet_xml.find("<pageSetUpPr fitToPage=\"1\"/>") != std::string::npos);
}

TEST_CASE("An XLSX form has bordered wrapped cells a bold header and the given column widths") {
  const auto sheet = WrittenSample();
  for (const auto& cell : sheet["rows"][4]) {
    CHECK(cell["bold"] == true);
    CHECK(cell["border"] == true);
  }
  for (std::size_t row = 5; row <= 7; ++row) {
    for (const auto& cell : sheet["rows"][row]) {
      CHECK(cell["wrap"] == true);
      CHECK(cell["border"] == true);
    }
  }
  CHECK(sheet["rows"][0][0]["border"] == false);
  // Excel stores a width with its padding: the given width plus less than one character.
  const std::vector<std::pair<std::string, double>> widths = {{"A", 5}, {"B", 30}, {"C", 12}};
  for (const auto& [column, width] : widths) {
    INFO(column);
    const double stored = sheet["column_widths"][column];
    CHECK(stored >= width);
    CHECK(stored < width + 1);
  }
}

TEST_CASE("An XLSX form sets every row as tall as its wrapped text so nothing is clipped when printed") {
  Table table = Sample();
  table.columns[1].width = 14;
  table.rows[0][1] = "国家脱贫攻坚成效考核后评估反馈问题";  // 3 lines of 14 units
  table.rows[1][2] = "已撤销，退回整改1次";                  // 2 lines of 12 units
  table.closing = {std::string(60, 'x') + "单位负责人签字：______"};  // wider than the 31 units of the table
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  const auto height = [&](int row) { return sheet["row_heights"].value(std::to_string(row), 0.0); };
  CHECK(height(6) >= 3 * 13.5);  // the first data row (1-based row 6)
  CHECK(height(7) >= 2 * 13.5);
  CHECK(height(7) < height(6));
  CHECK(height(8) >= 15);        // a one-line row still has its height set
  CHECK(height(8) < 2 * 13.5);
  CHECK(height(10) >= 3 * 11 * 1.35);  // the closing line wraps across the merged width: 4 lines
  CHECK(sheet["rows"][9][0]["wrap"] == true);  // and is set to wrap, so it is not cut at the edge
}

TEST_CASE("An XLSX sheet that is signed prints on one A4 portrait page") {
  Table table = Sample();
  table.print = FormFrame::Print::kSheetOnePage;
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  CHECK(sheet["orientation"] == "portrait");
  CHECK(sheet["paper_size"] == 9);
  CHECK(sheet["fit_to_page"] == true);
  CHECK(sheet["fit_to_width"] == 1);
  CHECK(sheet["fit_to_height"] == 1);
}

TEST_CASE("An XLSX numeric column writes numbers as numbers and anything else in it as text") {
  Table table = Sample();
  table.columns[0].numeric = true;
  table.rows[2] = {"—"};
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  CHECK(sheet["rows"][5][0]["type"] == "n");
  CHECK(CellText(sheet, 5, 0) == "1");
  CHECK(sheet["rows"][6][0]["type"] == "n");
  CHECK(sheet["rows"][7][0]["type"] == "s");
  CHECK(sheet["rows"][4][0]["type"] == "s");  // the header stays text
  CHECK(sheet["rows"][5][1]["type"] == "s");  // other columns too, digits or not
}

TEST_CASE("An XLSX cell that looks like a formula is written as text") {
  const auto sheet = WrittenSample();
  for (const auto& [row, column] : std::vector<std::pair<int, int>>{{5, 2}, {6, 1}, {6, 2}}) {
    INFO(row << "," << column);
    CHECK(sheet["rows"][row][column]["type"] == "s");
  }
  CHECK(CellText(sheet, 6, 1) == "+SUM(A1:A2)");
  CHECK(sheet["parts"]["xl/worksheets/sheet1.xml"].get<std::string>().find("<f>") == std::string::npos);
}

TEST_CASE("An XLSX cell's own _xHHHH_ is escaped so Excel shows it as typed, not as the character it codes") {
  Table table = Sample();
  table.rows[0][1] = "编号_x0041_与_x000D_字样，_x12_ 与 _xZZZZ_ 照旧";
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  // Excel decodes _xHHHH_ in a cell's text (ECMA-376 22.9.2.19): unescaped, this would show
  // 编号A与↵字样. openpyxl decodes none of an inline string, so the stored XML is checked.
  const auto sheet = ReadXlsx(*bytes);
  const std::string xml = sheet.at("parts").at("xl/worksheets/sheet1.xml").get<std::string>();
  CHECK(xml.find("编号_x005F_x0041_与_x005F_x000D_字样，_x12_ 与 _xZZZZ_ 照旧") != std::string::npos);
}

TEST_CASE("An XLSX cell with control characters typed into a note still opens") {
  Table table = Sample();
  table.rows[0][1] = std::string("第一行\n第二行\x01\x1f结束");
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const std::string text = CellText(ReadXlsx(*bytes), 5, 1);
  CHECK(text.find("第一行\n第二行") == 0);
  CHECK(text.find("结束") != std::string::npos);
}

TEST_CASE("An XLSX form records the export's time as created and is the same bytes every time") {
  const auto first = WriteXlsx(Sample());
  const auto second = WriteXlsx(Sample());
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first == *second);
  CHECK(ReadXlsx(*first)["created"] == "2021-10-22T01:00:00");  // 09:00 in Shanghai, in UTC
}

TEST_CASE("An XLSX form of one column writes its lines without merging") {
  Table table = Sample();
  table.columns = {{"内容", 30}};
  table.rows = {{"甲"}, {"乙"}};
  auto bytes = WriteXlsx(table);
  REQUIRE(bytes.ok());
  const auto sheet = ReadXlsx(*bytes);
  CHECK(sheet["merged"].empty());
  CHECK(CellText(sheet, 1, 0) == "测试标题");
  CHECK(CellText(sheet, 5, 0) == "甲");
  CHECK(CellText(sheet, 8, 0) == "单位负责人签字：______");
}

TEST_CASE("An XLSX export fails with the reason when a sheet name or a cell is refused") {
  Table bad_name = Sample();
  bad_name.sheet_name = "台账[1]";
  const auto named = WriteXlsx(bad_name);
  REQUIRE_FALSE(named.ok());
  CHECK(named.status().code() == StatusCode::kInternal);

}

TEST_CASE("An XLSX cell over Excel's limit is cut with a mark and the rest of the form is written") {
  Table too_long = Sample();
  too_long.rows[1][1] = std::string(40000, 'x');  // Excel's limit is 32,767 characters a cell
  const auto written = WriteXlsx(too_long);
  REQUIRE(written.ok());
  const std::string cell = CellText(ReadXlsx(*written), 6, 1);
  CHECK(cell.size() <= 32767);
  CHECK(cell.size() > 32000);
  CHECK(cell.find("已截断") != std::string::npos);
}

TEST_CASE("An XLSX cell keeps no control characters or non-characters a database may hold") {
  Table odd = Sample();
  odd.rows[1][1] = std::string("整改\0完成\x01\xEF\xBF\xBE\xFF", 18);
  const auto written = WriteXlsx(odd);
  REQUIRE(written.ok());
  CHECK(CellText(ReadXlsx(*written), 6, 1) == "整改完成\xEF\xBF\xBD");  // the stray byte shows as U+FFFD
}

// Points TMPDIR elsewhere for one scope and puts it back.
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const std::string& dir) {
    if (const char* old = getenv("TMPDIR")) old_ = old;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (old_) setenv("TMPDIR", old_->c_str(), 1);
    else unsetenv("TMPDIR");
  }
  ScopedTmpdir(const ScopedTmpdir&) = delete;
  ScopedTmpdir& operator=(const ScopedTmpdir&) = delete;

 private:
  std::optional<std::string> old_;
};

TEST_CASE("An XLSX export leaves no file behind and fails when it has nowhere to write") {
  rectify::testing::TempDir dir;
  {
    ScopedTmpdir tmpdir(dir.path());
    REQUIRE(WriteXlsx(Sample()).ok());
    CHECK(std::filesystem::is_empty(dir.path()));
  }
  ScopedTmpdir missing(dir.File("missing"));
  const auto written = WriteXlsx(Sample());
  REQUIRE_FALSE(written.ok());
  CHECK(written.status().code() == StatusCode::kInternal);
}

}  // namespace
}  // namespace rectify::exports
