#include "exports/csv_writer.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/exports/read_back.h"

namespace rectify::exports {
namespace {

using rectify::testing::ParseCsv;

Table TwoColumns(std::vector<Row> rows) {
  Table table;
  table.title = "标题只在打印件上";
  table.heading = {"表头说明"};
  table.columns = {{"序号", 5, Align::kCenter}, {"内容", 20}};
  table.rows = std::move(rows);
  table.closing = {"单位负责人签字"};
  return table;
}

TEST_CASE("A CSV starts with a UTF-8 byte-order mark and ends every record with CRLF") {
  const std::string csv = WriteCsv(TwoColumns({{"1", "问题描述"}, {"2", "整改措施"}}));
  CHECK(csv.substr(0, 3) == "\xEF\xBB\xBF");
  CHECK(csv.substr(3) == "序号,内容\r\n1,问题描述\r\n2,整改措施\r\n");
}

TEST_CASE("A CSV holds the header and the rows but not the print-only title heading or closing") {
  const std::string csv = WriteCsv(TwoColumns({{"1", "甲"}}));
  CHECK(csv.find("标题只在打印件上") == std::string::npos);
  CHECK(csv.find("表头说明") == std::string::npos);
  CHECK(csv.find("单位负责人签字") == std::string::npos);
  CHECK(ParseCsv(csv) == std::vector<std::vector<std::string>>{{"序号", "内容"}, {"1", "甲"}});
}

TEST_CASE("CSV fields with a comma a quote or a line break are quoted and inner quotes doubled") {
  CHECK(CsvField("plain 文字") == "plain 文字");
  CHECK(CsvField("甲,乙") == "\"甲,乙\"");
  CHECK(CsvField("他说\"好\"") == "\"他说\"\"好\"\"\"");
  CHECK(CsvField("第一行\n第二行") == "\"第一行\n第二行\"");
  CHECK(CsvField("第一行\r\n第二行") == "\"第一行\r\n第二行\"");
  CHECK(CsvField("") == "");
}

TEST_CASE("CSV fields that a spreadsheet would run as a formula get a leading apostrophe") {
  CHECK(CsvField("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(CsvField("+1+1") == "'+1+1");
  CHECK(CsvField("-2+3") == "'-2+3");
  CHECK(CsvField("@SUM(A1)") == "'@SUM(A1)");
  CHECK(CsvField("\tcmd") == "'\tcmd");
  CHECK(CsvField("\rcmd") == "\"'\rcmd\"");
  // Only the first character counts: these are ordinary text.
  CHECK(CsvField("a=b") == "a=b");
  CHECK(CsvField("2021-10-26") == "2021-10-26");
  CHECK(CsvField("＝全角等号") == "＝全角等号");
}

TEST_CASE("A signed number is not a formula and goes without the guard") {
  CHECK(CsvField("-42%") == "-42%");
  CHECK(CsvField("-3.5") == "-3.5");
  CHECK(CsvField("+7") == "+7");
  CHECK(CsvField("-1 危房") == "'-1 危房");
  CHECK(CsvField("-1.") == "'-1.");
  CHECK(CsvField("-.5") == "'-.5");
  CHECK(CsvField("-1-1") == "'-1-1");
  CHECK(CsvField("-") == "'-");
  CHECK(CsvField("-%") == "'-%");
}

TEST_CASE("Digits Excel would change go as a text formula, the rest as they are") {
  // More than 15 digits: Excel keeps 15 and shows 4.30922E+17.
  CHECK(CsvField("430922198001010010") == "\"=\"\"430922198001010010\"\"\"");
  CHECK(CsvField("6217000012345678901") == "\"=\"\"6217000012345678901\"\"\"");
  CHECK(CsvField("0731123456") == "\"=\"\"0731123456\"\"\"");  // a leading zero
  // 11 digits or more, a mobile number: Excel shows 1.38E+10 in a column of the default width.
  CHECK(CsvField("13812345678") == "\"=\"\"13812345678\"\"\"");
  CHECK(CsvField("123456789012345") == "\"=\"\"123456789012345\"\"\"");
  // An ID ending in X is text to Excel already; a count or an amount is a number.
  CHECK(CsvField("43092219800101001X") == "43092219800101001X");
  CHECK(CsvField("1234567890") == "1234567890");
  CHECK(CsvField("0") == "0");
  CHECK(CsvField("12") == "12");
  // Read back by an RFC 4180 reader, the field is the formula Excel evaluates to the digits.
  const auto records = ParseCsv(WriteCsv(TwoColumns({{"1", "430922198001010010"}})));
  REQUIRE(records.size() == 2);
  CHECK(records[1][1] == "=\"430922198001010010\"");
}

TEST_CASE("A CSV read back by an RFC 4180 reader gives every cell as written apart from the guard") {
  const std::vector<Row> rows = {{"1", "含,逗号"}, {"2", "含\"引号\""}, {"3", "两行\r\n文字"}, {"4", "=1+1"}};
  const auto records = ParseCsv(WriteCsv(TwoColumns(rows)));
  REQUIRE(records.size() == 5);
  CHECK(records[1] == std::vector<std::string>{"1", "含,逗号"});
  CHECK(records[2] == std::vector<std::string>{"2", "含\"引号\""});
  CHECK(records[3] == std::vector<std::string>{"3", "两行\r\n文字"});
  CHECK(records[4] == std::vector<std::string>{"4", "'=1+1"});
}

TEST_CASE("A CSV record has one field per column whatever the row holds") {
  const auto records = ParseCsv(WriteCsv(TwoColumns({{"1"}, {"2", "乙", "多余"}})));
  REQUIRE(records.size() == 3);
  CHECK(records[1] == std::vector<std::string>{"1", ""});
  CHECK(records[2] == std::vector<std::string>{"2", "乙"});
}

}  // namespace
}  // namespace rectify::exports
