#include "bench/wrk_load.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace rectify::bench {
namespace {

// User and system CPU time of this process so far, in microseconds.
double CpuMicros() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto micros = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

// Bytes this process caused to be written to storage so far (/proc/self/io, write_bytes).
double DiskBytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  double value = 0;
  while (io >> key >> value)
    if (key == "write_bytes:") return value;
  return 0;
}

double MedianOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = 0;
  in >> load;
  return load;
}

LoadFigures RunWrk(const LoadRun& run) {
  const int threads = std::min(run.clients, 2);
  std::string ids;
  for (std::int64_t id : run.item_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  const std::string command = "wrk --timeout 5s -t " + std::to_string(threads) + " -c " + std::to_string(run.clients) +
                              " -d " + std::to_string(run.seconds) + "s -s " RECTIFY_SOURCE_DIR
                              "/bench/post_events.lua http://127.0.0.1:" + std::to_string(run.port) + " -- " +
                              (run.token.empty() ? "-" : run.token) + " " + ids + " " + std::to_string(threads) + " 2>&1";
  LoadFigures figures;
  figures.load_before = LoadAverage();
  const double cpu_before = CpuMicros();
  const double disk_before = DiskBytes();
  std::FILE* wrk = popen(command.c_str(), "r");
  if (wrk == nullptr) throw std::runtime_error("cannot run wrk");
  std::string output, json;
  char line[4096];
  while (std::fgets(line, sizeof line, wrk) != nullptr) {
    output += line;
    if (std::string(line).rfind("{\"requests\"", 0) == 0) json = line;
  }
  const int status = pclose(wrk);
  const double cpu_used = CpuMicros() - cpu_before;
  const double disk_used = DiskBytes() - disk_before;
  figures.load_after = LoadAverage();
  if (status != 0 || json.empty())
    throw std::runtime_error("wrk failed (make bench installs it: scripts/install-deps.sh --bench):\n" + output);
  const nlohmann::json parsed = nlohmann::json::parse(json);
  figures.requests = parsed["requests"].get<std::int64_t>();
  figures.errors = parsed["socket_errors"].get<std::int64_t>() + parsed["non_2xx"].get<std::int64_t>();
  figures.per_second = static_cast<double>(figures.requests) / (parsed["duration_us"].get<double>() / 1e6);
  figures.p50_ms = parsed["p50_us"].get<double>() / 1000;
  figures.p90_ms = parsed["p90_us"].get<double>() / 1000;
  figures.p99_ms = parsed["p99_us"].get<double>() / 1000;
  figures.max_ms = parsed["max_us"].get<double>() / 1000;
  if (figures.requests > 0) {
    figures.cpu_us_per_request = cpu_used / static_cast<double>(figures.requests);
    figures.disk_kb_per_request = disk_used / 1024 / static_cast<double>(figures.requests);
  }
  return figures;
}

LoadFigures Median(const std::vector<LoadFigures>& runs) {
  auto median = [&](const std::function<double(const LoadFigures&)>& field) {
    std::vector<double> values;
    for (const LoadFigures& run : runs) values.push_back(field(run));
    return MedianOf(values);
  };
  LoadFigures m;
  m.per_second = median([](const LoadFigures& f) { return f.per_second; });
  m.p50_ms = median([](const LoadFigures& f) { return f.p50_ms; });
  m.p90_ms = median([](const LoadFigures& f) { return f.p90_ms; });
  m.p99_ms = median([](const LoadFigures& f) { return f.p99_ms; });
  m.max_ms = median([](const LoadFigures& f) { return f.max_ms; });
  m.load_before = median([](const LoadFigures& f) { return f.load_before; });
  m.load_after = median([](const LoadFigures& f) { return f.load_after; });
  m.cpu_us_per_request = median([](const LoadFigures& f) { return f.cpu_us_per_request; });
  m.disk_kb_per_request = median([](const LoadFigures& f) { return f.disk_kb_per_request; });
  m.writes_per_commit = median([](const LoadFigures& f) { return f.writes_per_commit; });
  for (const LoadFigures& run : runs) {
    m.requests += run.requests;
    m.errors += run.errors;
  }
  return m;
}

}  // namespace rectify::bench
