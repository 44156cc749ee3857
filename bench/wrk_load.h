// make bench's load generator: Debian's wrk (C, epoll, keep-alive connections), driven by
// post_events.lua. The same generator loads rectify and the naive ceiling (naive_server.h) in
// one run, so their ratio holds on any machine even where the absolute figures do not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rectify::bench {

struct LoadRun {
  int port = 0;
  int clients = 1;  // keep-alive connections, each with one request in flight
  int seconds = 5;
  std::string token;  // bearer token; empty for none
  std::vector<std::int64_t> item_ids;  // split between wrk's threads; at least 2 per client
};

struct LoadFigures {
  double per_second = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  std::int64_t requests = 0;
  std::int64_t errors = 0;  // socket errors and answers other than 2xx/3xx
  double load_before = 0;   // the 1-minute load average of the machine, before and after
  double load_after = 0;
  // CPU time of this process (the server under load; wrk runs apart) per request.
  double cpu_us_per_request = 0;
  // Bytes this process sent towards the disk (WAL frames, checkpoints), per request.
  double disk_kb_per_request = 0;
  double writes_per_commit = 0;  // set by the caller where it knows (rectify's group commit)
};

// Runs wrk once (min(clients, 2) threads) against a server of this process. Throws std::runtime_error when wrk is missing or
// prints no figures.
LoadFigures RunWrk(const LoadRun& run);

// The median of each figure over `runs` (not empty); requests and errors are summed.
LoadFigures Median(const std::vector<LoadFigures>& runs);

// The 1-minute load average from /proc/loadavg (0 where there is none).
double LoadAverage();

}  // namespace rectify::bench
