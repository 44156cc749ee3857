// make bench's read figures at a county's size: the generated data set (generated_data.h) of
// each size in a database file, two `rectify notify --once` passes over every unit (their time
// and peak RSS), then the real `rectify serve` started on it as a child process,
// timed from spawn until /api/health answers (start-up), the office's reads over HTTP (the
// dashboard, the scores, the gates, the bulletin and ledger exports, the overdue page), the
// server's peak RSS (VmHWM) after them. Measuring the shipped binary, not code linked into the bench, keeps
// the bench's own memory out of the figures.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rectify::bench {

// A read that answers within this many milliseconds the first time is timed quick_repeats times.
inline constexpr double kQuickReadMs = 100;

struct ReadOptions {
  std::string campaign_path;
  // A town's size and a county's, both by default as #11 asks; the million takes about 2 minutes
  // to generate and 1.3 GB of the temp directory (--read-sizes 100000 for a quick run).
  std::vector<int> sizes{100000, 1000000};
  int repeats = 3;  // each read is timed this often; the table shows the median
  // A read that answers within kQuickReadMs (the first time) is timed this often instead: three
  // samples of a few milliseconds right after an 18-second export were at the mercy of whatever
  // the machine did next (the overdue page's median of 3 went 4.7 -> 7.2 ms between two runs of
  // the same code, 3.1-3.8 ms by hand).
  int quick_repeats = 15;
};

// Prints the table's rows; returns the same as JSON.
nlohmann::json MeasureReads(const ReadOptions& options);

}  // namespace rectify::bench
