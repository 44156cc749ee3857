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
