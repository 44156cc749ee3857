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

struct ReadOptions {
  std::string campaign_path;
  // 1M is asked for with --read-sizes 100000,1000000: until the reports are aggregates (#11) the
  // server reads every item with its history for them, which at 1M would need some 19 GiB.
  std::vector<int> sizes{100000};
  int repeats = 3;  // each read is timed this often; the table shows the median
};

// Prints the table's rows; returns the same as JSON.
nlohmann::json MeasureReads(const ReadOptions& options);

}  // namespace rectify::bench
