// make bench's transitions: POST /api/problems/{id}/events with a progress note, as a unit
// member with a bearer token, at 1 and 8 keep-alive clients, against rectify and, in the same
// run with the same load generator (wrk_load.h), against the naive ceiling (naive_server.h)
// with synchronous=NORMAL and FULL. Runs alternate between the three servers, so a change in
// the machine's load falls on all of them alike.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rectify::bench {

struct TransitionOptions {
  std::string campaign_path;
  int seconds = 5;  // per run
  int repeats = 3;  // runs per server and client count; the figures are their medians
  bool ceilings = true;  // false: rectify alone (to profile it), no ratios
};

// Prints the table's rows and the targets (met or not); returns the same as JSON.
nlohmann::json MeasureTransitions(const TransitionOptions& options);

}  // namespace rectify::bench
