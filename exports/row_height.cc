#include "exports/row_height.h"

#include <algorithm>
#include <cstdint>

namespace rectify::exports {
namespace {

constexpr double kPaddingUnits = 1;
constexpr double kLineFactor = 1.35;  // a line's height over the font size
constexpr double kRowPadding = 4;     // points above and below the text

// The code point starting at text[i] (advancing i); a broken sequence counts as one byte.
std::uint32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i++]);
  int more = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
  std::uint32_t code = more == 3 ? byte & 0x07u : more == 2 ? byte & 0x0Fu : more == 1 ? byte & 0x1Fu : byte;
  while (more-- > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
    code = (code << 6) | (static_cast<unsigned char>(text[i++]) & 0x3Fu);
  return code;
}

// CJK ideographs and punctuation, kana, Hangul, full-width forms: two units wide.
bool IsWide(std::uint32_t code) {
  return (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) || (code >= 0xAC00 && code <= 0xD7A3) ||
         (code >= 0xF900 && code <= 0xFAFF) || (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
         (code >= 0xFFE0 && code <= 0xFFE6) || code >= 0x20000;
}

}  // namespace

int PrintedLines(std::string_view text, double width, double font_points) {
  const double scale = font_points / 10;
  const double usable = std::max(width - kPaddingUnits, 2.0);
  int lines = 1;
  double used = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::uint32_t code = NextCodePoint(text, i);
    if (code == '\r') continue;
    if (code == '\n') {
      ++lines;
      used = 0;
      continue;
    }
    const double units = (IsWide(code) ? 2 : 1) * scale;
    if (used > 0 && used + units > usable) {
      ++lines;
      used = 0;
    }
    used += units;
  }
  return lines;
}

double WrappedRowHeight(const std::vector<std::string_view>& texts, const std::vector<double>& widths,
                        double font_points, double minimum) {
  int lines = 1;
  for (std::size_t c = 0; c < texts.size() && c < widths.size(); ++c)
    lines = std::max(lines, PrintedLines(texts[c], widths[c], font_points));
  // Excel's tallest row: a taller height is refused (the file "needs repair"). A cell whose text
  // needs more prints cut at the row's foot; the CSV and the item's page hold it whole.
  constexpr double kMaxRowHeight = 409;
  return std::min(kMaxRowHeight, std::max(minimum, lines * font_points * kLineFactor + kRowPadding));
}

}  // namespace rectify::exports
