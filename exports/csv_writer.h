// A Table's data as CSV, for Excel on Windows (the offices' spreadsheet) and for any program:
// the header row and the rows, then (after an empty record) the notes, one cell each; the title,
// heading and closing lines are print-only and left out.
//
//   - UTF-8 with a byte-order mark: without it Excel reads the file in the system code page
//     (GBK on Chinese Windows) and garbles every Chinese character.
//   - CRLF after every record, RFC 4180 quoting: a field containing a comma, a double quote, CR
//     or LF is enclosed in double quotes, and a double quote inside is doubled.
//   - Formula-injection guard: a field starting with '=', '+', '-', '@', a tab or CR gets a
//     leading "'" so that a spreadsheet shows it as text instead of running it; a plain signed
//     number ("-42%") is not a formula and goes as it is.
//   - Digits a spreadsheet would change (more than 15 of them: an ID or bank account number;
//     or a leading zero) go as ="…", which Excel shows as the digits, unchanged.
#pragma once

#include <string>
#include <string_view>

#include "exports/table.h"

namespace rectify::exports {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A FormWriter of CSV text, appended as the rows come; bytes() is the text so far.
class CsvWriter final : public FormWriter {
 public:
  Status Begin(const FormFrame& frame) override;
  Status Add(const Row& row) override;
  Status End(const std::vector<std::string>& notes, const std::vector<std::string>& closing) override;

  std::string& bytes() { return out_; }

 private:
  std::size_t width_ = 0;
  std::string out_;
};

std::string WriteCsv(const Table& table);

// One field as WriteCsv writes it: guarded, then quoted when needed.
std::string CsvField(std::string_view text);

}  // namespace rectify::exports
