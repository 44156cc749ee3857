// The server's log: one JSON object per line, for a log collector to read without patterns
// (journald, Loki, Elasticsearch). Every line has "time" (UTC, RFC 3339 with milliseconds, the
// real time even when the business clock is set with --now), "level" ("info", "warning",
// "error") and "msg"; the caller adds the rest (a request's line: web/request_log.h).
//
// Thread-safe: a line is written whole, never interleaved with another.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace rectify::ops {

class JsonLog {
 public:
  // `out` must outlive the log.
  explicit JsonLog(std::ostream& out) : out_(out) {}

  // Writes `fields` with time, level and msg added, as one line, and flushes it. Text that is
  // not UTF-8 is written with U+FFFD in its place, so the line stays JSON.
  void Write(const std::string& level, const std::string& msg, nlohmann::json fields = nlohmann::json::object());
  void Info(const std::string& msg, nlohmann::json fields = nlohmann::json::object()) {
    Write("info", msg, std::move(fields));
  }
  void Error(const std::string& msg, nlohmann::json fields = nlohmann::json::object()) {
    Write("error", msg, std::move(fields));
  }

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

}  // namespace rectify::ops
