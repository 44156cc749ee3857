#include "exports/row_height.h"

#include <string>

#include <catch2/catch.hpp>

namespace rectify::exports {
namespace {

TEST_CASE("Printed lines count wide characters as two units and wrap at any character and at line breaks") {
  struct Case {
    const char* text;
    double width;
    int lines;
  };
  const Case cases[] = {
      {"", 10, 1},
      {"2021-10-31", 11, 1},                      // ten narrow characters in ten usable units
      {"2021-10-31 17:30", 11, 2},
      {"国家脱贫攻坚成效考核后评估反馈问题", 14, 3},  // 17 wide characters, six to a line
      {"国家脱贫攻坚成效考核反馈问题", 14, 3},        // 15: 6 + 6 + 3
      {"已撤销，退回整改1次", 12, 2},                 // the full-width comma is wide too
      {"已逾期", 12, 1},
      {"第一行\n第二行", 30, 2},
      {"第一行\r\n\r\n第三行", 30, 3},
      {"一", 1, 1},                                // never fewer than one character a line
  };
  for (const Case& c : cases) {
    INFO(c.text << " in " << c.width);
    CHECK(PrintedLines(c.text, c.width) == c.lines);
  }
  CHECK(PrintedLines("国家脱贫攻坚成效考核后评估反馈问题", 14, 11) == 4);  // a larger font takes more room
}

TEST_CASE("A row is as tall as its tallest cell and never shorter than the minimum") {
  CHECK(WrappedRowHeight({"1", "短", ""}, {5, 14, 12}, 10, 18) == 18);
  const double two = WrappedRowHeight({"1", "已撤销，退回整改1次"}, {5, 12}, 10, 18);
  const double three = WrappedRowHeight({"国家脱贫攻坚成效考核后评估反馈问题", "已撤销，退回整改1次"}, {14, 12}, 10, 18);
  CHECK(two >= 2 * 13.5);
  CHECK(three >= 3 * 13.5);
  CHECK(three > two);
  // Never taller than Excel opens: 409 pt, however long the text.
  std::string long_text;
  for (int i = 0; i < 2000; ++i) long_text += "问";
  CHECK(WrappedRowHeight({long_text}, {20}, 10, 18) == 409);
  CHECK(WrappedRowHeight({long_text.substr(0, 3 * 60)}, {20}, 10, 18) < 409);
}

}  // namespace
}  // namespace rectify::exports
