// The XLSX reader on crafted workbooks: what it reads (cells and rows with or without their
// references) and what it refuses before taking the memory (every limit of xlsx_reader.h).
#include <catch2/catch.hpp>

#include "exports/xlsx_reader.h"
#include "tests/exports/crafted_xlsx.h"

namespace rectify::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The refusal of `bytes`: kInvalidArgument on field "file"; returns its message.
std::string Refusal(const std::string& bytes) {
  const auto rows = exports::ReadXlsxRows(bytes);
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().code() == StatusCode::kInvalidArgument);
  CHECK(rows.status().field() == "file");
  return rows.status().message();
}

}  // namespace

TEST_CASE("cells and rows without references follow the ones before them") {
  const std::string xlsx = CraftedXlsx(
      "<row>" + InlineCell("", "a") + InlineCell("", "b") + "</row>"    // row 1: A1, B1
      "<row>" + InlineCell("", "c") + "</row>"                          // row 2 starts again at A
      "<row r=\"4\">" + InlineCell("B4", "d") + InlineCell("", "e") + "</row>"  // after B4: C4
      "<row>" + InlineCell("", "f") + "</row>");                        // after row 4: row 5
  const auto rows = exports::ReadXlsxRows(xlsx);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  CHECK(*rows == Rows{{"a", "b"}, {"c"}, {}, {"", "d", "e"}, {"f"}});
}

TEST_CASE("a number whose format shows a date is read as the date, any other number as stored") {
  // Excel keeps a date as its day number; only the cell's format (styles.xml) says it is one.
  const std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<numFmts count=\"3\">"
      "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
      "<numFmt numFmtId=\"177\" formatCode=\"[$-804]&quot;第&quot;0&quot;号&quot;\"/>"
      "<numFmt numFmtId=\"178\" formatCode=\"yyyy/m/d\\ h:mm\"/></numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"  // not a cell's format
      "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"176\"/>"
      "<xf numFmtId=\"177\"/><xf numFmtId=\"20\"/><xf numFmtId=\"2\"/><xf numFmtId=\"178\"/></cellXfs>"
      "</styleSheet>";
  auto cell = [](const std::string& reference, int style, const std::string& value) {
    return "<c r=\"" + reference + "\" s=\"" + std::to_string(style) + "\"><v>" + value + "</v></c>";
  };
  const std::string xlsx = CraftedXlsx(
      "<row r=\"1\">" + cell("A1", 1, "44499") + cell("B1", 2, "44500") + cell("C1", 6, "44499.729166666664") +
          cell("D1", 6, "44499.99999") + "</row>"
      "<row r=\"2\">" + cell("A2", 0, "44499") + cell("B2", 3, "44499") + cell("C2", 4, "0.75") +
          cell("D2", 5, "44499") + "<c r=\"E2\"><v>44499</v></c>" + cell("F2", 9, "44499") + "</row>"
      "<row r=\"3\">" + cell("A3", 1, "12") + cell("B3", 1, "NaN") + "<c r=\"C3\" s=\"1\" t=\"inlineStr\"><is><t>44499</t></is></c>" +
          "</row>",
      {}, styles);
  const auto rows = exports::ReadXlsxRows(xlsx);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  // 14 (m/d/yyyy), a custom 年月日 and a date with a time: the date, and the time to the minute
  // (17:29:59.99 is 17:30; 23:59:59 rounds to 24:00, that day's end: the date alone).
  CHECK((*rows)[0] == std::vector<std::string>{"2021-10-30", "2021-10-31", "2021-10-30 17:30", "2021-10-30"});
  // General, a custom number that is no date ([$-804] is a locale, not a day), a time of day
  // (20: h:mm), 0.00, no style, a style that is not there: as stored.
  CHECK((*rows)[1] == std::vector<std::string>{"44499", "44499", "0.75", "44499", "44499", "44499"});
  // A day before 1900-03-01 is no date the import could want; text is text whatever its format.
  CHECK((*rows)[2] == std::vector<std::string>{"12", "NaN", "44499"});
}

TEST_CASE("a workbook that counts its days from 1904 gives the dates it shows") {
  const std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
  auto workbook = [](const std::string& pr) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
           "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + pr + "<sheets/></workbook>";
  };
  // 2021-10-30 is day 44499 from 1900 and day 43037 from 1904 (Excel for Mac's old default).
  const std::string rows = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43037</v></c></row>";
  for (const char* pr : {"<workbookPr date1904=\"1\"/>", "<workbookPr date1904=\"true\"/>"}) {
    const auto read = exports::ReadXlsxRows(CraftedXlsx(rows, {}, styles, workbook(pr)));
    REQUIRE(read.ok());
    CHECK(*read == Rows{{"2021-10-30"}});
  }
  const auto from1900 = exports::ReadXlsxRows(CraftedXlsx(rows, {}, styles, workbook("<workbookPr date1904=\"0\"/>")));
  REQUIRE(from1900.ok());
  CHECK(*from1900 == Rows{{"2017-10-29"}});
}

TEST_CASE("cells that only carry formatting take nothing however far out they are") {
  // Excel writes styled empty cells and rows; they are neither text nor over a limit.
  const std::string xlsx = CraftedXlsx("<row r=\"1\">" + InlineCell("A1", "领域") +
                                       "<c r=\"ZZZ1\" s=\"3\"/></row><row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>");
  const auto rows = exports::ReadXlsxRows(xlsx);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  CHECK(*rows == Rows{{"领域"}});
}

TEST_CASE("a shared string used by many cells is refused once their text passes the total") {
  // About 4 KB of archive for 20 MiB of cells: 100 KiB used 200 times.
  const std::string bomb = SharedStringBomb(100 * 1024, 200);
  CHECK(bomb.size() < 16 * 1024);
  const std::string message = Refusal(bomb);
  CHECK(Contains(message, "the cells hold more than 16 MiB of text (a shared string counts every time a cell uses it)"));
  // Used often enough to stay under the total, it is read.
  const auto rows = exports::ReadXlsxRows(SharedStringBomb(100 * 1024, 100));
  REQUIRE(rows.ok());
  CHECK(rows->size() == 7);
}

TEST_CASE("a cell with text beyond the last column or row read is refused naming it") {
  CHECK(Contains(Refusal(CraftedXlsx("<row r=\"1\">" + InlineCell("ZZZ1", "x") + "</row>")),
                 "cell ZZZ1 has text; at most 64 columns (A to BL) are read"));
  CHECK(Contains(Refusal(CraftedXlsx("<row r=\"1\">" + InlineCell("BM1", "x") + "</row>")), "cell BM1 has text"));
  const auto last_column = exports::ReadXlsxRows(CraftedXlsx("<row r=\"1\">" + InlineCell("BL1", "x") + "</row>"));
  REQUIRE(last_column.ok());
  CHECK((*last_column)[0].size() == 64);
  CHECK(Contains(Refusal(CraftedXlsx("<row r=\"10001\">" + InlineCell("A10001", "x") + "</row>")),
                 "cell A10001 has text; at most 10000 rows are read"));
}

TEST_CASE("one cell or one shared string over 128 KiB is refused") {
  const std::string huge(128 * 1024 + 1, 'x');
  CHECK(Contains(Refusal(CraftedXlsx("<row>" + InlineCell("", huge) + "</row>")), "cell A1 holds more than 128 KiB of text"));
  CHECK(Contains(Refusal(CraftedXlsx("<row><c><v>" + huge + "</v></c></row>")), "cell A1 holds more than 128 KiB"));
  CHECK(Contains(Refusal(CraftedXlsx("<row><c t=\"s\"><v>0</v></c></row>", {huge})),
                 "shared string 0 holds more than 128 KiB of text"));
}

TEST_CASE("a tag or comment of megabytes is refused before expat reads it again and again") {
  // A 60 KB upload whose row carried 60 MB of attributes kept a core busy for 49 s (audit 21).
  std::string attributes;
  for (int i = 0; attributes.size() <= 2 * 1024 * 1024; ++i) attributes += " a" + std::to_string(i) + "=\"" + std::string(200, 'x') + "\"";
  CHECK(Contains(Refusal(CraftedXlsx("<row" + attributes + "><c><v>1</v></c></row>")),
                 "holds a tag or comment of more than 1 MiB"));
  CHECK(Contains(Refusal(CraftedXlsx("<!--" + std::string(2 * 1024 * 1024, 'x') + "--><row><c><v>1</v></c></row>")),
                 "holds a tag or comment of more than 1 MiB"));
  // Text as long is read as it comes: a cell just under its limit is kept.
  const std::string long_text(120 * 1024, 'x');
  const auto rows = exports::ReadXlsxRows(CraftedXlsx("<row>" + InlineCell("", long_text) + "</row>"));
  REQUIRE(rows.ok());
  CHECK(rows->at(0).at(0) == long_text);
}

TEST_CASE("too many shared strings or cells with text are refused") {
  const std::vector<std::string> strings(100'001, "a");
  CHECK(Contains(Refusal(CraftedXlsx("<row><c t=\"s\"><v>0</v></c></row>", strings)), "more than 100000 shared strings"));
  std::string rows;
  std::string row = "<row>";
  for (int c = 0; c < 50; ++c) row += "<c><v>1</v></c>";
  row += "</row>";
  for (int r = 0; r < 2001; ++r) rows += row;  // 100,050 cells in 2,001 rows of 50 columns
  CHECK(Contains(Refusal(CraftedXlsx(rows)), "more than 100000 cells have text"));
}

TEST_CASE("rows out of order and cells outside a row are not a workbook") {
  CHECK(Contains(Refusal(CraftedXlsx("<row r=\"2\"/><row r=\"1\"/>")), "rows out of order"));
  CHECK(Contains(Refusal(CraftedXlsx("<row r=\"x\"/>")), "rows out of order"));
  CHECK(Contains(Refusal(CraftedXlsx(InlineCell("A1", "x"))), "a cell outside a row"));
  CHECK(Contains(Refusal(CraftedXlsx("<row><c t=\"s\"><v>7</v></c></row>", {"a"})), "a shared string that is not there"));
}

}  // namespace rectify::testing
