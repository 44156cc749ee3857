// How tall a row of wrapped text must be to print whole. A row's height is stored in the file:
// Excel and LibreOffice Calc show a row written without one at one line's height whatever its
// wrapped text, so the printed form cuts it ("国家脱贫攻坚成效考核后评估反馈问题" in a column
// 14 wide). The writer sets every row's height from its text instead.
//
// The estimate is deliberately on the generous side: a column's width is in Excel character
// units (the width of "0" in the default font, ~7 px); a CJK or full-width character of the
// forms' 10 pt 宋体 takes about 2 units, any other character 1; a cell loses about one unit to
// its padding; a line of 10 pt text takes 13.5 pt. Text wraps at any character (as CJK text
// does) and at every line break of its own.
#pragma once

#include <string_view>
#include <vector>

namespace rectify::exports {

// The number of printed lines of `text` in a column `width` units wide, at `font_points` (the
// character widths above scale with the font: 2.2 units at 11 pt). At least 1.
int PrintedLines(std::string_view text, double width, double font_points = 10);

// The height in points of a row whose cells hold `texts` in columns of `widths` (same length),
// at `font_points`: the tallest cell's lines, and never less than `minimum` nor more than 409 pt
// (the tallest row Excel opens).
double WrappedRowHeight(const std::vector<std::string_view>& texts, const std::vector<double>& widths,
                        double font_points, double minimum);

}  // namespace rectify::exports
